"""The insights pages' charts, as Vega-Lite specifications with the tables behind them.

Written as plain dicts (:func:`phare.lib.charts.encode`, :func:`~phare.lib.charts.values`):
building them costs nothing next to Altair's objects, and the test suite checks every one
against the Vega-Lite schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.insights.barometer import Barometer
from phare.insights.tickets import TicketExperience
from phare.lib.charts import (
    BAR_COLOR,
    INTERVAL_COLOR,
    WHISKER_COLOR,
    WRAPPED_AXIS,
    Chart,
    band_height,
    category,
    chart,
    encode,
    month_axis,
    month_labels,
    values,
    wrap,
)
from phare.lib.metrics import metric

QUADRANT_LABELS = {
    "concentrate_here": gettext_lazy("Concentrate here"),
    "keep_up_the_good_work": gettext_lazy("Keep up the good work"),
    "low_priority": gettext_lazy("Low priority"),
    "possible_overkill": gettext_lazy("Possible overkill"),
}


def metric_name(key: str) -> str:
    """A metric's name in the active language (the metrics registry), for axes and columns."""
    return str(metric(key).name)


#: Each quadrant's colour, the same in every language (keyed by its code).
QUADRANT_COLORS = {"concentrate_here": "#b91c1c", "keep_up_the_good_work": "#047857",
                   "low_priority": "#475569", "possible_overkill": "#b45309"}
#: A change between waves: significant (a filled red diamond) or not (a hollow blue circle).
CHANGE_LABELS = {"significant": gettext_lazy("significant change"),
                 "not_significant": gettext_lazy("no significant change")}


def _number(value: float, decimals: int) -> str:
    """A number in the reader's language ("0,72" in French), for text beside a chart."""
    return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def quadrant_label(code: str) -> str:
    return str(QUADRANT_LABELS.get(code, code))


def quadrant_lists(data: Barometer) -> list[tuple[str, list[str]]]:
    """Each quadrant's name and the attributes in it, in Martilla & James's order."""
    return [(quadrant_label(code), [a["label"] for a in data.attributes
                                    if a["quadrant"] == code])
            for code in QUADRANT_LABELS]


