"""The usage pages' charts, as Vega-Lite specifications with the tables behind them.

Every figure comes from :mod:`phare.usage.queries` already released: a hidden group carries no
number, so it is left out of a chart (and its table) and only counted in the description.
Rates are fractions in the queries and percentages here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis.adoption import CohortRow, Rate
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
from phare.usage.models import TenantCount
from phare.usage.queries import Adoption, DeploymentProgress, DepthRow, MonthFigures, Summary

#: Depth metrics and tenant-wide counts, as people read them.
METRIC_LABELS = {
    "active": gettext_lazy("Active users"),
    "licensed": gettext_lazy("Licensed users"),
    "sites": gettext_lazy("Sites"),
    "active_sites": gettext_lazy("Active sites"),
    "page_views": gettext_lazy("Page views"),
    "visited_pages": gettext_lazy("Pages visited"),
    "files": gettext_lazy("Files"),
    "active_files": gettext_lazy("Active files"),
    "teams.chat_messages": gettext_lazy("Chat messages"),
    "teams.calls": gettext_lazy("Calls"),
    "teams.meetings": gettext_lazy("Meetings"),
    "teams.meetings_organized": gettext_lazy("Meetings organised"),
    "teams.meetings_attended": gettext_lazy("Meetings attended"),
    "teams.audio": gettext_lazy("Audio (time)"),
    "teams.video": gettext_lazy("Video (time)"),
    "teams.screen_share": gettext_lazy("Screen sharing (time)"),
    "email.sent": gettext_lazy("Emails sent"),
    "email.received": gettext_lazy("Emails received"),
    "email.read": gettext_lazy("Emails read"),
    "email.meetings_created": gettext_lazy("Meetings created"),
    "email.meetings_interacted": gettext_lazy("Meeting invitations answered"),
    "onedrive.files": gettext_lazy("Files stored"),
    "onedrive.active_files": gettext_lazy("Files used"),
    "onedrive.storage_bytes": gettext_lazy("Storage used (bytes)"),
}
#: The products of Microsoft 365's reports.
PRODUCT_LABELS = {"m365:exchange": "Exchange", "m365:onedrive": "OneDrive",
                  "m365:sharepoint": "SharePoint", "m365:skype": "Skype for Business",
                  "m365:yammer": "Yammer (Viva Engage)", "m365:teams": "Microsoft Teams"}


def metric_label(metric: str) -> str:
    if metric.startswith("event:"):
        return _("Event “%(name)s”") % {"name": metric[len("event:"):]}
    return str(METRIC_LABELS.get(metric, metric))


def product_label(product: str) -> str:
    return PRODUCT_LABELS.get(product, product)


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def month_label(month: Any) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def by_title(by: str) -> str:
    return {"unit": _("Business unit"), "site": _("Site"), "job_family": _("Job family")}[by]


def _interval_bars(frame: pd.DataFrame, label: str, title: str) -> dict[str, Any]:
    """Horizontal bars of ``adoption`` (%) per ``group`` with their interval as a rule."""
    drawn = frame.assign(axis_label=frame["group"].map(wrap))
    y = encode("axis_label:N", sort="-x", title=None, axis=WRAPPED_AXIS)
    height = band_height(drawn["axis_label"], minimum=60)
    return {"data": values(drawn), "height": height, "layer": [
        {"mark": {"type": "bar", "color": BAR_COLOR},
         "encoding": {"x": encode("adoption:Q", title=title, scale={"domain": [0, 100]}),
                      "y": y,
                      "tooltip": [encode("group:N", title=label),
                                  encode("adoption:Q", format=".1f", title=title),
                                  encode("low:Q", format=".1f", title=_("low")),
                                  encode("high:Q", format=".1f", title=_("high")),
                                  encode("audience:Q", title=_("Audience"))]}},
        {"mark": {"type": "rule", "color": INTERVAL_COLOR, "strokeWidth": 2},
         "encoding": {"x": encode("low:Q"), "x2": {"field": "high"}, "y": y}},
    ]}


def _columns(label: str) -> dict[str, str]:
    return {"group": label, "adoption": _("Adoption (%)"), "low": _("low"), "high": _("high"),
            "active": _("Active users"), "audience": _("Audience")}


def overview_chart(summaries: Sequence[Summary]) -> Chart | None:
    """Each service's adoption in its last month, with its interval."""
    rows = [{"group": s.service.name, "adoption": percent(s.adoption.value),
             "low": percent(s.adoption.low), "high": percent(s.adoption.high),
             "audience": s.adoption.n}
            for s in summaries if s.adoption is not None]
    if not rows:
        return None
    hidden = len(summaries) - len(rows)
    frame = pd.DataFrame(rows)
    description = _("Active users of the audience in the last month over, with the 95 % "
                    "interval.")
    if hidden:
        description += " " + _("%(count)d service(s) without an adoption to show (too few "
                               "people) are not drawn.") % {"count": hidden}
    label = _("Service")
    return chart(_interval_bars(frame, label, _("Adoption (%)")), id="adoption-by-service",
                 title=_("Adoption by service"), table=frame, description=description,
                 columns=_columns(label))


