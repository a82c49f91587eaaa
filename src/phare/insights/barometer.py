"""The barometer's figures: indices by wave with their intervals and significant changes,
breakdowns by segment, importance–performance, key drivers and verbatim themes.

Aggregates are computed by DuckDB over the analytical store (:mod:`phare.insights.store`);
the statistics come from :mod:`phare.analysis`. The waves' figures, the breakdowns and their
disclosure checks are all sums of one scan of the responses (:func:`count_responses`). Every
group smaller than the survey's minimum group size is suppressed (its figures are absent, not
zero), and verbatims need the larger verbatim threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from django.utils import timezone

from phare import analysis
from phare.analysis import AnalysisError, disclosure
from phare.insights import release, store
from phare.listening import queries as listening_queries
from phare.listening.models import Question, Survey, Wave
from phare.listening.questions import option_label

SEGMENTS = ("unit", "site", "job_family")


@dataclass(frozen=True)
class Filters:
    """Which answers a page looks at; empty means all."""

    waves: tuple[int, ...] = ()
    units: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()

    def where(self, *, waves: bool = True) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        pairs: list[tuple[str, tuple[int | str, ...]]] = [
            ("unit", self.units), ("site", self.sites), ("job_family", self.job_families)]
        if waves:
            pairs.insert(0, ("wave", self.waves))
        for column, values in pairs:
            if values:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        return (" AND ".join(clauses) or "TRUE"), params

    @property
    def segmented(self) -> bool:
        return bool(self.units or self.sites or self.job_families)

    def selections(self) -> list[release.Selection]:
        """The segment filters, as the disclosure rules see them (the waves apart)."""
        pairs = [("unit", self.units), ("site", self.sites), ("job_family", self.job_families)]
        return [release.Selection(column, tuple(values)) for column, values in pairs if values]


@dataclass
class WaveFigures:
    """One wave's headline figures (``None`` when suppressed or not asked)."""

    wave: int
    name: str
    #: ``None`` when suppressed: no count of a hidden group is shown.
    responses: int | None
    suppressed: bool
    #: Still collecting: its answers are released when it closes (on ``closes_on``).
    in_progress: bool = False
    closes_on: dt.date | None = None
    nps: analysis.NpsEstimate | None = None
    nps_change: analysis.Comparison | None = None
    csat: analysis.CsatEstimate | None = None
    csat_change: analysis.Comparison | None = None
    invited: int | None = None
    #: Answered ÷ sent, as the wave's page and the API give it
    #: (:func:`phare.listening.queries.response_rates`): one computation of the response rate.
    rate: float | None = None

    @property
    def response_rate(self) -> float | None:
        """The response rate in percent (None for a suppressed wave or a filtered page)."""
        if self.rate is None or self.responses is None:
            return None
        return 100 * self.rate


@dataclass
class Barometer:
    survey: Survey
    filters: Filters
    waves: list[WaveFigures]
    csat_question: str | None
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    attributes: list[dict[str, Any]] = field(default_factory=list)
    attributes_n: int = 0
    drivers: dict[str, Any] | None = None
    themes: dict[str, Any] | None = None

    @property
    def latest(self) -> WaveFigures | None:
        shown = [w for w in self.waves if not w.suppressed]
        return shown[-1] if shown else None


#: The NPS categories counted with the responses (``n``) in :func:`count_responses`.
NPS_COUNTS = {"promoters": "count_if(score >= 9)",
              "passives": "count_if(score BETWEEN 7 AND 8)",
              "detractors": "count_if(score <= 6)"}
_WAVED: tuple[str, list[Any]] = ("wave IS NOT NULL", [])


@dataclass(frozen=True)
class Counts:
    """A survey's responses and NPS categories by wave × unit × site × job family, from one
    scan of the store: every wave's figures, breakdown and disclosure check of a page sums its
    rows, and the nested-groups cubes of the waves (:class:`release.Cube`) are made from it."""

    tally: release.Tally
    cubes: dict[Any, release.Cube]
    #: The unit tree the cubes were made with (:func:`release.unit_tree`), read once.
    tree: dict[str, str | None]


def count_responses(survey: Survey) -> Counts:
    """The :class:`Counts` of the survey (one query to the store, one for the unit tree)."""
    # The responses table holds one row per response: count(*) counts people, as the
    # count(DISTINCT response) of the disclosure rules does, without hashing every id.
    tally = release.tally([survey], "responses", ("wave", *SEGMENTS), people="count(*)",
                          sums=NPS_COUNTS)
    tree = release.unit_tree()
    cubes = release.cube([survey], "responses", SEGMENTS, base=_WAVED, per="wave",
                         tally=tally.known("wave"), tree=tree)
    return Counts(tally=tally, cubes=cubes, tree=tree)