def nps_trend(data: Barometer) -> Chart | None:
    rows = [{"wave": w.name, "order": w.wave, "nps": w.nps.value, "low": w.nps.low,
             "high": w.nps.high, "n": w.nps.n,
             "change": ("significant" if w.nps_change and w.nps_change.significant
                        else "not_significant")}
            for w in data.waves if w.nps is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["change_label"] = frame["change"].map(lambda code: str(CHANGE_LABELS[code]))
    x = encode("wave:N", sort_field="order", title=_("Wave"))
    # Under the plot, one entry a line: a row of entries would be cut on a phone.
    legend = {"orient": "bottom", "direction": "vertical"}
    # Significance by shape and fill as well as colour: never by colour alone.
    figure = {"data": values(frame), "height": 260, "layer": [
        {"mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": x, "y": encode("low:Q", title=_("NPS (points)")),
                      "y2": {"field": "high"}}},
        {"mark": {"type": "line", "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("nps:Q")}},
        {"mark": {"type": "point", "filled": False, "size": 110, "strokeWidth": 2},
         "encoding": {
             "x": x, "y": encode("nps:Q"),
             "stroke": category("change:N", CHANGE_LABELS,
                                {"significant": "#b91c1c", "not_significant": "#1d4ed8"},
                                legend=legend),
             "fill": category("change:N", CHANGE_LABELS,
                              {"significant": "#b91c1c", "not_significant": "#ffffff"},
                              legend=legend),
             "shape": category("change:N", CHANGE_LABELS,
                               {"significant": "diamond", "not_significant": "circle"},
                               legend=legend),
             "tooltip": [encode("wave:N", title=_("Wave")),
                         encode("nps:Q", format=".1f", title="NPS"),
                         encode("low:Q", format=".1f", title=_("low")),
                         encode("high:Q", format=".1f", title=_("high")),
                         encode("n:Q", title=_("Answers")),
                         encode("change_label:N", title=_("change from the wave before"))]}},
    ]}
    return chart(figure, id="nps-trend",
                 title=_("NPS by wave, with its %(level)s interval") % {"level": "95 %"},
                 table=frame[["wave", "nps", "low", "high", "n", "change_label"]],
                 n=int(frame["n"].sum()),
                 columns={"wave": _("Wave"), "nps": "NPS", "low": _("low"), "high": _("high"),
                          "n": _("Answers"),
                          "change_label": _("change from the wave before")},
                 description=_("A filled red diamond is a change from the wave before that is "
                               "not due to chance (95 %); a hollow blue circle, no significant "
                               "change."))


def segment_chart(data: Barometer, by: str, title: str, names: dict[str, str]) -> Chart | None:
    rows = data.breakdowns.get(by) or []
    shown = [{"segment": names.get(r["segment"], r["segment"]) or _("(not known)"),
              "nps": r["nps"].value, "low": r["nps"].low, "high": r["nps"].high, "n": r["n"]}
             for r in rows if not r["suppressed"] and r["nps"] is not None]
    hidden = sum(1 for r in rows if r["suppressed"])
    if not shown:
        return None
    frame = pd.DataFrame(shown).sort_values("nps", ascending=False)
    drawn = frame.assign(axis_label=frame["segment"].map(wrap))
    y = encode("axis_label:N", sort="-x", title=None, axis=WRAPPED_AXIS)
    figure = {"data": values(drawn), "height": band_height(drawn["axis_label"]), "layer": [
        {"mark": {"type": "bar", "color": BAR_COLOR},
         "encoding": {"x": encode("nps:Q", title="NPS"), "y": y,
                      "tooltip": [encode("segment:N", title=title),
                                  encode("nps:Q", format=".1f", title="NPS"),
                                  encode("low:Q", format=".1f", title=_("low")),
                                  encode("high:Q", format=".1f", title=_("high")),
                                  encode("n:Q", title=_("Answers"))]}},
        {"mark": {"type": "rule", "color": INTERVAL_COLOR, "strokeWidth": 2},
         "encoding": {"x": encode("low:Q"), "x2": {"field": "high"}, "y": y}},
    ]}
    description = ""
    if hidden:
        description = _("%(count)d group(s) with fewer than %(min)d answers are not shown.") % {
            "count": hidden, "min": data.survey.min_group_size}
    return chart(figure, id=f"by-{by.replace('_', '-')}", title=title, table=frame,
                 n=int(frame["n"].sum()), description=description,
                 columns={"segment": title, "nps": "NPS", "low": _("low"), "high": _("high"),
                          "n": _("Answers")})


def importance_chart(data: Barometer) -> Chart | None:
    if not data.attributes:
        return None
    frame = pd.DataFrame(data.attributes)
    frame["quadrant_label"] = frame["quadrant"].map(quadrant_label)
    x_line, y_line = frame["performance"].mean(), frame["importance"].mean()
    drawn = frame[["label", "importance", "performance", "quadrant", "quadrant_label"]]
    # A margin inside the plot: a point on its edge would be half drawn, its label cut.
    x = encode("performance:Q", title=_("Satisfaction (mean)"),
               scale={"zero": False, "padding": 16})
    y = encode("importance:Q", title=_("Importance (mean)"),
               scale={"zero": False, "padding": 16})
    figure = {"height": 320, "layer": [
        {"data": values(drawn), "mark": {"type": "point", "filled": True, "size": 120},
         "encoding": {
             "x": x, "y": y,
             # The legend under the plot, one entry a line: beside the plot it would take the
             # labels' room, in a row it would be cut on a phone.
             "color": category("quadrant:N", QUADRANT_LABELS, QUADRANT_COLORS,
                               title=_("Quadrant"),
                               legend={"orient": "bottom", "direction": "vertical"}),
             "tooltip": [encode("label:N", title=_("Attribute")),
                         encode("importance:Q", format=".2f", title=_("Importance")),
                         encode("performance:Q", format=".2f", title=_("Satisfaction")),
                         encode("quadrant_label:N", title=_("Quadrant"))]}},
        # Labels point towards the middle: one pointing outwards would be cut at the edge.
        {"data": values(drawn), "transform": [{"filter": f"datum.performance < {x_line}"}],
         "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12},
         "encoding": {"x": x, "y": y, "text": encode("label:N")}},
        {"data": values(drawn), "transform": [{"filter": f"datum.performance >= {x_line}"}],
         "mark": {"type": "text", "align": "right", "dx": -8, "fontSize": 12},
         "encoding": {"x": x, "y": y, "text": encode("label:N")}},
        {"data": {"values": [{"x": float(x_line)}]},
         "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#64748b"},
         "encoding": {"x": encode("x:Q")}},
        {"data": {"values": [{"y": float(y_line)}]},
         "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#64748b"},
         "encoding": {"y": encode("y:Q")}},
    ]}
    return chart(figure, id="importance-performance",
                 title=_("Importance and satisfaction of each attribute"),
                 table=frame[["label", "importance", "performance", "quadrant_label"]],
                 n=data.attributes_n,
                 columns={"label": _("Attribute"), "importance": _("Importance"),
                          "performance": _("Satisfaction"), "quadrant_label": _("Quadrant")},
                 description=_("Cross-hairs at the means (Martilla & James)."))


