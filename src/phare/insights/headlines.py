"""The headline figures of the cockpit and of the insights home, each read from the module
that releases it.

Nothing here computes a figure about people: the barometer's NPS and the ticket figures come
from :mod:`phare.insights.dashboards` (the same computation and cache as their pages), adoption
from :mod:`phare.usage.queries`, the needs answered from :mod:`phare.needs.queries` (the
communication plan's objective counts them there too). A figure whose group is too small
arrives suppressed and is shown as "too few answers", without a count. The cockpit
(:mod:`phare.core.cockpit`) shows these beside the plan's objectives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from phare.analysis import wilson_interval
from phare.catalog.models import Service
from phare.insights import access, dashboards
from phare.insights import queries as insights_queries
from phare.insights.barometer import Filters
from phare.insights.tickets import TicketFilters
from phare.needs.queries import answered_needs
from phare.usage import queries as usage

#: How many services in focus show their adoption.
FOCUS = 3


@dataclass(frozen=True)
class Headline:
    """One figure of the cockpit, ready to show: value, interval, change, size, link."""

    label: str
    url: str
    #: The figure in ``unit``; None when hidden (``hidden``) or when there is none yet.
    value: float | None = None
    unit: str = ""
    low: float | None = None
    high: float | None = None
    #: The change since the previous period, and whether it is significant (None: unknown).
    change: float | None = None
    significant: bool | None = None
    #: How many answers, people or needs the figure rests on (never printed when hidden).
    n: int | None = None
    #: The group is too small: "too few answers" and nothing else.
    hidden: bool = False
    #: What the figure is of, or why it is not there.
    note: str = ""
    #: How the value is printed: "points" (signed, 0 decimals), "percent", "hours".
    kind: str = "points"

    @property
    def shown(self) -> str:
        """The value in the reader's locale, with its unit."""
        return "" if self.value is None else self._format(self.value, signed=self.kind == "points")

    @property
    def interval(self) -> str:
        """"from … to …" of the 95 % interval, in the reader's locale ("" without one)."""
        if self.low is None or self.high is None:
            return ""
        return _("95 %% interval: %(low)s to %(high)s") % {
            "low": self._format(self.low, signed=self.kind == "points"),
            "high": self._format(self.high, signed=self.kind == "points")}

    @property
    def change_shown(self) -> str:
        return "" if self.change is None else self._format(self.change, signed=True)

    @property
    def direction(self) -> str:
        """"up", "down" or "flat": the change's direction (for its arrow and its words)."""
        if self.change is None or round(self.change, 1) == 0:
            return "flat"
        return "up" if self.change > 0 else "down"

    def _format(self, value: float, *, signed: bool) -> str:
        places = 1 if self.kind == "hours" else 0
        text = number_format(round(abs(value), places), places)
        shown = round(abs(value), places)
        sign = "−" if value < 0 and shown else "+" if signed and value > 0 and shown else ""
        unit = {"percent": "\u202f%", "hours": "\u00a0h"}.get(self.kind, "")
        return f"{sign}{text}{unit}"


def barometer_nps(user: Any) -> Headline | None:
    """The newest barometer's NPS (its last released wave), as its page shows it."""
    if not access.reads_everything(user):
        return None
    found = insights_queries.barometers(access.visible_surveys(user))
    if not found:
        return None
    survey = found[0]
    url = reverse("insights:barometer", args=[survey.slug])
    label = _("Barometer NPS")
    data = dashboards.barometer(survey, Filters()).data
    latest = data.latest
    if latest is None or latest.nps is None:
        hidden = any(w.suppressed and not w.in_progress for w in data.waves)
        note = "" if hidden else _("Results when the first wave closes.")
        return Headline(label=label, url=url, hidden=hidden, note=note or survey.title)
    change = latest.nps_change
    return Headline(label=label, url=url, value=latest.nps.value, low=latest.nps.low,
                    high=latest.nps.high, n=latest.nps.n,
                    change=change.value if change else None,
                    significant=change.significant if change else None,
                    note=f"{survey.title} — {latest.name}")


