"""Surveys made with other tools, imported with their responses: LimeSurvey and Qualtrics.

:func:`import_survey` takes the files as sent — a LimeSurvey archive (``.lsa``) or structure
(``.lss``), or a Qualtrics survey (``.qsf``) with, optionally, its legacy XML response export —
reads them into a plan, checks it whole and writes it in one transaction: a survey (a pulse
unless said otherwise; closed when it brings responses, else a draft), its questions and its
responses (channel "import"). Any problem and nothing is written: :class:`SurveyImportError`
lists each one with the file and the place in it.

What Phare has no equivalent for is never dropped silently: the :class:`ImportReport` lists
each unsupported question by its type's name, what was skipped, and every caveat.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from phare.listening.imports import limesurvey, qualtrics, writing
from phare.listening.imports.plan import (
    ImportProblem,
    ReportItem,
    SurveyImportError,
    SurveyPlan,
    fail,
)
from phare.listening.imports.writing import IMPORT_KINDS
from phare.listening.models import Survey

__all__ = ["EXTENSIONS", "IMPORT_KINDS", "RESPONSE_EXTENSIONS", "ImportProblem", "ImportReport",
           "ReportItem", "SurveyImportError", "import_survey", "read_files"]

#: The survey files an import starts from.
EXTENSIONS = (".lsa", ".lss", ".qsf")
#: The response files that may come with a ``.qsf``.
RESPONSE_EXTENSIONS = (".xml",)


@dataclass
class ImportReport:
    """What an import created, and what it left behind."""

    survey: Survey
    source: str
    questions_imported: int
    responses_imported: int
    incomplete_skipped: int = 0
    participants_not_imported: int = 0
    items: list[ReportItem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ReportItem]:
        return [item for item in self.items if item.kind == kind]

    @property
    def unsupported(self) -> list[ReportItem]:
        return self.of_kind("unsupported")

    @property
    def skipped(self) -> list[ReportItem]:
        return self.of_kind("skipped")

    @property
    def notes(self) -> list[ReportItem]:
        return self.of_kind("note")

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the job's result and the API (messages in the current language)."""
        return {
            "survey_id": self.survey.pk, "survey_slug": self.survey.slug,
            "survey_title": self.survey.title, "status": self.survey.status,
            "anonymity": self.survey.anonymity, "source": self.source,
            "questions_imported": self.questions_imported,
            "responses_imported": self.responses_imported,
            "incomplete_skipped": self.incomplete_skipped,
            "participants_not_imported": self.participants_not_imported,
            "unsupported_count": len(self.unsupported), "skipped_count": len(self.skipped),
            "unsupported": [item.as_dict() for item in self.unsupported],
            "skipped": [item.as_dict() for item in self.skipped],
            "notes": [item.as_dict() for item in self.notes],
        }


def read_files(files: Sequence[tuple[str, bytes]]) -> SurveyPlan:
    """The plan of a survey file (and its responses file), by the survey file's type."""
    if not files:
        raise fail("", _("send a survey file (.lsa, .lss or .qsf)"))
    (name, data), extra = files[0], list(files[1:])
    name = posixpath.basename(name.replace("\\", "/"))
    lowered = name.lower()
    if len(extra) > 1:
        raise fail(name, _("send one survey file and at most one responses file"))
    if extra and not lowered.endswith(".qsf"):
        raise fail(extra[0][0], _("a separate responses file only goes with a Qualtrics .qsf: "
                                  "a LimeSurvey archive (.lsa) holds its responses"))
    if lowered.endswith(".lsa"):
        return limesurvey.read_archive(data, name)
    if lowered.endswith(".lss"):
        return limesurvey.read_structure(data, name)
    if lowered.endswith(".qsf"):
        responses = None
        if extra:
            responses_name = posixpath.basename(extra[0][0].replace("\\", "/"))
            if not responses_name.lower().endswith(RESPONSE_EXTENSIONS):
                raise fail(responses_name, _("Qualtrics responses are read from the legacy XML "
                                             "export (.xml)"))
            responses = (responses_name, extra[0][1])
        return qualtrics.read_qsf(data, name, responses)
    raise fail(name, _("unsupported file type: send a LimeSurvey archive (.lsa) or structure "
                       "(.lss), or a Qualtrics survey (.qsf)"))


def import_survey(files: Sequence[tuple[str, bytes]], *, user: Any = None,
                  kind: str = Survey.Kind.PULSE) -> ImportReport:
    """Import a survey and its responses from another tool's files; all or nothing.

    ``files`` are ``(file name, content)`` pairs: the survey file first, then for a ``.qsf``
    its responses (legacy XML). Raises :class:`SurveyImportError`.
    """
    plan = read_files(files)
    survey = writing.write_plan(plan, user=user, kind=kind)
    return ImportReport(
        survey=survey, source=plan.source, questions_imported=len(plan.questions),
        responses_imported=len(plan.responses), incomplete_skipped=plan.incomplete,
        participants_not_imported=plan.participants, items=list(plan.items))