def _in_waves(filters: Filters) -> list[release.Selection]:
    return [release.Selection("wave", filters.waves)] if filters.waves else []


def _first_question(survey: Survey, kind: str) -> Question | None:
    version = survey.current_version()
    return version.questions.filter(type=kind).order_by("section__position", "position").first()


def wave_figures(survey: Survey, filters: Filters, *, counts: Counts | None = None
                 ) -> tuple[list[WaveFigures], str | None]:
    """Per wave: responses, NPS and CSAT with intervals, and the change from the wave before
    (a two-sided test at 95 %; ``significant`` marks a real change).

    A wave is shown only where the disclosure rules release the filtered group
    (:func:`phare.insights.release.allowed` and the nested-groups audit); waves chosen
    together are shown only when each of them is; a wave still collecting is listed as in
    progress, with nothing of it (its answers are released when it closes).

    ``counts``: the survey's :class:`Counts`, when the caller has them already."""
    k = survey.min_group_size
    counts = count_responses(survey) if counts is None else counts
    waved = counts.tally.known("wave")
    released = release.allowed([survey], "responses", filters.selections(), k, base=_WAVED,
                               per="wave", tally=waved, tree=counts.tree)
    cubes = counts.cubes
    criteria = release.criteria_of(SEGMENTS, filters.selections(), counts.tree)
    if criteria is not None:
        released = {wave for wave in released
                    if wave in cubes and not cubes[wave].isolated(criteria, k)}
    by_wave = waved.where(filters.selections()).sums(["wave"])
    sizes = {int(row.wave): int(row.n) for row in by_wave.itertuples()}
    # No figure adds waves up unless they are chosen together (then the union is checked):
    # a wave is hidden on its own rules only.
    hidden = {wave for wave, n in sizes.items() if wave not in released or disclosure.small(n, k)}
    # Waves chosen together are shown one by one and as a whole (the breakdowns): only when
    # each of them is shown, or the whole minus the shown ones would give a hidden one.
    if filters.waves and any(wave in hidden for wave in filters.waves if sizes.get(wave)):
        hidden = set(sizes)
    focus = release.merge([cubes[w] for w in filters.waves if w in cubes])
    if filters.waves and criteria is not None and focus and focus.isolated(criteria, k):
        hidden = set(sizes)
    csat_q = _first_question(survey, "csat")
    csat_rows: dict[int, tuple[int, int, float]] = {}
    if csat_q is not None:
        where, params = filters.where(waves=False)
        frame = store.query([survey], f"""
            SELECT wave, count(*) AS n, count(*) FILTER (WHERE value >= 4) AS satisfied,
                   avg(value) AS mean
            FROM scores WHERE question = ? AND wave IS NOT NULL AND {where} GROUP BY wave""",
                            [csat_q.code, *params])
        csat_rows = {int(r.wave): (int(r.n), int(r.satisfied), float(r.mean))
                     for r in frame.itertuples()}
    names = {wave.number: wave.name
             for wave in survey.waves.only("survey", "number", "name_fr", "name_en")}
    rates = {} if filters.segmented else listening_queries.survey_wave_rates_by_number(survey)
    out: list[WaveFigures] = []
    previous: WaveFigures | None = None
    for row in by_wave.itertuples():
        wave, n = int(row.wave), int(row.n)
        if filters.waves and wave not in filters.waves:
            continue
        suppressed = wave in hidden or n < k
        figures = WaveFigures(wave=wave, name=names.get(wave, str(wave)),
                              responses=None if suppressed else n, suppressed=suppressed,
                              invited=None if suppressed or wave not in rates
                              else rates[wave]["invited"],
                              rate=None if suppressed or wave not in rates
                              else rates[wave]["rate"])
        if not figures.suppressed:
            scored = int(row.promoters + row.passives + row.detractors)
            if scored >= k:
                figures.nps = analysis.nps_from_counts(int(row.promoters), int(row.passives),
                                                       int(row.detractors))
            if wave in csat_rows and csat_rows[wave][0] >= k:
                n_csat, satisfied, mean = csat_rows[wave]
                figures.csat = analysis.csat_from_counts(satisfied, n_csat, mean)
            if previous is not None:
                if previous.nps and figures.nps and previous.nps.variance + figures.nps.variance:
                    figures.nps_change = analysis.compare_estimates(previous.nps, figures.nps)
                if previous.csat and figures.csat and 0 < previous.csat.satisfied + \
                        figures.csat.satisfied < previous.csat.n + figures.csat.n:
                    figures.csat_change = analysis.compare_estimates(previous.csat, figures.csat)
            previous = figures
        out.append(figures)
    # Waves still collecting are in no figure: their answers are released when they close.
    for open_wave in survey.waves.filter(
            status=Wave.Status.OPEN, closes_on__gte=timezone.localdate()).order_by("number"):
        if not filters.waves or open_wave.number in filters.waves:
            out.append(WaveFigures(wave=open_wave.number, name=open_wave.name, responses=None,
                                   suppressed=True, in_progress=True,
                                   closes_on=open_wave.closes_on))
    return out, (csat_q.code if csat_q else None)


