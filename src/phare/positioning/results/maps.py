"""The perceptual map: alternatives and attributes on one map, from the table of mean
ratings (alternatives × attributes), by correspondence analysis or a PCA biplot
(:mod:`phare.analysis.perceptual`), with supplementary points — "the IT department as seen by"
a group of people — placed without changing the axes, and the ideal direction.

Privacy: the map is refused below *k* released respondents, or when one of its cells rests on
fewer than *k* ratings; a supplementary group is a group of people, shown only when it holds
at least *k* of them after complementary suppression (its own ratings of the internal
alternative counted on each attribute too). ``hidden`` results carry a reason, never a count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis import disclosure
from phare.analysis.errors import AnalysisError
from phare.analysis.perceptual import PerceptualMap, ca_map, ideal_direction, pca_biplot
from phare.positioning.answers import StudyData
from phare.positioning.results.common import Names, too_few_answers

#: The groups a map can show as supplementary points.
SUPPLEMENTARY = {
    "": gettext_lazy("None"),
    "top_unit": gettext_lazy("Business units"),
    "job_family": gettext_lazy("Job families"),
    "segment": gettext_lazy("Segments"),
}

#: How to read each kind of map, in plain words (Gower, Groenen, van de Velden & Vines 2014).
READING_RULES = {
    "ca": gettext_lazy(
        "Two alternatives close to each other are rated alike across the attributes, and two "
        "attributes close to each other set the alternatives apart in the same way. The distance "
        "between an alternative and an attribute means nothing: read only directions from the "
        "centre — an alternative lies towards the attributes on which it is rated above its "
        "average. Points near the centre, or of low quality, are poorly shown by the map."),
    "pca": gettext_lazy(
        "Each alternative is a point and each attribute an arrow from the centre. Project an "
        "alternative onto an attribute's arrow: the further along the arrow, the higher its "
        "mean rating on that attribute compared with the other alternatives. Distances between "
        "alternatives show how differently they are rated; a short arrow is an attribute the "
        "map shows poorly."),
}


def reading_rule(method: str) -> str:
    """The reading rule of a map made by ``method`` ("ca" or "pca"), in the active language."""
    return str(READING_RULES[method])


@dataclass(frozen=True)
class Point:
    """A point of the map: its code, label, coordinates on dimensions 1–2 and quality (cos²,
    or the share of an attribute's variance the map shows); ``group`` for a supplementary
    point (the dimension's code)."""

    code: str
    label: str
    x: float
    y: float
    quality: float
    group: str = ""
    #: A supplementary point's group by its name alone ("Sales"), for the chart's label.
    group_name: str = ""


@dataclass(frozen=True)
class Ideal:
    """The ideal direction: where preference grows on the map (a unit vector)."""

    x: float
    y: float
    r2: float
    n: int
    coefficients: tuple[float, float]
    intercept: float


@dataclass(frozen=True)
class MapResult:
    """A study's perceptual map, or ``hidden`` with a ``reason``."""

    n: int
    method: str
    hidden: bool = False
    reason: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # alternatives × attributes
    rows: list[Point] = field(default_factory=list)
    columns: list[Point] = field(default_factory=list)
    supplementary: list[Point] = field(default_factory=list)
    supplementary_by: str = ""
    #: Why some or all supplementary groups are not shown (no count of people).
    supplementary_note: str = ""
    inertias: list[float] = field(default_factory=list)
    total_inertia: float = 0.0
    percent: list[float] = field(default_factory=list)
    ideal: Ideal | None = None
    ideal_note: str = ""
    alternative_labels: Mapping[str, str] = field(default_factory=dict)
    attribute_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def reading_rule(self) -> str:
        return reading_rule(self.method)


def mean_table(data: StudyData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mean rating and the number of ratings of each (alternative, attribute), in the
    study's order (alternatives as rows)."""
    rated = data.ratings.dropna(subset=["rating"])
    grouped = rated.groupby(["alternative", "attribute"])["rating"]
    means = grouped.mean().unstack().reindex(index=data.alternatives, columns=data.attributes)
    counts = (grouped.count().unstack().reindex(index=data.alternatives,
                                                 columns=data.attributes)
              .fillna(0).astype(int))
    means.index.name, means.columns.name = "alternative", "attribute"
    return means, counts


def _hidden(data: StudyData, method: str, reason: str) -> MapResult:
    return MapResult(n=data.n, method=method, hidden=True, reason=reason)


def _points(frame: pd.DataFrame, labels: Mapping[str, str], group: str = "") -> list[Point]:
    return [Point(code=str(code), label=labels.get(str(code), str(code)), x=float(row["x"]),
                  y=float(row["y"]), quality=float(row["quality"]), group=group)
            for code, row in frame.iterrows()]


def group_profiles(data: StudyData, groups: pd.Series, *, names: Names, dimension: str
                   ) -> tuple[pd.DataFrame, dict[str, str], str]:
    """The internal alternative's mean ratings within each group of people that may be shown
    (rows: group codes), their labels, and a note when some groups are hidden.

    ``groups``: each respondent's group ("" or None: not known — the residual). A group is shown
    when it holds at least *k* respondents after complementary suppression, and each of its
    means rests on at least *k* ratings (a group failing that counts as hidden for the
    suppression of the others)."""
    groups = pd.Series({key: ("" if pd.isna(value) else str(value))
                        for key, value in groups.items()}, dtype=object
                       ).reindex(range(data.n), fill_value="")
    known = groups[groups != ""]
    counts = {code: int(n) for code, n in known.value_counts().sort_index().items()}
    internal = data.ratings[(data.ratings["alternative"] == data.internal)
                            & data.ratings["rating"].notna()]
    internal = internal.assign(group=internal["respondent"].map(groups))
    ratings_per_cell = (internal.groupby(["group", "attribute"])["rating"].count().unstack()
                        .reindex(index=list(counts), columns=data.attributes).fillna(0))
    thin = {code for code in counts if (ratings_per_cell.loc[code] < data.k).any()}
    hidden = disclosure.suppress(counts, data.k, residual=int((groups == "").sum()),
                                 hidden=thin)
    shown = [code for code in counts if code not in hidden]
    means = (internal[internal["group"].isin(shown)].groupby(["group", "attribute"])["rating"]
             .mean().unstack().reindex(index=shown, columns=data.attributes))
    labels = {code: _("The IT department as seen by %(group)s") % {
        "group": names.name(dimension, code)} for code in shown}
    note = ""
    if hidden:
        note = _("Groups with too few answers are not shown (and, so that they cannot be "
                 "worked out, the smallest others when needed).")
    return means, labels, note


def compute_map(data: StudyData, *, method: str, groups: pd.Series | None = None,
                supplementary_by: str = "", names: Names | None = None) -> MapResult:
    """The perceptual map of ``data`` (see the module docstring). ``groups``: each respondent's
    group for supplementary points (index respondent), named by ``supplementary_by``."""
    names = names or Names()
    if data.n < data.k:
        return _hidden(data, method, too_few_answers(data.k))
    means, counts = mean_table(data)
    for alternative in data.alternatives:
        for attribute in data.attributes:
            if counts.loc[alternative, attribute] < data.k:
                return _hidden(data, method, _(
                    "Too few ratings of %(alternative)s on %(attribute)s to draw the map.") % {
                        "alternative": data.alternative_labels.get(alternative, alternative),
                        "attribute": data.attribute_labels.get(attribute, attribute)})
    profiles, note = pd.DataFrame(), ""
    group_labels: dict[str, str] = {}
    if groups is not None:
        profiles, group_labels, note = group_profiles(data, groups, names=names,
                                                      dimension=supplementary_by)
    supplementary = profiles if len(profiles) else None
    try:
        if method == "pca":
            found: PerceptualMap = pca_biplot(means, supplementary_rows=supplementary)
        else:
            found = ca_map(means, supplementary_rows=supplementary)
    except AnalysisError as exc:
        return _hidden(data, method, _("The map cannot be drawn: %(error)s") % {"error": exc})
    rows = _points(found.rows, data.alternative_labels)
    ideal, ideal_note = _ideal(data, found)
    return MapResult(
        n=data.n, method=method, table=means, rows=rows,
        columns=_points(found.columns, data.attribute_labels),
        supplementary=[replace(p, group_name=names.name(supplementary_by, p.code))
                       for p in _points(found.supplementary, group_labels, supplementary_by)]
        if len(found.supplementary) else [],
        supplementary_by=supplementary_by, supplementary_note=note,
        inertias=[float(v) for v in found.inertias],
        total_inertia=float(found.total_inertia),
        percent=[float(v) for v in found.percent], ideal=ideal, ideal_note=ideal_note,
        alternative_labels=dict(data.alternative_labels),
        attribute_labels=dict(data.attribute_labels))


def preference_shares(data: StudyData) -> pd.Series:
    """The share of respondents who would turn first to each alternative (of those who said)."""
    answered = data.preference.dropna()
    if answered.empty:
        return pd.Series(0.0, index=data.alternatives)
    return (answered.value_counts(normalize=True).reindex(data.alternatives).fillna(0.0))


def _ideal(data: StudyData, found: PerceptualMap) -> tuple[Ideal | None, str]:
    shares = preference_shares(data)
    if data.preference.dropna().shape[0] < data.k:
        return None, _("No ideal direction: too few answers to the preference question.")
    try:
        fitted = ideal_direction(found.rows[["x", "y"]], shares.reindex(found.rows.index))
    except AnalysisError as exc:
        return None, _("No ideal direction: %(error)s") % {"error": exc}
    return Ideal(x=float(fitted.x), y=float(fitted.y), r2=float(fitted.r2), n=int(fitted.n),
                 coefficients=(float(fitted.coefficients[0]), float(fitted.coefficients[1])),
                 intercept=float(fitted.intercept)), ""
