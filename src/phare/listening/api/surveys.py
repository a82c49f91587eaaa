"""The listening API: surveys — settings, sections, questions and versions (the builder).

Refusals of the services answer 422 with the field they concern in ``details``; once a survey
has answers, changing its questions makes a new version (the answers keep theirs).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict, cast

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer
from ninja.errors import HttpError
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib.api import Pagination, Refusal
from phare.listening import builder, queries, services
from phare.listening import languages as survey_languages
from phare.listening.errors import ListeningError
from phare.listening.models import Question, Survey, SurveyVersion
from phare.listening.question_kinds import KINDS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

router = Router(tags=["surveys"])

Kind = Literal["barometer", "transactional", "pulse", "service", "study"]
Anonymity = Literal["anonymous", "confidential", "named"]
Status = Literal["draft", "open", "closed"]
QuestionType = Literal["nps", "csat", "ces", "scale", "grid", "matrix", "single", "multiple",
                       "text", "numeric", "multinum", "constsum", "slider", "date", "ranking",
                       "numarray", "textarray", "dualscale"]
CODE = r"^[-\w]{1,64}$"
#: The types whose definition has settings (the others take none).
WITH_SETTINGS = KINDS - {"textarray", "upload"}


# --- schemas ----------------------------------------------------------------------------------

class SurveySettings(Schema):
    """The settings of a survey; on update, absent keys keep their value."""

    title_fr: str | None = Field(None, max_length=200, description="Title in French.")
    title_en: str | None = Field(None, max_length=200, description="Title in English.")
    intro_fr: str | None = Field(None, description="Introduction shown first (French).")
    intro_en: str | None = Field(None, description="Introduction shown first (English).")
    thanks_fr: str | None = Field(None, description="Thank-you message (French).")
    thanks_en: str | None = Field(None, description="Thank-you message (English).")
    anonymity: Anonymity | None = Field(
        None, description="anonymous (no link to the person is kept), confidential (known, "
                          "shown only in aggregates) or named. Fixed once the survey has "
                          "answers; ticket feedback cannot be anonymous.")
    service: str | None = Field(None, description="Identifier (slug) of the catalogue service "
                                                  "surveyed; required for kind service.")
    min_group_size: int | None = Field(
        None, description="Smallest group whose results are shown (at least 5; can only be "
                          "raised once the survey has answers).")
    min_verbatim_group_size: int | None = Field(
        None, description="Smallest group whose free-text answers are shown (at least 10; can "
                          "only be raised once the survey has answers).")
    open_link: bool | None = Field(None, description="Whether anyone with the survey's open "
                                                     "link may answer while it is open.")
    sample_percent: int | None = Field(None, description="Ticket feedback: share of closed "
                                                         "tickets surveyed (0–100).")
    send_delay_minutes: int | None = Field(None, description="Ticket feedback: delay after "
                                                             "closure before the invitation.")
    fatigue_days: int | None = Field(None, description="Ticket feedback: at most one ticket "
                                                       "survey per person every N days.")
    languages: list[str] | None = Field(
        None, description="The languages the survey is written in, in its order: two-letter "
                          "ISO 639-1 codes, e.g. [\"de\", \"fr\"]. French and English texts "
                          "are the *_fr/*_en fields, the others are in translations.")
    translations: dict[str, dict[str, str]] | None = Field(
        None, description="The survey's texts in its languages other than French and English: "
                          "{\"de\": {\"title\": …, \"intro\": …, \"thanks\": …}}.")


class SurveyIn(SurveySettings):
    slug: str = Field(..., pattern=r"^[-a-z0-9_]{1,80}$",
                      description="Identifier used in addresses and exports; not new, "
                                  "import, imports or tickets.")
    kind: Kind = Field(..., description="barometer (waves of the same questions), "
                                        "transactional (ticket feedback), pulse, service "
                                        "(about one catalogue service), or study (a "
                                        "positioning study's questionnaire, in waves).")
    title_fr: str = Field(..., min_length=1, max_length=200, description="Title in French.")


class SurveyFilter(Schema):
    kind: Kind | None = Field(None, description="Only surveys of this kind.")
    status: Status | None = Field(None, description="Only surveys in this status.")


class SurveyPatch(SurveySettings):
    status: Status | None = Field(
        None, description="Open a survey to collect answers (it needs questions), close it.")


class SurveyOut(Schema):
    slug: str
    kind: str
    status: str
    anonymity: str
    title_fr: str
    title_en: str
    service: str | None = Field(description="Slug of the catalogue service, if any.")
    min_group_size: int
    min_verbatim_group_size: int
    open_link: bool
    open_token: str | None = Field(description="Token of the open link /s/open/<token>/, "
                                               "when the open link is on.")
    version: int = Field(description="Number of the current version.")
    languages: list[str] = Field(description="The languages the survey is written in, in its "
                                             "order (ISO 639-1 codes).")
    translations: dict[str, Any] = Field(description="The survey's texts in its languages "
                                                     "other than French and English.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_languages(obj: Survey) -> list[str]:
        return survey_languages.languages_of(obj)

    @staticmethod
    def resolve_translations(obj: Survey) -> dict[str, Any]:
        return obj.translations or {}

    @staticmethod
    def resolve_service(obj: Survey) -> str | None:
        return obj.service.slug if obj.service else None

    @staticmethod
    def resolve_open_token(obj: Survey) -> str | None:
        return obj.open_token if obj.open_link else None

    @staticmethod
    def resolve_version(obj: Survey) -> int:
        number = getattr(obj, "version_number", None)
        return number if number is not None else obj.current_version().number


class SurveySummary(SurveyOut):
    responses: int = Field(description="Answers received (live): every response to every "
                           "version, a month or wave under way included; figures use the "
                           "released answers only.")
    versions: int
    waves: int

    @staticmethod
    def resolve_responses(obj: queries.CountedSurvey) -> int:
        return obj.responses_count

    @staticmethod
    def resolve_versions(obj: queries.CountedSurvey) -> int:
        return obj.versions_count

    @staticmethod
    def resolve_waves(obj: queries.CountedSurvey) -> int:
        return obj.waves_count


class OptionSchema(Schema):
    code: str = Field(..., pattern=CODE, description="Stored in the answers; stable.")
    label_fr: str = ""
    label_en: str = ""


class ConditionSchema(Schema):
    """Show the question only when an earlier answer matches."""

    question: str = Field(..., description="Code of an earlier question.")
    op: Literal["in", "between", "answered"] = Field(
        ..., description="in: the answer is (or contains) one of values; between: a number "
                         "from min to max inclusive; answered: any answer.")
    values: list[int | float | str] | None = Field(None, description="For in.")
    min: int | float | None = Field(None, description="For between.")
    max: int | float | None = Field(None, description="For between.")


class QuestionFields(Schema):
    """A question's definition; on update, absent keys keep their value."""

    type: QuestionType | None = Field(None, description="nps 0–10, csat 1–5, ces 1–7, scale "
                                                        "(scale_min–scale_max), grid "
                                                        "(importance × satisfaction per "
                                                        "option), matrix (each column rated "
                                                        "on each option, scale_min–scale_max, "
                                                        "default 1–5), single, multiple, "
                                                        "text.")
    text_fr: str | None = Field(None, description="The question in French.")
    text_en: str | None = Field(None, description="The question in English.")
    help_fr: str | None = Field(None, max_length=300)
    help_en: str | None = Field(None, max_length=300)
    required: bool | None = None
    scale_min: int | None = Field(None, description="Lowest value (scale; grid and matrix "
                                                    "default 1).")
    scale_max: int | None = Field(None, description="Highest value (scale; grid and matrix "
                                                    "default 5).")
    label_min_fr: str | None = Field(None, max_length=80)
    label_min_en: str | None = Field(None, max_length=80)
    label_max_fr: str | None = Field(None, max_length=80)
    label_max_en: str | None = Field(None, max_length=80)
    options: list[OptionSchema] | None = Field(None, description="Choices of single and "
                                                                 "multiple; attributes of grid; "
                                                                 "rows of matrix.")
    columns: list[OptionSchema] | None = Field(
        None, description="Matrix only: the columns each row is rated for (at most 12; at most "
                          "20 rows). Answers are {column: {row: rating}}, an unrated cell "
                          "absent.")
    allow_other: bool | None = Field(None, description="Single and multiple: offer “other” "
                                                       "with a text (code other).")
    settings: dict[str, Any] | None = Field(
        None, description="The parameters of numeric (min, max, decimals), multinum (min, max, "
                          "decimals, total), constsum (total, decimals), slider (min, max, "
                          "step, decimals), date (time, min, max), ranking (top), numarray "
                          "(min, max, decimals) and dualscale (scales: [{code, label_fr, "
                          "label_en, choices: [{code, label_fr, label_en}]}]); {} otherwise. "
                          "Rows are in options; numarray and textarray cells in columns.")
    condition: ConditionSchema | None = None
    translations: dict[str, dict[str, Any]] | None = Field(
        None, description="Its texts in the survey's languages other than French and English "
                          "(each one of the survey's languages): {\"de\": {\"text\", \"help\", "
                          "\"label_min\", \"label_max\", \"options\": {code: label}, "
                          "\"columns\": {code: label}, \"scales\": {code: label}, \"choices\": "
                          "{scale code: {code: label}}}}.")