def segment_breakdown(survey: Survey, filters: Filters, by: str, *,
                      counts: Counts | None = None) -> list[dict[str, Any]]:
    """NPS per segment over the filtered answers, all waves together (a page passes one
    wave in ``filters``): for units, the sub-units of the unit chosen (or the top units);
    small groups suppressed, with complementary suppression (no count of a hidden group).

    ``counts``: the survey's :class:`Counts`, when the caller has them already."""
    if by not in SEGMENTS:
        raise ValueError(f"by: one of {SEGMENTS}")
    counts = count_responses(survey) if counts is None else counts
    in_waves = counts.tally.where(_in_waves(filters))
    frame = in_waves.where(filters.selections()).sums([by])
    rows: list[dict[str, Any]] = [
        {"segment": "" if pd.isna(segment) else segment, "n": int(n),
         "promoters": int(promoters), "passives": int(passives), "detractors": int(detractors)}
        for segment, n, promoters, passives, detractors in zip(
            frame[by], frame["n"], frame["promoters"], frame["passives"], frame["detractors"],
            strict=True)]
    within = filters.units if by == "unit" else ()
    waves = Filters(waves=filters.waves).where()
    blocked = release.blocked_cells([survey], "responses", filters.selections(), by,
                                    survey.min_group_size, within=within, base=waves,
                                    tally=in_waves, tree=counts.tree)
    # Each cell is a group of its own: it may not differ by a few people from another.
    cubes = counts.cubes
    focus = release.merge([c for w, c in cubes.items() if not filters.waves
                           or w in filters.waves])
    tree = counts.tree
    criteria = release.criteria_of(SEGMENTS, filters.selections(), tree)
    if focus is not None and criteria is not None:
        position, file_in = SEGMENTS.index(by), release.cell_key(by, within, tree)
        for row in rows:
            key = file_in(row["segment"])
            if key is not None:
                group = criteria[:position] + (key,) + criteria[position + 1:]
                if focus.isolated(group, survey.min_group_size):
                    blocked.add(key)
    out = []
    for cell in release.breakdown(rows, by, survey.min_group_size, within=within,
                                  blocked=blocked, tree=tree):
        item: dict[str, Any] = {"segment": cell["segment"], "n": None,
                                "suppressed": cell["suppressed"], "nps": None}
        scored = cell["promoters"] + cell["passives"] + cell["detractors"]
        if not item["suppressed"]:
            item["n"] = cell["n"]
            if scored >= survey.min_group_size:
                item["nps"] = analysis.nps_from_counts(cell["promoters"], cell["passives"],
                                                       cell["detractors"])
        out.append(item)
    return out


def _grid(survey: Survey) -> Question | None:
    return _first_question(survey, "grid")


def attribute_figures(survey: Survey, filters: Filters) -> tuple[list[dict[str, Any]], int]:
    """Mean stated importance and satisfaction per attribute of the grid, with each attribute's
    importance–performance quadrant (Martilla & James, cross-hairs at the means)."""
    grid = _grid(survey)
    if grid is None:
        return [], 0
    where, params = filters.where()
    frame = store.query([survey], f"""
        SELECT item, dimension, avg(value) AS mean, count(*) AS n,
               count(DISTINCT response) AS respondents
        FROM scores WHERE question = ? AND {where} GROUP BY item, dimension""",
                        [grid.code, *params])
    if frame.empty:
        return [], 0
    n = int(frame["respondents"].max())
    if n < survey.min_group_size:
        return [], n
    wide = frame.pivot(index="item", columns="dimension", values="mean").dropna()
    if len(wide) < 2 or not {"importance", "satisfaction"} <= set(wide.columns):
        return [], n
    labels = {o["code"]: o for o in grid.options}
    table = pd.DataFrame({"attribute": wide.index, "importance": wide["importance"].values,
                          "performance": wide["satisfaction"].values})
    result = analysis.importance_performance(table, rule="mean")
    rows = []
    for row in result.table.itertuples():
        option = labels.get(row.attribute, {"code": row.attribute})
        rows.append({"code": row.attribute, "label": _label(option),
                     "importance": float(row.importance), "performance": float(row.performance),
                     "quadrant": row.quadrant})
    return rows, n


