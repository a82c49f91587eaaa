"""The positioning results' charts: the perceptual map (equal scales on both axes: a map must
not be stretched), the gaps (dot-and-interval per attribute) and the segments' sizes.

Plain Vega-Lite dicts (:func:`phare.lib.charts.encode`, :func:`~phare.lib.charts.values`),
each with n in its caption, the table behind it and its CSV download. Everything comes from
:mod:`phare.positioning.results`, already released: a hidden result has no chart.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.utils import formats
from django.utils.translation import gettext as _

from phare.lib.charts import WRAPPED_AXIS, Chart, band_height, category, chart, encode, values, wrap
from phare.positioning.results.gaps import GapsResult
from phare.positioning.results.maps import MapResult
from phare.positioning.results.segments import SegmentsResult

MAP_SIZE = 760


def map_table(result: MapResult) -> pd.DataFrame:
    """Every point of the map: kind, code, label, x, y, quality."""
    kinds = ((_("Alternative"), result.rows), (_("Attribute"), result.columns),
             (_("Supplementary"), result.supplementary))
    rows = [{"kind": kind, "code": p.code, "label": p.label, "x": p.x, "y": p.y,
             "quality": p.quality} for kind, points in kinds for p in points]
    return pd.DataFrame(rows, columns=["kind", "code", "label", "x", "y", "quality"])


def axis_title(result: MapResult, dimension: int) -> str:
    percent = result.percent[dimension - 1] if len(result.percent) >= dimension else 0.0
    shown = formats.number_format(round(percent, 1), decimal_pos=1, use_l10n=True)
    return _("Dimension %(number)d (%(percent)s %%)") % {"number": dimension, "percent": shown}


def map_chart(result: MapResult) -> Chart | None:
    if result.hidden:
        return None
    table = map_table(result)
    if len(table):
        # On the chart a supplementary point is named by its group only: the legend says
        # what diamonds are, and a long label would cover its neighbours.
        short = {p.code: p.group_name or p.label for p in result.supplementary}
        supplementary = table["kind"] == _("Supplementary")
        table.loc[supplementary, "label"] = table.loc[supplementary, "code"].map(short)
    (x_domain, y_domain), (width, height) = _map_frame(table)
    x = encode("x:Q", title=axis_title(result, 1), scale={"domain": x_domain, "nice": False})
    y = encode("y:Q", title=axis_title(result, 2), scale={"domain": y_domain, "nice": False})
    reach = max(abs(v) for v in (*x_domain, *y_domain))
    # Shapes and colours keyed by the kind's code: the same in every language.
    kinds = {"alternative": _("Alternative"), "attribute": _("Attribute"),
             "supplementary": _("Supplementary")}
    table["kind_code"] = table["kind"].map({label: code for code, label in kinds.items()})
    shapes = {"alternative": "circle", "attribute": "triangle-up", "supplementary": "diamond"}
    colours = {"alternative": "#1d4ed8", "attribute": "#b45309", "supplementary": "#047857"}
    tooltip = [encode("label:N", title=_("Point")), encode("kind:N", title=_("Kind")),
               encode("x:Q", format=".3f", title=_("Dimension 1")),
               encode("y:Q", format=".3f", title=_("Dimension 2")),
               encode("quality:Q", title=_("Quality"), format=".2f")]
    layers: list[dict[str, Any]] = [
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": "#cbd5e1"},
         "encoding": {"x": encode("zero:Q")}},
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": "#cbd5e1"},
         "encoding": {"y": encode("zero:Q")}},
        {"data": values(table), "mark": {"type": "point", "filled": True, "size": 110},
         "encoding": {"x": x, "y": y,
                      "shape": category("kind_code:N", kinds, shapes),
                      "color": category("kind_code:N", kinds, colours),
                      "tooltip": tooltip}},
        # Labels point towards the centre (left of a point on the right half, right of one
        # on the left half): a label pointing outwards would be cut at the map's edge.
        {"data": values(table), "transform": [{"filter": "datum.x >= 0"}],
         "mark": {"type": "text", "align": "right", "dx": -7, "dy": -7, "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": encode("label:N")}},
        {"data": values(table), "transform": [{"filter": "datum.x < 0"}],
         "mark": {"type": "text", "align": "left", "dx": 7, "dy": -7, "fontSize": 11},
         "encoding": {"x": x, "y": y, "text": encode("label:N")}},
    ]
    description = _("Alternatives: circles; attributes: triangles; groups placed without "
                    "changing the axes: diamonds. How to read it: under the map.")
    if result.ideal is not None:
        tip = {"x": result.ideal.x * reach * 0.8, "y": result.ideal.y * reach * 0.8}
        arrow = pd.DataFrame([{"x": 0.0, "y": 0.0, "x2": tip["x"], "y2": tip["y"],
                               "label": _("Ideal direction")}])
        layers += [
            {"data": values(arrow), "mark": {"type": "rule", "color": "#dc2626", "strokeWidth": 2},
             "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
            {"data": values(arrow), "mark": {"type": "point", "shape": "arrow", "filled": True,
                                             "color": "#dc2626", "size": 120,
                                             "angle": _angle(result.ideal.x, result.ideal.y)},
             "encoding": {"x": encode("x2:Q"), "y": encode("y2:Q")}},
            {"data": values(arrow), "mark": {"type": "text", "color": "#dc2626", "dy": -10},
             "encoding": {"x": encode("x2:Q"), "y": encode("y2:Q"), "text": encode("label:N")}},
        ]
    figure = {"layer": layers, "width": width, "height": height,
              "config": {"legend": {"orient": "bottom", "direction": "horizontal"}}}
    return chart(figure, id="map", title=_("Perceptual map"),
                 table=table.drop(columns=["kind_code"]), n=result.n, description=description,
                 columns={"kind": _("Kind"), "code": _("Code"), "label": _("Point"),
                          "x": _("Dimension 1"), "y": _("Dimension 2"),
                          "quality": _("Quality")})


#: The smallest height of the map's plot, however flat the points lie.
MAP_MIN_HEIGHT = 240


def _map_frame(table: pd.DataFrame) -> tuple[tuple[list[float], list[float]],
                                                tuple[int, int]]:
    """The domains of both axes and the plot's size, at the same scale on both axes (a map
    must not be stretched): the points' extent with a margin for labels, ``MAP_SIZE`` wide, as
    high as the points' vertical extent needs at that scale (at least ``MAP_MIN_HEIGHT``, at
    most 1.2 × ``MAP_SIZE``: the other axis is widened to keep the scale)."""
    if not len(table):
        return ([-1.0, 1.0], [-1.0, 1.0]), (MAP_SIZE, MAP_SIZE)
    spans = []
    for axis in ("x", "y"):
        low, high = min(float(table[axis].min()), 0.0), max(float(table[axis].max()), 0.0)
        margin = max(high - low, 1e-6) * 0.12
        spans.append([low - margin, high + margin])
    (x0, x1), (y0, y1) = spans
    scale = MAP_SIZE / (x1 - x0)
    height = (y1 - y0) * scale
    if height < MAP_MIN_HEIGHT:
        grow = (MAP_MIN_HEIGHT / scale - (y1 - y0)) / 2
        y0, y1, height = y0 - grow, y1 + grow, MAP_MIN_HEIGHT
    elif height > 1.2 * MAP_SIZE:
        scale = 1.2 * MAP_SIZE / (y1 - y0)
        grow = (MAP_SIZE / scale - (x1 - x0)) / 2
        x0, x1, height = x0 - grow, x1 + grow, 1.2 * MAP_SIZE
    return ([x0, x1], [y0, y1]), (MAP_SIZE, round(height))


def _angle(x: float, y: float) -> float:
    """The rotation (degrees, clockwise from up) of Vega's arrow shape pointing along (x, y)."""
    return (90 - math.degrees(math.atan2(y, x))) % 360