class QuestionIn(QuestionFields):
    code: str = Field(..., pattern=CODE, description="Stable across versions and waves.")
    type: QuestionType
    text_fr: str = Field(..., min_length=1)
    section: int | None = Field(None, ge=1, description="Section position (default: the last).")


class QuestionOut(Schema):
    code: str
    type: str
    section: int = Field(description="Position of its section.")
    position: int = Field(description="Position within its section.")
    text_fr: str
    text_en: str
    help_fr: str
    help_en: str
    required: bool
    scale_min: int | None = Field(description="The effective range (fixed for nps, csat, ces).")
    scale_max: int | None
    label_min_fr: str
    label_min_en: str
    label_max_fr: str
    label_max_en: str
    options: list[dict[str, str]]
    columns: list[dict[str, str]] = Field(description="A matrix's columns (else empty).")
    settings: dict[str, Any] = Field(description="The parameters of the question's kind "
                                                 "(see the input's settings); {} if none.")
    allow_other: bool
    condition: dict[str, Any] | None
    translations: dict[str, Any] = Field(
        description="Its texts in the survey's languages other than French and English: "
                    "{\"de\": {\"text\", \"help\", \"label_min\", \"label_max\", \"options\": "
                    "{code: label}, \"columns\": {code: label}, \"scales\": {code: label}, "
                    "\"choices\": {scale code: {code: label}}}}.")
    version: int = Field(description="The version this question belongs to.")


