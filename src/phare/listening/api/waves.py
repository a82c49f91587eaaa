"""The listening API: waves — plan, launch, remind, and follow the response rate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib.api import ErrorOut, Pagination, Refusal
from phare.listening import queries, services
from phare.listening.errors import ListeningError, WaveConflict
from phare.listening.models import Survey, Wave

router = Router(tags=["waves"])


class AudienceIn(Schema):
    units: list[str] = Field(default_factory=list,
                             description="Business unit codes (their sub-units are included).")
    sites: list[str] = Field(default_factory=list, description="Site codes.")
    job_families: list[str] = Field(default_factory=list, description="Job family codes.")
    # default= by name: mypy only sees a field's default given so (else AudienceIn() lacks it).
    sample: int | None = Field(default=None, ge=1,
                               description="Invite a random sample of this size.")
    stratify_by: Literal["business_unit", "site", "job_family"] | None = None
    seed: int | None = Field(default=None, description="The same seed draws the same sample.")


class WaveIn(Schema):
    name: str = Field(..., max_length=120, description="The name in French.")
    name_en: str = Field("", max_length=120,
                         description="The name in English (empty: the French name is shown).")
    opens_on: date
    closes_on: date
    audience: AudienceIn = Field(default_factory=AudienceIn)
    reminder_days: list[int] = Field(default_factory=list,
                                     description="Days after the invitation, e.g. [7, 14].")


class WaveOut(Schema):
    number: int
    name: str = Field(description="The name in the reader's language (French when it has no "
                                  "English name).")
    name_fr: str
    name_en: str
    status: str
    opens_on: date
    closes_on: date
    audience: dict[str, Any]
    reminder_days: list[int]
    version: int
    created_at: datetime

    @staticmethod
    def resolve_version(obj: Wave) -> int:
        return obj.version.number


class WaveSummary(WaveOut):
    overall: dict[str, Any] = Field(description="invited, sent, responded (answers received), "
                                                "rate (the response rate: responded ÷ sent, "
                                                "0 to 1), suppressed (group too small).")

    @staticmethod
    def resolve_overall(obj: queries.RatedWave) -> dict[str, Any]:
        return obj.rates


class WaveDetail(WaveOut):
    rates: dict[str, Any] = Field(description="overall and per segment (business_unit, site, "
                                              "job_family); small groups merged into other.")


class LaunchOut(Schema):
    population: int = Field(description="The people of the wave's audience.")
    invited: int
    opted_out: int = Field(description="Left out: opted out of surveys.")
    quiet_period: int = Field(description="Left out: a quiet period holds them back today.")
    contact_cap: int = Field(description="Left out: contact limit reached (surveys' own, or "
                                         "the budget shared with campaigns and events).")
    job: UUID


class JobStartedOut(Schema):
    job: UUID


def _refuse(exc: ListeningError) -> HttpError:
    return Refusal(409 if isinstance(exc, WaveConflict) else 422, exc.message,
                   [{"field": exc.field, "reason": exc.message}] if exc.field else [])


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey, slug=slug)


def _wave(slug: str, number: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("survey", "version"),
                             survey__slug=slug, number=number)


def _detail(wave: Wave) -> queries.RatedWave:
    rated = cast("queries.RatedWave", wave)  # typed with ``rates``, set here
    rated.rates = queries.response_rates(wave)
    return rated


@router.get("/surveys/{slug}/waves", response=list[WaveSummary], auth=roles(SURVEY_MANAGERS))
@paginate(Pagination)
def list_waves(request, slug: str):
    """The survey's waves, newest first, with their overall response rate."""
    return queries.survey_waves(_survey(slug))


@router.post("/surveys/{slug}/waves", response={201: WaveDetail, 409: ErrorOut},
             auth=roles(SURVEY_MANAGERS))
def create_wave(request, slug: str, payload: WaveIn):
    """Plan a wave; nobody is invited until it is launched."""
    try:
        wave = services.wave_create(_survey(slug), name=payload.name, name_en=payload.name_en,
                                    opens_on=payload.opens_on, closes_on=payload.closes_on,
                                    audience=payload.audience.model_dump(),
                                    reminder_days=payload.reminder_days)
    except ListeningError as exc:
        raise _refuse(exc) from None
    return Status(201, _detail(wave))


@router.get("/surveys/{slug}/waves/{number}", response=WaveDetail,
            auth=roles(SURVEY_MANAGERS))
def get_wave(request, slug: str, number: int):
    """A wave with its response rate overall and per segment."""
    return _detail(_wave(slug, number))


@router.post("/surveys/{slug}/waves/{number}/launch", response={202: LaunchOut, 409: ErrorOut},
             auth=roles(SURVEY_MANAGERS))
def launch_wave(request, slug: str, number: int):
    """Invite the audience (after contact pressure) and start sending the emails."""
    try:
        return Status(202, services.wave_launch(_wave(slug, number), user=request.auth))
    except ListeningError as exc:
        raise _refuse(exc) from None


@router.post("/surveys/{slug}/waves/{number}/remind",
             response={202: JobStartedOut, 409: ErrorOut},
             auth=roles(SURVEY_MANAGERS))
def remind_wave(request, slug: str, number: int):
    """Remind now those who have not answered (counted as one of their reminders)."""
    try:
        job = services.wave_remind(_wave(slug, number), user=request.auth)
    except ListeningError as exc:
        raise _refuse(exc) from None
    return Status(202, {"job": job.pk})
