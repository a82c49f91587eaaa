"""Ticket experience: happiness and lost time after IT tickets, and what drives them.

*Happiness* is the NPS formula applied to the 0–10 rating given after a ticket (share of 9–10
minus share of 0–6, in points), as HappySignals defines it. Lost time is the answer to "how much
work time did you lose?", counted at the midpoint of each band (see
:data:`phare.insights.facts.LOST_HOURS`). Only whole months that are over are shown, and
groups of fewer people than the minimum size are suppressed, with complementary suppression
(:mod:`phare.insights.release`): the grouping fields come from the ITSM feed, which the
reader may control, so no figure may change by one person's answer between two reads.

:func:`experience` is the one computation of these figures: the insights page, the results on
the ticket survey's management page (a fragment of this app, :mod:`phare.insights.views`) and a
service's value card all show what it returns.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import get_language

from phare import analysis
from phare.analysis import disclosure
from phare.insights import release, store
from phare.listening.models import Question, Survey
from phare.listening.questions import CHOICE, option_label

DIMENSIONS = ("month", "channel", "category", "service", "assignment_group")
REASON_QUESTIONS = ("reasons_low", "reasons_mid", "reasons_high")
#: The rating's bands (the NPS's detractors, passives, promoters) and their sums' names.
BANDS = (("low", "detractors"), ("mid", "passives"), ("high", "promoters"))


@dataclass(frozen=True)
class TicketFilters:
    """Which rated tickets a page looks at; ``services`` None means every service.

    ``scope`` is what the reader may see at all (a service owner: their services), as
    opposed to a filter they choose; ``services`` narrows within it."""

    services: tuple[str, ...] | None = None
    months: tuple[str, ...] = ()  # "YYYY-MM"
    channel: str = ""
    units: tuple[str, ...] = ()  # the requester's business unit (and its sub-units)
    scope: tuple[str, ...] | None = None

    def base(self, before: dt.date) -> tuple[str, list[Any]]:
        """Rated tickets of months that are over, within the reader's scope, of the months
        chosen."""
        return release.where([self.scoped(before), self.in_months()])

    def scoped(self, before: dt.date) -> tuple[str, list[Any]]:
        """Rated tickets of months that are over, within the reader's scope: what every
        filter of a reader's page selects from."""
        clauses = ["rating IS NOT NULL", "month < ?"]
        params: list[Any] = [before]
        if self.scope is not None or self.services == ():
            if not self.scope:
                clauses.append("FALSE")
            else:
                clauses.append(f"service IN ({', '.join('?' for _ in self.scope)})")
                params.extend(self.scope)
        return " AND ".join(clauses), params

    def in_months(self) -> tuple[str, list[Any]]:
        """The months chosen (none: every month)."""
        if not self.months:
            return "", []
        return f"{MONTH} IN ({', '.join('?' for _ in self.months)})", list(self.months)

    def selections(self) -> list[release.Selection]:
        out = []
        if self.services:
            out.append(release.Selection("service", self.services))
        if self.channel:
            out.append(release.Selection("channel", (self.channel,)))
        if self.units:
            out.append(release.Selection("unit", self.units))
        return out


MONTH = "strftime(month, '%Y-%m')"
#: Ratings are counted by the people who gave them: one person may rate several tickets.
PEOPLE = "count(DISTINCT person)"


@dataclass
class TicketExperience:
    surveys: list[Survey]
    min_group: int
    total: dict[str, Any] | None = None
    by: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reassignments: list[dict[str, Any]] = field(default_factory=list)
    pareto: dict[str, Any] | None = None
    #: The released ratings by band (``BANDS``): answers and share of the total's answers.
    bands: list[dict[str, Any]] = field(default_factory=list)
    #: The reasons chosen, released ones only, per band, most chosen first (from ``questions``).
    reasons: list[dict[str, Any]] = field(default_factory=list)
    #: Each choice question shown (reasons, lost time…), in the questionnaire's order, with
    #: every option: ``n`` and ``pct`` are None for an option hidden (too few people).
    questions: list[dict[str, Any]] = field(default_factory=list)
    #: The first month not released yet (results cover whole months before it).
    released_before: dt.date | None = None

    @property
    def released_through(self) -> dt.date | None:
        """The last day released."""
        return self.released_before - dt.timedelta(days=1) if self.released_before else None


def ticket_surveys() -> list[Survey]:
    return list(Survey.objects.filter(kind=Survey.Kind.TRANSACTIONAL).order_by("created_at"))


