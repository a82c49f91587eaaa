"""Surveys made with other tools, imported with their responses: LimeSurvey and Qualtrics.

:func:`import_survey` takes the files as sent — a LimeSurvey archive (``.lsa``), structure
(``.lss``), question group (``.lsg``) or tab-separated survey (``.txt``), or a Qualtrics survey
(``.qsf``) with, optionally, its responses (legacy XML, or CSV in either layout) —
reads them into a plan, checks it whole and writes it in one transaction: a survey (a pulse
unless said otherwise; closed when it brings responses, else a draft), its questions and its
responses (channel "import"). Any problem and nothing is written: :class:`SurveyImportError`
lists each one with the file and the place in it.

What Phare has no equivalent for is never dropped silently: the :class:`ImportReport` lists
each unsupported question by its type's name, what was skipped, and every caveat. A file with
no question Phare can take is refused, saying why.

The same source survey (its LimeSurvey or Qualtrics id) is imported once: again, the import is
refused with :class:`SurveyAlreadyImported`, unless ``add_responses`` asks to add the
responses the first import did not have (by response id) to the survey it made, or
``as_copy`` asks for a second survey all the same. The web page,
the API and ``phare import-survey`` all go through :func:`import_survey`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import record
from phare.listening.imports import limesurvey, lstsv, qualtrics, writing
from phare.listening.imports.plan import (
    ImportProblem,
    ReportItem,
    SurveyImportError,
    SurveyPlan,
    fail,
    note,
)
from phare.listening.imports.writing import IMPORT_KINDS
from phare.listening.models import Survey

__all__ = ["EXTENSIONS", "IMPORT_KINDS", "RESPONSE_EXTENSIONS", "ImportProblem", "ImportReport",
           "ReportItem", "SurveyAlreadyImported", "SurveyImportError", "import_survey",
           "read_files"]

#: The survey files an import starts from.
EXTENSIONS = (".lsa", ".lss", ".lsg", ".txt", ".qsf")
#: The response files that may come with a ``.qsf``.
RESPONSE_EXTENSIONS = (".xml", ".csv")
#: Help texts longer than this are cut (the field's limit).
HELP_LIMIT = 300


class SurveyAlreadyImported(SurveyImportError):
    """The source survey was imported before: ``survey`` is what that import made."""

    def __init__(self, errors: Any, survey: Survey) -> None:
        super().__init__(errors)
        self.survey = survey


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
    #: Responses added to a survey imported before (``add_responses``), and those it had.
    added_to_existing: bool = False
    responses_already_imported: int = 0

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
            "added_to_existing": self.added_to_existing,
            "responses_already_imported": self.responses_already_imported,
        }


def read_files(files: Sequence[tuple[str, bytes]]) -> SurveyPlan:
    """The plan of a survey file (and its responses file), by the survey file's type."""
    if not files:
        raise fail("", _("send a survey file (.lsa, .lss or .qsf)"))
    (name, data), extra = files[0], list(files[1:])
    name = posixpath.basename(name.replace("\\", "/"))
    lowered = name.lower()
    if len(extra) > 1 and lowered.endswith(".qsf"):
        raise fail(name, _("send one survey file and at most one responses file"))
    if len(extra) > 1:
        raise fail(name, _("send one survey file and at most one responses file"))
    if extra and not lowered.endswith(".qsf"):
        raise fail(extra[0][0], _("a separate responses file only goes with a Qualtrics .qsf: "
                                  "a LimeSurvey archive (.lsa) holds its responses"))
    if lowered.endswith(".lsa"):
        return limesurvey.read_archive(data, name)
    if lowered.endswith(".lss"):
        return limesurvey.read_structure(data, name)
    if lowered.endswith(".lsg"):
        return limesurvey.read_group(data, name)
    if lowered.endswith(".txt"):
        return lstsv.read_tsv(data, name)
    if lowered.endswith(".qsf"):
        responses = None
        if extra:
            responses_name = posixpath.basename(extra[0][0].replace("\\", "/"))
            if not responses_name.lower().endswith(RESPONSE_EXTENSIONS):
                raise fail(responses_name, _("Qualtrics responses are read from their CSV "
                                             "export (.csv) or the legacy XML export (.xml)"))
            responses = (responses_name, extra[0][1])
        return qualtrics.read_qsf(data, name, responses)
    raise fail(name, _("unsupported file type: send a LimeSurvey archive (.lsa), structure "
                       "(.lss), question group (.lsg) or tab-separated survey (.txt), or a "
                       "Qualtrics survey (.qsf)"))


def check_importable(plan: SurveyPlan) -> None:
    """Refuse a plan without questions; report what will be cut to fit Phare's fields."""
    if not plan.questions:
        reasons = sorted({str(item.type_name) for item in plan.items
                          if item.kind in ("unsupported", "skipped")})
        raise fail(plan.file, _("no question can be imported: %(reasons)s") % {
            "reasons": _("%(count)d not imported (%(types)s)") % {
                "count": sum(item.kind in ("unsupported", "skipped") for item in plan.items),
                "types": ", ".join(reasons)} if reasons else _("the file has no questions")})
    for question in plan.questions:
        if max(len(question.help_fr), len(question.help_en)) > HELP_LIMIT:
            plan.items.append(note(_("help text cut to %(limit)d characters") % {
                "limit": HELP_LIMIT}, code=question.code, title=question.text_fr[:120]))


def import_survey(files: Sequence[tuple[str, bytes]], *, user: Any = None,
                  kind: str = Survey.Kind.PULSE, add_responses: bool = False,
                  as_copy: bool = False) -> ImportReport:
    """Import a survey and its responses from another tool's files; all or nothing.

    ``files`` are ``(file name, content)`` pairs: the survey file first, then for a ``.qsf``
    its responses (legacy XML or CSV). Raises :class:`SurveyImportError`, and
    :class:`SurveyAlreadyImported` when the source survey was imported before and
    ``add_responses`` is not set; with it, only the responses the survey lacks are added.
    ``as_copy`` makes a new survey even so.
    """
    if add_responses and as_copy:
        raise ValueError("add_responses and as_copy exclude each other")
    plan = read_files(files)
    check_importable(plan)
    existing = None if as_copy else writing.imported_survey(plan.source)
    if existing is not None and not add_responses:
        raise SurveyAlreadyImported([ImportProblem(plan.file, "", _(
            "this survey (%(source)s) was already imported as “%(title)s”: import it again "
            "with “add only new responses” to add the responses it does not have yet, or as a "
            "copy") % {
            "source": plan.source, "title": existing.title_fr})], existing)
    if existing is not None:
        added, already = writing.add_responses(plan, existing)
        record(action=Action.IMPORT, actor=user, target=existing,
               details={"source": plan.source, "responses_added": added,
                        "responses_already_imported": already})
        return ImportReport(
            survey=existing, source=plan.source, questions_imported=0,
            responses_imported=added, incomplete_skipped=plan.incomplete,
            participants_not_imported=plan.participants, items=list(plan.items),
            added_to_existing=True, responses_already_imported=already)
    survey = writing.write_plan(plan, user=user, kind=kind)
    record(action=Action.IMPORT, actor=user, target=survey,
           details={"source": plan.source, "questions": len(plan.questions),
                    "responses": len(plan.responses), "not_imported": len(plan.items)})
    return ImportReport(
        survey=survey, source=plan.source, questions_imported=len(plan.questions),
        responses_imported=len(plan.responses), incomplete_skipped=plan.incomplete,
        participants_not_imported=plan.participants, items=list(plan.items))
