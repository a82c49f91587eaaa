"""The insights pages' charts, as Vega-Lite specifications with the tables behind them.

Written as plain dicts (:func:`phare.lib.charts.encode`, :func:`~phare.lib.charts.values`):
building them costs nothing next to Altair's objects, and the test suite checks every one
against the Vega-Lite schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.insights.barometer import Barometer
from phare.insights.tickets import TicketExperience
from phare.lib.charts import Chart, chart, encode, values

QUADRANT_LABELS = {
    "concentrate_here": gettext_lazy("Concentrate here"),
    "keep_up_the_good_work": gettext_lazy("Keep up the good work"),
    "low_priority": gettext_lazy("Low priority"),
    "possible_overkill": gettext_lazy("Possible overkill"),
}


def quadrant_label(code: str) -> str:
    return str(QUADRANT_LABELS.get(code, code))


def quadrant_lists(data: Barometer) -> list[tuple[str, list[str]]]:
    """Each quadrant's name and the attributes in it, in Martilla & James's order."""
    return [(quadrant_label(code), [a["label"] for a in data.attributes
                                    if a["quadrant"] == code])
            for code in QUADRANT_LABELS]


def nps_trend(data: Barometer) -> Chart | None:
    significant, not_significant = _("significant change"), _("no significant change")
    rows = [{"wave": w.name, "order": w.wave, "nps": w.nps.value, "low": w.nps.low,
             "high": w.nps.high, "n": w.nps.n,
             "change": (significant if w.nps_change and w.nps_change.significant
                        else not_significant)}
            for w in data.waves if w.nps is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    x = encode("wave:N", sort_field="order", title=_("Wave"))
    figure = {"data": values(frame), "height": 260, "layer": [
        {"mark": {"type": "rule", "color": "#94a3b8"},
         "encoding": {"x": x, "y": encode("low:Q", title=_("NPS (points)")),
                      "y2": {"field": "high"}}},
        {"mark": {"type": "line", "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("nps:Q")}},
        {"mark": {"type": "point", "filled": True, "size": 90},
         "encoding": {
             "x": x, "y": encode("nps:Q"),
             "color": encode("change:N", title=None,
                             scale={"domain": [significant, not_significant],
                                    "range": ["#dc2626", "#1d4ed8"]}),
             "tooltip": [encode("wave:N"), encode("nps:Q", format=".1f"),
                         encode("low:Q", format=".1f"), encode("high:Q", format=".1f"),
                         encode("n:Q")]}},
    ]}
    return chart(figure, id="nps-trend",
                 title=_("NPS by wave, with its %(level)s interval") % {"level": "95 %"},
                 table=frame[["wave", "nps", "low", "high", "n", "change"]],
                 n=int(frame["n"].sum()),
                 columns={"wave": _("Wave"), "nps": "NPS", "low": _("low"), "high": _("high"),
                          "change": _("change from the wave before")},
                 description=_("A red mark is a change from the wave before that is not due to "
                               "chance (95 %)."))


def segment_chart(data: Barometer, by: str, title: str, names: dict[str, str]) -> Chart | None:
    rows = data.breakdowns.get(by) or []
    shown = [{"segment": names.get(r["segment"], r["segment"]) or _("(not known)"),
              "nps": r["nps"].value, "low": r["nps"].low, "high": r["nps"].high, "n": r["n"]}
             for r in rows if not r["suppressed"] and r["nps"] is not None]
    hidden = sum(1 for r in rows if r["suppressed"])
    if not shown:
        return None
    frame = pd.DataFrame(shown).sort_values("nps", ascending=False)
    y = encode("segment:N", sort="-x", title=None)
    figure = {"data": values(frame), "height": max(80, 24 * len(frame)), "layer": [
        {"mark": {"type": "bar", "color": "#93c5fd"},
         "encoding": {"x": encode("nps:Q", title="NPS"), "y": y,
                      "tooltip": [encode("segment:N"), encode("nps:Q", format=".1f"),
                                  encode("n:Q")]}},
        {"mark": {"type": "rule", "color": "#1e3a8a"},
         "encoding": {"x": encode("low:Q"), "x2": {"field": "high"}, "y": y}},
    ]}
    description = ""
    if hidden:
        description = _("%(count)d group(s) with fewer than %(min)d answers are not shown.") % {
            "count": hidden, "min": data.survey.min_group_size}
    return chart(figure, id=f"by-{by.replace('_', '-')}", title=title, table=frame,
                 n=int(frame["n"].sum()), description=description,
                 columns={"segment": title, "nps": "NPS", "low": _("low"), "high": _("high")})


def importance_chart(data: Barometer) -> Chart | None:
    if not data.attributes:
        return None
    frame = pd.DataFrame(data.attributes)
    frame["quadrant_label"] = frame["quadrant"].map(quadrant_label)
    x_line, y_line = frame["performance"].mean(), frame["importance"].mean()
    figure = {"height": 320, "layer": [
        {"data": values(frame), "mark": {"type": "point", "filled": True, "size": 120},
         "encoding": {
             "x": encode("performance:Q", title=_("Satisfaction (mean)"), scale={"zero": False}),
             "y": encode("importance:Q", title=_("Importance (mean)"), scale={"zero": False}),
             "color": encode("quadrant_label:N", title=_("Quadrant")),
             "tooltip": [encode("label:N"), encode("importance:Q", format=".2f"),
                         encode("performance:Q", format=".2f"),
                         encode("quadrant_label:N")]}},
        {"data": values(frame), "mark": {"type": "text", "align": "left", "dx": 8,
                                         "fontSize": 12},
         "encoding": {"x": encode("performance:Q"), "y": encode("importance:Q"),
                      "text": encode("label:N")}},
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
    figure = {"data": values(frame), "mark": {"type": "bar", "color": "#1d4ed8"},
              "height": max(80, 26 * len(frame)),
              "encoding": {"x": encode("percent:Q",
                                       title=_("Share of the explained variance (%)")),
                           "y": encode("label:N", sort="-x", title=None),
                           "tooltip": [encode("label:N"), encode("percent:Q", format=".1f")]}}
    return chart(figure, id="key-drivers", title=_("What drives the recommendation score"),
                 table=frame, n=data.drivers["n"],
                 columns={"label": _("Attribute"), "percent": _("share (%)")},
                 description=_("R² = %(r2).2f; each attribute's share of it (Shapley "
                               "decomposition).") % {"r2": data.drivers["r2"]})


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
    y = encode("group:N", sort="-x" if sort else {"field": "order"}, title=None)
    figure = {"data": values(frame), "height": max(60, 24 * len(frame)), "layer": [
        {"mark": {"type": "bar", "color": "#93c5fd"},
         "encoding": {"x": encode("happiness:Q", title=_("Happiness"),
                                  scale={"domain": [-100, 100]}),
                      "y": y, "tooltip": [encode("group:N"), encode("happiness:Q", format=".1f"),
                                          encode("n:Q"), encode("lost_hours:Q", format=".1f")]}},
        {"mark": {"type": "rule", "color": "#1e3a8a"},
         "encoding": {"x": encode("low:Q"), "x2": {"field": "high"}, "y": y}},
    ]}
    description = ""
    if hidden:
        description = _("%(count)d group(s) with fewer than %(min)d answers are not shown.") % {
            "count": hidden, "min": min_group}
    return chart(figure, id=id, title=title, n=int(frame["n"].sum()), description=description,
                 table=frame[["group", "happiness", "low", "high", "n", "lost_hours"]],
                 columns={"group": title, "happiness": _("Happiness"), "low": _("low"),
                          "high": _("high"), "lost_hours": _("hours lost per ticket")})


def monthly_chart(rows: list[dict]) -> Chart | None:
    shown = [{"month": r["key"], "happiness": r["happiness"].value, "low": r["happiness"].low,
              "high": r["happiness"].high, "n": r["n"],
              "lost_hours": r["lost_hours_mean"]} for r in rows if not r["suppressed"]]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    x = encode("month:O", title=_("Month"))
    figure = {"data": values(frame), "height": 240, "layer": [
        {"mark": {"type": "area", "color": "#dbeafe"},
         "encoding": {"x": x, "y": encode("low:Q", title=_("Happiness")),
                      "y2": {"field": "high"}}},
        {"mark": {"type": "rule", "color": "#94a3b8"},
         "encoding": {"x": x, "y": encode("low:Q"), "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("happiness:Q"),
                      "tooltip": [encode("month:N"), encode("happiness:Q", format=".1f"),
                                  encode("n:Q"), encode("lost_hours:Q", format=".2f")]}},
    ]}
    return chart(figure, id="happiness-month", title=_("Happiness by month"),
                 n=int(frame["n"].sum()), table=frame,
                 columns={"month": _("Month"), "happiness": _("Happiness"), "low": _("low"),
                          "high": _("high"), "lost_hours": _("hours lost per ticket")},
                 description=_("The band is the %(level)s interval.") % {"level": "95 %"})


def pareto_chart(pareto: dict | None) -> Chart | None:
    if not pareto:
        return None
    frame = pd.DataFrame(pareto["points"])
    figure = {"height": 240, "layer": [
        {"data": values(frame), "mark": {"type": "line", "color": "#dc2626"},
         "encoding": {"x": encode("tickets_pct:Q", title=_("Share of rated tickets (%)")),
                      "y": encode("lost_pct:Q", title=_("Share of the work time lost (%)"))}},
        {"data": {"values": [{"y": 80}]},
         "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#64748b"},
         "encoding": {"y": encode("y:Q")}},
    ]}
    return chart(figure, id="pareto", title=_("Where the lost time comes from"),
                 n=pareto["n"], table=frame,
                 columns={"tickets_pct": _("tickets (%)"), "lost_pct": _("time lost (%)")},
                 description=_("%(share).0f %% of the tickets cause 80 %% of the time lost.")
                 % {"share": pareto["share_for_80"]})


def card_trend(card: Any) -> Chart | None:
    """The service surveys' NPS by wave or month, for the value card."""
    shown = [{"period": r["period"], "nps": r["nps"].value, "low": r["nps"].low,
              "high": r["nps"].high, "n": r["n"]} for r in card.satisfaction if r["nps"]]
    if not shown:
        return None
    frame = pd.DataFrame(shown)
    frame["order"] = range(len(frame))
    x = encode("period:N", sort_field="order", title=None)
    figure = {"data": values(frame), "height": 160, "layer": [
        {"mark": {"type": "rule", "color": "#94a3b8"},
         "encoding": {"x": x, "y": encode("low:Q", title="NPS"), "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("nps:Q"),
                      "tooltip": [encode("period:N"), encode("nps:Q"), encode("n:Q")]}},
    ]}
    return chart(figure, id="service-trend", title=_("Satisfaction with the service (NPS)"),
                 table=frame[["period", "nps", "low", "high", "n"]], n=int(frame["n"].sum()),
                 columns={"period": _("Period"), "low": _("low"), "high": _("high")})


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
    x = encode("month:O", title=None)
    figure = {"data": values(frame), "height": 140, "layer": [
        {"mark": {"type": "bar", "color": "#93c5fd"},
         "encoding": {"x": x, "y": encode("active_users:Q", title=_("Active users")),
                      "tooltip": [encode("month:O"), encode("active_users:Q"),
                                  encode("adoption:Q")]}},
    ]}
    return chart(figure, id="service-usage", title=_("Active users by month"), table=frame,
                 columns={"month": _("Month"), "active_users": _("Active users"),
                          "adoption": _("Adoption (%)"), "low": _("low"), "high": _("high")})


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
        "quadrant": p.label} for p in placed])
    x = encode("adoption:Q", title=_("Adoption (% of its audience)"),
               scale={"domain": [0, 100]})
    y = encode("satisfaction:Q", title=_("Satisfaction (NPS or ticket happiness)"),
               scale={"domain": [-100, 100]})
    cuts = pd.DataFrame([{"x": 50, "y": 0}])
    figure = {"height": 360, "layer": [
        {"data": values(cuts), "mark": {"type": "rule", "color": "#94a3b8",
                                        "strokeDash": [4, 4]},
         "encoding": {"x": encode("x:Q")}},
        {"data": values(cuts), "mark": {"type": "rule", "color": "#94a3b8",
                                        "strokeDash": [4, 4]},
         "encoding": {"y": encode("y:Q")}},
        {"data": values(frame), "mark": {"type": "rule", "color": "#cbd5e1"},
         "encoding": {"x": encode("adoption_low:Q"), "x2": {"field": "adoption_high"},
                      "y": y}},
        {"data": values(frame), "mark": {"type": "rule", "color": "#cbd5e1"},
         "encoding": {"y": encode("satisfaction_low:Q"), "y2": {"field": "satisfaction_high"},
                      "x": x}},
        {"data": values(frame), "mark": {"type": "point", "filled": True, "size": 80},
         "encoding": {"x": x, "y": y,
                      "color": encode("quadrant:N", title=None,
                                      legend={"orient": "bottom", "columns": 1,
                                              "labelLimit": 600}),
                      "tooltip": [encode("service:N"), encode("adoption:Q"),
                                  encode("satisfaction:Q"), encode("measure:N"),
                                  encode("n_usage:Q"), encode("n_opinion:Q")]}},
        {"data": values(frame), "mark": {"type": "text", "dy": -10, "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": encode("service:N")}},
    ]}
    return chart(figure, id="perception", title=_("Perception vs reality"), table=frame,
                 columns={"service": _("Service"), "adoption": _("Adoption (%)"),
                          "adoption_low": _("low"), "adoption_high": _("high"),
                          "satisfaction": _("Satisfaction"), "satisfaction_low": _("low"),
                          "satisfaction_high": _("high"), "measure": _("Measure"),
                          "n_usage": _("Audience"), "n_opinion": _("Answers"),
                          "quadrant": _("Quadrant")})