_SUMS = ("n", "people", "promoters", "passives", "detractors", "lost_n", "lost_total")
_COUNTS = f"""count(*) AS n, {PEOPLE} AS people,
    count(*) FILTER (WHERE rating >= 9) AS promoters,
    count(*) FILTER (WHERE rating BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE rating <= 6) AS detractors,
    count(lost_hours) AS lost_n, coalesce(sum(lost_hours), 0) AS lost_total"""


def _row(counts: dict[str, Any] | None, key: str) -> dict[str, Any]:
    """A row's figures from released counts (``None``: suppressed — no figure, no count)."""
    item: dict[str, Any] = {"key": key, "n": None, "suppressed": counts is None,
                            "happiness": None, "lost_hours_mean": None,
                            "lost_hours_total": None}
    if counts is not None:
        item["n"] = int(counts["n"])
        item["happiness"] = analysis.nps_from_counts(int(counts["promoters"]),
                                                     int(counts["passives"]),
                                                     int(counts["detractors"]))
        if counts["lost_n"]:
            item["lost_hours_mean"] = float(counts["lost_total"]) / int(counts["lost_n"])
            item["lost_hours_total"] = float(counts["lost_total"])
    return item


def _add(into: dict[str, Any], row: Any) -> None:
    for name in _SUMS:
        into[name] = into.get(name, 0) + float(getattr(row, name))


def experience(surveys: Sequence[Survey], filters: TicketFilters, *,
               now: dt.datetime | None = None) -> TicketExperience:
    """Every figure of the ticket experience page, from released cells only.

    Ratings are released by whole months that are over (:func:`release.release_before`), so
    that two reads never differ by one answer. In each month, the filtered group must pass the
    disclosure rules (:func:`release.allowed`, counting people); a figure over several months
    adds up the months released. A breakdown (by channel, category…) is suppressed month by
    month with complementary suppression, then added up over the months.

    Every query reads the reader's rated tickets (:class:`Rated`: kept in DuckDB's memory,
    with their audits, for every filter of the same reader on the same data), not the
    store's files."""
    surveys = list(surveys)
    min_group = max((s.min_group_size for s in surveys), default=5)
    before = release.release_before(now)
    result = TicketExperience(surveys=surveys, min_group=min_group, released_before=before)
    if not surveys:
        return result
    rated = Rated.of(surveys, filters.scoped(before))
    base = filters.in_months()
    months = release.allowed(surveys, rated.tickets, filters.selections(), min_group,
                             base=base, per="month", people=PEOPLE, tree=rated.tree)
    where, params = release.where([base, *(s.clause() for s in filters.selections())])
    frame = store.query(surveys, f"""
        SELECT month, {MONTH} AS key, {_COUNTS} FROM {rated.tickets} WHERE {where}
        GROUP BY 1, 2 ORDER BY 1""", params)
    if frame.empty:
        return result
    released = [m for m in months if m is not None]
    if not released:
        result.total = _row(None, "all")
        result.by["month"] = [_row(None, r.key) for r in frame.itertuples()]
        return result
    audits = rated.audits()
    criteria = _criteria(filters, rated.tree)
    months = {m for m in months if m in audits and not audits[m].isolated(criteria, min_group)}
    released = [m for m in released if m in months]
    month_marks = ", ".join("?" for _ in released) or "NULL"
    where += f" AND month IN ({month_marks})"
    params = [*params, *released]
    total: dict[str, Any] = {}
    result.by["month"] = []
    for row in frame.itertuples():
        if release.key_of(row.month) in months:
            _add(total, row)
            result.by["month"].append(_row({n: getattr(row, n) for n in _SUMS}, row.key))
        else:
            result.by["month"].append(_row(None, row.key))
    result.total = _row(total or None, "all")
    result.bands = _bands(total)
    audit = (audits, criteria)
    columns = [d for d in DIMENSIONS if d != "month"] + [REASSIGN]
    # The rest reads the same selected tickets four ways, independently: side by side.
    frames = store.query_many(surveys, {
        "breakdowns": (_breakdowns_sql(columns, where, rated.tickets), params),
        "pareto": (_pareto_sql(where, rated.tickets), params),
        "bands": (_bands_sql(where, rated.tickets), params),
        "choices": (_choices_sql(where, rated.choices), params)})
    breakdowns = _breakdowns(frames["breakdowns"], columns)
    for dimension in columns[:-1]:
        result.by[dimension] = _by(breakdowns[dimension], dimension, min_group, audit)
    result.reassignments = [
        {**row, "key": "3+" if row["key"] == "3" else row["key"]}
        for row in _by(breakdowns[REASSIGN], REASSIGN, min_group, audit)]
    result.pareto = _pareto(frames["pareto"], min_group)
    result.questions = _questions(surveys, frames["bands"], frames["choices"], min_group)
    result.reasons = _reasons(result.questions)
    return result


