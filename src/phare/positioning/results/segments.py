"""Segments of respondents from their attitudes and declared behaviour
(:func:`phare.analysis.segments.segments`: k-means on standardised answers, k given by the
study or chosen by silhouette over 2..6, seed 0): each segment's size, what sets it apart,
its preference, its profile (top units, sites, job families, profile questions) with indexes,
and representative verbatims — the raw material of the personas.

Input per respondent: their ratings of the IT department on each attribute, the stated
importance of each attribute, and the number of alternatives they used; respondents with a
missing value are left out (and counted), columns nobody answered or that do not vary are left
out too.

Privacy: a segment is a group of people, so a segmentation with a segment under *k* is refused
("too few answers per segment"). In a profile, each cell (segment × category) is a group:
cells under *k* are hidden, with complementary suppression along BOTH the segment's row
(residual: its members of no known category) and the category's column (residual: the
category's respondents left out of the segmentation), repeated until both hold. Verbatims
only when the segment has at least *k*ᵥ commenters, text only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.core.cache import caches
from django.utils.translation import gettext as _

from phare.analysis import disclosure
from phare.analysis.errors import AnalysisError
from phare.analysis.segments import Segments
from phare.analysis.segments import segments as find_segments
from phare.lib.cache import remembered
from phare.positioning.answers import StudyData
from phare.positioning.results.common import Names, Share, choice_shares, too_few_answers

#: Columns of ``StudyData.people`` that are not profile questions.
_NOT_PROFILE = {"unit", "site", "job_family", "top_unit"}
K_RANGE = (2, 6)
VERBATIMS = 5


@dataclass(frozen=True)
class Attitude:
    feature: str
    label: str
    z: float  # the segment's centre, in standard deviations from the overall mean


@dataclass(frozen=True)
class ProfileCell:
    code: str
    label: str
    n: int | None       # None: hidden
    share: float | None  # of the segment
    index: float | None  # 100 × share in segment / share overall


@dataclass(frozen=True)
class DimensionProfile:
    dimension: str
    title: str
    cells: list[ProfileCell]
    #: Analysed respondents of each category (None: the category is hidden).
    totals: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Segment:
    number: int
    size: int
    share: float
    attitudes: list[Attitude]
    preference: list[Share]
    profiles: list[DimensionProfile]
    verbatims: list[str]
    x: float | None = None
    y: float | None = None

    @property
    def apart(self) -> list[Attitude]:
        """The (up to 4) attitudes that set the segment apart most, of at least half a standard
        deviation."""
        return [a for a in sorted(self.attitudes, key=lambda a: -abs(a.z))[:4] if abs(a.z) >= .5]


@dataclass(frozen=True)
class SegmentsResult:
    n: int
    hidden: bool = False
    reason: str = ""
    k: int = 0
    k_given: bool = False
    silhouette: float | None = None
    silhouettes: dict[int, float] = field(default_factory=dict)
    used: int = 0
    dropped: int = 0
    features: dict[str, str] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    #: Each analysed respondent's segment — for the map's supplementary points, never shown.
    labels: pd.Series = field(default_factory=lambda: pd.Series(dtype=int))


def features(data: StudyData) -> tuple[pd.DataFrame, dict[str, str]]:
    """The segmentation's input (one row per respondent, NaN = missing) and each column's
    label."""
    internal_label = data.alternative_labels.get(data.internal, data.internal)
    internal = data.ratings[data.ratings["alternative"] == data.internal]
    ratings = (internal.pivot_table(index="respondent", columns="attribute", values="rating",
                                    aggfunc="mean")
               .reindex(index=range(data.n), columns=data.attributes))
    frame = pd.DataFrame(index=pd.RangeIndex(data.n, name="respondent"))
    labels: dict[str, str] = {}
    for attribute in data.attributes:
        name = data.attribute_labels.get(attribute, attribute)
        frame[f"rating:{attribute}"] = ratings[attribute].to_numpy(dtype=float)
        labels[f"rating:{attribute}"] = _("%(alternative)s rated on %(attribute)s") % {
            "alternative": internal_label, "attribute": name}
    for attribute in data.attributes:
        if attribute in data.importance.columns:
            frame[f"importance:{attribute}"] = (data.importance[attribute]
                                                .reindex(range(data.n)).astype(float).to_numpy())
            labels[f"importance:{attribute}"] = _("Importance of %(attribute)s") % {
                "attribute": data.attribute_labels.get(attribute, attribute)}
    if len(data.used.columns):
        frame["used"] = (data.used.reindex(range(data.n)).fillna(False).astype(bool)
                         .sum(axis=1).astype(float).to_numpy())
        labels["used"] = _("Number of alternatives used")
    frame = frame.dropna(axis=1, how="all")
    return frame, {c: labels[c] for c in frame.columns}


def _hidden(data: StudyData, reason: str, **kwargs: object) -> SegmentsResult:
    return SegmentsResult(n=data.n, hidden=True, reason=reason, **kwargs)  # type: ignore[arg-type]


#: How long a segmentation is kept; its key is made of the data, so it never goes stale.
SEGMENTS_CACHE_SECONDS = 7 * 24 * 3600


def _segments(complete: pd.DataFrame, k: int | None) -> Segments:
    """The segments of ``complete``, computed once per data: k-means with a silhouette search
    costs seconds on a study's answers, and every results page, the persona cards and the API
    ask for them. The key is a hash of the rows themselves (and k), so new released answers
    make a new key and nothing needs invalidating."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(complete, index=True).to_numpy()
                            .tobytes())
    digest.update(repr((list(complete.columns), k, K_RANGE)).encode())
    return remembered(caches["insights"], f"positioning-segments:{digest.hexdigest()}",
                      SEGMENTS_CACHE_SECONDS,
                      lambda: find_segments(complete, k=k, k_range=K_RANGE, seed=0))


