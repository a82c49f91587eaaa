"""What a quarterly report says: its sections, each a one-line message and the figures behind it.

Nothing here counts people: every figure is read from the module that already releases it
under the disclosure rules (``docs/PRIVACY.md``) — the barometer's waves
(:func:`phare.insights.barometer.wave_figures`), the ticket experience
(:func:`phare.insights.tickets.experience`), the value cards
(:func:`phare.insights.value.value_card`), the published arbitration decisions
(:func:`phare.needs.queries.published_decisions`), the usage summaries
(:func:`phare.usage.queries.summary`) and the communication plan's objectives
(:func:`phare.comms.objectives.live`). A group those modules hide is written "too few
answers", never with its size. The renderers (:mod:`phare.reports.render_pdf`,
:mod:`~phare.reports.render_pptx`, :mod:`~phare.reports.render_xlsx`) lay the same content
out three ways, so the three files always agree.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from phare.analysis import Comparison
from phare.catalog.models import Service
from phare.comms import objectives
from phare.comms.models import Plan
from phare.directory.models import BusinessUnit
from phare.insights import figures as charts
from phare.insights.barometer import Barometer, Filters, WaveFigures, wave_figures
from phare.insights.queries import unit_and_descendants
from phare.insights.tickets import TicketExperience, TicketFilters, experience, ticket_surveys
from phare.insights.value import value_card
from phare.lib.charts import Chart, chart, encode, values
from phare.lib.i18n import language_name, written
from phare.lib.metrics import MINUS, format_value, metric
from phare.listening.models import Survey, Wave
from phare.needs.queries import published_decisions
from phare.positioning import results as positioning
from phare.positioning.models import Study
from phare.usage import queries as usage

#: How many services the value cards and the adoption sections show at most.
TOP_SERVICES = 5


@dataclass(frozen=True)
class Figure:
    """One table (and an optional chart) with the number of people or answers it rests on."""

    title: str
    table: pd.DataFrame
    n: int | None
    note: str = ""
    chart: Chart | None = None


@dataclass(frozen=True)
class Section:
    """A part of the report: its takeaway in one line (``message``) and its figures."""

    title: str
    message: str
    figures: list[Figure]


@dataclass(frozen=True)
class ReportContent:
    title: str
    period_label: str
    starts_on: dt.date
    ends_on: dt.date
    unit_name: str | None
    language: str
    sections: list[Section]
    generated_at: dt.datetime


class ReportError(ValueError):
    """A report asked for with a bad period or unit; the message names the field."""


def build(*, starts_on: dt.date, ends_on: dt.date, unit_code: str | None = None,
          language: str = "fr") -> ReportContent:
    """The report of the period ``starts_on``–``ends_on`` (both included), for the whole
    company or, with ``unit_code``, for a business unit beside the company, in ``language``."""
    if ends_on < starts_on:
        raise ReportError(f"ends_on: {ends_on.isoformat()} is before starts_on "
                          f"({starts_on.isoformat()})")
    if language not in ("fr", "en"):
        raise ReportError(f"language: “{language}” is not one of fr, en")
    unit: BusinessUnit | None = None
    if unit_code:
        unit = BusinessUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise ReportError(f"unit_code: no business unit “{unit_code}”")
    with translation.override(language):
        scope = _Scope(starts_on, ends_on, unit)
        builders: list[Callable[[_Scope], Section | None]] = [
            _barometer, _tickets, _value_cards, _value_changes, _needs, _usage, _plan,
            _positioning]
        sections = [s for s in (b(scope) for b in builders) if s is not None]
        period = _("%(start)s to %(end)s") % {"start": _day(starts_on), "end": _day(ends_on)}
        title = _("Quarterly report") if unit is None else _(
            "Quarterly report: %(unit)s") % {"unit": unit.name}
        return ReportContent(title=title, period_label=period, starts_on=starts_on,
                             ends_on=ends_on, unit_name=unit.name if unit else None,
                             language=language, sections=sections,
                             generated_at=timezone.now())


@dataclass(frozen=True)
class _Scope:
    starts_on: dt.date
    ends_on: dt.date
    unit: BusinessUnit | None

    @property
    def units(self) -> tuple[str, ...]:
        return unit_and_descendants(self.unit.code) if self.unit else ()

    @property
    def months(self) -> tuple[str, ...]:
        out, day = [], self.starts_on.replace(day=1)
        while day <= self.ends_on:
            out.append(day.strftime("%Y-%m"))
            day = usage.add_months(day, 1)
        return tuple(out)


def _day(day: dt.date) -> str:
    """A date as 2026-03-31 in both languages (no US-style dates)."""
    return day.isoformat()


def _num(value: float | None, places: int = 1) -> str:
    """``value`` with ``places`` decimals in the report's language, "−" for minus."""
    if value is None:
        return "—"
    text = formats.number_format(round(abs(value), places), decimal_pos=places, use_l10n=True)
    return f"{MINUS}{text}" if round(value, places) < 0 else text


