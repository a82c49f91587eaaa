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
from phare.analysis import AnalysisError, disclosure
from phare.catalog.models import Service
from phare.insights import release, store
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
    #: The service surveys' satisfaction per wave or month, oldest first: ``period``, ``n``,
    #: ``nps`` and ``csat`` (estimates, None when the surveys do not ask it or too few answered
    #: it), their ``change`` and ``csat_change`` from the period before, ``suppressed``.
    satisfaction: list[dict[str, Any]]
    #: The rated tickets about the service: ``total`` and every released ``months`` (each
    #: with its ``change`` from the month before), or None when none is released.
    tickets: dict[str, Any] | None
    themes: dict[str, Any] | None
    reach: int
    cost_per_user: float | None
    min_group: int
    #: Rated tickets exist but too few to show: "too few answers", with no count.
    tickets_hidden: bool = False

    @property
    def latest(self) -> dict[str, Any] | None:
        """The last period released with a figure (NPS, else CSAT)."""
        shown = [row for row in self.satisfaction if row["nps"] or row["csat"]]
        return shown[-1] if shown else None

    @property
    def change(self) -> dict[str, Any] | None:
        """The card's latest change, with its interval: the survey's NPS (else CSAT) from the
        period before, else ticket happiness from the month before; None without two
        released periods."""
        latest = self.latest
        if latest is not None and (latest["change"] or latest["csat_change"]):
            measure = "nps" if latest["change"] else "csat"
            found = latest["change"] or latest["csat_change"]
            return {"measure": measure, "comparison": found, "period": latest["period"]}
        months = [m for m in (self.tickets or {}).get("months", []) if m.get("change")]
        if months:
            return {"measure": "ticket_happiness", "comparison": months[-1]["change"],
                    "period": months[-1]["key"]}
        return None


#: A service survey's period: its wave, or the month of answers collected outside waves.
PERIOD = "coalesce('w' || CAST(wave AS VARCHAR), strftime(day, '%Y-%m'))"


def _csat_questions(surveys: list[Survey]) -> list[str]:
    """The code of each survey's first CSAT question (its current version)."""
    codes: list[str] = []
    for survey in surveys:
        version = survey.current_version()
        first = (version.questions.filter(type="csat")
                 .order_by("section__position", "position").first() if version else None)
        if first is not None and first.code not in codes:
            codes.append(first.code)
    return codes


def _survey_trend(surveys: list[Survey]) -> list[dict[str, Any]]:
    """The service surveys' NPS and CSAT per wave (or month when not collected in waves),
    from the store's released answers (closed waves, months that are over), each period shown
    only where the disclosure rules release its answers (:func:`release.allowed`).

    A service survey may ask an NPS, a CSAT or both: each figure is given when asked."""
    if not surveys:
        return []
    k = max(s.min_group_size for s in surveys)
    released = release.allowed(surveys, "responses", [], k, per=PERIOD)
    csat_codes = _csat_questions(surveys)
    statements: dict[str, tuple[str, list[Any]]] = {"responses": (f"""
        SELECT {PERIOD} AS period, min(day) AS first_day, count(*) AS n,
               count(*) FILTER (WHERE score >= 9) AS promoters,
               count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives,
               count(*) FILTER (WHERE score <= 6) AS detractors
        FROM responses GROUP BY 1 ORDER BY first_day""", [])}
    if csat_codes:
        marks = ", ".join("?" for _ in csat_codes)
        statements["csat"] = (f"""
            SELECT {PERIOD} AS period, count(*) AS n,
                   count(*) FILTER (WHERE value >= 4) AS satisfied, avg(value) AS mean
            FROM scores WHERE question IN ({marks}) AND item = '' AND value IS NOT NULL
            GROUP BY 1""", csat_codes)
    frames = store.query_many(surveys, statements)
    csat = ({row.period: (int(row.n), int(row.satisfied), float(row.mean))
             for row in frames["csat"].itertuples()} if "csat" in frames else {})
    names = {f"w{wave.number}": wave.name for wave in Wave.objects.filter(survey__in=surveys)}
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for row in frames["responses"].itertuples():
        suppressed = release.key_of(row.period) not in released
        item: dict[str, Any] = {"period": names.get(row.period, row.period),
                                "n": None if suppressed else int(row.n), "nps": None,
                                "change": None, "csat": None, "csat_change": None,
                                "suppressed": suppressed}
        rows.append(item)
        if suppressed:
            continue
        scored = int(row.promoters + row.passives + row.detractors)
        if scored and not disclosure.small(scored, k):
            item["nps"] = analysis.nps_from_counts(int(row.promoters), int(row.passives),
                                                   int(row.detractors))
        answered, satisfied, mean = csat.get(row.period, (0, 0, 0.0))
        if answered and not disclosure.small(answered, k):
            item["csat"] = analysis.csat_from_counts(satisfied, answered, mean)
        if previous is not None:
            item["change"] = _compared(previous["nps"], item["nps"])
            item["csat_change"] = _compared(previous["csat"], item["csat"])
        previous = item
    return rows


