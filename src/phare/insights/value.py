"""A catalogue service's value card: what its users say, what its tickets cost them, what it
costs per person it serves.

Figures come from the service's own surveys (kind *service*), the ticket feedback on its
tickets, and the catalogue (annual run cost, audience). Small groups are suppressed as
everywhere; comments need the verbatim threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Q

from phare import analysis
from phare.analysis import AnalysisError
from phare.catalog.models import Service
from phare.insights import store
from phare.insights.tickets import TicketFilters, experience, ticket_surveys
from phare.listening.models import Survey, Wave
from phare.usage import queries as usage


def reach(service: Service) -> int:
    """Active people in the service's audience (a unit covers its sub-units): the usage
    app's count, so that the card's cost per person and its adoption share one audience."""
    return sum(usage.audience_leaves(service).values())


@dataclass
class ValueCard:
    service: Service
    satisfaction: list[dict[str, Any]]
    tickets: dict[str, Any] | None
    themes: dict[str, Any] | None
    reach: int
    cost_per_user: float | None
    min_group: int


def _survey_trend(surveys: list[Survey]) -> list[dict[str, Any]]:
    """The service surveys' NPS per wave (or month when not collected in waves), from the
    store's released answers: closed waves, months that are over."""
    if not surveys:
        return []
    frame = store.query(surveys, """
        SELECT coalesce('w' || CAST(wave AS VARCHAR), strftime(month, '%Y-%m')) AS period,
               min(day) AS first_day, count(*) AS n,
               count(*) FILTER (WHERE score >= 9) AS promoters,
               count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives,
               count(*) FILTER (WHERE score <= 6) AS detractors
        FROM responses WHERE score IS NOT NULL GROUP BY 1 ORDER BY first_day""")
    min_group = max(s.min_group_size for s in surveys)
    names = {f"w{n}": name for n, name in
             Wave.objects.filter(survey__in=surveys).values_list("number", "name")}
    rows, previous = [], None
    for row in frame.itertuples():
        suppressed = int(row.n) < min_group
        item = {"period": names.get(row.period, row.period),
                "n": None if suppressed else int(row.n), "nps": None, "change": None,
                "suppressed": suppressed}
        if not item["suppressed"]:
            item["nps"] = analysis.nps_from_counts(int(row.promoters), int(row.passives),
                                                   int(row.detractors))
            if previous is not None and previous.variance + item["nps"].variance > 0:
                item["change"] = analysis.compare_estimates(previous, item["nps"])
            previous = item["nps"]
        rows.append(item)
    return rows


def _themes(service: Service, surveys: list[Survey], ticket: list[Survey],
            min_verbatim: int) -> dict[str, Any]:
    texts = []
    if ticket:
        texts.append(store.query(ticket, """
            SELECT x.text, x.score FROM texts x JOIN tickets t USING (response)
            WHERE t.service = ? AND x.question NOT LIKE '%.other'
            ORDER BY hash(x.response) LIMIT 3000""", [service.slug]))
    if surveys:
        texts.append(store.query(surveys, """
            SELECT text, score FROM texts WHERE question NOT LIKE '%.other'
            ORDER BY hash(response) LIMIT 3000"""))
    frame = pd.concat(texts) if texts else pd.DataFrame({"text": [], "score": []})
    if len(frame) < max(min_verbatim, 10):
        return {"suppressed": True, "n": len(frame), "themes": []}
    try:
        found = analysis.themes(frame["text"].tolist(), scores=frame["score"].tolist(),
                                n_themes=None)
    except AnalysisError:
        return {"suppressed": True, "n": len(frame), "themes": []}
    return {"suppressed": False, "n": len(frame),
            "themes": [{"label": t.label, "share": 100 * t.share, "size": t.size,
                        "example": t.examples[0] if t.examples else "",
                        "mean_score": t.mean_score} for t in found.themes[:5]]}


def service_surveys(service: Service) -> list[Survey]:
    """The surveys about ``service`` itself (its value card's satisfaction)."""
    return list(Survey.objects.filter(Q(kind=Survey.Kind.SERVICE) & Q(service=service))
                .order_by("pk"))


def value_card(service: Service) -> ValueCard:
    surveys = service_surveys(service)
    ticket = ticket_surveys()
    min_group = max([s.min_group_size for s in surveys + ticket] or [5])
    min_verbatim = max([s.min_verbatim_group_size for s in surveys + ticket] or [10])
    tickets = experience(ticket, TicketFilters(services=(service.slug,)))
    ticket_figures = None
    if tickets.total and not tickets.total["suppressed"]:
        ticket_figures = {"total": tickets.total,
                          "months": tickets.by.get("month", [])[-6:]}
    people = reach(service)
    cost = float(service.annual_run_cost) if service.annual_run_cost else None
    return ValueCard(service=service, satisfaction=_survey_trend(surveys),
                     tickets=ticket_figures, themes=_themes(service, surveys, ticket, min_verbatim),
                     reach=people, cost_per_user=(cost / people) if cost and people else None,
                     min_group=min_group)
