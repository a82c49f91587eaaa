"""The positioning API: results — the perceptual map (with the table it was computed from, so
that an analyst can recompute it), the gaps, shadow IT and the segments.

Readers: POSITIONING_READERS. 404 for an unknown study. A hidden result answers 200 with
``hidden: true`` and a ``reason``, and no figure.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from phare.accounts.apiauth import roles
from phare.accounts.roles import POSITIONING_READERS
from phare.positioning import results
from phare.positioning.models import Study
from phare.positioning.results.maps import MapResult, Point

router = Router(tags=["positioning"])


def _study(slug: str) -> Study:
    return get_object_or_404(Study, slug=slug)


def _point(point: Point, *, supplementary: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"label": point.code, "name": point.label, "x": point.x,
                           "y": point.y, "quality": point.quality}
    if supplementary:
        out["group"] = point.group
    return out


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


class MapFilters(Schema):
    supplementary: Literal["", "top_unit", "job_family", "segment"] = Field(
        "", description="Groups placed as supplementary points: the IT department as seen by "
                        "each top unit, job family or segment.")


def map_body(result: MapResult) -> dict[str, Any]:
    if result.hidden:
        return {"hidden": True, "reason": result.reason, "method": result.method,
                "n": result.n}
    table = result.table
    return {
        "hidden": False, "reason": "", "method": result.method, "n": result.n,
        "table": {"rows": [str(c) for c in table.index], "columns": [str(c) for c in table.columns],
                  "values": [[float(v) for v in row] for row in table.to_numpy()]},
        "rows": [_point(p) for p in result.rows],
        "columns": [_point(p) for p in result.columns],
        "supplementary": [_point(p, supplementary=True) for p in result.supplementary],
        "supplementary_note": result.supplementary_note,
        "inertias": result.inertias, "total_inertia": result.total_inertia,
        "percent": result.percent,
        "ideal": (None if result.ideal is None else {
            "x": result.ideal.x, "y": result.ideal.y, "r2": result.ideal.r2,
            "n": result.ideal.n, "coefficients": list(result.ideal.coefficients),
            "intercept": result.ideal.intercept}),
        "reading_rule": result.reading_rule,
    }


@router.get("/positioning/studies/{slug}/map", response=dict[str, Any],
            auth=roles(POSITIONING_READERS))
def study_map(request: HttpRequest, slug: str, filters: Query[MapFilters]) -> dict[str, Any]:
    """The perceptual map: ``table`` (rows, columns, values: the mean ratings it was computed
    from), ``rows`` and ``columns`` (label = code, name, x, y, quality), ``supplementary``
    (the same with ``group``), ``inertias``, ``total_inertia``, ``percent``, ``method``, ``n``
    and ``ideal`` (or null)."""
    return map_body(results.perceptual_map(_study(slug), supplementary=filters.supplementary))


@router.get("/positioning/studies/{slug}/gaps", response=dict[str, Any],
            auth=roles(POSITIONING_READERS))
def study_gaps(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Per attribute: the internal alternative's mean and interval, the best other one's, the
    paired difference with its Holm-adjusted p and the verdict; stated importance; the key
    drivers of preferring the IT department; benchmarks with their source and date."""
    study = _study(slug)
    result = results.gaps(study)
    if result.hidden:
        return {"hidden": True, "reason": result.reason, "n": result.n}

    def bench(b: Any) -> dict[str, Any]:
        return {"label": b.label, "value": b.value, "unit": b.unit, "attribute": b.attribute,
                "source": b.source, "source_url": b.source_url, "as_of": b.as_of.isoformat()}

    rows = []
    for g in result.rows:
        row: dict[str, Any] = {"attribute": g.attribute, "name": g.label, "hidden": g.hidden,
                               "reason": g.reason, "importance": _number(g.importance),
                               "benchmarks": [bench(b) for b in g.benchmarks]}
        if not g.hidden:
            row.update({
                "internal": {"mean": g.internal_mean, "low": g.internal_low,
                             "high": g.internal_high},
                "best": {"alternative": g.best, "name": g.best_label, "mean": g.best_mean,
                         "low": g.best_low, "high": g.best_high},
                "difference": {"mean": g.difference, "low": g.difference_low,
                               "high": g.difference_high, "p_adjusted": g.p_adjusted},
                "verdict": g.verdict})
        rows.append(row)
    drivers = None
    if result.drivers is not None:
        drivers = {"method": result.drivers.method, "r2": result.drivers.r2,
                   "n": result.drivers.n,
                   "attributes": [{"attribute": d.attribute, "name": d.label,
                                   "percent": d.percent, "rank": d.rank}
                                  for d in result.drivers.rows]}
    return {"hidden": False, "reason": "", "n": result.n, "internal": result.internal,
            "confidence": result.confidence, "attributes": rows, "drivers": drivers,
            "drivers_note": result.drivers_note,
            "other_benchmarks": [bench(b) for b in result.other_benchmarks]}


@router.get("/positioning/studies/{slug}/shadow-it", response=dict[str, Any],
            auth=roles(POSITIONING_READERS))
def study_shadow_it(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Tool groups named by at least k respondents (rarer ones pooled in ``other_people``,
    never listed), their catalogue status and who uses them (hidden cells: null)."""
    result = results.shadow_it(_study(slug))
    if result.hidden:
        return {"hidden": True, "reason": result.reason, "n": result.n}

    def cells(items: Any) -> list[dict[str, Any]]:
        return [{"code": c.code, "name": c.label, "people": c.people, "share": c.share}
                for c in items]

    return {"hidden": False, "reason": "", "n": result.n, "naming": result.naming,
            "other_people": result.other_people,
            "tools": [{"name": g.name, "tool": g.tool_id, "people": g.people, "share": g.share,
                       "status": g.status, "service": g.service,
                       "by_top_unit": cells(g.by_unit), "by_job_family": cells(g.by_job_family)}
                      for g in result.groups]}


@router.get("/positioning/studies/{slug}/segments", response=dict[str, Any],
            auth=roles(POSITIONING_READERS))
def study_segments(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The segments: k, silhouette, each segment's size, share, attitudes (standardised
    centres), preference shares, profile with indexes (hidden cells: null), point on the map
    and verbatims (text only, from k_verbatim commenters)."""
    result = results.segmentation(_study(slug))
    if result.hidden:
        return {"hidden": True, "reason": result.reason, "n": result.n}
    return {
        "hidden": False, "reason": "", "n": result.n, "k": result.k,
        "k_given": result.k_given, "silhouette": result.silhouette, "used": result.used,
        "dropped": result.dropped, "features": result.features,
        "segments": [{
            "segment": s.number, "size": s.size, "share": s.share,
            "attitudes": {a.feature: a.z for a in s.attitudes},
            "preference": [{"alternative": p.code, "name": p.label, "share": p.share}
                           for p in s.preference],
            "profile": {p.dimension: [{"code": c.code, "name": c.label, "share": c.share,
                                       "index": c.index} for c in p.cells]
                        for p in s.profiles},
            "x": s.x, "y": s.y, "verbatims": s.verbatims} for s in result.segments]}