def drivers_chart(data: Barometer) -> Chart | None:
    if not data.drivers:
        return None
    frame = pd.DataFrame(data.drivers["shares"])[["label", "percent"]]
    drawn = frame.assign(axis_label=frame["label"].map(wrap))
    figure = {"data": values(drawn), "mark": {"type": "bar", "color": "#1d4ed8"},
              "height": band_height(drawn["axis_label"]),
              "encoding": {"x": encode("percent:Q",
                                       title=_("Share of the explained variance (%)"),
                                       axis={"tickCount": 5, "format": ".0f"}),
                           "y": encode("axis_label:N", sort="-x", title=None, axis=WRAPPED_AXIS),
                           "tooltip": [encode("label:N", title=_("Attribute")),
                                       encode("percent:Q", format=".1f",
                                              title=_("share (%)"))]}}
    return chart(figure, id="key-drivers", title=_("What drives the recommendation score"),
                 table=frame, n=data.drivers["n"],
                 columns={"label": _("Attribute"), "percent": _("share (%)")},
                 description=_("R² = %(r2)s; each attribute's share of it (Shapley "
                               "decomposition).") % {"r2": _number(data.drivers["r2"], 2)})


def happiness_bars(rows: list[dict], *, id: str, title: str, names: dict[str, str] | None = None,
                   min_group: int = 5, sort: bool = True) -> Chart | None:
    """Happiness per group (bars with their 95 % interval); suppressed groups only counted."""
    names = names or {}
    shown = [{"group": names.get(r["key"], r["key"]) or _("(not known)"), "order": i,
              "happiness": r["happiness"].value, "low": r["happiness"].low,
              "high": r["happiness"].high, "n": r["n"],
              "lost_hours": r["lost_hours_mean"]}
             for i, r in enumerate(rows) if not r["suppressed"]]
    if not shown:
        return None
    hidden = sum(1 for r in rows if r["suppressed"])
    frame = pd.DataFrame(shown)
    drawn = frame.assign(axis_label=frame["group"].map(wrap))
    y = encode("axis_label:N", sort="-x" if sort else {"field": "order"}, title=None,
               axis=WRAPPED_AXIS)
    height = band_height(drawn["axis_label"], minimum=60)
    figure = {"data": values(drawn), "height": height, "layer": [
        {"mark": {"type": "bar", "color": BAR_COLOR},
         "encoding": {"x": encode("happiness:Q", title=metric_name("ticket_happiness"),
                                  scale={"domain": [-100, 100]}),
                      "y": y, "tooltip": [encode("group:N", title=title),
                                          encode("happiness:Q", format=".1f",
                                                 title=metric_name("ticket_happiness")),
                                          encode("n:Q", title=_("Answers")),
                                          encode("lost_hours:Q", format=".1f",
                                                 title=f"{metric_name('lost_time')} (h)")]}},
        {"mark": {"type": "rule", "color": INTERVAL_COLOR, "strokeWidth": 2},
         "encoding": {"x": encode("low:Q"), "x2": {"field": "high"}, "y": y}},
    ]}
    description = ""
    if hidden:
        description = _("%(count)d group(s) with fewer than %(min)d answers are not shown.") % {
            "count": hidden, "min": min_group}
    return chart(figure, id=id, title=title, n=int(frame["n"].sum()), description=description,
                 table=frame[["group", "happiness", "low", "high", "n", "lost_hours"]],
                 columns={"group": title, "happiness": metric_name("ticket_happiness"),
                          "low": _("low"),
                          "high": _("high"), "n": _("Answers"),
                          "lost_hours": f"{metric_name('lost_time')} (h)"})