def _euros(value: float) -> str:
    """An amount of euros as the report's language writes it: "2 300 000 €", "€2,300,000"."""
    return format_value("cost_per_user", value)


def too_few() -> str:
    """What a hidden group shows instead of its figures (never its size)."""
    return _("too few answers")


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def _change_text(change: Comparison | None) -> str:
    if change is None:
        return "—"
    words = _("significant") if change.significant else _("not significant")
    return f"{_signed(change.value)} ({words})"


def _signed(value: float) -> str:
    """A change with its sign, in the reader's numbers: +15,0 or −3,2."""
    text = _num(abs(value))
    return ("+" if value >= 0 else "−") + text


# -- barometer ------------------------------------------------------------------------------------

def _closed_in(waves: list[WaveFigures], closes: dict[int, dt.date], scope: _Scope
               ) -> list[WaveFigures]:
    """The waves that closed by the end of the period (the trend up to it)."""
    return [w for w in waves if not w.in_progress and closes.get(w.wave, scope.ends_on)
            <= scope.ends_on]


def _barometer(scope: _Scope) -> Section | None:
    figures_out: list[Figure] = []
    messages: list[str] = []
    for survey in Survey.objects.filter(kind=Survey.Kind.BAROMETER).order_by("-created_at"):
        closes = dict(Wave.objects.filter(survey=survey).values_list("number", "closes_on"))
        in_period = {n for n, day in closes.items() if scope.starts_on <= day <= scope.ends_on}
        company, _csat = wave_figures(survey, Filters())
        company = _closed_in(company, closes, scope)
        latest = next((w for w in reversed(company) if w.wave in in_period and w.nps), None)
        if latest is None or latest.nps is None:
            continue
        rows = [_wave_row(w, closes) for w in company]
        unit_rows: dict[int, WaveFigures] = {}
        if scope.unit is not None:
            unit_waves, _csat = wave_figures(survey, Filters(units=scope.units))
            unit_rows = {w.wave: w for w in _closed_in(unit_waves, closes, scope)}
            for row, wave in zip(rows, company, strict=True):
                row.update(_unit_cells(scope.unit.name, unit_rows.get(wave.wave)))
        table = pd.DataFrame(rows)
        data = Barometer(survey=survey, filters=Filters(), waves=company, csat_question=None)
        figures_out.append(Figure(
            title=_("%(survey)s: NPS by wave") % {"survey": survey.title},
            table=table, n=latest.responses,
            note=_("NPS in points (−100 to 100) with its interval (95 %); a change is "
                   "significant when it is not due to chance (95 %)."),
            chart=charts.nps_trend(data)))
        message = _("%(survey)s: NPS %(nps)s in %(wave)s (n = %(n)s)") % {
            "survey": survey.title, "nps": _num(latest.nps.value), "wave": latest.name,
            "n": latest.responses}
        if latest.nps_change is not None:
            message += ", " + (_("a significant change of %(change)s points")
                               if latest.nps_change.significant else
                               _("%(change)s points, not a significant change")) % {
                "change": _signed(latest.nps_change.value)}
        if scope.unit is not None:
            mine = unit_rows.get(latest.wave)
            message += "; " + (_("%(unit)s: %(nps)s") % {
                "unit": scope.unit.name, "nps": _num(mine.nps.value)}
                if mine is not None and mine.nps is not None else
                _("%(unit)s: too few answers") % {"unit": scope.unit.name})
        messages.append(message)
    if not figures_out:
        return None
    return Section(title=_("Barometer"), message=messages[0], figures=figures_out)