def gaps_table(result: GapsResult) -> pd.DataFrame:
    rows = [{"attribute": g.label, "internal": g.internal_mean, "internal_low": g.internal_low,
             "internal_high": g.internal_high, "best": g.best_label, "best_mean": g.best_mean,
             "best_low": g.best_low, "best_high": g.best_high, "difference": g.difference,
             "difference_low": g.difference_low, "difference_high": g.difference_high,
             "p_adjusted": g.p_adjusted,
             "verdict": g.verdict_label if not g.hidden else g.reason,
             "importance": g.importance}
            for g in result.rows]
    return pd.DataFrame(rows, columns=["attribute", "internal", "internal_low", "internal_high",
                                       "best", "best_mean", "best_low", "best_high",
                                       "difference", "difference_low", "difference_high",
                                       "p_adjusted", "verdict", "importance"])


def gaps_columns(result: GapsResult) -> dict[str, str]:
    level = f"{result.confidence:.0%}"
    return {"attribute": _("Attribute"), "internal": result.internal_label,
            "internal_low": _("low"), "internal_high": _("high"),
            "best": _("Best alternative"), "best_mean": _("its mean"), "best_low": _("low"),
            "best_high": _("high"), "difference": _("Difference"),
            "difference_low": _("low (%(level)s)") % {"level": level},
            "difference_high": _("high (%(level)s)") % {"level": level},
            "p_adjusted": _("p (Holm)"), "verdict": _("Verdict"),
            "importance": _("Stated importance")}


