"""The positioning API: outputs — a study's personas, its positioning statement's versions,
and its benchmarks. Figures about people come from :mod:`phare.positioning.results` (released
answers, the disclosure layer): a hidden segmentation says why, never a small count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from phare.accounts.apiauth import roles
from phare.accounts.roles import POSITIONING_MANAGERS, POSITIONING_READERS
from phare.comms.api.common import refusal
from phare.lib.api import Refusal
from phare.positioning import outputs
from phare.positioning.models import Benchmark, Persona, Statement, Study
from phare.positioning.services import benchmarks as benchmark_services
from phare.positioning.services import personas as persona_services
from phare.positioning.services import statements as statement_services

router = Router(tags=["positioning"])
OPERATION_ID = "phare_positioning_api_{}".format
CONFLICTS = statement_services.CONFLICTS


def _call(function: Any, **kwargs: Any) -> Any:
    """A service's refusals in the API's error shape: 403, 409 by state, 422 by field."""
    try:
        return function(**kwargs)
    except PermissionDenied as exc:
        raise Refusal(403, str(exc) or "Your role does not allow this change.") from None
    except ValidationError as exc:
        found = refusal(exc)
        codes = ({e.code for items in exc.error_dict.values() for e in items}
                 if hasattr(exc, "error_dict") else {e.code for e in exc.error_list})
        if codes & CONFLICTS:
            found.status_code = 409
        raise found from None


def _study(slug: str) -> Study:
    return get_object_or_404(Study, slug=slug)


# Personas -----------------------------------------------------------------------------------


class PersonaOut(Schema):
    name_fr: str
    name_en: str
    summary_fr: str
    summary_en: str
    goals_fr: str
    goals_en: str
    frustrations_fr: str
    frustrations_en: str
    channels: list[str]
    quotes: list[str]
    audience: int | None = Field(description="The comms audience made from it (id), if any.")
    updated_at: dt.datetime


class SegmentOut(Schema):
    segment: int
    size: int
    share: float
    persona: PersonaOut | None


class PersonasOut(Schema):
    n: int = Field(description="Released respondents the segmentation was computed from.")
    hidden: bool
    reason: str
    personas_n: int | None = Field(description="Released respondents when the personas were "
                                               "last written.")
    segments: list[SegmentOut]


class PersonaIn(Schema):
    name_fr: str = Field(max_length=120)
    name_en: str = Field("", max_length=120)
    summary_fr: str = ""
    summary_en: str = ""
    goals_fr: str = ""
    goals_en: str = ""
    frustrations_fr: str = ""
    frustrations_en: str = ""
    channels: list[str] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list, description="Among the segment's "
                              "released verbatims, word for word.")


def _persona_out(persona: Persona) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(persona, name) for name in PersonaOut.model_fields
                              if name not in ("audience", "channels", "quotes")}
    values.update(channels=list(persona.channels or []), quotes=list(persona.quotes or []),
                  audience=persona.audience_id)
    return values


@router.get("/positioning/studies/{slug}/personas", response=PersonasOut,
            auth=roles(POSITIONING_READERS), operation_id=OPERATION_ID("list_personas"))
def list_personas(request: HttpRequest, slug: str):
    """The current segments, each with its persona card (null while not named)."""
    page = outputs.persona_page(_study(slug))
    return {"n": page.segments.n, "hidden": page.segments.hidden,
            "reason": page.segments.reason, "personas_n": page.personas_n,
            "segments": [{"segment": c.segment.number, "size": c.segment.size,
                          "share": c.segment.share,
                          "persona": _persona_out(c.persona) if c.persona else None}
                         for c in page.cards]}


@router.put("/positioning/studies/{slug}/personas/{segment}", response=PersonaOut,
            auth=roles(POSITIONING_MANAGERS), operation_id=OPERATION_ID("save_persona"))
def save_persona(request: HttpRequest, slug: str, segment: int, payload: PersonaIn):
    """Write the persona card of a segment of the current segmentation."""
    persona = _call(persona_services.persona_save, user=request.auth,  # type: ignore[attr-defined]
                    study=_study(slug), segment=segment, **payload.dict())
    return _persona_out(persona)


# Statements ---------------------------------------------------------------------------------


class StatementOut(Schema):
    version: int
    status: str
    audience_fr: str
    audience_en: str
    need_fr: str
    need_en: str
    offer_fr: str
    offer_en: str
    benefit_fr: str
    benefit_en: str
    unlike_fr: str
    unlike_en: str
    proof_fr: str
    proof_en: str
    created_by: str | None = Field(description="Username of the author.")
    created_at: dt.datetime
    published_at: dt.datetime | None


class StatementIn(Schema):
    audience_fr: str = Field(max_length=300)
    audience_en: str = Field("", max_length=300)
    need_fr: str = Field(max_length=300)
    need_en: str = Field("", max_length=300)
    offer_fr: str = Field(max_length=300)
    offer_en: str = Field("", max_length=300)
    benefit_fr: str = Field(max_length=300)
    benefit_en: str = Field("", max_length=300)
    unlike_fr: str = Field(max_length=300)
    unlike_en: str = Field("", max_length=300)
    proof_fr: str = Field(max_length=300)
    proof_en: str = Field("", max_length=300)


def _statement_out(statement: Statement) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(statement, name)
                              for name in statement_services.PART_FIELDS}
    values.update(version=statement.version, status=statement.status,
                  created_by=statement.created_by.username if statement.created_by else None,
                  created_at=statement.created_at, published_at=statement.published_at)
    return values


@router.get("/positioning/studies/{slug}/statements", response=list[StatementOut],
            auth=roles(POSITIONING_READERS), operation_id=OPERATION_ID("list_statements"))
def list_statements(request: HttpRequest, slug: str):
    """Every version of the study's positioning statement, newest first."""
    return [_statement_out(s) for s in outputs.statement_page(_study(slug)).versions]