def _bands(total: dict[str, Any]) -> list[dict[str, Any]]:
    """The released total's ratings by band. Not a further release: the happiness, its
    interval and ``n`` already give the shares of promoters and detractors."""
    if not total.get("n"):
        return []
    n = float(total["n"])
    return [{"band": band, "n": int(total[name]), "pct": 100 * float(total[name]) / n}
            for band, name in BANDS]


#: Reassignments as a breakdown: 0, 1, 2 and "3 or more".
REASSIGN = "CAST(least(reassignments, 3) AS VARCHAR)"
#: The dimensions a reader can select tickets by (filters and breakdowns), for the audit.
AUDITED = {"channel": "channel", "service": "service", "category": "category",
           "assignment_group": "assignment_group", REASSIGN: "reassign", "unit": "unit"}


#: The columns of the rated tickets the page reads (:class:`Rated`).
RATED_COLUMNS = ("response", "month", "person", "rating", "lost_hours", "unit", "service",
                 "category", "channel", "assignment_group", "reassignments")
#: Those kept beside each choice made: who made it, and what the filters select by.
CHOICE_COLUMNS = ("response", "person", "month", "unit", "service", "channel")


@dataclass(frozen=True)
class Rated:
    """A reader's rated tickets (``scoped``: :meth:`TicketFilters.scoped`), kept in DuckDB's
    memory (:func:`store.keep`) with the choices made in their answers (each with the
    columns of its ticket that :class:`TicketFilters` select by), for every filter the
    reader chooses on the same data: each figure of a page is then a query over a few
    thousand rows in memory, not over the store's files. ``tickets`` and ``choices`` name
    the tables in queries over the same surveys; ``tree`` is the unit tree the page reads."""

    surveys: tuple[Survey, ...]
    scoped: tuple[str, tuple[Any, ...]]
    tickets: str
    choices: str
    tree: dict[str, str | None]

    @classmethod
    def of(cls, surveys: list[Survey], scoped: tuple[str, list[Any]]) -> Rated:
        tickets = store.keep(surveys, f"""
            SELECT {', '.join(RATED_COLUMNS)} FROM tickets WHERE {scoped[0]}""", scoped[1])
        # Each choice with its ticket's columns that filters read: counted with no join.
        choices = store.keep(surveys, f"""
            SELECT c.question, c.option, t.*
            FROM choices c JOIN (SELECT {', '.join(CHOICE_COLUMNS)} FROM {tickets}) t
                 USING (response)""")
        return cls(surveys=tuple(surveys), scoped=(scoped[0], tuple(scoped[1])),
                   tickets=tickets, choices=choices, tree=release.unit_tree())

    def audits(self) -> dict[Any, release.RowAudit]:
        """Per month, the audit of groups nested by chance (:class:`release.RowAudit`): the
        ITSM feed sets category, assignment group, channel and service, so a reader could
        build two groups that differ by one person. Made once for the same rated tickets
        (their table's name says which) and unit tree, for every filter and every month
        chosen: a month's audit holds that month's tickets only, whatever the filter."""
        key = (self.tickets, tuple(sorted(self.tree.items())))
        with _AUDITS_LOCK:
            found = _AUDITS.get(key)
            if found is not None:
                _AUDITS[key] = _AUDITS.pop(key)  # the most recently used
        if found is not None:
            return found
        columns = ", ".join(f"{sql} AS {name}" for sql, name in AUDITED.items())
        frame = store.query(list(self.surveys), f"""
            SELECT month, person, {columns} FROM {self.tickets}""")
        frame = frame.fillna("")
        dims = list(AUDITED.values())
        audits = {release.key_of(month): release.RowAudit(rows.drop(columns="month"), dims,
                                                           self.tree)
                  for month, rows in frame.groupby("month")}
        with _AUDITS_LOCK:
            _AUDITS[key] = audits
            while len(_AUDITS) > _AUDITS_KEPT:
                _AUDITS.pop(next(iter(_AUDITS)))
        return audits


