"""The verbatim explorer: comments filtered by theme, score band, segment, period and words.

Comments are shown only when the people the filters select pass the survey's verbatim
threshold (``min_verbatim_group_size``) and the differencing rules of
:mod:`phare.insights.release`, and when the comments matching the words, band and theme come
from that many people too; otherwise nothing is shown, not even a count. Comments never come
with anything that points to their author: no name, no response id, for anonymous and
confidential surveys no date finer than the month, and a unit, language or month only when
enough authors share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from phare import analysis
from phare.analysis import AnalysisError, disclosure
from phare.analysis.themes import MIN_TEXTS
from phare.insights import memo, release, store
from phare.listening.models import Response, Survey

BANDS = {"low": (0, 6), "mid": (7, 8), "high": (9, 10)}
PAGE_SIZE = 50
#: Themes are found in at most this many comments (a deterministic sample).
THEME_SAMPLE = 3_000
#: Themes are looked for from this many comments. Below, they would be two of a handful of
#: comments each, made of a word or two shared by chance (and scikit-learn warns on such
#: exact fits): reading the comments themselves says more, and the explorer says why.
THEMES_FROM = 20


@dataclass(frozen=True)
class VerbatimFilters:
    """Who wrote (segments, months, service) and what (score band, words, theme)."""

    band: str = ""
    units: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()
    #: Months as "YYYY-MM", first and last included (anonymous answers are dated by month).
    since: str = ""
    until: str = ""
    words: str = ""
    theme: int | None = None
    #: Comments given after tickets of this catalogue service (ticket feedback surveys).
    service: str = ""

    def selections(self) -> list[release.Selection]:
        """The filters on who wrote: the group must pass the verbatim threshold first."""
        out = [release.Selection(column, tuple(values)) for column, values in
               (("unit", self.units), ("site", self.sites), ("job_family", self.job_families))
               if values]
        if self.since or self.until:
            out.append(release.Selection(MONTH, tuple(_months(self.since, self.until))))
        if self.service:
            out.append(release.Selection(SERVICE, (self.service,)))
        return out

    def content(self) -> tuple[str, list[Any]]:
        """The filters on what was written, applied only inside a group already released."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.band in BANDS:
            clauses.append("score BETWEEN ? AND ?")
            params.extend(BANDS[self.band])
        for word in self.words.split()[:8]:
            # A plain substring: no wildcard of the word can match other characters.
            clauses.append("contains(lower(strip_accents(text)), lower(strip_accents(?)))")
            params.append(word)
        return (" AND ".join(clauses) or "TRUE"), params


MONTH = "strftime(day, '%Y-%m')"
SERVICE = "(SELECT any_value(t.service) FROM tickets t WHERE t.response = texts.response)"


def _months(since: str, until: str) -> list[str]:
    """Every month from ``since`` to ``until`` ("YYYY-MM"; either may be empty)."""
    first = dt.date.fromisoformat(f"{since or '2000-01'}-01")
    last = dt.date.fromisoformat(f"{until}-01") if until else dt.date.today().replace(day=1)
    out: list[str] = []
    while first <= last and len(out) < 600:
        out.append(first.strftime("%Y-%m"))
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return out


@dataclass
class Explorer:
    survey: Survey
    #: Comments matching, or ``None`` when too few to show (no count of a hidden group).
    total: int | None
    shown: bool
    threshold: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    page: int = 1
    pages: int = 1

    @property
    def theme_minimum(self) -> int:
        """How many comments sharing words themes are looked for from (fewer: no theme)."""
        return theme_minimum(self.survey)


def theme_minimum(survey: Survey) -> int:
    """The fewest comments the explorer groups into themes: :data:`THEMES_FROM`, the verbatim
    threshold if higher."""
    return max(survey.min_verbatim_group_size, THEMES_FROM, MIN_TEXTS)


