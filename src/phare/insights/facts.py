"""Answers flattened into analytical rows ("facts"), one table per kind of value.

A response's answers (see :mod:`phare.listening.questions`) become:

- one ``responses`` row: its segments, day, wave, channel and headline score (the first
  NPS-type answer, for score bands);
- ``scores`` rows for numbers: ``(question, item, dimension, value)`` — ``item`` and
  ``dimension`` are the attribute and ``importance``/``satisfaction`` of a grid, else empty;
- ``choices`` rows for single and multiple choices: ``(question, option)``;
- ``texts`` rows for free text (and the text of "other"): ``(question, text)``;
- for ticket feedback, one ``tickets`` row joining the ticket's attributes to its rating.

A rating matrix (``{column: {row: rating}}``, the positioning study's ratings of alternatives)
gives no rows: it is not a barometer grid, and flattened into ``scores`` (row as ``item``,
column as ``dimension``) it would sit beside the grids' importance and satisfaction that the
dashboards read. Its answers are read by the positioning app, from released responses.

Pure Python: the store (:mod:`phare.insights.store`) writes these rows to Parquet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Hours of work lost, per answer of the ticket survey's ``lost_time`` question (midpoints;
#: a working day counts 7.5 hours, "more" two days).
LOST_HOURS = {"none": 0.0, "lt_1h": 0.5, "1_4h": 2.5, "day": 7.5, "more": 15.0}

RESPONSE_COLUMNS = ["response", "wave", "version", "day", "month", "unit", "site", "job_family",
                    "channel", "language", "score"]
SEGMENT_COLUMNS = ["wave", "day", "unit", "site", "job_family"]
SCORE_COLUMNS = ["response", *SEGMENT_COLUMNS, "question", "item", "dimension", "value"]
CHOICE_COLUMNS = ["response", *SEGMENT_COLUMNS, "score", "question", "option"]
TEXT_COLUMNS = ["response", *SEGMENT_COLUMNS, "language", "score", "question", "text"]
TICKET_COLUMNS = ["response", "day", "month", "unit", "site", "job_family", "ticket", "service",
                  "category", "channel", "assignment_group", "reassignments", "opened_at",
                  "resolved_at", "resolution_hours", "rating", "lost_time", "lost_hours",
                  "person"]


@dataclass
class Facts:
    """Rows of each table, as lists of tuples in the column order above."""

    responses: list[tuple] = field(default_factory=list)
    scores: list[tuple] = field(default_factory=list)
    choices: list[tuple] = field(default_factory=list)
    texts: list[tuple] = field(default_factory=list)
    tickets: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionInfo:
    type: str
    #: The headline question of its version (first NPS-type question).
    headline: bool = False


def headline_score(types: Mapping[str, QuestionInfo], answers: Mapping[str, Any]) -> float | None:
    for code, info in types.items():
        if info.headline:
            value = answers.get(code)
            return float(value) if isinstance(value, int | float) else None
    return None


def add_response(facts: Facts, *, response: str, wave: int | None, version: int, day: dt.date,
                 unit: str, site: str, job_family: str, channel: str, language: str,
                 types: Mapping[str, QuestionInfo], answers: Mapping[str, Any],
                 ticket: Mapping[str, Any] | None = None) -> None:
    """Append one response's rows to ``facts``."""
    score = headline_score(types, answers)
    month = day.replace(day=1)
    facts.responses.append((response, wave, version, day, month, unit, site, job_family,
                            channel, language, score))
    seg = (wave, day, unit, site, job_family)
    for code, value in answers.items():
        if "." in code:  # the text of "other": "<question>.other"
            if isinstance(value, str) and value:
                facts.texts.append((response, *seg, language, score, code, value))
            continue
        info = types.get(code)
        if info is None:
            continue
        kind = info.type
        if kind in ("nps", "csat", "ces", "scale") and isinstance(value, int | float):
            facts.scores.append((response, *seg, code, "", "", float(value)))
        elif kind == "grid" and isinstance(value, Mapping):
            for item, ratings in value.items():
                for dimension, rating in ratings.items():
                    facts.scores.append((response, *seg, code, item, dimension, float(rating)))
        elif kind == "single" and isinstance(value, str):
            facts.choices.append((response, *seg, score, code, value))
        elif kind == "multiple" and isinstance(value, list):
            for option in value:
                facts.choices.append((response, *seg, score, code, option))
        elif kind == "text" and isinstance(value, str) and value:
            facts.texts.append((response, *seg, language, score, code, value))
        # Any other type (a rating matrix) gives no rows: see the module's docstring.
    if ticket is not None:
        opened, resolved = ticket["opened_at"], ticket["resolved_at"]
        hours = (resolved - opened).total_seconds() / 3600 if opened and resolved else None
        lost = answers.get("lost_time")
        rating = answers.get("rating")
        facts.tickets.append((
            response, day, month, unit, site, job_family, ticket["external_id"],
            ticket["service"] or "", ticket["category"] or "", ticket["channel"] or "",
            ticket["assignment_group"] or "", int(ticket["reassignment_count"] or 0),
            opened, resolved, hours, float(rating) if isinstance(rating, int | float) else None,
            lost if isinstance(lost, str) else None, LOST_HOURS.get(lost) if lost else None,
            ticket.get("person")))
