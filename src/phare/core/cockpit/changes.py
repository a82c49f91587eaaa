"""Significant changes the marketing lead should look at: a segment whose NPS (or whose ticket
happiness) dropped, a theme growing among detractors' comments.

Nothing here releases a figure on its own: the segments' NPS are the barometer's breakdowns
(:func:`phare.insights.barometer.segment_breakdown`, small groups and their complements
suppressed), the units' happiness that of the ticket page
(:func:`phare.insights.dashboards.tickets`), the themes and the groups of comments those of the
verbatim explorer (:mod:`phare.insights.verbatims`, verbatim threshold). A suppressed group is
never tested, so it never yields an item. The tests are :func:`phare.analysis.compare_estimates`,
Holm-adjusted (:func:`phare.analysis.gaps.holm`) across everything tested at once.

Each finding is computed once per state of the store (:func:`phare.insights.memo.remember`),
like the pages it links to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from phare import analysis
from phare.analysis.gaps import holm
from phare.insights import barometer as barometer_figures
from phare.insights import dashboards, freshness, memo, release, store, verbatims
from phare.insights.barometer import SEGMENTS, Filters
from phare.insights.tickets import TicketFilters, experience, ticket_surveys
from phare.insights.verbatims import MONTH
from phare.listening.models import Survey, Wave

#: The family-wise error rate of the tests of one finder (Holm across what it tested).
ALPHA = 0.05
#: Scores of detractors (0–10 scales: the NPS question, a ticket's rating).
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class Change:
    """One significant change: where, between which periods, by how much (with its interval
    at 95 %), its Holm-adjusted p-value, and the group's size now."""

    #: "unit", "site", "job_family" (a segment), "theme", or for ticket happiness
    #: "ticket_unit" (a unit's drop) and "ticket_unit_gap" (a unit below the company).
    by: str
    #: The segment's code, or the theme's id in the verbatim explorer.
    key: str
    previous: str
    latest: str
    value: float
    low: float
    high: float
    adjusted_p: float
    #: The latest period's figure (NPS points, happiness points, or a share in percent).
    now: float
    n: int
    #: The latest period as the linked page filters on it (a wave's number, a month).
    period: str = ""


def _tested(candidates: list[tuple[dict[str, Any], analysis.Comparison]],
            *, direction: int) -> list[tuple[dict[str, Any], analysis.Comparison, float]]:
    """The candidates whose change goes in ``direction`` (−1 a drop, +1 a rise) and stays
    significant once Holm-adjusted across every candidate tested."""
    if not candidates:
        return []
    adjusted = holm(np.array([c.p_value for _row, c in candidates]))
    return [(row, c, float(p)) for (row, c), p in zip(candidates, adjusted, strict=True)
            if p < ALPHA and c.value * direction > 0]


# --- a segment's NPS between the last two closed waves ------------------------------------------

def closed_waves(survey: Survey) -> tuple[Any, Any] | None:
    """The barometer's last two released waves (closed, shown), as its page lists them."""
    data = dashboards.barometer(survey, Filters()).data
    closed = [w for w in data.waves if not w.in_progress]
    if len(closed) < 2 or closed[-1].suppressed or closed[-2].suppressed:
        return None
    return closed[-2], closed[-1]


def segment_drops(survey: Survey) -> list[Change]:
    """The segments (unit, site, job family) whose NPS fell significantly from the previous
    closed wave to the latest one; only segments the barometer shows in both waves."""
    waves = closed_waves(survey)
    if waves is None:
        return []
    previous, latest = waves

    def compute() -> list[Change]:
        counts = barometer_figures.count_responses(survey)
        candidates: list[tuple[dict[str, Any], analysis.Comparison]] = []
        for by in SEGMENTS:
            before = {row["segment"]: row for row in barometer_figures.segment_breakdown(
                survey, Filters(waves=(previous.wave,)), by, counts=counts)}
            for row in barometer_figures.segment_breakdown(
                    survey, Filters(waves=(latest.wave,)), by, counts=counts):
                then = before.get(row["segment"])
                if (row["suppressed"] or row["nps"] is None or then is None
                        or then["suppressed"] or then["nps"] is None or not row["segment"]
                        or then["nps"].variance + row["nps"].variance == 0):
                    continue
                candidates.append(({**row, "by": by},
                                   analysis.compare_estimates(then["nps"], row["nps"])))
        return [Change(by=row["by"], key=str(row["segment"]), previous=previous.name,
                       latest=latest.name, value=c.value, low=c.low, high=c.high,
                       adjusted_p=p, now=row["nps"].value, n=row["n"], period=str(latest.wave))
                for row, c, p in _tested(candidates, direction=-1)]

    # What the figures read besides the store, by value (fewer queries than the reference
    # rows of every dashboard): the waves, the threshold and the unit tree.
    return memo.remember("cockpit-segment-drops", [survey], [
        previous.wave, previous.name, latest.wave, latest.name, survey.min_group_size,
        sorted(release.unit_tree().items())], compute, database=False)


