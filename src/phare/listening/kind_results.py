"""The results of the question kinds of :mod:`phare.listening.question_kinds` that sum up in
figures: numbers and sliders (n, mean, median, 95 % interval), several numbers and constant
sums (mean per row), rankings (mean rank, share ranked first), dates (answers by month).

Reads only, of released answers (:func:`phare.listening.queries.released`: closed waves,
months that are over), and through the disclosure rules of :mod:`phare.analysis.disclosure`:
a figure computed from fewer than the survey's minimum group size is not given; a breakdown
(first choices, months) hides its small cells with complementary suppression.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from phare.analysis import disclosure, estimates
from phare.listening import question_kinds as kinds
from phare.listening.models import Question, Survey, Wave
from phare.listening.queries import released, version_questions

#: The kinds that have figures here.
RESULT_KINDS = ("numeric", "slider", "multinum", "constsum", "ranking", "date")


@dataclass
class Line:
    """One row of a question's figures: a row's mean, an option's mean rank and share ranked
    first, a month's answers. ``values`` are ``None`` where hidden."""

    label: str
    values: list[float | int | None]


@dataclass
class KindResult:
    """A question's figures; ``hidden`` when too few answered for any figure."""

    code: str
    text: str
    kind: str
    n: int
    hidden: bool
    #: Numbers and sliders: mean, median, lower and upper bounds of the 95 % interval.
    mean: float | None = None
    median: float | None = None
    low: float | None = None
    high: float | None = None
    lines: list[Line] = field(default_factory=list)


def kind_results(survey: Survey, *, wave: Wave | None = None, language: str) -> list[KindResult]:
    """The figures of the survey's questions of :data:`RESULT_KINDS` (current version's
    definitions; answers of every version keyed by code), optionally for one wave."""
    responses = released(survey.responses.all())
    if wave is not None:
        responses = responses.filter(wave=wave)
    answers = list(responses.values_list("answers", flat=True))
    k = survey.min_group_size
    questions = [q for q in version_questions(survey.current_version())
                 if q.type in RESULT_KINDS]
    return [_result(q, [a.get(q.code) for a in answers if isinstance(a, Mapping)
                        and a.get(q.code) not in (None, "", [], {})], k, language)
            for q in questions]


def _result(question: Question, values: list[Any], k: int, language: str) -> KindResult:
    result = KindResult(code=question.code, text=question.text, kind=question.type,
                        n=len(values), hidden=len(values) < k)
    if result.hidden:
        return result
    rows = question.options or []
    if question.type in kinds.SINGLE_NUMBER:
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        result.mean, result.median = statistics.fmean(numbers), statistics.median(numbers)
        if len(numbers) >= 2:
            estimate = estimates.mean_score(numbers)
            result.low, result.high = estimate.low, estimate.high
    elif question.type in {"multinum", "constsum"}:
        zero = question.type == "constsum"  # nothing allocated to a row left empty
        for row in rows:
            code = str(row["code"])
            numbers = [float(v[code]) if code in v else 0.0 for v in values
                       if isinstance(v, Mapping) and (zero or code in v)]
            mean = statistics.fmean(numbers) if len(numbers) >= k else None
            result.lines.append(Line(kinds.item_label(row, language), [mean]))
    elif question.type == "ranking":
        firsts = Counter(v[0] for v in values if isinstance(v, list) and v)
        counts = {str(row["code"]): firsts.get(str(row["code"]), 0) for row in rows}
        hidden = disclosure.suppress(counts, k)
        for row in rows:
            code = str(row["code"])
            ranks = [v.index(code) + 1 for v in values if isinstance(v, list) and code in v]
            mean = statistics.fmean(ranks) if len(ranks) >= k else None
            share = None if code in hidden else 100 * counts[code] / len(values)
            result.lines.append(Line(kinds.item_label(row, language), [mean, share]))
    elif question.type == "date":
        months = Counter(str(v)[:7] for v in values if isinstance(v, str))
        hidden = disclosure.suppress(dict(sorted(months.items())), k)
        result.lines = [Line(month, [None if month in hidden else count])
                        for month, count in sorted(months.items())]
    return result


def waves_with_results(survey: Survey) -> Sequence[Wave]:
    """The waves whose answers are released (closed ones)."""
    return list(survey.waves.filter(status=Wave.Status.CLOSED).order_by("number"))