@router.post("/positioning/studies/{slug}/statements", response={201: StatementOut},
             auth=roles(POSITIONING_MANAGERS), operation_id=OPERATION_ID("save_statement"))
def save_statement(request: HttpRequest, slug: str, payload: StatementIn):
    """Save the draft (a new version when there is none; published ones never change)."""
    draft = _call(statement_services.statement_save, user=request.auth,  # type: ignore[attr-defined]
                  study=_study(slug), **payload.dict())
    return Status(201, _statement_out(draft))


@router.post("/positioning/studies/{slug}/statements/{version}/publish",
             response=StatementOut, auth=roles(POSITIONING_MANAGERS),
             operation_id=OPERATION_ID("publish_statement"))
def publish_statement(request: HttpRequest, slug: str, version: int):
    """Publish a draft: the version published until now is archived (409 if not a draft)."""
    statement = get_object_or_404(Statement, study=_study(slug), version=version)
    published = _call(statement_services.statement_publish, user=request.auth,  # type: ignore[attr-defined]
                      statement=statement)
    return _statement_out(published)


# Benchmarks ---------------------------------------------------------------------------------


class BenchmarkOut(Schema):
    id: int
    label_fr: str
    label_en: str
    value: float
    unit: str
    attribute: str
    source: str
    source_url: str
    as_of: dt.date


class BenchmarkIn(Schema):
    label_fr: str = Field(max_length=200)
    label_en: str = Field("", max_length=200)
    value: Decimal
    unit: str = Field("", max_length=20)
    attribute: str = Field("", max_length=40)
    source: str = Field(max_length=300, description="Required: who published the figure.")
    source_url: str = Field("", max_length=500)
    as_of: dt.date = Field(description="Required: when it was published.")


def _benchmark_out(b: Benchmark) -> dict[str, Any]:
    return {"id": b.pk, "label_fr": b.label_fr, "label_en": b.label_en, "value": float(b.value),
            "unit": b.unit, "attribute": b.attribute, "source": b.source,
            "source_url": b.source_url, "as_of": b.as_of}


@router.get("/positioning/studies/{slug}/benchmarks", response=list[BenchmarkOut],
            auth=roles(POSITIONING_READERS), operation_id=OPERATION_ID("list_benchmarks"))
def list_benchmarks(request: HttpRequest, slug: str):
    """The study's benchmarks, each with its source and date."""
    return [_benchmark_out(b) for b in outputs.benchmarks(_study(slug))]


@router.post("/positioning/studies/{slug}/benchmarks", response={201: BenchmarkOut},
             auth=roles(POSITIONING_MANAGERS), operation_id=OPERATION_ID("create_benchmark"))
def create_benchmark(request: HttpRequest, slug: str, payload: BenchmarkIn):
    """Add a benchmark; its source and date are required (422 naming the field otherwise)."""
    benchmark = _call(benchmark_services.benchmark_save, user=request.auth,  # type: ignore[attr-defined]
                      study=_study(slug), **payload.dict())
    return Status(201, _benchmark_out(benchmark))