# --- a business unit's ticket happiness ---------------------------------------------------------

#: The people who rated tickets, by month and unit, within the page's base (its scope and
#: released months): only to know which units the page could show, never shown.
_RATERS = """SELECT strftime(month, '%Y-%m') AS month, unit, count(DISTINCT person) AS people
             FROM tickets WHERE {where} GROUP BY 1, 2"""


def _descendants(tree: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    """Each unit's code with its sub-units' codes, as the ticket page's unit filter takes
    them (:func:`phare.insights.queries.unit_and_descendants`), from one read of the tree."""
    children: dict[str | None, list[str]] = {}
    for code, parent in tree.items():
        children.setdefault(parent, []).append(code)
    out: dict[str, tuple[str, ...]] = {}
    for code in tree:
        found, stack = [code], [code]
        while stack:
            for child in children.get(stack.pop(), []):
                found.append(child)
                stack.append(child)
        out[code] = tuple(found)
    return out


def unit_happiness_changes(scope: tuple[str, ...] | None, today: dt.date) -> list[Change]:
    """The business units whose ticket happiness fell significantly from the previous released
    month to the latest, or is significantly below the company's in the latest month.

    Every figure is the ticket experience page's with that unit (and its sub-units) and that
    month chosen (:func:`phare.insights.tickets.experience`, which suppresses a group under
    the threshold or that differs from another by a few people): a unit the page hides in
    either month is never tested. One Holm family across every unit and both questions.
    A unit is part of the company: testing it against the company as if the two were
    independent overstates the variance of the difference, which makes the test cautious."""
    surveys = ticket_surveys()
    if not surveys:
        return []
    freshness.ensure_fresh(surveys)  # as the ticket page does before reading the store
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    tree = release.unit_tree()
    min_group = max(s.min_group_size for s in surveys)

    def figure(units: tuple[str, ...], month: str) -> Any:
        total = experience(surveys, TicketFilters(scope=scope, units=units, months=(month,)),
                           now=now).total
        if total is None or total["suppressed"] or total["happiness"] is None:
            return None
        return total

    def compute() -> list[Change]:
        company = experience(surveys, TicketFilters(scope=scope), now=now)
        months = [r for r in company.by.get("month", []) if not r["suppressed"]]
        if not months:
            return []
        everyone, latest = months[-1], months[-1]["key"]
        previous = months[-2]["key"] if len(months) > 1 else ""
        where, params = TicketFilters(scope=scope).base(release.release_before(now))
        raters = store.query(surveys, _RATERS.format(where=where), params)
        people: dict[tuple[str, str], int] = {(row.month, row.unit): int(row.people)
                                              for row in raters.itertuples()}
        candidates: list[tuple[dict[str, Any], analysis.Comparison]] = []
        for code, units in sorted(_descendants(tree).items()):
            # A unit under the threshold is hidden by the page: not worth asking it.
            if sum(people.get((latest, u), 0) for u in units) < min_group:
                continue
            current = figure(units, latest)
            if current is None:
                continue
            row = {"key": code, "now": current, "previous": previous, "latest": latest}
            then = (figure(units, previous) if previous and sum(
                people.get((previous, u), 0) for u in units) >= min_group else None)
            if then is not None and then["happiness"].variance + current["happiness"].variance:
                candidates.append(({**row, "by": "ticket_unit"},
                                   analysis.compare_estimates(then["happiness"],
                                                              current["happiness"])))
            if everyone["happiness"].variance + current["happiness"].variance:
                candidates.append(({**row, "by": "ticket_unit_gap", "previous": latest},
                                   analysis.compare_estimates(everyone["happiness"],
                                                              current["happiness"])))
        return [Change(by=row["by"], key=row["key"], previous=row["previous"],
                       latest=row["latest"], value=c.value, low=c.low, high=c.high,
                       adjusted_p=p, now=row["now"]["happiness"].value, n=row["now"]["n"],
                       period=row["latest"])
                for row, c, p in sorted(_tested(candidates, direction=-1),
                                        key=lambda found: found[2])]

    # What the figures read besides the store, by value: the scope, the release date, the
    # thresholds and the unit tree.
    return memo.remember("cockpit-unit-happiness", surveys, [
        scope, release.release_before(now), min_group, sorted(tree.items())], compute,
        database=False)


# --- themes growing among detractors ------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A period of comments, as the verbatim explorer filters them: months, first and last."""

    name: str
    since: str
    until: str


def comment_periods(survey: Survey, today: dt.date) -> tuple[Period, Period] | None:
    """The last two periods of ``survey``'s comments: its last two closed waves (the months
    each covered), or, for a survey without waves, the last two months that are over."""
    waves = list(survey.waves.filter(status=Wave.Status.CLOSED, closes_on__lt=today)
                 .order_by("-number")[:2])
    if len(waves) == 2:
        return tuple(Period(w.name, w.opens_on.strftime("%Y-%m"),  # type: ignore[return-value]
                            w.closes_on.strftime("%Y-%m")) for w in reversed(waves))
    if survey.waves.exists():
        return None
    last = today.replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    return (Period(before.strftime("%Y-%m"), before.strftime("%Y-%m"), before.strftime("%Y-%m")),
            Period(last.strftime("%Y-%m"), last.strftime("%Y-%m"), last.strftime("%Y-%m")))


def _months(period: Period) -> tuple[str, ...]:
    """Every month of ``period`` ("YYYY-MM"), first and last included."""
    day, last = dt.date.fromisoformat(f"{period.since}-01"), period.until
    out: list[str] = []
    while day.strftime("%Y-%m") <= last:
        out.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return tuple(out)


#: The detractors' comments (the explorer's "0–6" band; the text of "other" answers apart).
DETRACTORS = f"question NOT LIKE '%.other' AND score <= {DETRACTOR_MAX}"


def _released(survey: Survey, period: Period, keys: list[str] | None = None) -> bool:
    """Whether the detractors' comments of ``period`` come from enough authors for the
    explorer to show them: the verbatim threshold and the differencing rules of
    :func:`phare.insights.release.allowed`, the period as the explorer's months filter. With
    ``keys`` (a theme's comments), whether those of the period come from that many authors:
    the item shows their share, not the previous period's (its change is of the shares)."""
    months = release.Selection(MONTH, _months(period))
    base: tuple[str, list[Any]] = (DETRACTORS, [])
    selections = [months]
    if keys is not None:
        base = release.where([base, months.clause(),
                              ("(response || question) IN (SELECT unnest(?))", [keys])])
        selections = []
    return bool(release.allowed([survey], "texts", selections,
                                survey.min_verbatim_group_size, base=base,
                                people=verbatims.authors(survey)))


def growing_themes(survey: Survey, today: dt.date) -> list[tuple[Change, str]]:
    """The explorer's themes whose share of the detractors' comments grew significantly from
    the previous period to the latest (with each theme's label): only when the detractors'
    comments of both periods, and the theme's in the latest one, pass the verbatim threshold.

    Shares are counted in the explorer's sample of comments (the one its themes were found
    in), so that a theme and the comments it is a share of are counted alike."""
    periods = comment_periods(survey, today)
    if periods is None:
        return []
    previous, latest = periods

    def compute() -> list[tuple[Change, str]]:
        themes, assignments = verbatims.survey_themes(survey)
        if not themes or not all(_released(survey, p) for p in periods):
            return []
        frame = store.query([survey], f"""
            SELECT response || question AS key, {MONTH} AS month FROM texts
            WHERE {DETRACTORS} AND {MONTH} BETWEEN ? AND ?""", [previous.since, latest.until])
        frame = frame[frame["key"].isin(list(assignments))]
        frame["theme"] = frame["key"].map(assignments)
        before, now = (frame[frame["month"].isin(_months(p))] for p in periods)
        candidates: list[tuple[dict[str, Any], analysis.Comparison]] = []
        for theme in themes:
            a = int((before["theme"] == theme["id"]).sum())
            b = int((now["theme"] == theme["id"]).sum())
            if not len(before) or not len(now) or not 0 < a + b < len(before) + len(now):
                continue
            # A share of comments is a proportion: the two-proportion test and interval of CSAT.
            comparison = analysis.compare_estimates(
                analysis.csat_from_counts(a, len(before), a / len(before)),
                analysis.csat_from_counts(b, len(now), b / len(now)))
            candidates.append((theme, comparison))
        found = []
        for theme, c, p in _tested(candidates, direction=+1):
            keys = [key for key, number in assignments.items() if number == theme["id"]]
            if _released(survey, latest, keys):
                found.append((Change(by="theme", key=str(theme["id"]), previous=previous.name,
                                     latest=latest.name, value=c.value, low=c.low, high=c.high,
                                     adjusted_p=p, now=c.b.value, n=c.b.n,
                                     period=latest.since), theme["label"]))
        return found

    # Nothing but the store, the periods and the threshold goes into the findings.
    return memo.remember("cockpit-growing-themes", [survey], [
        previous, latest, survey.kind, survey.min_verbatim_group_size], compute, database=False)