def compute_segments(data: StudyData, *, k: int | None = None, names: Names | None = None
                     ) -> SegmentsResult:
    """The segments of ``data`` (see the module docstring); ``k`` given, or by silhouette."""
    names = names or Names()
    if data.n < data.k:
        return _hidden(data, too_few_answers(data.k))
    frame, labels = features(data)
    complete = frame.dropna()
    complete = complete.loc[:, complete.nunique() > 1]
    dropped = data.n - len(complete)
    if len(complete) < data.k or complete.shape[1] < 2:
        return _hidden(data, _("Too few complete answers to find segments."), dropped=dropped)
    try:
        found = _segments(complete, k)
    except AnalysisError as exc:
        return _hidden(data, _("No segments: %(error)s") % {"error": exc}, dropped=dropped)
    if int(found.profile["size"].min()) < data.k:
        return _hidden(data, _("Too few answers per segment: the segmentation is not shown. "
                               "Try fewer segments."), dropped=dropped, k=found.k)
    scaled = (complete - complete.mean()) / complete.std(ddof=0)
    profiles = profile_tables(data, found.labels, names)
    out = []
    for number in found.profile.index:
        members = found.labels.index[found.labels == number]
        centre = found.centers.loc[number]
        out.append(Segment(
            number=int(number), size=int(found.profile.loc[number, "size"]),
            share=float(found.profile.loc[number, "share"]),
            attitudes=[Attitude(feature=str(c), label=labels[str(c)], z=float(centre[c]))
                       for c in found.centers.columns],
            preference=choice_shares(data.preference.reindex(members), data.alternatives,
                                     data.alternative_labels, data.k),
            profiles=[DimensionProfile(dimension=d, title=t, cells=cells[int(number)],
                                       totals=totals)
                      for d, t, cells, totals in profiles],
            verbatims=verbatims(data, scaled.loc[members], centre)))
    return SegmentsResult(
        n=data.n, k=found.k, k_given=k is not None, silhouette=found.silhouette,
        silhouettes=dict(found.silhouettes), used=len(complete), dropped=dropped,
        features={c: labels[c] for c in complete.columns}, segments=out, labels=found.labels)


def verbatims(data: StudyData, scaled: pd.DataFrame, centre: pd.Series) -> list[str]:
    """The comments of the segment's members closest to its centre — only when at least
    *k*ᵥ of them commented."""
    comments = data.comment.reindex(scaled.index).fillna("").astype(str).str.strip()
    commenters = comments[comments != ""].index
    if len(commenters) < data.k_verbatim:
        return []
    distance = np.sqrt(((scaled.loc[commenters] - centre[scaled.columns]) ** 2).sum(axis=1))
    chosen: list[str] = []
    for i in distance.sort_values(kind="stable").index:  # the same words once
        if comments[i] not in chosen:
            chosen.append(comments[i])
            if len(chosen) == VERBATIMS:
                break
    return chosen