def _label(option: dict[str, str]) -> str:
    from django.utils.translation import get_language


    return option_label(option, (get_language() or "fr")[:2])


#: Key drivers are computed on at most this many respondents (a deterministic sample beyond).
DRIVER_SAMPLE = 20_000


def driver_figures(survey: Survey, filters: Filters) -> dict[str, Any] | None:
    """What drives the headline score: each grid attribute's share of R² (Shapley/LMG up to 15
    attributes, relative weights beyond), over respondents who rated everything."""
    grid = _grid(survey)
    if grid is None:
        return None
    where, params = filters.where()
    frame = store.query([survey], f"""
        WITH sat AS (
            SELECT response, item, value FROM scores
            WHERE question = ? AND dimension = 'satisfaction' AND {where}),
        outcome AS (SELECT response, score FROM responses WHERE score IS NOT NULL AND {where}
                    ORDER BY hash(response) LIMIT {DRIVER_SAMPLE})
        SELECT s.response, s.item, s.value, o.score
        FROM sat s JOIN outcome o USING (response)""", [grid.code, *params, *params])
    if frame.empty:
        return None
    wide = frame.pivot_table(index="response", columns="item", values="value", aggfunc="first")
    outcome = frame.groupby("response")["score"].first()
    wide["__outcome"] = outcome
    wide = wide.dropna()
    drivers = [c for c in wide.columns if c != "__outcome"]
    if len(wide) < max(survey.min_group_size, len(drivers) + 2) or len(drivers) < 2:
        return None
    method: Literal["shapley", "relative_weights"] = (
        "shapley" if len(drivers) <= 15 else "relative_weights")
    try:
        result = analysis.key_drivers(wide, outcome="__outcome", drivers=drivers, method=method)
    except AnalysisError:
        return None
    labels = {o["code"]: _label(o) for o in grid.options}
    shares = sorted(((labels.get(code, code), float(result.percent[code]), code)
                     for code in drivers), key=lambda item: -item[1])
    return {"r2": float(result.r2), "n": int(len(wide)), "method": method,
            "shares": [{"label": label, "percent": pct, "code": code}
                       for label, pct, code in shares]}


#: Themes are searched in at most this many verbatims (a deterministic sample beyond).
THEME_SAMPLE = 5_000
#: Fewer texts than this give no themes (phare.analysis.themes needs 10).
MIN_THEME_TEXTS = 10


def theme_figures(survey: Survey, filters: Filters, *, questions: Sequence[str] = ()
                  ) -> dict[str, Any] | None:
    """The themes of the verbatims (free-text answers), with what unhappy people talk about.
    Shown only from the survey's verbatim threshold on."""
    where, params = filters.where()
    question_clause = ""
    if questions:
        question_clause = f"AND question IN ({', '.join('?' for _ in questions)})"
        params = [*params, *questions]
    frame = store.query([survey], f"""
        SELECT text, score FROM texts
        WHERE {where} AND question NOT LIKE '%.other' {question_clause}
        ORDER BY hash(response || question) LIMIT {THEME_SAMPLE}""", params)
    total = len(frame)
    if total < max(survey.min_verbatim_group_size, MIN_THEME_TEXTS):
        return {"suppressed": True, "n": total, "themes": []}
    try:
        found = analysis.themes(frame["text"].tolist(), scores=frame["score"].tolist())
    except AnalysisError:
        return {"suppressed": True, "n": total, "themes": []}
    return {"suppressed": False, "n": total, "detractor_share": found.detractor_share,
            "themes": [{"label": t.label, "size": t.size, "share": 100 * t.share,
                        "examples": list(t.examples), "mean_score": t.mean_score,
                        "detractor_lift": t.detractor_lift} for t in found.themes]}


def barometer(survey: Survey, filters: Filters) -> Barometer:
    """Everything the barometer page shows, for one survey and filters."""
    counts = count_responses(survey)  # read once for every figure and check of the page
    waves, csat_code = wave_figures(survey, filters, counts=counts)
    result = Barometer(survey=survey, filters=filters, waves=waves, csat_question=csat_code)
    latest = result.latest
    focus = filters if filters.waves or latest is None else Filters(
        waves=(latest.wave,), units=filters.units, sites=filters.sites,
        job_families=filters.job_families)
    result.breakdowns = {by: segment_breakdown(survey, focus, by, counts=counts)
                         for by in SEGMENTS}
    result.attributes, result.attributes_n = attribute_figures(survey, focus)
    result.drivers = driver_figures(survey, focus)
    result.themes = theme_figures(survey, focus)
    return result
