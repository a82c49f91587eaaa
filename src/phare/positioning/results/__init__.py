"""The study's results, read-only: the perceptual map, the gaps, shadow IT and the segments.

Each computation takes the study's released answers (:class:`~phare.positioning.answers.
StudyData`) in its own module (:mod:`.maps`, :mod:`.gaps`, :mod:`.shadow`, :mod:`.segments`);
the functions here take a :class:`~phare.positioning.models.Study`, read its answers once per
request, add what the database knows (names of units, sites and job families, tools, benchmarks,
personas) and return the result dataclasses. A hidden result says why, never a small count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from django.utils.translation import gettext as _

from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.positioning.answers import StudyData, study_data
from phare.positioning.models import Study
from phare.positioning.questionnaire import PROFILE_QUESTIONS, profile_label
from phare.positioning.results import gaps as gaps_module
from phare.positioning.results import maps, segments, shadow
from phare.positioning.results.common import Names
from phare.positioning.results.gaps import Benchmark, GapsResult
from phare.positioning.results.maps import MapResult
from phare.positioning.results.segments import SegmentsResult
from phare.positioning.results.shadow import ShadowResult, ToolInfo

__all__ = ["GapsResult", "MapResult", "SegmentsResult", "ShadowResult", "gaps", "names",
           "perceptual_map", "persona_job_families", "segmentation", "shadow_it"]

T = TypeVar("T")


def _memo(study: Study, name: str, compute: Callable[[], T]) -> T:
    """One computation per study object and request: pages that show the map and the
    segments read the answers and segment them once."""
    store: dict[str, object] = study.__dict__.setdefault("_positioning_results", {})
    if name not in store:
        store[name] = compute()
    return store[name]  # type: ignore[return-value]


def data_of(study: Study, *, today: dt.date | None = None) -> StudyData:
    return _memo(study, "data", lambda: study_data(study, today=today))


def names(data: StudyData) -> Names:
    """The names of the codes the results show: units, sites, job families, profile answers
    and segments (with their persona's name when the lead wrote one)."""
    return _memo(data.study, "names", lambda: _names(data))


def _names(data: StudyData) -> Names:
    people = data.people
    wanted = {column: {str(v) for v in people[column].dropna().unique() if v}
              for column in ("top_unit", "site", "job_family")}
    by_dimension: dict[str, dict[str, str]] = {
        "top_unit": dict(BusinessUnit.objects.filter(code__in=wanted["top_unit"])
                         .values_list("code", "name")),
        "site": dict(Site.objects.filter(code__in=wanted["site"]).values_list("code", "name")),
        "job_family": dict(JobFamily.objects.filter(code__in=wanted["job_family"])
                           .values_list("code", "name")),
    }
    titles = {}
    for code, spec in PROFILE_QUESTIONS.items():
        by_dimension[code] = {option: _(label) for option, label in spec["options"]}
        titles[code] = profile_label(code)
    labels = {segment: _("Segment %(number)s") % {"number": segment} for segment in range(1, 9)}
    for persona in data.study.personas.all():
        labels[persona.segment] = _("Segment %(number)s — %(name)s") % {
            "number": persona.segment, "name": persona.name}
    by_dimension["segment"] = {str(number): label for number, label in labels.items()}
    return Names(by_dimension=by_dimension, titles=titles)


def segmentation(study: Study) -> SegmentsResult:
    """The study's segments, each with its point on the map (see :mod:`.segments`)."""
    def compute() -> SegmentsResult:
        data = data_of(study)
        found = segments.compute_segments(data, k=study.segments_k, names=names(data))
        if found.hidden:
            return found
        placed = maps.compute_map(data, method=study.method, groups=found.labels,
                                  supplementary_by="segment", names=names(data))
        points = {p.code: p for p in placed.supplementary}
        return replace(found, segments=[
            replace(item, x=points[str(item.number)].x, y=points[str(item.number)].y)
            if str(item.number) in points else item for item in found.segments])
    return _memo(study, "segments", compute)


def perceptual_map(study: Study, *, supplementary: str = "") -> MapResult:
    """The study's map; ``supplementary`` in "", "top_unit", "job_family", "segment"."""
    if supplementary not in maps.SUPPLEMENTARY:
        raise ValueError(f"supplementary: unknown group {supplementary!r}")

    def compute() -> MapResult:
        data = data_of(study)
        groups = None
        note = ""
        if supplementary == "segment":
            found = segmentation(study)
            if found.hidden:
                note = found.reason
            else:
                groups = found.labels
        elif supplementary:
            groups = data.people[supplementary]
        result = maps.compute_map(data, method=study.method, groups=groups,
                                  supplementary_by=supplementary, names=names(data))
        return replace(result, supplementary_note=note) if note and not result.hidden else result
    return _memo(study, f"map:{supplementary}", compute)


def benchmarks(study: Study) -> list[Benchmark]:
    return [Benchmark(label=b.label, value=float(b.value), unit=b.unit, attribute=b.attribute,
                      source=b.source, source_url=b.source_url, as_of=b.as_of)
            for b in study.benchmarks.all()]


def gaps(study: Study) -> GapsResult:
    """The study's gaps, drivers, importance and benchmarks (see :mod:`.gaps`)."""
    return _memo(study, "gaps", lambda: gaps_module.compute_gaps(data_of(study),
                                                                 benchmarks=benchmarks(study)))


def shadow_it(study: Study) -> ShadowResult:
    """The study's declared tools, grouped and released (see :mod:`.shadow`)."""
    def compute() -> ShadowResult:
        data = data_of(study)
        tools = [ToolInfo(id=t.pk, name=t.name, aliases=list(t.aliases or []),
                          service=str(t.service) if t.service_id else "", gap=t.gap)
                 for t in study.tools.select_related("service")]
        return shadow.compute_shadow(data, tools=tools, names=names(data))
    return _memo(study, "shadow", compute)


def persona_job_families(study: Study, segment: int, threshold: float = 40) -> list[str]:
    """Job families whose released cell for ``segment`` holds at least *k* respondents and
    where the segment is at least ``threshold`` % of the family's respondents (codes)."""
    found = segmentation(study)
    if found.hidden:
        return []
    return segments.job_families_of(found, segment, threshold, data_of(study).k)
