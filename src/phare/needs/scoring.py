"""Scoring needs: the criteria, each need's figures, and the three methods with their working.

Criteria are rows (:class:`~phare.needs.models.Criterion`) so the marketing lead can weigh them
and add her own 1–5 ratings; the built-in ones below have fixed meanings:

- ``reach`` is the number of active people in the units the need concerns (with their
  sub-units), counted from the directory, unless someone scored it by hand;
- ``urgency`` is the urgency the submitter declared (low 2, medium 3, high 4, critical 5) unless
  scored;
- ``effort`` is the sum of the person-days of every delivery team (never scored directly);
- the one-off and recurring costs and each team's person-days are also the constraints of an
  arbitration.

Methods (each returns a non-negative value per need and the working shown to the committee):

- **weighted score**: ``100 × Σ wᵢ·nᵢ / Σ wᵢ`` over the criteria with a weight, where a rating
  ``r`` gives ``n = (r − 1) / 4`` and a quantity ``q`` gives ``n = q / max q`` over the needs
  scored together; criteria where lower is better count ``1 − n``;
- **RICE** (Intercom's): ``reach × impact × confidence / effort``, with impact from the
  business value (1 → 0.25, 2 → 0.5, 3 → 1, 4 → 2, 5 → 3), confidence from the risk (1–2 →
  100 %, 3 → 80 %, 4–5 → 50 %) and effort in person-months (person-days / 20, at least one day);
- **WSJF** (SAFe's weighted shortest job first): cost of delay (business value + urgency +
  strategic fit) over job size (person-months, at least one day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from phare.directory.models import BusinessUnit, Person
from phare.needs.models import Criterion, Need

K = Criterion.Kind
#: (code, French name, English name, kind, higher is better, default weight), in display order.
BUILTIN: tuple[tuple[str, str, str, str, bool, int], ...] = (
    ("business_value", "Valeur métier", "Business value", K.RATING, True, 3),
    ("reach", "Portée (personnes concernées)", "Reach (people concerned)", K.PEOPLE, True, 2),
    ("urgency", "Urgence", "Urgency", K.RATING, True, 2),
    ("strategic_fit", "Alignement stratégique", "Strategic fit", K.RATING, True, 2),
    ("risk", "Risque", "Risk", K.RATING, False, 1),
    ("one_off_cost", "Coût ponctuel (k€)", "One-off cost (k€)", K.MONEY, False, 0),
    ("recurring_cost", "Coût récurrent (k€ par an)", "Recurring cost (k€ a year)", K.MONEY,
     False, 0),
    ("effort", "Charge (jours-personne)", "Effort (person-days)", K.DAYS, False, 0),
)
COMPUTED = frozenset({"effort"})
URGENCY_RATING = {"low": 2, "medium": 3, "high": 4, "critical": 5}
RICE_IMPACT = {1: 0.25, 2: 0.5, 3: 1.0, 4: 2.0, 5: 3.0}
DAYS_PER_MONTH = 20


def criteria_ensure() -> list[Criterion]:
    """Every criterion in order, the built-in ones created when missing (fresh database)."""
    existing = set(Criterion.objects.values_list("code", flat=True))
    missing = [
        Criterion(code=code, name_fr=fr, name_en=en, kind=kind, higher_is_better=better,
                  weight=Decimal(weight), builtin=True, position=position)
        for position, (code, fr, en, kind, better, weight) in enumerate(BUILTIN)
        if code not in existing
    ]
    if missing:
        Criterion.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Criterion.objects.all())


@dataclass
class Figures:
    """A need's value on each criterion (None: not scored), where it came from, its efforts."""

    values: dict[str, float | None] = field(default_factory=dict)
    #: code → "scored", "directory" (reach), "declared" (urgency) or "teams" (effort).
    sources: dict[str, str] = field(default_factory=dict)
    efforts: dict[str, float] = field(default_factory=dict)


