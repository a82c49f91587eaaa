"""Ticket experience: happiness and lost time after IT tickets, and what drives them.

*Happiness* is the NPS formula applied to the 0–10 rating given after a ticket (share of 9–10
minus share of 0–6, in points), as HappySignals defines it. Lost time is the answer to "how much
work time did you lose?", counted at the midpoint of each band (see
:data:`phare.insights.facts.LOST_HOURS`). Groups smaller than the minimum size are suppressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from phare import analysis
from phare.insights import store
from phare.listening.models import Survey

DIMENSIONS = ("month", "channel", "category", "service", "assignment_group")
REASON_QUESTIONS = ("reasons_low", "reasons_mid", "reasons_high")


@dataclass(frozen=True)
class TicketFilters:
    """Which rated tickets a page looks at; ``services`` None means every service."""

    services: tuple[str, ...] | None = None
    months: tuple[str, ...] = ()  # "YYYY-MM"
    channel: str = ""
    units: tuple[str, ...] = ()  # the requester's business unit (and its sub-units)

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["rating IS NOT NULL"], []
        if self.services is not None:
            if not self.services:
                clauses.append("FALSE")
            else:
                clauses.append(f"service IN ({', '.join('?' for _ in self.services)})")
                params.extend(self.services)
        if self.months:
            clauses.append(f"strftime(month, '%Y-%m') IN ({', '.join('?' for _ in self.months)})")
            params.extend(self.months)
        if self.channel:
            clauses.append("channel = ?")
            params.append(self.channel)
        if self.units:
            clauses.append(f"unit IN ({', '.join('?' for _ in self.units)})")
            params.extend(self.units)
        return " AND ".join(clauses), params


@dataclass
class TicketExperience:
    surveys: list[Survey]
    min_group: int
    total: dict[str, Any] | None = None
    by: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reassignments: list[dict[str, Any]] = field(default_factory=list)
    pareto: dict[str, Any] | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)


def ticket_surveys() -> list[Survey]:
    return list(Survey.objects.filter(kind=Survey.Kind.TRANSACTIONAL).order_by("created_at"))


def _row(row: Any, min_group: int, key: str) -> dict[str, Any]:
    n = int(row.n)
    item = {"key": key, "n": n, "suppressed": n < min_group, "happiness": None,
            "lost_hours_mean": None, "lost_hours_total": None}
    if not item["suppressed"]:
        item["happiness"] = analysis.nps_from_counts(int(row.promoters), int(row.passives),
                                                     int(row.detractors))
        if row.lost_n:
            item["lost_hours_mean"] = float(row.lost_mean)
            item["lost_hours_total"] = float(row.lost_total)
    return item


_COUNTS = """count(*) AS n,
    count(*) FILTER (WHERE rating >= 9) AS promoters,
    count(*) FILTER (WHERE rating BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE rating <= 6) AS detractors,
    count(lost_hours) AS lost_n, avg(lost_hours) AS lost_mean, sum(lost_hours) AS lost_total"""


def experience(surveys: Sequence[Survey], filters: TicketFilters) -> TicketExperience:
    """Every figure of the ticket experience page."""
    surveys = list(surveys)
    min_group = max((s.min_group_size for s in surveys), default=5)
    result = TicketExperience(surveys=surveys, min_group=min_group)
    if not surveys:
        return result
    where, params = filters.where()
    total = store.query(surveys, f"SELECT {_COUNTS} FROM tickets WHERE {where}", params)
    row = next(total.itertuples())
    if int(row.n) == 0:
        return result
    result.total = _row(row, min_group, "all")
    for dimension in DIMENSIONS:
        column = "strftime(month, '%Y-%m')" if dimension == "month" else dimension
        frame = store.query(surveys, f"""
            SELECT {column} AS key, {_COUNTS} FROM tickets WHERE {where}
            GROUP BY 1 ORDER BY 1""", params)
        result.by[dimension] = [_row(r, min_group, r.key or "") for r in frame.itertuples()]
    frame = store.query(surveys, f"""
        SELECT least(reassignments, 3) AS key, {_COUNTS} FROM tickets WHERE {where}
        GROUP BY 1 ORDER BY 1""", params)
    result.reassignments = [_row(r, min_group, "3+" if r.key >= 3 else str(int(r.key)))
                            for r in frame.itertuples()]
    result.pareto = _pareto(surveys, where, params, min_group)
    result.reasons = _reasons(surveys, filters, min_group)
    return result


def _pareto(surveys: list[Survey], where: str, params: list[Any], min_group: int
            ) -> dict[str, Any] | None:
    """How concentrated lost time is: the share of tickets behind 80 % of it, and the curve."""
    ranked = f"""
        WITH ranked AS (
            SELECT sum(lost_hours) OVER (ORDER BY lost_hours DESC, response
                                         ROWS UNBOUNDED PRECEDING) AS cumulative,
                   row_number() OVER (ORDER BY lost_hours DESC, response) AS rank,
                   count(*) OVER () AS n, sum(lost_hours) OVER () AS total
            FROM tickets WHERE {where} AND lost_hours IS NOT NULL)"""
    head = store.query(surveys, f"""{ranked}
        SELECT any_value(n) AS n, any_value(total) AS total,
               min(rank) FILTER (WHERE cumulative >= 0.8 * total) AS reach FROM ranked""",
                       params)
    n = int(head["n"].iloc[0]) if not head.empty and head["n"].notna().all() else 0
    total = float(head["total"].iloc[0]) if n else 0.0
    if n < min_group or total == 0:
        return None
    step = max(1, n // 50)
    curve = store.query(surveys, f"""{ranked}
        SELECT rank, cumulative FROM ranked WHERE rank % {step} = 0 OR rank = n
        ORDER BY rank""", params)
    points = [{"tickets_pct": 100 * r / n, "lost_pct": 100 * c / total}
              for r, c in zip(curve["rank"], curve["cumulative"], strict=True)]
    return {"n": n, "total_hours": total,
            "share_for_80": 100 * float(head["reach"].iloc[0]) / n,
            "points": [{"tickets_pct": 0.0, "lost_pct": 0.0}, *points]}


def _reasons(surveys: list[Survey], filters: TicketFilters, min_group: int
             ) -> list[dict[str, Any]]:
    """How often each reason was chosen, per score band, with its label."""
    where, params = filters.where()
    bands = store.query(surveys, f"""
        SELECT CASE WHEN rating <= 6 THEN 'reasons_low' WHEN rating <= 8 THEN 'reasons_mid'
                    ELSE 'reasons_high' END AS question, count(*) AS n
        FROM tickets WHERE {where} GROUP BY 1""", params)
    band_sizes = dict(zip(bands["question"], bands["n"], strict=True))
    marks = ", ".join("?" for _ in REASON_QUESTIONS)
    frame = store.query(surveys, f"""
        SELECT question, option, count(*) AS n FROM choices
        WHERE question IN ({marks}) AND response IN (SELECT response FROM tickets WHERE {where})
        GROUP BY question, option ORDER BY question, n DESC""", [*REASON_QUESTIONS, *params])
    labels = _reason_labels(surveys)
    rows = []
    for row in frame.itertuples():
        band = int(band_sizes.get(row.question, 0))
        if band < min_group:
            continue
        rows.append({"question": row.question, "option": row.option,
                     "label": labels.get((row.question, row.option), row.option),
                     "n": int(row.n), "band_n": band, "pct": 100 * int(row.n) / band})
    return rows


def _reason_labels(surveys: list[Survey]) -> dict[tuple[str, str], str]:
    from django.utils.translation import get_language

    from phare.listening.models import Question
    from phare.listening.questions import option_label

    language = (get_language() or "fr")[:2]
    labels: dict[tuple[str, str], str] = {}
    for code, options in (Question.objects.filter(version__survey__in=surveys,
                                                  code__in=REASON_QUESTIONS)
                          .order_by("version__number").values_list("code", "options")):
        for option in options:
            labels[(code, option["code"])] = option_label(option, language)
    return labels
