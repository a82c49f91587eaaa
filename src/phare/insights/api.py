"""The insights API: the headline figures of the ticket experience (``GET /insights/tickets``)
and of a barometer's waves (``GET /insights/barometers/{slug}``) — the figures the pages show,
from the same computation and cache (:mod:`phare.insights.dashboards`), within the same access
rules. Each field is described with the metric's name of the glossary
(:mod:`phare.lib.metrics`); groups too small are ``null``, never counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from phare.accounts.apiauth import roles
from phare.accounts.roles import INSIGHTS_READERS, INSIGHTS_VIEWERS
from phare.analysis import NpsEstimate
from phare.insights import access, dashboards
from phare.insights.barometer import Filters
from phare.insights.tickets import TicketFilters
from phare.listening.models import Survey

router = Router(tags=["insights"])


class EstimateOut(Schema):
    value: float = Field(description="In points, from −100 to +100.")
    low: float = Field(description="Its interval (95 %): low end.")
    high: float = Field(description="Its interval (95 %): high end.")
    n: int = Field(description="Released answers it rests on.")


class ReasonOut(Schema):
    question: str = Field(description="reasons_low (0–6), reasons_mid (7–8) or reasons_high "
                                      "(9–10).")
    option: str
    label: str
    answers: int = Field(description="Released answers that chose it.")
    band_answers: int = Field(description="Released answers of its score band.")
    share: float = Field(description="Share of answers: answers ÷ band_answers, in percent.")


class TicketsOut(Schema):
    released_through: dt.date | None = Field(description="The last day released: whole "
                                                         "months that are over.")
    min_group: int
    suppressed: bool = Field(description="Too few answers: no figure.")
    answers: int | None = Field(description="Released answers (ratings) the figures rest on.")
    ticket_happiness: EstimateOut | None = Field(
        description="Ticket happiness: share rating 9–10 minus share rating 0–6, in points.")
    lost_time: float | None = Field(description="Lost time per ticket, in hours (mean).")
    lost_time_total: float | None = Field(description="Total lost time, in hours.")
    reasons: list[ReasonOut]


class WaveOut(Schema):
    number: int
    name: str
    in_progress: bool = Field(description="Still collecting: results when it closes.")
    suppressed: bool = Field(description="Too few answers: no figure.")
    answers: int | None = Field(description="Released answers of the wave.")
    nps: EstimateOut | None = Field(description="Net Promoter Score: share answering 9–10 "
                                                "minus share answering 0–6, in points.")
    response_rate: float | None = Field(description="Response rate: answers received ÷ "
                                                    "invitations sent, in percent.")


class BarometerOut(Schema):
    survey: str
    waves: list[WaveOut] = Field(description="Every wave, oldest first.")


def _estimate(estimate: NpsEstimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {"value": estimate.value, "low": estimate.low, "high": estimate.high,
            "n": estimate.n}


@router.get("/insights/tickets", response=TicketsOut, auth=roles(INSIGHTS_VIEWERS),
            operation_id="insights_tickets")
def tickets(request: HttpRequest) -> dict[str, Any]:
    """The ticket experience's headline over every released month, as its page shows it
    unfiltered (a service owner: the tickets of their own services)."""
    data = dashboards.tickets(TicketFilters(scope=access.ticket_scope(request.user))).data
    total = data.total
    shown = total is not None and not total["suppressed"]
    return {
        "released_through": data.released_through, "min_group": data.min_group,
        "suppressed": not shown,
        "answers": total["n"] if shown and total else None,
        "ticket_happiness": _estimate(total["happiness"]) if shown and total else None,
        "lost_time": total["lost_hours_mean"] if shown and total else None,
        "lost_time_total": total["lost_hours_total"] if shown and total else None,
        "reasons": [{"question": r["question"], "option": r["option"], "label": r["label"],
                     "answers": r["n"], "band_answers": r["band_n"], "share": r["pct"]}
                    for r in data.reasons] if shown else [],
    }


@router.get("/insights/barometers/{slug}", response=BarometerOut,
            auth=roles(INSIGHTS_READERS), operation_id="insights_barometer")
def barometer(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A barometer's waves with their NPS, answers and response rate, as its page shows
    them unfiltered."""
    survey = get_object_or_404(access.visible_surveys(request.user), slug=slug,
                               kind=Survey.Kind.BAROMETER)
    data = dashboards.barometer(survey, Filters()).data
    return {"survey": survey.slug, "waves": [
        {"number": w.wave, "name": w.name, "in_progress": w.in_progress,
         "suppressed": w.suppressed, "answers": w.responses,
         "nps": _estimate(w.nps), "response_rate": w.response_rate} for w in data.waves]}