def explore(survey: Survey, filters: VerbatimFilters, *, page: int = 1) -> Explorer:
    """The comments of ``filters``: shown only when the group of people they select passes
    the verbatim threshold and the differencing rules, and the comments matching the words,
    band and theme come from at least that many people too; otherwise nothing, not even a
    count."""
    threshold = survey.min_verbatim_group_size
    result = Explorer(survey=survey, total=None, shown=False, threshold=threshold)
    base: tuple[str, list[Any]] = ("question NOT LIKE '%.other'", [])
    selections = filters.selections()
    people = _people(survey)
    if not release.allowed([survey], "texts", selections, threshold, base=base,
                           people=people):
        return result
    if _isolated(survey, base, selections, threshold):
        return result
    group = release.where([base, *(s.clause() for s in selections)])
    # The themes of a group are the same whatever the words, band, theme or page chosen in it:
    # computed once per state of the store (they read nothing else but the threshold).
    result.themes, assignments = memo.remember(
        "verbatim-themes", [survey], [group, survey.min_verbatim_group_size],
        lambda: _themes(survey, *group), database=False)
    content = filters.content()
    where, params = release.where([group, content])
    if filters.theme is not None:
        keys = [key for key, theme in assignments.items() if theme == filters.theme]
        where += " AND (response || question) IN (SELECT unnest(?))"
        params = [*params, keys]
    counts = store.query([survey], f"""SELECT count(*) AS n, {people} AS people
                                      FROM texts WHERE {where}""", params)
    if int(counts["people"][0]) < threshold:
        return result
    result.total, result.shown = int(counts["n"][0]), True
    result.pages = max(1, -(-result.total // PAGE_SIZE))
    result.page = min(max(1, page), result.pages)
    # What each comment says of its author (unit, language, month) is shown only for values
    # that enough authors of the matching comments share.
    shared = {column: _shared(survey, column, where, params, threshold)
              for column in ("unit", "language", "strftime(day, '%Y-%m')")}
    frame = store.query([survey], f"""
        SELECT text, score, day, unit, language, strftime(day, '%Y-%m') AS month,
               response || question AS key
        FROM texts WHERE {where}
        ORDER BY day DESC, hash(response || question)
        LIMIT {PAGE_SIZE} OFFSET {(result.page - 1) * PAGE_SIZE}""", params)
    anonymous = survey.is_anonymous or survey.anonymity == Survey.Anonymity.CONFIDENTIAL
    labels = {t["id"]: t["label"] for t in result.themes}
    for row in frame.itertuples():
        day = row.day.date() if hasattr(row.day, "date") else row.day
        month = row.month if row.month in shared["strftime(day, '%Y-%m')"] else ""
        result.rows.append({
            "text": row.text, "score": None if row.score != row.score else row.score,
            # An anonymous or confidential comment is dated by its month only.
            "when": month if anonymous else day.isoformat(),
            "unit": row.unit if row.unit in shared["unit"] else "",
            "language": row.language if row.language in shared["language"] else "",
            "band": band_of(row.score),
            "theme": labels.get(assignments.get(row.key, -1), ""),
        })
    return result


def band_of(score: Any) -> str:
    """The NPS band of a 0–10 score ("low": detractor, "mid": passive, "high": promoter), or ""
    without a score."""
    if score is None or score != score:
        return ""
    return next((band for band, (low, high) in BANDS.items() if low <= score <= high), "")


def survey_themes(survey: Survey) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The themes the explorer offers for all of ``survey``'s comments, and the theme of each
    comment of their sample (keyed by ``response || question``; -1 for none): from the same
    cache as the unfiltered explorer. Who may see what of them is the caller's check."""
    group = release.where([("question NOT LIKE '%.other'", [])])
    return memo.remember("verbatim-themes", [survey], [group, survey.min_verbatim_group_size],
                         lambda: _themes(survey, *group), database=False)


def authors(survey: Survey) -> str:
    """How the explorer counts the authors of comments (SQL over ``texts``), for a caller
    that checks a group of comments against the verbatim threshold with
    :func:`phare.insights.release.allowed`."""
    return _people(survey)


def _people(survey: Survey) -> str:
    """How the authors of comments are counted: by response (one per person and wave), and
    for ticket comments by the person (one may comment on several tickets)."""
    if survey.kind != Survey.Kind.TRANSACTIONAL:
        return "count(DISTINCT response)"
    return ("count(DISTINCT coalesce((SELECT any_value(t.person) FROM tickets t "
            "WHERE t.response = texts.response), texts.response))")


def _isolated(survey: Survey, base: tuple[str, list[Any]],
              selections: list[release.Selection], k: int) -> bool:
    """Whether the people selected by unit, site and job family (within the months and
    service chosen) differ by a few from another group a reader can select: then the two
    lists of comments would tell a few people's comments apart."""
    segments = ("unit", "site", "job_family")
    rest = [s for s in selections if s.column not in segments]
    criteria = release.criteria_of(segments, selections, release.unit_tree())
    if criteria is None or all(c is None for c in criteria):
        return False
    cubes = release.cube([survey], "texts", segments,
                         base=release.where([base, *(s.clause() for s in rest)]),
                         people=_people(survey))
    found = cubes.get(None)
    return found is not None and found.isolated(criteria, k)


def _shared(survey: Survey, column: str, where: str, params: list[Any], k: int) -> set[Any]:
    """The values of ``column`` that may be shown beside the matching comments: those of at
    least ``k`` of their authors, less those complementary suppression hides."""
    frame = store.query([survey], f"""SELECT {column} AS value, {_people(survey)} AS n
                                     FROM texts WHERE {where} GROUP BY 1""", params)
    counts = {row.value: int(row.n) for row in frame.itertuples()}
    hidden = disclosure.suppress(counts, k)
    return {value for value in counts if value not in hidden}


def _themes(survey: Survey, where: str, params: list[Any]
            ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    frame = store.query([survey], f"""
        SELECT response || question AS key, text, score FROM texts WHERE {where}
        ORDER BY hash(response || question) LIMIT {THEME_SAMPLE}""", params)
    if len(frame) < theme_minimum(survey):
        return [], {}
    try:
        found = analysis.themes(frame["text"].tolist(), scores=frame["score"].tolist())
    except AnalysisError:
        return [], {}
    assignments = dict(zip(frame["key"], (int(a) for a in found.assignments), strict=True))
    themes = [{"id": t.id, "label": t.label, "size": t.size, "share": 100 * t.share,
               "mean_score": t.mean_score} for t in found.themes]
    return themes, assignments


def surveys_with_comments(surveys: QuerySet[Survey]) -> list[Survey]:
    """The surveys among ``surveys`` that have answers, barometers first (the explorer opens
    on the newest), then newest first (one query)."""
    return list(surveys.filter(pk__in=Response.objects.values("survey_id"))
                .annotate(other=Case(When(kind=Survey.Kind.BAROMETER, then=Value(0)),
                                     default=Value(1), output_field=IntegerField()))
                .order_by("other", "-created_at"))