#: The audits last built by this process (a few readers' worth: each holds the rated tickets'
#: segments of a year, a few megabytes), least recently used first.
_AUDITS: dict[tuple[Any, ...], dict[Any, release.RowAudit]] = {}
_AUDITS_KEPT = 8
_AUDITS_LOCK = threading.Lock()


def _criteria(filters: TicketFilters, tree: dict[str, str | None]) -> dict[str, Any]:
    """The page's filters as audit criteria (a service, a channel, a unit)."""
    dims = ("service", "channel", "unit")
    found = release.criteria_of(dims, filters.selections(), tree)
    return {} if found is None else {d: v for d, v in zip(dims, found, strict=True) if v}


def _breakdowns_sql(columns: list[str], where: str, tickets: str) -> str:
    """Every breakdown's counts by month and value from one scan of the tickets (grouping
    sets); :func:`_breakdowns` splits them."""
    keys = ", ".join(f"{column} AS k{i}" for i, column in enumerate(columns))
    flags = ", ".join(f"GROUPING({column}) AS g{i}" for i, column in enumerate(columns))
    sets = ", ".join(f"(month, {column})" for column in columns)
    return f"""SELECT month, {keys}, {flags}, {_COUNTS} FROM {tickets} WHERE {where}
               GROUP BY GROUPING SETS ({sets})"""