def _wave_row(wave: WaveFigures, closes: dict[int, dt.date]) -> dict[str, Any]:
    hidden = wave.suppressed or wave.nps is None
    return {
        _("Wave"): wave.name,
        _("Closed on"): _day(closes[wave.wave]) if wave.wave in closes else "",
        _("Answers (n)"): too_few() if wave.suppressed else wave.responses,
        "NPS": None if hidden or wave.nps is None else _round(wave.nps.value),
        _("low"): None if hidden or wave.nps is None else _round(wave.nps.low),
        _("high"): None if hidden or wave.nps is None else _round(wave.nps.high),
        _("Change from the wave before"): _change_text(wave.nps_change),
    }


def _unit_cells(unit: str, wave: WaveFigures | None) -> dict[str, Any]:
    """The unit's answers and NPS in a wave, beside the company's ("too few answers" when
    the disclosure rules hide the unit in that wave)."""
    shown = wave is not None and not wave.suppressed and wave.nps is not None
    return {
        _("%(unit)s: answers (n)") % {"unit": unit}: wave.responses if shown and wave
        else too_few(),
        _("%(unit)s: NPS") % {"unit": unit}: _round(wave.nps.value) if shown and wave
        and wave.nps else None,
    }


# -- tickets --------------------------------------------------------------------------------------

def _tickets(scope: _Scope) -> Section | None:
    surveys = ticket_surveys()
    if not surveys:
        return None
    data = experience(surveys, TicketFilters(months=scope.months))
    total = data.total
    if not total or total["suppressed"] or total["happiness"] is None:
        return None
    mine: TicketExperience | None = None
    if scope.unit is not None:
        mine = experience(surveys, TicketFilters(months=scope.months, units=scope.units))
    rows = [_ticket_row(_("Company"), total)]
    if mine is not None and scope.unit is not None:
        rows.append(_ticket_row(scope.unit.name, mine.total))
    by_month = [_ticket_row(r["key"], r) for r in data.by.get("month", [])]
    figures_out = [
        Figure(title=_("%(happiness)s and %(lost)s") % {
                   "happiness": metric("ticket_happiness").name,
                   "lost": str(metric("lost_time").name).lower()}, table=pd.DataFrame(rows),
               n=int(total["n"]), note=str(metric("ticket_happiness").computation)),
        Figure(title=_("%(metric)s by month") % {"metric": metric("ticket_happiness").name},
               table=pd.DataFrame(by_month), n=int(total["n"]),
               chart=charts.monthly_chart(data.by.get("month", []))),
    ]
    # Names and values as every page writes them (the metrics registry).
    message = _("%(happiness_name)s %(happiness)s (n = %(n)s), %(lost_name)s "
                "%(lost)s") % {
        "happiness_name": metric("ticket_happiness").name,
        "happiness": format_value("ticket_happiness", total["happiness"].value),
        "n": format_value("answers", total["n"]),
        "lost_name": str(metric("lost_time").name).lower(),
        "lost": format_value("lost_time", total["lost_hours_mean"])}
    return Section(title=_("Ticket experience"), message=message, figures=figures_out)


def _column(key: str, unit: str = "") -> str:
    """A table's column named by the metrics registry, with its unit: "Answers (n)"."""
    name = str(metric(key).short if key == "answers" else metric(key).name)
    return f"{name} ({unit})" if unit else name


