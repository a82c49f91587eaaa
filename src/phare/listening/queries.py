"""Reads of the listening pages and API: survey lists with their counts, the builder's
sections, versions with their responses, and a version as respondents see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from phare.analysis import disclosure
from phare.lib.i18n import in_language
from phare.listening import builder
from phare.listening import questions as qtypes
from phare.listening.models import Question, Response, Section, Survey, SurveyVersion, Wave


def released(responses: QuerySet[Response], *, today: dt.date | None = None
             ) -> QuerySet[Response]:
    """The responses whose answers may be released (in figures, dashboards, exports): those of
    a closed wave (or one past its closing day), and of surveys collected continuously (no
    wave: ticket feedback, open links), those of months that are over — so that no two reads
    differ by one person's answer (:func:`phare.analysis.disclosure.release_before`)."""
    today = today or timezone.localdate()
    return responses.filter(Q(wave__status=Wave.Status.CLOSED) | Q(wave__closes_on__lt=today)
                            | Q(wave__isnull=True,
                                submitted_on__lt=disclosure.release_before(today)))


def _count(model: type, **lookup: Any) -> Coalesce:
    """A correlated count per survey (subqueries, so the three counts do not multiply)."""
    rows = (model.objects.filter(survey=OuterRef("pk"), **lookup).order_by()
            .values("survey").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def survey_list(*, kind: str = "", status: str = "") -> QuerySet[Survey]:
    """Surveys, newest first, with ``responses_count``, ``versions_count``, ``waves_count``
    and ``version_number`` (the current version)."""
    numbers = (SurveyVersion.objects.filter(survey=OuterRef("pk")).order_by()
               .values("survey").annotate(n=Max("number")).values("n"))
    surveys = Survey.objects.select_related("service").annotate(
        responses_count=_count(Response), versions_count=_count(SurveyVersion),
        waves_count=_count(Wave), version_number=Subquery(numbers))
    if kind:
        surveys = surveys.filter(kind=kind)
    if status:
        surveys = surveys.filter(status=status)
    return surveys.order_by("-created_at", "-pk")


def survey(slug: str) -> Survey | None:
    return Survey.objects.select_related("service").filter(slug=slug).first()


def versions(survey: Survey) -> list[SurveyVersion]:
    """The survey's versions, newest first, each with ``responses_count``."""
    return list(survey.versions.annotate(responses_count=Count("responses"))
                .order_by("-number"))


@dataclass
class SectionRows:
    section: Section
    questions: list[dict[str, Any]] = field(default_factory=list)


def builder_sections(version: SurveyVersion) -> list[SectionRows]:
    """The version's sections in order, each with its questions and what the builder shows
    of them (condition in words, options as lines, whether it can move up or down)."""
    sections = [SectionRows(s) for s in version.sections.order_by("position", "id")]
    by_pk = {rows.section.pk: rows for rows in sections}
    ordered = list(version.questions.order_by("section__position", "section_id", "position",
                                              "id"))
    for index, question in enumerate(ordered):
        by_pk[question.section_id].questions.append({
            "question": question,
            "condition": builder.condition_summary(question.condition),
            "scale": (qtypes.scale_of(question)
                      if question.type in qtypes.NUMERIC | {"grid"} else None),
            "first": index == 0, "last": index == len(ordered) - 1,
        })
    return sections


def question_choices(version: SurveyVersion, *, before: Question | None = None
                     ) -> list[Question]:
    """Questions a display condition may refer to: all of them, or those before ``before``."""
    ordered = list(version.questions.order_by("section__position", "section_id", "position",
                                              "id"))
    if before is not None:
        ordered = ordered[:[q.pk for q in ordered].index(before.pk)]
    return ordered


def version_preview(version: SurveyVersion, *, language: str) -> list[dict[str, Any]]:
    """The version's sections and questions in one language, as a respondent reads them."""
    out: list[dict[str, Any]] = []
    for rows in builder_sections(version):
        items = []
        for row in rows.questions:
            q: Question = row["question"]
            low, high = row["scale"] or (None, None)
            items.append({
                "code": q.code, "type": q.type, "required": q.required,
                "text": in_language(q, "text", language),
                "help": in_language(q, "help", language),
                "points": list(range(low, high + 1)) if low is not None else [],
                "label_min": in_language(q, "label_min", language),
                "label_max": in_language(q, "label_max", language),
                "options": [{"code": o["code"], "label": qtypes.option_label(o, language)}
                            for o in q.options],
                "allow_other": q.allow_other,
                "condition": row["condition"],
            })
        out.append({"title": in_language(rows.section, "title", language),
                    "position": rows.section.position, "questions": items})
    return out
