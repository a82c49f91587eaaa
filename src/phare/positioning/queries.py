"""Reads of the design and fieldwork pages and the studies API: studies with their released
respondents, a study's design, its survey's waves with their response rates (listening's,
thresholds applied there), the imported surveys a study may take its answers from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.listening import queries as listening
from phare.listening.models import Response, Survey, Wave
from phare.positioning import design
from phare.positioning.models import Study
from phare.positioning.questionnaire import build


def studies() -> QuerySet[Study]:
    return Study.objects.select_related("family", "survey").order_by("-created_at", "-pk")


def study(slug: str) -> Study | None:
    return studies().filter(slug=slug).first()


def released_counts(*, today: dt.date | None = None) -> dict[int, int]:
    """Released respondents of each study's survey, by survey id, in one query."""
    rows = (listening.released(Response.objects.filter(survey__positioning_study__isnull=False),
                               today=today)
            .order_by().values("survey_id").annotate(n=Count("pk")))
    return {row["survey_id"]: row["n"] for row in rows}


@dataclass
class StudyRow:
    study: Study
    respondents: int


def study_list() -> list[StudyRow]:
    counts = released_counts()
    return [StudyRow(s, counts.get(s.survey_id or 0, 0)) for s in studies()]


def released_respondents(study: Study) -> int:
    if study.survey_id is None:
        return 0
    return listening.released(Response.objects.filter(survey_id=study.survey_id)).count()


def has_answers(study: Study) -> bool:
    return study.survey_id is not None and Response.objects.filter(
        survey_id=study.survey_id).exists()


@dataclass
class Design:
    study: Study
    alternatives: list[Any]
    attributes: list[Any]
    suggested_tools: list[str]
    problems: list[design.Problem]
    answered: bool
    respondents: int


def study_design(study: Study) -> Design:
    alternatives = list(study.alternatives.all())
    attributes = list(study.attributes.all())
    return Design(
        study=study, alternatives=alternatives, attributes=attributes,
        suggested_tools=list(study.tools.filter(suggested=True).values_list("name", flat=True)),
        problems=design.check_design(study, alternatives=alternatives, attributes=attributes),
        answered=study.source == Study.Source.GENERATED and has_answers(study),
        respondents=released_respondents(study))


def questionnaire(study: Study) -> list[dict[str, Any]]:
    """The question definitions generated from the study's design (bilingual)."""
    return build(study)


def waves(study: Study) -> list[Wave]:
    """The study survey's waves, newest first, each with ``rates`` (overall figures)."""
    return list(listening.survey_waves(study.survey)) if study.survey is not None else []


def wave_rates(wave: Wave) -> dict[str, Any]:
    """Progress by stratum: listening's response rates, small groups already merged."""
    return listening.response_rates(wave)


def importable_surveys(study: Study) -> QuerySet[Survey]:
    """Surveys with answers that no other study uses (imported ones first)."""
    taken = Study.objects.exclude(pk=study.pk).exclude(survey__isnull=True).values("survey_id")
    return (Survey.objects.exclude(pk__in=taken).filter(responses__isnull=False)
            .exclude(kind=Survey.Kind.STUDY).distinct().order_by("-created_at"))


def directory_choices() -> dict[str, list[tuple[str, str]]]:
    return {"units": list(BusinessUnit.objects.order_by("name").values_list("code", "name")),
            "sites": list(Site.objects.order_by("name").values_list("code", "name")),
            "job_families": list(JobFamily.objects.order_by("name").values_list("code",
                                                                                  "name"))}


@dataclass
class MappingRow:
    part: str
    target: str
    question: str
    text: str


def mapping_rows(study: Study) -> list[MappingRow]:
    """What the imported survey's mapping says, one line per mapped question."""
    if study.survey is None:
        return []
    texts = {q.code: q.text for q in listening.version_questions(study.survey.current_version())}
    spec = study.mapping or {}
    rows = []
    for alternative, row in (spec.get("ratings") or {}).items():
        for attribute, code in row.items():
            rows.append(MappingRow("ratings", f"{alternative} × {attribute}", code,
                                   texts.get(code, "")))
    for attribute, code in (spec.get("importance") or {}).items():
        rows.append(MappingRow("importance", attribute, code, texts.get(code, "")))
    for part in ("preference", "used"):
        if part in spec:
            code = spec[part]["question"]
            target = ", ".join(f"{o} → {a}" for o, a in spec[part]["options"].items())
            rows.append(MappingRow(part, target, code, texts.get(code, "")))
    for part in ("tools", "used_why", "comment"):
        if part in spec:
            rows.append(MappingRow(part, "", spec[part], texts.get(spec[part], "")))
    for name, code in (spec.get("profile") or {}).items():
        rows.append(MappingRow("profile", name, code, texts.get(code, "")))
    return rows