def _ticket_row(label: str, row: dict[str, Any] | None) -> dict[str, Any]:
    shown = row is not None and not row["suppressed"] and row["happiness"] is not None
    happiness = row["happiness"] if shown and row else None
    return {
        _("Group"): label,
        _column("answers", "n"): row["n"] if shown and row else too_few(),
        _column("ticket_happiness"): _round(happiness.value) if happiness else None,
        _("low"): _round(happiness.low) if happiness else None,
        _("high"): _round(happiness.high) if happiness else None,
        _column("lost_time", "h"): _round(row["lost_hours_mean"], 2) if shown and row
        else None,
    }


# -- value cards ----------------------------------------------------------------------------------

def _value_cards(scope: _Scope) -> Section | None:
    services = list(Service.objects.filter(annual_run_cost__gt=0)
                    .order_by("-annual_run_cost", "slug")[:TOP_SERVICES])
    if not services:
        return None
    rows: list[dict[str, Any]] = []
    for service in services:
        card = value_card(service)
        trend = [r for r in card.satisfaction if r["nps"] is not None]
        tickets = card.tickets["total"] if card.tickets else None
        rows.append({
            _("Service"): service.name,
            _("Annual run cost (€)"): float(service.annual_run_cost or 0),
            _("People served"): card.reach,
            _("Cost per person (€)"): _round(card.cost_per_user, 0),
            _("Service NPS"): _round(trend[-1]["nps"].value) if trend else None,
            _("Service NPS (n)"): trend[-1]["n"] if trend else too_few(),
            _column("ticket_happiness"): _round(tickets["happiness"].value) if tickets
            else None,
            _("Ticket ratings (n)"): tickets["n"] if tickets else too_few(),
            _column("lost_time", "h"): _round(tickets["lost_hours_mean"], 2)
            if tickets else None,
        })
    table = pd.DataFrame(rows)
    top = rows[0]
    message = _("%(service)s costs the most: %(cost)s a year") % {
        "service": top[_("Service")], "cost": _euros(top[_("Annual run cost (€)")])}
    if top[_("Cost per person (€)")] is not None:
        message += " " + _("(%(cost)s per person served)") % {
            "cost": _euros(top[_("Cost per person (€)")])}
    frame = pd.DataFrame({"service": table[_("Service")],
                          "cost": table[_("Annual run cost (€)")]})
    spec = {"data": values(frame), "mark": {"type": "bar"},
            "height": max(80, 28 * len(frame)),
            "encoding": {"y": encode("service:N", sort="-x", title=None),
                         "x": encode("cost:Q", title=_("Annual run cost (€)"))}}
    cost_chart = chart(spec, id="value-cost", title=_("The services that cost the most"),
                       table=frame, columns={"service": _("Service"),
                                             "cost": _("Annual run cost (€)")})
    return Section(title=_("Value of the services"), message=message, figures=[Figure(
        title=_("The services that cost the most"), table=table, n=None,
        note=_("Each figure's n is in its own column; satisfaction and tickets over every "
               "released period."), chart=cost_chart)])


#: How many services the ranking of the value cards' changes shows at most (then the hidden).
RANKED_SERVICES = 10


def _measure_names() -> dict[str, str]:
    return {"nps": _("Service NPS"), "csat": _("Service CSAT"),
            "ticket_happiness": _("Ticket happiness")}


def _hidden_latest(card: Any) -> bool:
    """The card's newest period (of its surveys or of its tickets) is hidden: too few
    answers to show it, or its change."""
    months = (card.tickets or {}).get("months", [])
    return bool((card.satisfaction and card.satisfaction[-1]["suppressed"])
                or (months and months[-1]["suppressed"]))