def unit_descendants() -> dict[int, set[int]]:
    """Each business unit with every unit below it (itself included)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in BusinessUnit.objects.values_list("id", "parent_id"):
        children[parent].append(pk)
    below: dict[int, set[int]] = {}

    def walk(pk: int, trail: frozenset[int]) -> set[int]:
        if pk not in below:
            found = {pk}
            for child in children.get(pk, []):
                if child not in trail:  # a cycle in imported data must not loop forever
                    found |= walk(child, trail | {child})
            below[pk] = found
        return below[pk]

    for pk in [pk for kids in children.values() for pk in kids]:
        walk(pk, frozenset({pk}))
    return below


def top_units() -> dict[int, int]:
    """Each business unit → the top-level unit above it (itself if top-level)."""
    parents = dict(BusinessUnit.objects.values_list("id", "parent_id"))
    top: dict[int, int] = {}
    for pk in parents:
        seen, unit = {pk}, pk
        while parents.get(unit) is not None and parents[unit] not in seen:
            unit = parents[unit]
            seen.add(unit)
        top[pk] = unit
    return top


def reach_of(needs: Iterable[Need]) -> dict[int, int]:
    """Active people in the units each need concerns (else its own unit), sub-units included."""
    needs = list(needs)
    below = unit_descendants()
    headcount = dict(Person.objects.filter(active=True, business_unit__isnull=False)
                     .values_list("business_unit").annotate(n=Count("id")))
    concerned: dict[int, list[int]] = defaultdict(list)
    for need_id, unit_id in Need.concerned_units.through.objects.filter(
            need__in=[n.pk for n in needs]).values_list("need_id", "businessunit_id"):
        concerned[need_id].append(unit_id)
    reach = {}
    for need in needs:
        units: set[int] = set()
        for unit in concerned.get(need.pk) or [need.business_unit_id]:
            units |= below.get(unit, {unit})
        reach[need.pk] = sum(headcount.get(unit, 0) for unit in units)
    return reach


def figures_of(needs: Iterable[Need]) -> dict[int, Figures]:
    """The figures of each need: scores, reach, declared urgency and team efforts."""
    from phare.needs.models import Effort, Score

    needs = list(needs)
    ids = [n.pk for n in needs]
    result = {n.pk: Figures() for n in needs}
    for need_id, code, value in Score.objects.filter(need__in=ids).values_list(
            "need_id", "criterion__code", "value"):
        result[need_id].values[code] = float(value)
        result[need_id].sources[code] = "scored"
    for need_id, team, days in Effort.objects.filter(need__in=ids).values_list(
            "need_id", "team__code", "days"):
        result[need_id].efforts[team] = float(days)
    reach = reach_of(needs)
    for need in needs:
        figures = result[need.pk]
        if "reach" not in figures.values:
            figures.values["reach"], figures.sources["reach"] = float(reach[need.pk]), "directory"
        if "urgency" not in figures.values:
            figures.values["urgency"] = float(URGENCY_RATING.get(need.urgency, 3))
            figures.sources["urgency"] = "declared"
        figures.values["effort"] = float(sum(figures.efforts.values()))
        figures.sources["effort"] = "teams"
    return result


@dataclass(frozen=True)
class Scored:
    """One need's value under a method, with its working; ``missing`` lists unscored criteria."""

    value: float
    parts: dict[str, Any]
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


def required_criteria(method: str, criteria: Iterable[Mapping[str, Any]]) -> list[str]:
    """The criteria a need must have a value for to be scored with ``method``."""
    if method == "rice":
        return ["reach", "business_value", "risk"]
    if method == "wsjf":
        return ["business_value", "urgency", "strategic_fit"]
    return [c["code"] for c in criteria if float(c["weight"]) > 0]