def _compared(before: Any, after: Any) -> Any:
    """The change from ``before`` to ``after`` (two estimates), when both exist and vary."""
    if before is None or after is None:
        return None
    if isinstance(before, analysis.NpsEstimate) and before.variance + after.variance <= 0:
        return None
    if isinstance(before, analysis.CsatEstimate) and not (
            0 < before.satisfied + after.satisfied < before.n + after.n):
        return None
    return analysis.compare_estimates(before, after)


def _ticket_months(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ticket happiness per month, each released month with its change from the last
    released month before it."""
    previous = None
    out = []
    for month in months:
        month = {**month, "change": None}
        if not month["suppressed"] and month["happiness"] is not None:
            month["change"] = _compared(previous, month["happiness"])
            previous = month["happiness"]
        out.append(month)
    return out


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


def value_card(service: Service, *, themes: bool = True) -> ValueCard:
    """The service's card; ``themes=False`` leaves its comments' themes out (the cards list
    shows none)."""
    surveys = service_surveys(service)
    ticket = ticket_surveys()
    min_group = max([s.min_group_size for s in surveys + ticket] or [5])
    min_verbatim = max([s.min_verbatim_group_size for s in surveys + ticket] or [10])
    tickets = experience(ticket, TicketFilters(services=(service.slug,)))
    ticket_figures = None
    if tickets.total and not tickets.total["suppressed"]:
        ticket_figures = {"total": tickets.total,
                          "months": _ticket_months(tickets.by.get("month", []))}
    people = reach(service)
    cost = float(service.annual_run_cost) if service.annual_run_cost else None
    return ValueCard(service=service, satisfaction=_survey_trend(surveys),
                     tickets=ticket_figures,
                     themes=_themes(service, surveys, ticket, min_verbatim) if themes else None,
                     reach=people, cost_per_user=(cost / people) if cost and people else None,
                     min_group=min_group,
                     tickets_hidden=bool(tickets.total and tickets.total["suppressed"]))


@dataclass
class CardRow:
    """One service in the list of value cards: its card's headline figures (no themes), and
    its adoption from the usage app (None without usage)."""

    card: ValueCard
    adoption: Any = None
    adoption_month: Any = None

    @property
    def service(self) -> Service:
        return self.card.service

    @property
    def cost(self) -> float | None:
        cost = self.card.service.annual_run_cost
        return float(cost) if cost else None

    @property
    def nps(self) -> Any:
        """The latest released survey NPS (an estimate), if the service's surveys ask one."""
        shown = [row for row in self.card.satisfaction if row["nps"]]
        return shown[-1]["nps"] if shown else None

    @property
    def csat(self) -> Any:
        shown = [row for row in self.card.satisfaction if row["csat"]]
        return shown[-1]["csat"] if shown else None

    @property
    def satisfaction_hidden(self) -> bool:
        """The surveys have answers, none released: "too few answers"."""
        return bool(self.card.satisfaction) and self.card.latest is None

    @property
    def happiness(self) -> Any:
        return self.card.tickets["total"]["happiness"] if self.card.tickets else None

    @property
    def adoption_pct(self) -> float | None:
        return 100 * self.adoption.value if self.adoption else None

    @property
    def adoption_low(self) -> float | None:
        return 100 * self.adoption.low if self.adoption else None

    @property
    def adoption_high(self) -> float | None:
        return 100 * self.adoption.high if self.adoption else None

    @property
    def lost_hours(self) -> float | None:
        return self.card.tickets["total"]["lost_hours_total"] if self.card.tickets else None


#: The orders of the list of value cards: what each sorts on (None: no figure, always last).
SORTS: dict[str, Any] = {
    "service": lambda row: row.service.name.casefold(),
    "cost": lambda row: row.cost,
    "satisfaction": lambda row: row.nps.value if row.nps else None,
    "happiness": lambda row: row.happiness.value if row.happiness else None,
    "lost": lambda row: row.lost_hours,
    "adoption": lambda row: row.adoption.value if row.adoption else None,
    "cost_per_user": lambda row: row.card.cost_per_user,
}
#: The orders whose natural direction is the largest first (the others: A to Z).
DESCENDING = ("cost", "satisfaction", "happiness", "lost", "adoption", "cost_per_user")
#: The list's order when none is asked: the costliest first.
DEFAULT_SORT = "-cost"


def sort_rows(rows: list[CardRow], sort: str) -> list[CardRow]:
    """``rows`` in the order ``sort`` names: a key of :data:`SORTS`, ascending, or descending
    with ``-`` in front; rows without the figure come last, by name, in either direction."""
    descending = sort.startswith("-")
    key = SORTS[sort.lstrip("-")]
    by_name = sorted(rows, key=SORTS["service"])
    known = [row for row in by_name if key(row) is not None]
    missing = [row for row in by_name if key(row) is None]
    return sorted(known, key=key, reverse=descending) + missing
