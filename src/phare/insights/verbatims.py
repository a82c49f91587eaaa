"""The verbatim explorer: comments filtered by theme, score band, segment, period and words.

Comments are shown only when the filtered set holds at least the survey's verbatim threshold
(``min_verbatim_group_size``), and never with anything that points to their author: no name,
no response id, and for anonymous surveys no date finer than the month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from phare import analysis
from phare.analysis import AnalysisError
from phare.insights import store
from phare.listening.models import Survey

BANDS = {"low": (0, 6), "mid": (7, 8), "high": (9, 10)}
PAGE_SIZE = 50
#: Themes are found in at most this many comments (a deterministic sample).
THEME_SAMPLE = 3_000


@dataclass(frozen=True)
class VerbatimFilters:
    band: str = ""
    units: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    words: str = ""
    theme: int | None = None
    #: Comments given after tickets of this catalogue service (ticket feedback surveys).
    service: str = ""

    def where(self, *, words: bool = True) -> tuple[str, list[Any]]:
        clauses = ["question NOT LIKE '%.other'"]
        params: list[Any] = []
        if self.band in BANDS:
            clauses.append("score BETWEEN ? AND ?")
            params.extend(BANDS[self.band])
        for column, values in (("unit", self.units), ("site", self.sites),
                               ("job_family", self.job_families)):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.since:
            clauses.append("day >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("day <= ?")
            params.append(self.until)
        if self.service:
            clauses.append("response IN (SELECT response FROM tickets WHERE service = ?)")
            params.append(self.service)
        if words and self.words.strip():
            for word in self.words.split()[:8]:
                clauses.append("strip_accents(text) ILIKE ('%' || strip_accents(?) || '%')")
                params.append(word)
        return " AND ".join(clauses), params


@dataclass
class Explorer:
    survey: Survey
    total: int
    shown: bool
    threshold: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    page: int = 1
    pages: int = 1


def explore(survey: Survey, filters: VerbatimFilters, *, page: int = 1) -> Explorer:
    threshold = survey.min_verbatim_group_size
    base_where, base_params = filters.where(words=False)
    themes, assignments = _themes(survey, base_where, base_params)
    where, params = filters.where()
    theme_clause, theme_params = "", []
    if filters.theme is not None and assignments:
        keys = [key for key, theme in assignments.items() if theme == filters.theme]
        theme_clause = " AND (response || question) IN (SELECT unnest(?))"
        theme_params = [keys]
    total = int(store.query([survey], f"SELECT count(*) AS n FROM texts WHERE {where}"
                                      f"{theme_clause}", [*params, *theme_params])["n"][0])
    result = Explorer(survey=survey, total=total, shown=total >= threshold, threshold=threshold,
                      themes=themes)
    if not result.shown:
        return result
    result.pages = max(1, -(-total // PAGE_SIZE))
    result.page = min(max(1, page), result.pages)
    frame = store.query([survey], f"""
        SELECT text, score, day, unit, site, job_family, language, response || question AS key
        FROM texts WHERE {where}{theme_clause}
        ORDER BY day DESC, hash(response || question)
        LIMIT {PAGE_SIZE} OFFSET {(result.page - 1) * PAGE_SIZE}""", [*params, *theme_params])
    anonymous = survey.is_anonymous
    labels = {t["id"]: t["label"] for t in themes}
    for row in frame.itertuples():
        day = row.day.date() if hasattr(row.day, "date") else row.day
        result.rows.append({
            "text": row.text, "score": None if row.score != row.score else row.score,
            # An anonymous comment is dated by its month only.
            "when": day.strftime("%Y-%m") if anonymous else day.isoformat(),
            "unit": row.unit, "language": row.language,
            "theme": labels.get(assignments.get(row.key, -1), ""),
        })
    return result


def _themes(survey: Survey, where: str, params: list[Any]
            ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    frame = store.query([survey], f"""
        SELECT response || question AS key, text, score FROM texts WHERE {where}
        ORDER BY hash(response || question) LIMIT {THEME_SAMPLE}""", params)
    if len(frame) < max(survey.min_verbatim_group_size, 10):
        return [], {}
    try:
        found = analysis.themes(frame["text"].tolist(), scores=frame["score"].tolist())
    except AnalysisError:
        return [], {}
    assignments = dict(zip(frame["key"], (int(a) for a in found.assignments), strict=True))
    themes = [{"id": t.id, "label": t.label, "size": t.size, "share": 100 * t.share,
               "mean_score": t.mean_score} for t in found.themes]
    return themes, assignments


def surveys_with_comments() -> list[Survey]:
    return [s for s in Survey.objects.order_by("-created_at") if s.responses.exists()]