def monthly_chart(rows: list[dict]) -> Chart | None:
    shown = [{"month": r["key"], "happiness": r["happiness"].value, "low": r["happiness"].low,
              "high": r["happiness"].high, "n": r["n"],
              "lost_hours": r["lost_hours_mean"]} for r in rows if not r["suppressed"]]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    x = month_axis("month:O", title=_("Month"))
    figure = {"data": values(frame), "height": 240, "transform": [month_labels("month")],
              "layer": [
        {"mark": {"type": "area", "color": "#dbeafe"},
         "encoding": {"x": x, "y": encode("low:Q", title=metric_name("ticket_happiness")),
                      "y2": {"field": "high"}}},
        {"mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": x, "y": encode("low:Q"), "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("happiness:Q"),
                      "tooltip": [encode("month_label:N", title=_("Month")),
                                  encode("happiness:Q", format=".1f",
                                         title=metric_name("ticket_happiness")),
                                  encode("low:Q", format=".1f", title=_("low")),
                                  encode("high:Q", format=".1f", title=_("high")),
                                  encode("n:Q", title=_("Answers")),
                                  encode("lost_hours:Q", format=".2f",
                                         title=f"{metric_name('lost_time')} (h)")]}},
    ]}
    return chart(figure, id="happiness-month",
                 title=_("%(metric)s by month") % {"metric": metric_name("ticket_happiness")},
                 n=int(frame["n"].sum()), table=frame,
                 columns={"month": _("Month"), "happiness": metric_name("ticket_happiness"),
                          "low": _("low"),
                          "high": _("high"), "n": _("Answers"),
                          "lost_hours": f"{metric_name('lost_time')} (h)"},
                 description=_("The band is the %(level)s interval.") % {"level": "95 %"})


def pareto_chart(pareto: dict | None) -> Chart | None:
    if not pareto:
        return None
    frame = pd.DataFrame(pareto["points"])
    figure = {"height": 240, "layer": [
        {"data": values(frame), "mark": {"type": "line", "color": "#b91c1c"},
         "encoding": {"x": encode("tickets_pct:Q", title=_("Share of rated tickets (%)")),
                      "y": encode("lost_pct:Q", title=_("Share of the work time lost (%)")),
                      "tooltip": [encode("tickets_pct:Q", format=".1f",
                                         title=_("tickets (%)")),
                                  encode("lost_pct:Q", format=".1f",
                                         title=_("time lost (%)"))]}},
        {"data": {"values": [{"y": 80}]},
         "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#64748b"},
         "encoding": {"y": encode("y:Q")}},
    ]}
    return chart(figure, id="pareto", title=_("Where the lost time comes from"),
                 n=pareto["n"], table=frame,
                 columns={"tickets_pct": _("tickets (%)"), "lost_pct": _("time lost (%)")},
                 description=_("%(share)s %% of the tickets cause 80 %% of the time lost.")
                 % {"share": _number(pareto["share_for_80"], 0)})


def card_trend(card: Any) -> Chart | None:
    """The service surveys' satisfaction by wave or month, for the value card: their NPS, or
    their CSAT when they ask no NPS."""
    measure = "nps" if any(r["nps"] for r in card.satisfaction) else "csat"
    shown = [{"period": r["period"], "value": r[measure].value, "low": r[measure].low,
              "high": r[measure].high, "n": r[measure].n} for r in card.satisfaction
             if r[measure]]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    frame["order"] = range(len(frame))
    name = "NPS" if measure == "nps" else _("CSAT (%)")
    # Periods are waves' names or, for surveys without waves, months (written as months).
    x = month_axis("period:N", sort_field="order", title=None)
    figure = {"data": values(frame), "height": 160, "transform": [month_labels("period")],
              "layer": [
        {"mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": x, "y": encode("low:Q", title=name), "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("value:Q"),
                      "tooltip": [encode("period_label:N", title=_("Period")),
                                  encode("value:Q", format=".0f", title=name),
                                  encode("n:Q", title=_("Answers"))]}},
    ]}
    title = (_("Satisfaction with the service (NPS)") if measure == "nps"
             else _("Satisfaction with the service (CSAT)"))
    return chart(figure, id="service-trend", title=title,
                 table=frame[["period", "value", "low", "high", "n"]],
                 n=int(frame["n"].sum()),
                 columns={"period": _("Period"), "value": name, "low": _("low"),
                          "high": _("high")},
                 description=_("Each vertical line is the %(level)s interval.")
                 % {"level": "95 %"})