class SectionIn(Schema):
    title_fr: str = Field("", max_length=200)
    title_en: str = Field("", max_length=200)


class SectionOut(Schema):
    position: int
    title_fr: str
    title_en: str
    translations: dict[str, Any] = Field(default_factory=dict, description="Its title in the "
                                         "survey's other languages: {\"de\": {\"title\": …}}.")
    version: int


class MoveIn(Schema):
    position: int = Field(..., ge=1, description="1-based position within the section.")
    section: int | None = Field(None, ge=1, description="Section position (default: its own).")


class VersionOut(Schema):
    number: int
    created_at: datetime
    frozen: bool = Field(description="Answered (or drafted): its questions no longer change.")
    responses: int
    sections: list[SectionOut]
    questions: list[QuestionOut]


class DetailFigures(TypedDict):
    """What :func:`_detail` adds to a survey for :class:`SurveyDetail` (its reverse managers
    keep their names: these go under ``detail_*``)."""

    version_number: int
    detail_responses: int
    detail_current: dict[str, Any]
    detail_versions: list[dict[str, int]]


# Only named in annotations (django-stubs-ext is a type checker's package, not Phare's).
DetailedSurvey: TypeAlias = "WithAnnotations[Survey, DetailFigures]"


class SurveyDetail(SurveyOut):
    intro_fr: str
    intro_en: str
    thanks_fr: str
    thanks_en: str
    sample_percent: int
    send_delay_minutes: int
    fatigue_days: int
    source: str
    responses: int = Field(description="Answers received (live): every response to every "
                           "version, a month or wave under way included; figures use the "
                           "released answers only.")
    current: VersionOut = Field(description="The current version and its questions.")
    versions: list[dict[str, int]] = Field(description="Every version: number, responses.")

    @staticmethod
    def resolve_responses(obj: DetailedSurvey) -> int:
        return obj.detail_responses

    @staticmethod
    def resolve_current(obj: DetailedSurvey) -> dict[str, Any]:
        return obj.detail_current

    @staticmethod
    def resolve_versions(obj: DetailedSurvey) -> list[dict[str, int]]:
        return obj.detail_versions


# --- helpers ----------------------------------------------------------------------------------

def _refuse(exc: ListeningError) -> HttpError:
    if isinstance(exc, builder.OptionLinesError):
        details = [{"field": exc.field, "reason": reason} for _n, reason in exc.lines]
    else:
        details = [{"field": exc.field, "reason": exc.message}] if exc.field else []
    return Refusal(422, exc.message, details)


def _run(action, *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, **kwargs)
    except ListeningError as exc:
        raise _refuse(exc) from None


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("service"), slug=slug)