def _breakdowns(frame: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    """Per column, the counts by month and value (``month``, ``key``, the sums), ordered by
    value."""
    out = {}
    for i, column in enumerate(columns):
        rows = frame[frame[f"g{i}"] == 0]
        rows = rows.assign(key=rows[f"k{i}"])[["month", "key", *_SUMS]]
        out[column] = rows.sort_values("key", kind="stable", na_position="last")
    return out


def _by(frame: pd.DataFrame, column: str, min_group: int,
        audit: tuple[dict[Any, release.RowAudit], dict[str, Any]] | None = None
        ) -> list[dict[str, Any]]:
    """A breakdown (from :func:`_breakdowns`) suppressed month by month — a cell that differs
    by a few people from another group is hidden too (the audit) — then added up over the
    months."""
    keys: dict[str, dict[str, Any]] = {}
    by_month: dict[Any, dict[str, Any]] = {}
    for row in frame.itertuples():
        key = row.key or ""
        keys.setdefault(key, {})
        by_month.setdefault(row.month, {})[key] = row
    for month, rows in by_month.items():
        counts = {key: int(row.people) for key, row in rows.items()}
        nested: set[str] = set()
        if audit is not None and release.key_of(month) in audit[0]:
            check, name = audit[0][release.key_of(month)], AUDITED[column]
            nested = {key for key, n in counts.items() if n >= min_group
                      and check.isolated({**audit[1], name: key}, min_group)}
        hidden = disclosure.suppress(counts, min_group, hidden=nested)
        for key, row in rows.items():
            if key not in hidden:
                _add(keys[key], row)
    return [_row(counts or None, key) for key, counts in keys.items()]


def _pareto_sql(where: str, tickets: str) -> str:
    """The lost-time curve's points (about 50, and the last) with the totals on every row."""
    return f"""
        WITH ranked AS (
            SELECT sum(lost_hours) OVER (ORDER BY lost_hours DESC, response
                                         ROWS UNBOUNDED PRECEDING) AS cumulative,
                   row_number() OVER (ORDER BY lost_hours DESC, response) AS rank,
                   count(*) OVER () AS n, sum(lost_hours) OVER () AS total
            FROM {tickets} WHERE {where} AND lost_hours IS NOT NULL),
        reached AS (SELECT min(rank) FILTER (WHERE cumulative >= 0.8 * total) AS reach
                    FROM ranked)
        SELECT rank, cumulative, n, total, reach FROM ranked, reached
        WHERE rank % greatest(1, n // 50) = 0 OR rank = n ORDER BY rank"""


def _pareto(frame: pd.DataFrame, min_group: int) -> dict[str, Any] | None:
    """How concentrated lost time is: the share of tickets behind 80 % of it, and the curve."""
    n = int(frame["n"].iloc[0]) if not frame.empty else 0
    total = float(frame["total"].iloc[0]) if n else 0.0
    if n < min_group or total == 0:
        return None
    points = [{"tickets_pct": 100 * r / n, "lost_pct": 100 * c / total}
              for r, c in zip(frame["rank"], frame["cumulative"], strict=True)]
    return {"n": n, "total_hours": total,
            "share_for_80": 100 * float(frame["reach"].iloc[0]) / n,
            "points": [{"tickets_pct": 0.0, "lost_pct": 0.0}, *points]}


def _bands_sql(where: str, tickets: str) -> str:
    """The rated tickets per score band: the base of each band's reasons."""
    return f"""
        SELECT CASE WHEN rating <= 6 THEN 'reasons_low' WHEN rating <= 8 THEN 'reasons_mid'
                    ELSE 'reasons_high' END AS question, count(*) AS n, {PEOPLE} AS people
        FROM {tickets} WHERE {where} GROUP BY 1"""


def _choices_sql(where: str, choices: str) -> str:
    """How often each option of each choice question was chosen (and each question answered)
    over the tickets selected (``choices``: each choice with its ticket's columns, from
    :class:`Rated`), by option: complementary suppression breaks ties by that order, which
    must be the same at every read."""
    return f"""
        SELECT question, option, grouping(option) AS whole,
               count(DISTINCT response) AS n, count(DISTINCT person) AS people
        FROM {choices} WHERE {where}
        GROUP BY GROUPING SETS ((question, option), (question))
        ORDER BY question, option NULLS FIRST"""


def _questions(surveys: list[Survey], bands: pd.DataFrame, frame: pd.DataFrame,
               min_group: int) -> list[dict[str, Any]]:
    """How often each option of each choice question was chosen, over the rated tickets
    selected.

    A reason is counted within its score band (its share is of the band's answers, whether
    they gave a reason or not), shown once the band holds ``min_group`` people; another
    question's share is of the answers to it, shown from ``min_group`` people on. An option
    chosen by fewer people is hidden — and for a single choice, whose options add up to the
    answers, the smallest others too, until the hidden ones hold ``min_group`` people."""
    bases = {row.question: (int(row.n), int(row.people)) for row in bands.itertuples()}
    chosen: dict[str, dict[str, tuple[int, int]]] = {}
    for row in frame.itertuples():
        if int(row.whole):
            if row.question not in REASON_QUESTIONS:
                bases[row.question] = (int(row.n), int(row.people))
        else:
            chosen.setdefault(row.question, {})[row.option] = (int(row.n), int(row.people))
    out = []
    for code, (text, kind, options) in _choice_questions(surveys).items():
        base, base_people = bases.get(code, (0, 0))
        counts = chosen.get(code, {})
        if base_people < min_group or not counts:
            continue
        people = {option: n_people for option, (_n, n_people) in counts.items()}
        hidden = (disclosure.suppress(people, min_group) if kind == "single"
                  else {option for option, n in people.items() if n < min_group})
        labels = dict(options)
        labels.update({option: option for option in counts if option not in labels})
        rows = []
        for option, label in labels.items():
            n = counts.get(option, (0, 0))[0]
            shown = option in counts and option not in hidden
            rows.append({"code": option, "label": label, "n": n if shown else None,
                         "pct": 100 * n / base if shown else None})
        out.append({"code": code, "text": text, "type": kind, "n": base,
                    "reason": code in REASON_QUESTIONS, "options": rows})
    return out


def _reasons(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons released, per band, most chosen first, with their band's answers."""
    rows = [{"question": q["code"], "option": o["code"], "label": o["label"], "n": o["n"],
             "band_n": q["n"], "pct": o["pct"]}
            for q in questions if q["reason"] for o in q["options"] if o["n"] is not None]
    return sorted(rows, key=lambda r: (r["question"], -r["n"]))


def _choice_questions(surveys: list[Survey]
                      ) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """Each choice question asked, by code: its text, type and options (code, label) in the
    reader's language, as its latest version says, after the options of earlier versions
    that it dropped (answers may still hold them)."""
    language = (get_language() or "fr")[:2]
    found: dict[str, tuple[str, str, dict[str, str]]] = {}
    rows = (Question.objects.filter(version__survey__in=surveys, type__in=CHOICE)
            .order_by("version__number", "section__position", "position", "id"))
    for question in rows:
        _text, _kind, earlier = found.get(question.code, ("", "", {}))
        latest = {o["code"]: option_label(o, language) for o in question.options}
        dropped = {code: label for code, label in earlier.items() if code not in latest}
        found[question.code] = (question.text, question.type, {**latest, **dropped})
    return {code: (text, kind, list(options.items()))
            for code, (text, kind, options) in found.items()}