def adoption_chart(data: Adoption) -> Chart | None:
    """The adoption of a service by unit, site or job family in one month (shown rows)."""
    shown = [r for r in data.rows if not r.suppressed]
    if not shown or data.month is None:
        return None
    frame = pd.DataFrame([{"group": r.label or _("(not known)"),
                           "adoption": percent(r.adoption_rate), "low": percent(r.low),
                           "high": percent(r.high), "active": r.active_users,
                           "audience": r.audience} for r in shown])
    hidden = len(data.rows) - len(shown)
    description = _("The bar is the adoption, the line its 95 % interval.")
    if hidden:
        description += " " + _("%(count)d group(s) with too few people are not shown.") % {
            "count": hidden}
    label = by_title(data.by)
    n = data.total.audience if data.total is not None and not data.total.suppressed else None
    return chart(_interval_bars(frame, label, _("Adoption (%)")), id="adoption",
                 title=_("Adoption by %(by)s — %(month)s") % {
                     "by": label.lower(), "month": month_label(data.month)},
                 table=frame, n=n, description=description, columns=_columns(label))


def active_users_chart(months: Sequence[MonthFigures]) -> Chart | None:
    """Active users (everyone who used the service) by month."""
    rows = [{"month": f"{m.month:%Y-%m}", "active": m.active_users,
             "stickiness": percent(m.stickiness), "frequency": m.frequency}
            for m in months if m.active_users is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    x = month_axis("month:O", title=_("Month"))
    figure = {"data": values(frame), "height": 220, "transform": [month_labels("month")],
              "mark": {"type": "line", "point": True, "color": "#1d4ed8"},
              "encoding": {"x": x, "y": encode("active:Q", title=_("Active users")),
                           "tooltip": [encode("month_label:N", title=_("Month")),
                                       encode("active:Q", title=_("Active users")),
                                       encode("stickiness:Q", format=".1f",
                                              title=_("Stickiness (%)")),
                                       encode("frequency:Q", format=".1f",
                                              title=_("Active days per user"))]}}
    return chart(figure, id="active-users", title=_("Active users by month"), table=frame,
                 columns={"month": _("Month"), "active": _("Active users"),
                          "stickiness": _("Stickiness (%)"),
                          "frequency": _("Active days per user")},
                 description=_("Stickiness is the mean daily active users over the month's "
                               "active users (DAU/MAU)."))


def adoption_trend_chart(months: Sequence[MonthFigures]) -> Chart | None:
    """The share of the audience active each month, with its interval as a band."""
    rows = [{"month": f"{m.month:%Y-%m}", "adoption": percent(m.adoption.value),
             "low": percent(m.adoption.low), "high": percent(m.adoption.high),
             "audience": m.audience}
            for m in months if m.adoption is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    x = month_axis("month:O", title=_("Month"))
    figure = {"data": values(frame), "height": 220, "transform": [month_labels("month")],
              "layer": [
        {"mark": {"type": "area", "color": "#dbeafe"},
         "encoding": {"x": x, "y": encode("low:Q", title=_("Adoption (%)"),
                                          scale={"domain": [0, 100]}),
                      "y2": {"field": "high"}}},
        # The band is pale: each month's interval is also a whisker that stands out (3:1).
        {"mark": {"type": "rule", "color": WHISKER_COLOR},
         "encoding": {"x": x, "y": encode("low:Q"), "y2": {"field": "high"}}},
        {"mark": {"type": "line", "point": True, "color": "#1d4ed8"},
         "encoding": {"x": x, "y": encode("adoption:Q"),
                      "tooltip": [encode("month_label:N", title=_("Month")),
                                  encode("adoption:Q", format=".1f", title=_("Adoption (%)")),
                                  encode("low:Q", format=".1f", title=_("low")),
                                  encode("high:Q", format=".1f", title=_("high"))]}},
    ]}
    return chart(figure, id="adoption-trend", title=_("Adoption by month"), table=frame,
                 n=int(frame["audience"].iloc[-1]),
                 columns={"month": _("Month"), "adoption": _("Adoption (%)"), "low": _("low"),
                          "high": _("high"), "audience": _("Audience")},
                 description=_("The band is the 95 % interval."))


#: The target curve's code in the deployment chart (a unit's code is its directory code).
TARGET = "__target__"
#: The deployment chart's lines: the target in slate, then the units (each 3:1 on white).
UNIT_COLORS = ["#475569", "#1d4ed8", "#b45309", "#047857", "#b91c1c", "#7c3aed", "#0e7490",
               "#4d7c0f", "#be185d", "#a16207"]


def deployment_chart(progress: DeploymentProgress | None) -> Chart | None:
    """Adoption since launch by top unit, week by week, against the target curve."""
    if progress is None or not progress.weeks:
        return None
    target = _("Target")
    rows: list[dict[str, Any]] = []
    for i, week in enumerate(progress.weeks):
        rows.append({"week": week.isoformat(), "series": target, "code": TARGET,
                     "adoption": percent(progress.expected[i]), "low": None, "high": None})
        for unit in progress.units:
            rate: Rate | None = unit["rates"][i]
            if rate is not None:
                rows.append({"week": week.isoformat(), "series": unit["label"],
                             "code": unit["key"], "adoption": percent(rate.value),
                             "low": percent(rate.low), "high": percent(rate.high)})
    frame = pd.DataFrame(rows)
    # Colours keyed by the units' codes (and the target's): the same in every language.
    labels = {TARGET: target, **{unit["key"]: unit["label"] for unit in progress.units}}
    colors = {code: UNIT_COLORS[i % len(UNIT_COLORS)] for i, code in enumerate(labels)}
    figure = {"data": values(frame), "height": 260,
              "mark": {"type": "line", "point": True},
              "encoding": {
                  "x": encode("week:T", title=_("Week"), timeUnit="utcyearmonthdate"),
                  "y": encode("adoption:Q", title=_("Adoption (%)"),
                              scale={"domain": [0, 100]}),
                  "color": category("code:N", labels, colors,
                                    legend={"orient": "bottom", "direction": "vertical",
                                            "labelLimit": 240}),
                  "strokeDash": {"condition": {"test": {"field": "code", "equal": TARGET},
                                               "value": [6, 4]},
                                 "value": [1, 0]},
                  "tooltip": [encode("week:T", title=_("Week"), timeUnit="utcyearmonthdate"),
                              encode("series:N", title=_("Business unit")),
                              encode("adoption:Q", format=".1f", title=_("Adoption (%)")),
                              encode("low:Q", format=".1f", title=_("low")),
                              encode("high:Q", format=".1f", title=_("high"))]}}
    return chart(figure, id="deployment", title=_("Adoption since the launch, by unit"),
                 table=frame.drop(columns=["code"]),
                 columns={"week": _("Week"), "series": _("Business unit"),
                          "adoption": _("Adoption (%)"), "low": _("low"), "high": _("high")},
                 description=_("The dashed line is the target curve; a unit is shown once it "
                               "has enough people."))


@dataclass
class ServiceCharts:
    """A service's usage page's charts; a chart with nothing to show is absent."""

    adoption: Chart | None
    active_users: Chart | None
    adoption_trend: Chart | None
    deployment: Chart | None

    def all(self) -> list[Chart]:
        """Every chart drawn, in the page's order (each downloads its table)."""
        return [c for c in (self.adoption, self.active_users, self.adoption_trend,
                            self.deployment) if c is not None]


def service_charts(adoption: Adoption, months: Sequence[MonthFigures],
                   progress: DeploymentProgress | None) -> ServiceCharts:
    return ServiceCharts(adoption=adoption_chart(adoption),
                         active_users=active_users_chart(months),
                         adoption_trend=adoption_trend_chart(months),
                         deployment=deployment_chart(progress))


# -- tables: the figures of the queries with the names and differences a page shows ------------

def overview_rows(summaries: Sequence[Summary]) -> list[dict[str, Any]]:
    """Each service's summary, with the change of its active users from the month before
    (when both months are shown)."""
    rows = []
    for s in summaries:
        change = None
        if s.active_users is not None and s.previous_active is not None:
            change = s.active_users - s.previous_active
        rows.append({"summary": s, "service": s.service, "change": change})
    return rows


def depth_rows(rows: Sequence[DepthRow]) -> list[dict[str, Any]]:
    return [{"label": metric_label(r.metric), "row": r} for r in rows]


def tenant_rows(counts: Sequence[TenantCount]) -> list[dict[str, Any]]:
    return [{"product": product_label(c.product), "metric": metric_label(c.metric),
             "count": c} for c in counts]


def cohort_table(rows: Sequence[CohortRow[Any]]) -> dict[str, Any]:
    """Retention as a grid: one row per cohort (its month of first use), one column per month
    after it; a hidden or not yet observed cell is None (shown blank)."""
    offsets = sorted({offset for row in rows for offset in row.shares})
    return {"offsets": offsets,
            "rows": [{"cohort": row.cohort, "size": row.size,
                      "cells": [percent(row.shares.get(offset)) for offset in offsets]}
                     for row in rows]}