def card_ticket_trend(card: Any) -> Chart | None:
    """The happiness of the service's rated tickets by month, for the value card's page."""
    months = (card.tickets or {}).get("months", [])
    shown = [{"month": m["key"], "happiness": m["happiness"].value, "low": m["happiness"].low,
              "high": m["happiness"].high, "n": m["n"]} for m in months
             if not m["suppressed"] and m["happiness"] is not None]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    x = month_axis("month:O", title=_("Month"))
    figure = {"data": values(frame), "height": 160, "transform": [month_labels("month")],
              "layer": [
        {"mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": x, "y": encode("low:Q", title=_("Ticket happiness")),
                      "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("happiness:Q"),
                      "tooltip": [encode("month_label:N", title=_("Month")),
                                  encode("happiness:Q", format=".0f",
                                         title=_("Ticket happiness")),
                                  encode("n:Q", title=_("Answers"))]}},
    ]}
    return chart(figure, id="service-ticket-trend", title=_("Ticket happiness by month"),
                 table=frame, n=int(frame["n"].sum()),
                 columns={"month": _("Month"), "happiness": _("Ticket happiness"),
                          "low": _("low"), "high": _("high")},
                 description=_("Each vertical line is the %(level)s interval.")
                 % {"level": "95 %"})


SEGMENT_TITLES = {"unit": gettext_lazy("Business unit"), "site": gettext_lazy("Site"),
                  "job_family": gettext_lazy("Job family")}


@dataclass
class BarometerCharts:
    """The barometer page's charts; a chart with nothing to show is absent."""

    trend: Chart | None
    segments: list[Chart]
    importance: Chart | None
    drivers: Chart | None
    quadrants: list[tuple[str, list[str]]]

    def all(self) -> list[Chart]:
        """Every chart drawn, in the page's order (each downloads its table)."""
        return [c for c in (self.trend, *self.segments, self.importance, self.drivers)
                if c is not None]


def barometer_charts(data: Barometer, names: dict[str, dict[str, str]]) -> BarometerCharts:
    """The charts of the barometer page; ``names`` are the segments' names by code."""
    segments = [segment_chart(data, by, str(title), names[by])
                for by, title in SEGMENT_TITLES.items()]
    return BarometerCharts(trend=nps_trend(data),
                           segments=[c for c in segments if c is not None],
                           importance=importance_chart(data), drivers=drivers_chart(data),
                           quadrants=quadrant_lists(data))


TICKET_GROUPS = {"channel": gettext_lazy("Channel"), "category": gettext_lazy("Category"),
                 "service": gettext_lazy("Service"),
                 "assignment_group": gettext_lazy("Assignment group")}


@dataclass
class TicketCharts:
    """The ticket experience page's charts; a chart with nothing to show is absent."""

    monthly: Chart | None
    reassign: Chart | None
    pareto: Chart | None
    groups: list[Chart]

    def all(self) -> list[Chart]:
        """Every chart drawn, in the page's order (each downloads its table)."""
        return [c for c in (self.monthly, self.reassign, self.pareto, *self.groups)
                if c is not None]


def ticket_charts(data: TicketExperience, names: dict[str, dict[str, str]]) -> TicketCharts:
    """The charts of the ticket experience page; ``names`` are the display names of a
    breakdown's keys (services, channels), by dimension."""
    groups = [happiness_bars(data.by.get(key, []), id=f"by-{key.replace('_', '-')}",
                             title=str(title), min_group=data.min_group, names=names.get(key))
              for key, title in TICKET_GROUPS.items()]
    return TicketCharts(
        monthly=monthly_chart(data.by.get("month", [])),
        reassign=happiness_bars(data.reassignments, id="reassignments",
                                title=_("Reassignments"), min_group=data.min_group, sort=False),
        pareto=pareto_chart(data.pareto),
        groups=[g for g in groups if g is not None])


def card_usage(summary: Any) -> Chart | None:
    """A service's active users and adoption by month, for its value card."""
    shown = [{"month": m.month.strftime("%Y-%m"), "active_users": m.active_users,
              "adoption": round(100 * m.adoption.value, 1) if m.adoption else None,
              "low": round(100 * m.adoption.low, 1) if m.adoption else None,
              "high": round(100 * m.adoption.high, 1) if m.adoption else None}
             for m in summary.trend[-12:] if m.active_users is not None]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    x = month_axis("month:O", title=None)
    figure = {"data": values(frame), "height": 140, "transform": [month_labels("month")],
              "layer": [
        {"mark": {"type": "bar", "color": BAR_COLOR},
         "encoding": {"x": x, "y": encode("active_users:Q", title=_("Active users")),
                      "tooltip": [encode("month_label:N", title=_("Month")),
                                  encode("active_users:Q", format=",d", title=_("Active users")),
                                  encode("adoption:Q", format=".1f",
                                         title=_("Adoption (%)"))]}},
    ]}
    return chart(figure, id="service-usage", title=_("Active users by month"), table=frame,
                 columns={"month": _("Month"), "active_users": _("Active users"),
                          "adoption": _("Adoption (%)"), "low": _("low"), "high": _("high")})


