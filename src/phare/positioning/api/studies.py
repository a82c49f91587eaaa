"""The positioning API: studies (list, create, read and change the design) and the
questionnaire generated from a study's design, in both languages. Managers write, readers
read; refusals name their field (422)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from phare.accounts.apiauth import roles
from phare.catalog.models import OfferFamily
from phare.lib.api import Refusal
from phare.positioning import policy, queries
from phare.positioning.models import Study
from phare.positioning.services import studies as services

router = Router(tags=["positioning"])


class AlternativeOut(Schema):
    code: str
    kind: str
    label_fr: str
    label_en: str


class AttributeOut(Schema):
    code: str
    label_fr: str
    label_en: str


class ProblemOut(Schema):
    field: str
    message: str
    level: str


class StudyOut(Schema):
    slug: str
    title_fr: str
    title_en: str
    family: str | None = Field(description="The domain's catalogue family code; null: IT in "
                                           "general.")
    status: str
    source: str
    scale_min: int
    scale_max: int
    method: str
    segments_k: int | None
    respondents: int = Field(description="Released respondents (closed waves only).")
    survey: str | None = Field(description="The listening survey's identifier.")


class StudyDetailOut(StudyOut):
    alternatives: list[AlternativeOut]
    attributes: list[AttributeOut]
    profile_questions: list[str]
    population: dict[str, Any]
    suggested_tools: list[str]
    problems: list[ProblemOut]
    frozen: bool = Field(description="The questionnaire has answers: alternatives, "
                                     "attributes and scale can no longer change.")


class StudyIn(Schema):
    slug: str = Field(min_length=1, max_length=80)
    title_fr: str = Field(min_length=1, max_length=200)
    title_en: str = ""
    family: str | None = None
    scale_min: int = 1
    scale_max: int = 5
    method: str = Study.Method.CA


class RowIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    label_fr: str = ""
    label_en: str = ""
    kind: str = "other"


class StudyPatch(Schema):
    title_fr: str | None = None
    title_en: str | None = None
    family: str | None = Field(None, description="A family code; \"\" for IT in general.")
    scale_min: int | None = None
    scale_max: int | None = None
    method: str | None = None
    segments_k: int | None = None
    alternatives: list[RowIn] | None = Field(None, description="Added or changed by code.")
    attributes: list[RowIn] | None = Field(None, description="Added or changed by code.")
    profile_questions: list[str] | None = None
    population: dict[str, Any] | None = None
    suggested_tools: list[str] | None = None


class StudyQuestionOut(Schema):
    code: str
    section: int
    type: str
    text_fr: str
    text_en: str
    options: list[dict[str, str]] = Field(default_factory=list)
    columns: list[dict[str, str]] = Field(default_factory=list)
    scale_min: int | None = None
    scale_max: int | None = None
    allow_other: bool = False
    condition: dict[str, Any] | None = None


def _refusal(exc: ValidationError) -> Refusal:
    if hasattr(exc, "error_dict"):
        details = [{"field": "" if key == "__all__" else key, "reason": " ".join(found)}
                   for key, found in exc.message_dict.items()]
    else:
        details = [{"field": "", "reason": message} for message in exc.messages]
    return Refusal(422, " ".join(exc.messages), details)


def _call(function: Any, **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except ValidationError as exc:
        raise _refusal(exc) from None


def _family(code: str | None) -> OfferFamily | None:
    if not code:
        return None
    family = OfferFamily.objects.filter(code=code).first()
    if family is None:
        raise Refusal(422, f"Unknown catalogue family “{code}”.",
                      [{"field": "family", "reason": f"Unknown catalogue family “{code}”."}])
    return family


def _study(slug: str) -> Study:
    study = queries.study(slug)
    if study is None:
        raise Refusal(404, "No such study.")
    return study


def _out(study: Study, respondents: int) -> dict[str, Any]:
    return {"slug": study.slug, "title_fr": study.title_fr, "title_en": study.title_en,
            "family": study.family.code if study.family else None, "status": study.status,
            "source": study.source, "scale_min": study.scale_min, "scale_max": study.scale_max,
            "method": study.method, "segments_k": study.segments_k,
            "respondents": respondents, "survey": study.survey.slug if study.survey else None}


def _detail(study: Study) -> dict[str, Any]:
    shown = queries.study_design(study)
    return {**_out(study, shown.respondents),
            "alternatives": [{"code": a.code, "kind": a.kind, "label_fr": a.label_fr,
                              "label_en": a.label_en} for a in shown.alternatives],
            "attributes": [{"code": a.code, "label_fr": a.label_fr, "label_en": a.label_en}
                           for a in shown.attributes],
            "profile_questions": list(study.profile_questions or []),
            "population": study.population or {}, "suggested_tools": shown.suggested_tools,
            "problems": [{"field": p.field, "message": p.message, "level": p.level}
                         for p in shown.problems],
            "frozen": shown.answered}


@router.get("/positioning/studies", response=list[StudyOut], auth=roles(policy.READERS))
def list_studies(request: HttpRequest):
    """Every study, newest first, with its released respondents."""
    return [_out(row.study, row.respondents) for row in queries.study_list()]


@router.post("/positioning/studies", response={201: StudyDetailOut},
             auth=roles(policy.MANAGERS))
def create_study(request: HttpRequest, payload: StudyIn):
    """A study with the default alternatives and attributes."""
    study = _call(services.study_create, user=request.auth,  # type: ignore[attr-defined]
                  slug=payload.slug, title_fr=payload.title_fr, title_en=payload.title_en,
                  family=_family(payload.family), scale_min=payload.scale_min,
                  scale_max=payload.scale_max, method=payload.method)
    return Status(201, _detail(study))


@router.get("/positioning/studies/{slug}", response=StudyDetailOut, auth=roles(policy.READERS))
def get_study(request: HttpRequest, slug: str):
    """The study's design: alternatives, attributes, profile questions, population, problems."""
    return _detail(_study(slug))


@router.patch("/positioning/studies/{slug}", response=StudyDetailOut,
              auth=roles(policy.MANAGERS))
def patch_study(request: HttpRequest, slug: str, payload: StudyPatch):
    """Change the design; every change is made or none (422 names the field)."""
    study = _study(slug)
    given = payload.dict(exclude_unset=True)
    fields = {k: given[k] for k in services.STUDY_FIELDS if k in given and k != "family"}
    if "family" in given:
        fields["family"] = _family(given["family"])
    study = _call(services.study_design_update, study=study,
                  user=request.auth,  # type: ignore[attr-defined]
                  fields=fields, alternatives=given.get("alternatives"),
                  attributes=given.get("attributes"),
                  profile_questions=given.get("profile_questions"),
                  population=given.get("population"),
                  suggested_tools=given.get("suggested_tools"))
    return _detail(study)


@router.get("/positioning/studies/{slug}/questionnaire", response=list[StudyQuestionOut],
            auth=roles(policy.READERS))
def get_questionnaire(request: HttpRequest, slug: str):
    """The questions generated from the study's design, in French and English."""
    return queries.questionnaire(_study(slug))
