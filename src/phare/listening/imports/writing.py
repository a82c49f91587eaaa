"""Check a :class:`~.plan.SurveyPlan` whole, then write it in one transaction — or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.listening import questions as qtypes
from phare.listening import services
from phare.listening.builder import RESERVED_SLUGS
from phare.listening.imports.plan import (
    ImportProblem,
    QuestionPlan,
    SurveyImportError,
    SurveyPlan,
    clip,
)
from phare.listening.models import Question, Response, Section, Survey

#: The kinds an imported survey may take: ticket feedback needs tickets, a service survey
#: its catalogue service, neither of which a file from another tool carries.
#: A positioning study may read an imported survey: imported as a study, it is no pulse.
IMPORT_KINDS = (Survey.Kind.PULSE, Survey.Kind.BAROMETER, Survey.Kind.STUDY)


def _unsaved(plan: QuestionPlan) -> Question:
    return Question(code=plan.code, position=0, condition=None, **plan.fields())


def check_plan(plan: SurveyPlan) -> list[dict[str, Any]]:
    """Every response's cleaned answers, in plan order; raise if anything cannot be written.

    Questions are checked as the builder checks them, answers as a draft is (the imported
    answers were given under the other tool's rules: a required question may be unanswered).
    """
    problems: list[ImportProblem] = list(plan.problems)
    questions = [_unsaved(q) for q in plan.questions]
    for index, (question, source) in enumerate(zip(questions, plan.questions, strict=True)):
        try:
            qtypes.check_definition(question, questions[:index])
        except qtypes.DefinitionError as exc:
            problems.append(ImportProblem(plan.file, source.source or source.code,
                                          f"{exc.field}: {exc.reason}"))
    if len(problems) > len(plan.problems):
        raise SurveyImportError(problems)  # answers cannot be checked against broken questions
    origin = {q.code: q.source for q in plan.questions}
    cleaned: list[dict[str, Any]] = []
    for response in plan.responses:
        try:
            cleaned.append(qtypes.clean_answers(questions, response.answers, partial=True))
        except qtypes.AnswerErrors as exc:
            for key, reason in exc.errors.items():
                code = key.split(".")[0]
                where = f"{origin[code]} ({key})" if origin.get(code, code) != code else key
                problems.append(ImportProblem(response.file, f"{response.label}, {where}",
                                              reason))
    if problems:
        raise SurveyImportError(problems)
    return cleaned


#: Identifiers pages and endpoints use (``/surveys/import/``, ``/api/v1/surveys/imports``).
RESERVED = RESERVED_SLUGS | {"imports"}


def unique_slug(title: str, fallback: str) -> str:
    """A free survey identifier made from the title: ``conditions``, ``conditions-2``…"""
    base = slugify(title)[:72].strip("-_") or slugify(fallback)[:72] or "survey"
    slug, number = base, 1
    while slug in RESERVED or Survey.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def write_plan(plan: SurveyPlan, *, user: Any = None, kind: str = Survey.Kind.PULSE) -> Survey:
    """Create the survey, its sections, questions and responses; nothing if anything fails."""
    if kind not in IMPORT_KINDS:
        raise ValueError(f"an imported survey cannot be of kind {kind!r}")
    answers = check_plan(plan)
    anonymity = Survey.Anonymity.ANONYMOUS if plan.anonymous else Survey.Anonymity.CONFIDENTIAL
    try:
        survey = services.survey_create(
            slug=unique_slug(plan.title_fr, plan.source), kind=kind,
            title_fr=clip(plan.title_fr, 200), title_en=clip(plan.title_en, 200),
            intro_fr=plan.intro_fr, intro_en=plan.intro_en, thanks_fr=plan.thanks_fr,
            thanks_en=plan.thanks_en, anonymity=anonymity, source=clip(plan.source, 120),
            languages=plan.languages, translations=plan.translations, created_by=user)
    except services.ListeningError as exc:
        raise SurveyImportError([ImportProblem(plan.file, exc.field, exc.message)]) from None
    version = survey.current_version()
    # survey_create made an empty first section; the plan's sections take its place.
    version.sections.all().delete()
    used = sorted({q.section for q in plan.questions}) or [0]
    sections = {}
    for position, index in enumerate(used, start=1):
        title_fr, title_en = plan.sections[index] if index < len(plan.sections) else ("", "")
        sections[index] = Section.objects.create(
            version=version, position=position, title_fr=clip(title_fr, 200),
            title_en=clip(title_en, 200), translations=plan.section_translations.get(index, {}))
    # Definitions were checked above exactly as question_add checks them; one insert for all.
    positions: dict[int, int] = {}
    rows = []
    for question in plan.questions:
        positions[question.section] = positions.get(question.section, 0) + 1
        rows.append(Question(version=version, section=sections[question.section],
                             position=positions[question.section], code=question.code,
                             **_clipped(question.fields())))
    Question.objects.bulk_create(rows)
    Response.objects.bulk_create([
        Response(survey=survey, version=version, channel=Response.Channel.IMPORT,
                 language=response.language, submitted_on=response.submitted_on,
                 # An anonymous response keeps its day only, and nothing of its source row.
                 submitted_at=None if plan.anonymous else response.submitted_at,
                 source_id="" if plan.anonymous else clip(response.source_id, 80),
                 answers=cleaned)
        for response, cleaned in zip(plan.responses, answers, strict=True)])
    if plan.responses:
        services.survey_set_status(survey, Survey.Status.CLOSED)
    return survey


def _clipped(fields: dict[str, Any]) -> dict[str, Any]:
    for name, length in (("help_fr", 300), ("help_en", 300), ("label_min_fr", 80),
                         ("label_min_en", 80), ("label_max_fr", 80), ("label_max_en", 80)):
        fields[name] = clip(fields[name], length)
    return fields


def imported_survey(source: str) -> Survey | None:
    """The survey an earlier import of the same source survey made, if any (the latest)."""
    if not source:
        return None
    return Survey.objects.filter(source=clip(source, 120)).order_by("-pk").first()


@transaction.atomic
def add_responses(plan: SurveyPlan, survey: Survey) -> tuple[int, int]:
    """Add the plan's responses that ``survey`` does not have yet, matched by response id.

    Returns (added, already there). The survey's questions must be the plan's: a changed
    survey is refused, as is an anonymous one (it kept no response ids to compare).
    """
    if survey.is_anonymous:
        raise SurveyImportError([ImportProblem(plan.file, "", _(
            "“%(title)s” is anonymous: Phare kept no response ids, so new responses cannot be "
            "told apart from those already imported") % {"title": survey.title_fr})])
    version = survey.current_version()
    existing = {q.code: q.type for q in version.questions.all()}
    planned = {q.code: q.type for q in plan.questions}
    if existing != planned:
        changed = sorted(set(existing.items()) ^ set(planned.items()))
        raise SurveyImportError([ImportProblem(plan.file, "", _(
            "the questions differ from those of “%(title)s” (%(codes)s): import it as a new "
            "survey instead") % {"title": survey.title_fr,
                                 "codes": ", ".join(sorted({c for c, _t in changed})[:10])})])
    seen = set(survey.responses.values_list("source_id", flat=True))
    total = len(plan.responses)
    plan.responses = [response for response in plan.responses
                      if clip(response.source_id, 80) not in seen]
    answers = check_plan(plan)
    Response.objects.bulk_create([
        Response(survey=survey, version=version, channel=Response.Channel.IMPORT,
                 language=response.language, submitted_on=response.submitted_on,
                 submitted_at=response.submitted_at, source_id=clip(response.source_id, 80),
                 answers=cleaned)
        for response, cleaned in zip(plan.responses, answers, strict=True)])
    if plan.responses and survey.status != Survey.Status.CLOSED:
        services.survey_set_status(survey, Survey.Status.CLOSED)
    return len(plan.responses), total - len(plan.responses)