def ticket_figures(user: Any) -> list[Headline]:
    """Ticket happiness and lost time over the released months, within the reader's scope."""
    scope = access.ticket_scope(user)
    if scope == ():
        return []
    data = dashboards.tickets(TicketFilters(scope=scope)).data
    total = data.total
    if total is None:
        return []
    url = reverse("insights:tickets")
    through = data.released_through
    period = _("Through %(day)s") % {"day": through.isoformat()} if through else ""
    if total["suppressed"]:
        return [Headline(label=_("Ticket happiness"), url=url, hidden=True),
                Headline(label=_("Lost time per ticket"), url=url, hidden=True, kind="hours")]
    months = [m for m in data.by.get("month", []) if not m["suppressed"]]
    change = None
    if len(months) >= 2:
        change = months[-1]["happiness"].value - months[-2]["happiness"].value
    happiness = total["happiness"]
    figures = [Headline(label=_("Ticket happiness"), url=url, value=happiness.value,
                        low=happiness.low, high=happiness.high, n=happiness.n, change=change,
                        note=period)]
    if total["lost_hours_mean"] is not None:
        figures.append(Headline(label=_("Lost time per ticket"), url=url,
                                value=total["lost_hours_mean"], kind="hours", n=total["n"],
                                note=period))
    return figures


def adoption(user: Any, services: list[Service] | None = None) -> list[Headline]:
    """The adoption of the services in focus that have usage (the costliest live ones): the
    share of their audience active in the last released month, with its interval."""
    pool = services if services is not None else list(
        access.visible_services(user).filter(lifecycle=Service.Lifecycle.LIVE)
        .order_by("-annual_run_cost", "name_fr"))
    figures: list[Headline] = []
    # At most twice FOCUS services read (a service with licences only has no adoption).
    for service in usage.services_with_usage(pool)[:2 * FOCUS]:
        summary = usage.summary(service)
        if summary is None or summary.adoption is None:
            continue
        rate = summary.adoption
        previous = [m for m in summary.trend[:-1] if m.adoption is not None]
        change = 100 * (rate.value - previous[-1].adoption.value) if previous \
            and previous[-1].adoption is not None else None
        month = summary.month.strftime("%Y-%m") if summary.month else ""
        figures.append(Headline(
            label=_("Adoption of %(service)s") % {"service": service.name},
            url=reverse("usage:service", args=[service.slug]), value=100 * rate.value,
            low=100 * rate.low, high=100 * rate.high, n=rate.n, change=change,
            kind="percent", note=month))
        if len(figures) >= FOCUS:
            break
    return figures


def needs_answered(today: dt.date) -> Headline | None:
    """The share of the needs raised in the last twelve months that got an answer."""
    total, answered = answered_needs(since=today - dt.timedelta(days=365),
                                                until=today)
    if not total:
        return None
    before, before_answered = answered_needs(
        since=today - dt.timedelta(days=365 + 90), until=today - dt.timedelta(days=90))
    change = 100 * (answered / total - before_answered / before) if before else None
    low, high = _wilson(answered, total)
    return Headline(label=_("Needs answered"), url=reverse("needs:list"),
                    value=100 * answered / total, low=low, high=high, n=total, change=change,
                    kind="percent", note=_("Needs raised in the last twelve months"))


def _wilson(successes: int, n: int) -> tuple[float, float]:
    low, high = wilson_interval(successes, n)
    return 100 * low, 100 * high


def headlines(user: Any, today: dt.date) -> list[Headline]:
    """The marketing lead's and the CIO's headline figures, in reading order."""
    found: list[Headline] = []
    nps = barometer_nps(user)
    if nps is not None:
        found.append(nps)
    found.extend(ticket_figures(user))
    found.extend(adoption(user))
    answered = needs_answered(today)
    if answered is not None:
        found.append(answered)
    return found
