"""Perception vs reality: each service's adoption (usage) beside what its users think of it.

Satisfaction is the service's own survey NPS (its last released wave or month), or, when it
has no survey, the happiness of its rated tickets (both on −100…100) — the figures of its value
card, already released. Adoption is the usage app's (last month over, in the audience the
catalogue gives the service). A service lacking either is listed as such, never placed.

The quadrant (``phare.analysis.adoption.quadrant``): *promote* (liked, little used: a
communication problem), *fix* (used, disliked), *keep*, *question* (neither); ``certain`` when
both intervals lie on one side of their cuts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis import adoption as A
from phare.analysis.errors import AnalysisError
from phare.catalog.models import Service
from phare.insights.value import ValueCard
from phare.tickets.models import Ticket
from phare.usage import queries as usage

#: Adoption at or above this share of the audience counts as "used".
ADOPTION_CUT = 0.5
#: NPS or ticket happiness at or above this counts as "liked".
SATISFACTION_CUT = 0.0

QUADRANT_LABELS = {
    "promote": gettext_lazy("Promote: liked, little used"),
    "fix": gettext_lazy("Fix: used, disliked"),
    "keep": gettext_lazy("Keep: used and liked"),
    "question": gettext_lazy("Question: neither used nor liked"),
}
QUADRANT_ADVICE = {
    "promote": gettext_lazy("A communication problem: those who use it like it; make it "
                            "known where adoption is low."),
    "fix": gettext_lazy("A product problem: people use it and are unhappy; look at its "
                        "tickets and comments."),
    "keep": gettext_lazy("Used and liked: keep it so, and use it as a reference."),
    "question": gettext_lazy("Neither used nor liked: question its place in the offer."),
}
MEASURES = {"nps": gettext_lazy("NPS of its users"),
            "ticket_happiness": gettext_lazy("ticket happiness")}


@dataclass
class Point:
    service: Service
    adoption: A.Rate | None
    month: dt.date | None
    satisfaction: A.Score | None
    placement: A.Placement | None
    #: IT tickets resolved in the month per 100 active users (None: no figure to divide by).
    tickets_per_100: float | None = None
    tickets_month: dt.date | None = None

    @property
    def label(self) -> str:
        return str(QUADRANT_LABELS[self.placement.name]) if self.placement else ""

    @property
    def advice(self) -> str:
        return str(QUADRANT_ADVICE[self.placement.name]) if self.placement else ""

    @property
    def measure(self) -> str:
        return str(MEASURES.get(self.satisfaction.measure, "")) if self.satisfaction else ""

    @property
    def reasons(self) -> list[str]:
        return [reason_text(r) for r in self.placement.reasons] if self.placement else []


def reason_text(reason: tuple) -> str:
    """A placement's reason (machine codes from ``analysis``) in the reader's language."""
    code, first, second = reason
    pct = {"value": round(100 * first), "cut": round(100 * second)}
    if code == "adoption_below":
        return _("adoption %(value)d %% is under %(cut)d %%") % pct
    if code == "adoption_above":
        return _("adoption %(value)d %% reaches %(cut)d %%") % pct
    if code == "satisfaction_below":
        return _("satisfaction %(value)+.0f is under %(cut)+.0f") % {"value": first,
                                                                      "cut": second}
    if code == "satisfaction_above":
        return _("satisfaction %(value)+.0f reaches %(cut)+.0f") % {"value": first,
                                                                     "cut": second}
    if code == "adoption_uncertain":
        return _("adoption's interval (%(low)d–%(high)d %%) straddles the cut") % {
            "low": round(100 * first), "high": round(100 * second)}
    return _("satisfaction's interval (%(low)+.0f to %(high)+.0f) straddles the cut") % {
        "low": first, "high": second}


def satisfaction_of(card: ValueCard) -> A.Score | None:
    """The card's latest released survey NPS, else its ticket happiness."""
    shown = [row for row in card.satisfaction if row.get("nps")]
    try:
        if shown:
            return A.Score.from_estimate(shown[-1]["nps"], "nps")
        if card.tickets and card.tickets["total"].get("happiness"):
            return A.Score.from_estimate(card.tickets["total"]["happiness"], "ticket_happiness")
    except AnalysisError:
        return None
    return None


def point(service: Service, card: ValueCard, *, today: dt.date | None = None) -> Point:
    months = usage.trend(service, today=today)
    last = months[-1] if months else None
    rate = last.adoption if last else None
    score = satisfaction_of(card)
    placement = None
    if rate is not None and score is not None:
        placement = A.quadrant(rate, score, adoption_cut=ADOPTION_CUT,
                               satisfaction_cut=SATISFACTION_CUT)
    rates = tickets_per_100(service, {m.month: m.active_users for m in months
                                      if m.active_users})
    ticket_month = max(rates) if rates else None
    return Point(service, rate, last.month if last else None, score, placement,
                 rates.get(ticket_month) if ticket_month else None, ticket_month)


def tickets_per_100(service: Service, active: dict[dt.date, int]) -> dict[dt.date, float]:
    """Tickets about ``service`` resolved in each month per 100 of its active users that month
    (``active``: the months whose active users are shown, first day → count). Months the
    ITSM's data does not cover whole are left out: a 0 there would be wrong."""
    through = _tickets_through()
    active = {month: n for month, n in active.items()
              if n and through is not None and usage.add_months(month, 1) <= through}
    if not active:
        return {}
    first, end = min(active), usage.add_months(max(active), 1)
    zone = timezone.get_current_timezone()
    rows = (Ticket.objects.filter(service=service,
                                  resolved_at__gte=dt.datetime.combine(first, dt.time(),
                                                                       zone),
                                  resolved_at__lt=dt.datetime.combine(end, dt.time(), zone))
            .annotate(month=TruncMonth("resolved_at")).values("month")
            .annotate(n=Count("pk")).order_by())
    counts = {_day(row["month"]): row["n"] for row in rows}
    return {month: round(100 * counts.get(month, 0) / n, 1) for month, n in active.items()}


def tickets_stamp() -> tuple[int, Any]:
    """The tickets' state, for a cache key: how many, and the last resolved."""
    stamp = Ticket.objects.aggregate(n=Count("pk"), last=Max("resolved_at"))
    return stamp["n"], stamp["last"]


def _day(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def _tickets_through() -> dt.date | None:
    """The day of the last ticket Phare has resolved: the ITSM's data covers whole the months
    that end by then (an export taken on the 5th covers the month before, not the current
    one)."""
    latest = Ticket.objects.aggregate(last=Max("resolved_at"))["last"]
    return timezone.localtime(latest).date() if latest is not None else None


def points(services: Iterable[Service], cards: dict[int, ValueCard], *,
           today: dt.date | None = None) -> list[Point]:
    """Every service with usage, placed when it also has a satisfaction figure."""
    return [point(s, cards[s.pk], today=today) for s in services if s.pk in cards]