#: Perception vs reality's quadrants (``phare.analysis.adoption``), by code.
PERCEPTION_COLORS = {"promote": "#1d4ed8", "fix": "#b91c1c", "keep": "#047857",
                     "question": "#b45309"}


def perception_map(points: list[Any]) -> Chart | None:
    """Adoption × satisfaction, one point per service with both, with their intervals and the
    cuts that make the quadrants."""
    placed = [p for p in points if p.placement is not None]
    if not placed:
        return None
    frame = pd.DataFrame([{
        "service": p.service.name, "adoption": round(100 * p.adoption.value, 1),
        "adoption_low": round(100 * p.adoption.low, 1),
        "adoption_high": round(100 * p.adoption.high, 1),
        "satisfaction": round(p.satisfaction.value, 1),
        "satisfaction_low": round(p.satisfaction.low, 1),
        "satisfaction_high": round(p.satisfaction.high, 1),
        "measure": p.measure, "n_usage": p.adoption.n, "n_opinion": p.satisfaction.n,
        "quadrant": p.label, "quadrant_code": p.placement.name} for p in placed])
    labels = {p.placement.name: p.label for p in placed}
    # The quadrants present only (each with its own colour): the legend names what is drawn.
    colours = {code: colour for code, colour in PERCEPTION_COLORS.items() if code in labels}
    x = encode("adoption:Q", title=_("Adoption (% of its audience)"),
               scale={"domain": [0, 100]})
    y = encode("satisfaction:Q", title=_("Satisfaction (NPS or ticket happiness)"),
               scale={"domain": [-100, 100]})
    cuts = pd.DataFrame([{"x": 50, "y": 0}])
    figure = {"height": 360, "layer": [
        {"data": values(cuts), "mark": {"type": "rule", "color": WHISKER_COLOR,
                                        "strokeDash": [4, 4]},
         "encoding": {"x": encode("x:Q")}},
        {"data": values(cuts), "mark": {"type": "rule", "color": WHISKER_COLOR,
                                        "strokeDash": [4, 4]},
         "encoding": {"y": encode("y:Q")}},
        {"data": values(frame), "mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": encode("adoption_low:Q"), "x2": {"field": "adoption_high"},
                      "y": y}},
        {"data": values(frame), "mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"y": encode("satisfaction_low:Q"), "y2": {"field": "satisfaction_high"},
                      "x": x}},
        {"data": values(frame), "mark": {"type": "point", "filled": True, "size": 80},
         "encoding": {"x": x, "y": y,
                      "color": category("quadrant_code:N", labels, colours,
                                        legend={"orient": "bottom", "columns": 1,
                                                "labelLimit": 600}),
                      "tooltip": [encode("service:N", title=_("Service")),
                                  encode("adoption:Q", format=".1f", title=_("Adoption (%)")),
                                  encode("satisfaction:Q", format=".1f",
                                         title=_("Satisfaction")),
                                  encode("measure:N", title=_("Measure")),
                                  encode("n_usage:Q", title=_("Audience")),
                                  encode("n_opinion:Q", title=_("Answers")),
                                  encode("quadrant:N", title=_("Quadrant"))]}},
        {"data": values(frame), "mark": {"type": "text", "dy": -10, "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": encode("service:N")}},
    ]}
    return chart(figure, id="perception", title=_("Perception vs reality"),
                 table=frame.drop(columns=["quadrant_code"]),
                 columns={"service": _("Service"), "adoption": _("Adoption (%)"),
                          "adoption_low": _("low"), "adoption_high": _("high"),
                          "satisfaction": _("Satisfaction"), "satisfaction_low": _("low"),
                          "satisfaction_high": _("high"), "measure": _("Measure"),
                          "n_usage": _("Audience"), "n_opinion": _("Answers"),
                          "quadrant": _("Quadrant")})