def gaps_chart(result: GapsResult) -> Chart | None:
    shown = [g for g in result.rows if not g.hidden]
    if result.hidden or not shown:
        return None
    points = []
    for g in shown:
        points.append({"attribute": g.label, "who": result.internal_label,
                       "mean": g.internal_mean, "low": g.internal_low, "high": g.internal_high})
        points.append({"attribute": g.label, "who": _("Best alternative: %(name)s") % {
            "name": g.best_label}, "mean": g.best_mean, "low": g.best_low, "high": g.best_high})
    frame = pd.DataFrame(points)
    frame["axis_label"] = frame["attribute"].map(wrap)
    y = encode("axis_label:N", title=None, sort=[wrap(g.label) for g in shown],
               axis=WRAPPED_AXIS)
    # Keyed by code: the department and the best alternative keep their colours in every
    # language.
    frame["series"] = ["internal" if row["who"] == result.internal_label else "best"
                       for row in points]
    color = category("series:N", {"internal": result.internal_label,
                                  "best": _("Best alternative")},
                     {"internal": "#1d4ed8", "best": "#b45309"})
    height = max(120, band_height([wrap(g.label) for g in shown], line=15, padding=19))
    figure = {"data": values(frame), "height": height, "layer": [
        {"mark": {"type": "rule", "strokeWidth": 2},
         "encoding": {"x": encode("low:Q", title=_("Mean rating, with its interval"),
                                  scale={"zero": False},
                                  axis={"tickMinStep": 0.1, "format": ".1f"}),
                      "x2": {"field": "high"}, "y": y, "color": color,
                      "yOffset": encode("series:N")}},
        {"mark": {"type": "point", "filled": True, "size": 80},
         "encoding": {"x": encode("mean:Q"), "y": y, "color": color,
                      "yOffset": encode("series:N"),
                      "tooltip": [encode("attribute:N", title=_("Attribute")),
                                  encode("who:N", title=_("Who")),
                                  encode("mean:Q", format=".2f", title=_("Mean")),
                                  encode("low:Q", format=".2f", title=_("low")),
                                  encode("high:Q", format=".2f", title=_("high"))]}},
    ], "config": {"legend": {"orient": "top", "direction": "vertical"}}}
    return chart(figure, id="gaps",
                 title=_("%(internal)s against the best alternative, attribute by attribute")
                 % {"internal": result.internal_label},
                 table=gaps_table(result), n=result.n, columns=gaps_columns(result),
                 description=_("Intervals at %(level)s; attributes with too few answers are "
                               "not drawn.") % {"level": f"{result.confidence:.0%}"})


def segments_chart(result: SegmentsResult, labels: dict[str, str]) -> Chart | None:
    if result.hidden or not result.segments:
        return None
    frame = pd.DataFrame([{"segment": labels.get(str(s.number), str(s.number)),
                           "order": s.number, "size": s.size, "share": 100 * s.share}
                          for s in result.segments])
    figure = {"data": values(frame), "mark": {"type": "bar", "color": "#1d4ed8"},
              "height": max(80, 30 * len(frame)),
              "encoding": {"x": encode("share:Q", title=_("Share of the respondents analysed (%)")),
                           "y": encode("segment:N", sort_field="order", title=None),
                           "tooltip": [encode("segment:N", title=_("Segment")),
                                       encode("size:Q", title=_("Respondents")),
                                       encode("share:Q", format=".1f", title=_("share (%)"))]}}
    return chart(figure, id="segment-sizes", title=_("Size of each segment"), table=frame[
        ["segment", "size", "share"]], n=result.used,
        columns={"segment": _("Segment"), "size": _("Respondents"), "share": _("share (%)")})