def score_needs(
    method: str, criteria: Sequence[Mapping[str, Any]], figures: Mapping[int, Figures]
) -> dict[int, Scored]:
    """Each need's value with ``method``; ``criteria`` as dicts (code, kind, weight,
    higher_is_better) so a frozen arbitration recomputes exactly what it showed."""
    needed = required_criteria(method, criteria)
    scored: dict[int, Scored] = {}
    complete = {}
    for need_id, fig in figures.items():
        missing = tuple(code for code in needed if fig.values.get(code) is None)
        if missing:
            scored[need_id] = Scored(0.0, {}, missing)
        else:
            complete[need_id] = fig
    if method == "rice":
        scored.update({i: _rice(f) for i, f in complete.items()})
    elif method == "wsjf":
        scored.update({i: _wsjf(f) for i, f in complete.items()})
    else:
        scored.update(_weighted(criteria, complete))
    return scored


def _known(fig: Figures, code: str) -> float:
    """``fig``'s value on ``code``: set, as :func:`score_needs` scores complete needs only."""
    value = fig.values[code]
    if value is None:
        raise ValueError(f"criterion {code} is not scored")
    return value


def _months(fig: Figures) -> float:
    return max(float(fig.values.get("effort") or 0.0), 1.0) / DAYS_PER_MONTH


def _rating(value: float) -> int:
    return min(5, max(1, round(value)))


def _rice(fig: Figures) -> Scored:
    reach = float(_known(fig, "reach"))
    impact = RICE_IMPACT[_rating(_known(fig, "business_value"))]
    risk = _rating(_known(fig, "risk"))
    confidence = 1.0 if risk <= 2 else 0.8 if risk == 3 else 0.5
    months = _months(fig)
    value = reach * impact * confidence / months
    parts = {"reach": reach, "impact": impact, "confidence": confidence, "effort": months,
             "days": fig.values.get("effort") or 0.0}
    return Scored(round(value, 4), parts)


def _wsjf(fig: Figures) -> Scored:
    value_part = float(_known(fig, "business_value"))
    urgency = float(_known(fig, "urgency"))
    fit = float(_known(fig, "strategic_fit"))
    months = _months(fig)
    delay = value_part + urgency + fit
    parts = {"business_value": value_part, "urgency": urgency, "strategic_fit": fit,
             "cost_of_delay": delay, "size": months, "days": fig.values.get("effort") or 0.0}
    return Scored(round(delay / months, 4), parts)


def _weighted(criteria: Sequence[Mapping[str, Any]],
              figures: Mapping[int, Figures]) -> dict[int, Scored]:
    weighted = [c for c in criteria if float(c["weight"]) > 0]
    total_weight = sum(float(c["weight"]) for c in weighted)
    largest = {
        c["code"]: max((float(f.values.get(c["code"]) or 0.0) for f in figures.values()),
                       default=0.0)
        for c in weighted if c["kind"] != K.RATING
    }
    result = {}
    for need_id, fig in figures.items():
        rows, total = [], 0.0
        for c in weighted:
            raw = float(_known(fig, c["code"]))
            if c["kind"] == K.RATING:
                norm = (min(max(raw, 1.0), 5.0) - 1.0) / 4.0
            else:
                top = largest[c["code"]]
                norm = raw / top if top > 0 else 0.0
            if not c["higher_is_better"]:
                norm = 1.0 - norm
            contribution = 100.0 * float(c["weight"]) * norm / total_weight
            total += contribution
            rows.append({"code": c["code"], "raw": raw, "normalised": round(norm, 4),
                         "weight": float(c["weight"]), "contribution": round(contribution, 4)})
        result[need_id] = Scored(round(total, 4), {"rows": rows, "total_weight": total_weight})
    return result


def criteria_as_data(criteria: Iterable[Criterion]) -> list[dict[str, Any]]:
    """Criteria as plain data, as an arbitration freezes them."""
    return [{"code": c.code, "name_fr": c.name_fr, "name_en": c.name_en, "kind": c.kind,
             "higher_is_better": c.higher_is_better, "weight": float(c.weight)}
            for c in criteria]