def _value_changes(scope: _Scope) -> Section | None:
    """The value cards ranked by their latest change (the survey's NPS, else its CSAT, else
    ticket happiness, each from the period before), the largest first whatever its sign,
    with its interval and n; the cards whose newest period is hidden come last, marked."""
    services = Service.objects.exclude(lifecycle=Service.Lifecycle.RETIRED).order_by("slug")
    ranked: list[tuple[float, dict[str, Any]]] = []
    hidden: list[dict[str, Any]] = []
    measures = _measure_names()
    for service in services:
        card = value_card(service, themes=False)
        change = card.change
        if change is not None and not _hidden_latest(card):
            found: Comparison = change["comparison"]
            ranked.append((abs(found.value), {
                _("Service"): service.name, _("Figure"): measures[change["measure"]],
                _("Period"): change["period"], _("Latest figure"): _round(found.b.value),
                _("Change (points)"): _round(found.value), _("low"): _round(found.low),
                _("high"): _round(found.high),
                _("Significant"): bool(found.significant), _("n"): found.b.n}))
        elif _hidden_latest(card):
            hidden.append({
                _("Service"): service.name, _("Figure"): too_few(), _("Period"): None,
                _("Latest figure"): None, _("Change (points)"): None, _("low"): None,
                _("high"): None, _("Significant"): None, _("n"): too_few()})
    if not ranked and not hidden:
        return None
    ranked.sort(key=lambda item: -item[0])
    rows = [row for _size, row in ranked[:RANKED_SERVICES]] + hidden[:TOP_SERVICES]
    table = pd.DataFrame(rows)
    shown = [row for _size, row in ranked[:RANKED_SERVICES]]
    if shown:
        top = shown[0]
        message = _("%(service)s changed the most: %(figure)s %(change)s points in "
                    "%(period)s (95 %% interval: %(low)s to %(high)s, n = %(n)s)") % {
            "service": top[_("Service")], "figure": top[_("Figure")],
            "change": _signed(top[_("Change (points)")]), "period": top[_("Period")],
            "low": _signed(top[_("low")]), "high": _signed(top[_("high")]),
            "n": top[_("n")]}
    else:
        message = _("No value card has two periods to compare yet.")
    frame = pd.DataFrame({
        "service": [row[_("Service")] for row in shown],
        "change": [row[_("Change (points)")] for row in shown],
        "low": [row[_("low")] for row in shown], "high": [row[_("high")] for row in shown],
        "order": list(range(len(shown)))})
    change_chart = None
    if shown:
        axis = encode("service:N", sort_field="order", title=None)
        spec = {"data": values(frame), "height": max(80, 28 * len(frame)), "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"y": axis, "x": encode("change:Q", title=_("Change (points)"))}},
            {"mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {"y": axis, "x": encode("low:Q"), "x2": {"field": "high"}}}]}
        change_chart = chart(spec, id="value-changes", title=_("Value cards by change"),
                             table=frame.drop(columns="order"),
                             columns={"service": _("Service"), "change": _("Change (points)"),
                                      "low": _("low"), "high": _("high")})
    return Section(title=_("Value cards by change"), message=message, figures=[Figure(
        title=_("Value cards ranked by change"), table=table, n=None,
        note=_("Each card's latest change from the period before, in points, with its "
               "interval (95 %): the largest first, whichever its direction. Cards whose "
               "latest period has too few answers come last."), chart=change_chart)])


# -- needs ----------------------------------------------------------------------------------------

def _needs(scope: _Scope) -> Section | None:
    decisions = list(published_decisions().select_related("arbitration").filter(
        published_at__date__gte=scope.starts_on, published_at__date__lte=scope.ends_on))
    if not decisions:
        return None
    rows: list[dict[str, Any]] = []
    taken_rows: list[dict[str, Any]] = []
    for decision in decisions:
        inputs, result = decision.arbitration.inputs, decision.arbitration.result
        chosen = set(result.get("chosen", []))
        needs = inputs.get("needs", [])
        rows.append({_("Campaign"): decision.campaign.name,
                     _("Published on"): _day(timezone.localdate(decision.published_at))
                     if decision.published_at else "",
                     _("Needs considered"): len(needs),
                     _("Needs taken"): sum(1 for n in needs if n.get("id") in chosen)})
        taken_rows += [{_("Campaign"): decision.campaign.name, _("Need"): n.get("title", ""),
                        _("Value"): _round(n.get("value"))}
                       for n in needs if n.get("id") in chosen]
    taken = sum(r[_("Needs taken")] for r in rows)
    considered = sum(r[_("Needs considered")] for r in rows)
    message = _("%(taken)s needs taken out of %(considered)s in %(count)s published "
                "decision(s)") % {"taken": taken, "considered": considered,
                                  "count": len(decisions)}
    figures_out = [Figure(title=_("Arbitration decisions published"),
                          table=pd.DataFrame(rows), n=considered)]
    if taken_rows:
        figures_out.append(Figure(title=_("Needs taken"), table=pd.DataFrame(taken_rows),
                                  n=taken))
    return Section(title=_("Needs decisions"), message=message, figures=figures_out)


# -- usage ----------------------------------------------------------------------------------------

def _usage(scope: _Scope) -> Section | None:
    today = scope.ends_on + dt.timedelta(days=1)  # the months over by the end of the period
    summaries = [s for s in (usage.summary(service, today=today) for service in
                             usage.services_with_usage(Service.objects.order_by("slug")))
                 if s is not None and s.month is not None and s.month >= scope.starts_on
                 .replace(day=1)]
    if not summaries:
        return None
    summaries.sort(key=lambda s: -(s.adoption.n if s.adoption else 0))
    summaries = summaries[:TOP_SERVICES]
    rows = [{
        _("Service"): s.service.name,
        _("Month"): s.month.strftime("%Y-%m") if s.month else "",
        _("Audience (n)"): s.audience if s.adoption else too_few(),
        _("Active users"): s.active_users if s.adoption and s.active_users is not None
        else too_few(),
        _("Adoption (%)"): _round(100 * s.adoption.value) if s.adoption else None,
        _("low"): _round(100 * s.adoption.low) if s.adoption else None,
        _("high"): _round(100 * s.adoption.high) if s.adoption else None,
    } for s in summaries]
    shown = [s for s in summaries if s.adoption is not None]
    if not shown:
        return None
    best = max(shown, key=lambda s: s.adoption.value if s.adoption else 0)
    assert best.adoption is not None
    message = _("%(service)s reaches %(rate)s %% of its audience (n = %(n)s)") % {
        "service": best.service.name, "rate": _num(100 * best.adoption.value, 0),
        "n": best.adoption.n}
    return Section(title=_("Adoption of the services"), message=message, figures=[Figure(
        title=_("Adoption in the last month of the period"), table=pd.DataFrame(rows),
        n=sum(s.adoption.n for s in shown if s.adoption),
        note=_("Active people out of each service's audience, with its interval (95 %)."))])


# -- communication plan ---------------------------------------------------------------------------

def _written(text: str, language: str) -> str:
    """``text``, typed in ``language``, followed by “(in French)” or “(in English)” when the
    report is in the other language (plain text: every format prints it as is)."""
    value = written(text, language)
    return f"{value.text} ({language_name(value.language)})" if value.fallback else value.text


def _plan(scope: _Scope) -> Section | None:
    plans = Plan.objects.filter(starts_on__lte=scope.ends_on, ends_on__gte=scope.starts_on
                                ).order_by("starts_on", "pk")
    rows: list[dict[str, Any]] = []
    for plan in plans:
        for objective in plan.objectives.all():
            live = objectives.live(objective, today=scope.ends_on)
            rows.append({_("Plan"): _written(plan.name, plan.language),
                         _("Objective"): _written(objective.title, objective.language),
                         _("Figure"): live.label,
                         _("Value"): _round(live.value),
                         _("n"): live.n if live.value is not None else too_few(),
                         _("Target"): _round(live.target),
                         _("Status"): live.status_label})
    if not rows:
        return None
    measured = [r for r in rows if r[_("Value")] is not None]
    message = _("%(count)s objective(s) in the plan, %(measured)s measured by Phare") % {
        "count": len(rows), "measured": len(measured)}
    n = sum(r[_("n")] for r in measured if isinstance(r[_("n")], int)) or None
    return Section(title=_("Communication plan"), message=message, figures=[Figure(
        title=_("The plan's objectives"), table=pd.DataFrame(rows), n=n)])


# -- positioning ----------------------------------------------------------------------------------

def _benchmark_text(benchmark: Any) -> str:
    """An outside figure with its source and date, never without them."""
    unit = f" {benchmark.unit}" if benchmark.unit else ""
    return _("%(label)s: %(value)s%(unit)s (%(source)s, %(day)s)") % {
        "label": benchmark.label, "value": _num(benchmark.value), "unit": unit,
        "source": benchmark.source, "day": _day(benchmark.as_of)}


def _positioning(scope: _Scope) -> Section | None:
    """The newest positioning study with results: the IT department against its best
    alternative on each attribute (Holm-adjusted gaps), with the benchmarks beside them."""
    for study in Study.objects.order_by("-created_at", "-pk")[:5]:
        found = positioning.gaps(study)
        if found.hidden or not found.rows:
            continue
        rows = []
        for gap in found.rows:
            rows.append({
                _("Attribute"): gap.label,
                found.internal_label: None if gap.hidden else _round(gap.internal_mean, 2),
                _("Best alternative"): "" if gap.hidden else gap.best_label,
                _("Its rating"): None if gap.hidden else _round(gap.best_mean, 2),
                _("Gap"): None if gap.hidden else _round(gap.difference, 2),
                _("low"): None if gap.hidden else _round(gap.difference_low, 2),
                _("high"): None if gap.hidden else _round(gap.difference_high, 2),
                _("Verdict"): too_few() if gap.hidden else gap.verdict_label,
                _("Benchmarks"): "; ".join(_benchmark_text(b) for b in gap.benchmarks),
            })
        figures_out = [Figure(
            title=_("%(study)s: the IT department against its alternatives")
            % {"study": study.title}, table=pd.DataFrame(rows), n=found.n,
            note=_("Mean ratings with the gap to the best alternative and its interval "
                   "(95 %), Holm-adjusted; a benchmark is an outside figure, with its source "
                   "and date."))]
        if found.other_benchmarks:
            figures_out.append(Figure(
                title=_("Benchmarks"), n=None, table=pd.DataFrame([{
                    _("Figure"): b.label, _("Value"): _round(b.value, 2), _("Unit"): b.unit,
                    _("Source"): b.source, _("Published on"): _day(b.as_of)}
                    for b in found.other_benchmarks])))
        shown = [gap for gap in found.rows if not gap.hidden]
        wins = [gap.label for gap in shown if gap.verdict == "wins"]
        loses = [gap.label for gap in shown if gap.verdict == "loses"]
        message = _("%(study)s (n = %(n)s): ahead on %(wins)s, behind on %(loses)s") % {
            "study": study.title, "n": found.n, "wins": ", ".join(wins) or "—",
            "loses": ", ".join(loses) or "—"}
        return Section(title=_("Positioning"), message=message, figures=figures_out)
    return None


def cell_text(value: Any) -> str:
    """A table's cell as the reader's language writes it (the active language): numbers with
    its separators, a missing value as a dash."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, numbers.Integral):
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    if isinstance(value, numbers.Real):
        value = float(value)
        places = 0 if value.is_integer() and abs(value) >= 100 else (
            2 if abs(value) < 10 and round(value, 2) != round(value, 1) else 1)
        return formats.number_format(value, decimal_pos=places, use_l10n=True,
                                     force_grouping=True)
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not (
        pd.isna(value))
