"""Reads for the ticket feedback management page: decisions, response rate, results.

The results are counted over the answers of the months that are over, and nothing is shown
(not even a count) while they come from fewer people than the survey's minimum group size.
The dashboards of the insights app give the same figures by month, channel, service… through
DuckDB.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone, translation

from phare.analysis import disclosure
from phare.analysis.estimates import nps_from_counts
from phare.listening import questions as qtypes
from phare.listening import services
from phare.listening.models import Invitation, Survey, Ticket
from phare.listening.tickets import BANDS, RATING, band_of


def decision_counts() -> list[tuple[str, str, int]]:
    """(decision, label, number of tickets) for every decision, in the model's order."""
    counts = dict(Ticket.objects.values_list("decision").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in Ticket.Decision.choices]


def response_rate(survey: Survey) -> dict[str, Any]:
    figures = Invitation.objects.filter(survey=survey, ticket__isnull=False).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(responded_on__isnull=False)))
    invited, answered = figures["invited"], figures["answered"]
    return {"invited": invited, "answered": answered,
            "percent": round(100 * answered / invited) if invited else None}


def ticket_results(survey: Survey, *, now: Any = None) -> dict[str, Any]:
    """The rating's spread, and how often each reason and lost time was chosen, over the
    answers of the months that are over (released by whole months, so that two reads never
    differ by one person's answer); nothing, not even a count, while they come from fewer
    people than the survey's minimum group, and no option chosen by fewer people."""
    k = survey.min_group_size
    before = disclosure.release_before(timezone.localdate(now or timezone.now()))
    rows = list(survey.responses.filter(submitted_on__lt=before)
                .values_list("answers", "respondent_id", "ticket__requester_id").iterator())
    rated = [(a, person or requester) for a, person, requester in rows
             if isinstance(a.get(RATING), int)]
    people = len({person for _a, person in rated})
    result: dict[str, Any] = {"min_group_size": k, "released_before": before,
                              "shown": people >= k}
    if not result["shown"]:
        return result
    answers = [a for a, _person in rated]
    ratings = [a[RATING] for a in answers]
    result["n"] = len(ratings)
    bands = Counter(band_of(r) for r in ratings)
    result["bands"] = [{"band": b, "count": bands[b], "percent": round(100 * bands[b]
                                                                       / len(ratings))}
                       for b, _low, _high in BANDS]

    # The net score of the rating (9–10 minus 0–6, in points), with its 95 % interval.
    result["score"] = nps_from_counts(bands["high"], bands["mid"], bands["low"],
                                      method="adjusted_wald")
    language = translation.get_language() or "fr"
    questions = []
    for question in services.version_questions(survey.current_version()):
        if question.type not in qtypes.CHOICE:
            continue
        chosen: Counter[str] = Counter()
        answered = 0
        for a in answers:
            value = a.get(question.code)
            if value:
                answered += 1
                chosen.update(value if isinstance(value, list) else [value])
        if answered < k:
            continue
        questions.append({
            "code": question.code, "text": question.text, "answered": answered,
            "options": [{"label": qtypes.option_label(o, language),
                         "count": chosen[o["code"]] if chosen[o["code"]] >= k else None,
                         "percent": round(100 * chosen[o["code"]] / answered)
                         if chosen[o["code"]] >= k else None}
                        for o in question.options]})
    result["questions"] = questions
    return result