def _question_data(version: SurveyVersion) -> list[dict[str, Any]]:
    """:func:`queries.questions_payload` with both languages and the raw options/condition."""
    payload = queries.questions_payload(version, language="fr")
    objects = {q.code: q for q in version.questions.all()}
    out = []
    for item in payload:
        q = objects[item["code"]]
        out.append({**item, **_bilingual(q), "version": version.number})
    return out


def _bilingual(q: Question) -> dict[str, Any]:
    names = ("text_fr", "text_en", "help_fr", "help_en", "label_min_fr", "label_min_en",
             "label_max_fr", "label_max_en")
    # Imported options may lack a language (no key, or null): always both, "" when missing.
    def both(items: list[dict[str, str]] | None) -> list[dict[str, str]]:
        return [{"code": o.get("code") or "", "label_fr": o.get("label_fr") or "",
                 "label_en": o.get("label_en") or ""} for o in items or []]

    return {**{n: getattr(q, n) for n in names}, "position": q.position,
            "options": both(q.options), "columns": both(q.columns),
            "settings": q.settings or {}, "condition": q.condition,
            "translations": q.translations or {}}


def _one_question(survey: Survey, code: str) -> dict[str, Any]:
    version = survey.current_version()
    return next(q for q in _question_data(version) if q["code"] == code)


def _version(version: SurveyVersion, responses: int) -> dict[str, Any]:
    return {"number": version.number, "created_at": version.created_at,
            "frozen": version.frozen, "responses": responses,
            "sections": [{"position": s.position, "title_fr": s.title_fr,
                          "title_en": s.title_en, "translations": s.translations or {},
                          "version": version.number}
                         for s in version.sections.order_by("position", "id")],
            "questions": _question_data(version)}


def _detail(survey: Survey) -> DetailedSurvey:
    """The survey with what :class:`SurveyDetail` adds (:class:`DetailFigures`)."""
    versions = queries.versions(survey)
    detailed = cast(DetailedSurvey, survey)  # typed with the figures set just below
    detailed.version_number = versions[0].number
    detailed.detail_responses = sum(v.responses_count for v in versions)
    detailed.detail_current = _version(versions[0], versions[0].responses_count)
    detailed.detail_versions = [{"number": v.number, "responses": v.responses_count}
                                for v in versions]
    return detailed