def dimensions(data: StudyData, names: Names) -> list[tuple[str, str]]:
    """The profile's dimensions and their titles."""
    out = [("top_unit", _("Business unit")), ("site", _("Site")),
           ("job_family", _("Job family"))]
    for column in data.people.columns:
        if column not in _NOT_PROFILE:
            out.append((str(column), names.title(str(column))))
    return out


def profile_hidden(counts: pd.DataFrame, row_residual: Mapping[int, int],
                   column_residual: Mapping[str, int], k: int, hidden_columns: set[str]
                   ) -> set[tuple[int, str]]:
    """The cells (segment, category) of a profile to hide: under *k*, in a hidden column, and
    by complementary suppression along each row and each column until both hold."""
    hidden = {(s, c) for s in counts.index for c in counts.columns
              if c in hidden_columns or disclosure.small(int(counts.loc[s, c]), k)}
    while True:
        before = set(hidden)
        for s in counts.index:
            row = {c: int(counts.loc[s, c]) for c in counts.columns}
            more = disclosure.suppress(row, k, residual=int(row_residual.get(s, 0)),
                                       hidden={c for c in counts.columns if (s, c) in hidden})
            hidden |= {(s, c) for c in more}
        for c in counts.columns:
            column = {s: int(counts.loc[s, c]) for s in counts.index}
            more = disclosure.suppress(column, k, residual=int(column_residual.get(c, 0)),
                                       hidden={s for s in counts.index if (s, c) in hidden})
            hidden |= {(s, c) for s in more}
        if hidden == before:
            return hidden


def profile_tables(data: StudyData, labels: pd.Series, names: Names
                   ) -> list[tuple[str, str, dict[int, list[ProfileCell]], dict[str, int | None]]]:
    """Each dimension's profile: for each segment, its cells with share and index; and each
    category's analysed respondents (None when hidden)."""
    segments_of = labels.reindex(range(data.n))
    sizes = labels.value_counts()
    used = len(labels)
    out = []
    for dimension, title in dimensions(data, names):
        if dimension not in data.people.columns:
            continue
        codes = (data.people[dimension].reindex(range(data.n))
                 .map(lambda v: "" if v is None or pd.isna(v) else str(v)))
        present = {c for c in codes.unique() if c}
        if dimension in names.titles:  # a profile question: its options' order
            order = list(names.by_dimension.get(dimension, {}))
            categories = ([c for c in order if c in present]
                          + sorted(present - set(order)))
        else:  # units, sites, job families: by name
            categories = sorted(present, key=lambda c: (names.name(dimension, c).lower(), c))
        if not categories:
            continue
        analysed = codes[segments_of.notna()]
        counts = (pd.crosstab(segments_of[segments_of.notna()].astype(int), analysed)
                  .reindex(index=sorted(sizes.index), columns=categories, fill_value=0))
        totals = {c: int(counts[c].sum()) for c in categories}
        hidden_columns = disclosure.suppress(totals, data.k,
                                             residual=int((analysed == "").sum()))
        row_residual = {int(s): int(((analysed == "") & (segments_of == s)).sum())
                        for s in counts.index}
        column_residual = {c: int(((codes == c) & segments_of.isna()).sum()) for c in categories}
        hidden = profile_hidden(counts, row_residual, column_residual, data.k,
                                set(hidden_columns))
        cells: dict[int, list[ProfileCell]] = {}
        for s in counts.index:
            cells[int(s)] = []
            for c in categories:
                n = int(counts.loc[s, c])
                shown = (s, c) not in hidden
                share = n / int(sizes[s]) if shown else None
                overall = totals[c] / used
                cells[int(s)].append(ProfileCell(
                    code=c, label=names.name(dimension, c), n=n if shown else None,
                    share=share,
                    index=(100 * share / overall) if share is not None and overall else None))
        out.append((dimension, title, cells,
                    {c: None if c in hidden_columns else totals[c] for c in categories}))
    return out


def job_families_of(result: SegmentsResult, segment: int, threshold: float, k: int
                    ) -> list[str]:
    """Job families whose released cell for ``segment`` holds at least *k* respondents and
    where the segment makes at least ``threshold`` % of the family's analysed respondents."""
    chosen = [s for s in result.segments if s.number == segment]
    if not chosen:
        return []
    profile = next((p for p in chosen[0].profiles if p.dimension == "job_family"), None)
    if profile is None:
        return []
    out = []
    for cell in profile.cells:
        total = profile.totals.get(cell.code)
        if cell.n is None or cell.n < k or not total:
            continue
        if 100 * cell.n / total >= threshold:
            out.append(cell.code)
    return out