def _no_nulls(fields: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    """Refuse ``null`` for what must have a value (absent keys are how to keep one)."""
    nulls = sorted(name for name, value in fields.items()
                   if value is None and name not in nullable)
    if nulls:
        raise Refusal(422, _("These fields cannot be null: %s.") % ", ".join(nulls),
                      [{"field": name, "reason": _("Give a value or leave the key out.")}
                       for name in nulls])
    return fields


def _settings(payload: SurveySettings) -> dict[str, Any]:
    fields = _no_nulls(payload.dict(exclude_unset=True, exclude={"slug", "kind", "status"}),
                       {"service"})
    if "service" in fields:
        fields["service"] = _run(queries.service_by_slug, fields["service"])
    return fields


def _question_fields(payload: QuestionFields, exclude: set[str]) -> dict[str, Any]:
    fields = _no_nulls(payload.dict(exclude_unset=True, exclude=exclude),
                       {"scale_min", "scale_max", "condition", "section"})
    if fields.get("condition"):
        fields["condition"] = {k: v for k, v in fields["condition"].items() if v is not None}
    return fields


# --- endpoints --------------------------------------------------------------------------------

def _resolved(function: Callable[..., Any]) -> Callable[..., Any]:
    """Evaluate the annotations here: ``@paginate`` wraps the function, and ninja would look
    the names up in the pagination module."""
    function.__annotations__ = typing.get_type_hints(function, include_extras=True)
    return function


@router.get("/surveys", response=list[SurveySummary], auth=roles(SURVEY_MANAGERS))
@paginate(Pagination)
@_resolved
def list_surveys(request, filters: Query[SurveyFilter]):
    """Surveys, newest first, with their counts of responses, versions and waves."""
    return queries.survey_list(kind=filters.kind or "", status=filters.status or "")


@router.post("/surveys", response={201: SurveyDetail}, auth=roles(SURVEY_MANAGERS))
def create_survey(request, payload: SurveyIn):
    """Create a draft survey with its first version and an empty first section."""
    fields = _settings(payload)
    survey = _run(services.survey_create, slug=payload.slug, kind=payload.kind,
                  created_by=request.auth, **fields)
    return Answer(201, _detail(_survey(survey.slug)))


@router.get("/surveys/{slug}", response=SurveyDetail, auth=roles(SURVEY_MANAGERS))
def get_survey(request, slug: str):
    """Settings, the current version with its questions (both languages), every version."""
    return _detail(_survey(slug))


@router.patch("/surveys/{slug}", response=SurveyDetail, auth=roles(SURVEY_MANAGERS))
def update_survey(request, slug: str, payload: SurveyPatch):
    """Change settings and/or the status; the anonymity is fixed once answered, thresholds
    can then only be raised."""
    survey = _survey(slug)
    fields = _settings(payload)
    with transaction.atomic():  # settings and status together, or neither
        if fields:
            survey = _run(services.survey_update, survey, **fields)
        if payload.status is not None:
            _run(services.survey_set_status, survey, payload.status)
    return _detail(_survey(slug))


@router.post("/surveys/{slug}/sections", response={201: SectionOut},
             auth=roles(SURVEY_MANAGERS))
def add_section(request, slug: str, payload: SectionIn):
    """Add a section at the end (in a new version if the current one has answers)."""
    section = _run(services.section_add, _survey(slug), **payload.dict())
    return Answer(201, {"position": section.position, "title_fr": section.title_fr,
                        "title_en": section.title_en, "version": section.version.number})


@router.patch("/surveys/{slug}/sections/{position}", response=SectionOut,
              auth=roles(SURVEY_MANAGERS))
def rename_section(request, slug: str, position: int, payload: SectionIn):
    section = _run(services.section_update, _survey(slug), position, **payload.dict())
    return {"position": section.position, "title_fr": section.title_fr,
            "title_en": section.title_en, "version": section.version.number}


@router.delete("/surveys/{slug}/sections/{position}", response={204: None},
               auth=roles(SURVEY_MANAGERS))
def delete_section(request, slug: str, position: int):
    """Delete an empty section (never the last one); the others are renumbered."""
    _run(services.section_delete, _survey(slug), position)
    return Answer(204, None)


@router.post("/surveys/{slug}/questions", response={201: QuestionOut},
             auth=roles(SURVEY_MANAGERS))
def add_question(request, slug: str, payload: QuestionIn):
    """Add a question at the end of a section."""
    survey = _survey(slug)
    fields = _question_fields(payload, exclude={"code", "section"})
    _no_settings_unless_used(fields, payload.type)
    question = _run(services.question_add, survey, code=payload.code, section=payload.section,
                    **fields)
    return Answer(201, _one_question(survey, question.code))


def _no_settings_unless_used(fields: dict[str, Any], kind: str) -> None:
    """Refuse settings given to a type that has none (they would be kept and never read)."""
    if fields.get("settings") and kind not in WITH_SETTINGS:
        reason = _("A question of type “%s” takes no settings.") % kind
        raise Refusal(422, reason, [{"field": "settings", "reason": reason}])


def _existing(survey: Survey, code: str) -> None:
    if not survey.current_version().questions.filter(code=code).exists():
        raise HttpError(404, _("This survey has no question “%s”.") % code)


@router.patch("/surveys/{slug}/questions/{code}", response=QuestionOut,
              auth=roles(SURVEY_MANAGERS))
def update_question(request, slug: str, code: str, payload: QuestionFields):
    """Change a question; its code never changes."""
    survey = _survey(slug)
    _existing(survey, code)
    fields = _question_fields(payload, exclude=set())
    _no_settings_unless_used(fields, payload.type or survey.current_version().questions.get(
        code=code).type)
    _run(services.question_update, survey, code, **fields)
    return _one_question(survey, code)


@router.delete("/surveys/{slug}/questions/{code}", response={204: None},
               auth=roles(SURVEY_MANAGERS))
def delete_question(request, slug: str, code: str):
    """Delete a question (refused while another's display condition depends on it)."""
    survey = _survey(slug)
    _existing(survey, code)
    _run(services.question_delete, survey, code)
    return Answer(204, None)


@router.post("/surveys/{slug}/questions/{code}/move", response=QuestionOut,
             auth=roles(SURVEY_MANAGERS))
def move_question(request, slug: str, code: str, payload: MoveIn):
    """Move a question within its section or to another one."""
    survey = _survey(slug)
    _existing(survey, code)
    _run(services.question_move, survey, code, position=payload.position,
         section=payload.section)
    return _one_question(survey, code)


@router.get("/surveys/{slug}/versions/{number}", response=VersionOut,
            auth=roles(SURVEY_MANAGERS))
def get_version(request, slug: str, number: int):
    """One version with its questions: the exact questions its answers were given to."""
    survey = _survey(slug)
    version = get_object_or_404(survey.versions, number=number)
    return _version(version, version.responses.count())
