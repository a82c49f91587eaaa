"""Adoption of IT services: how many of the people a service is for actually use it.

Pure functions over counts (no Django, no data access), used by the ``usage`` app and by
insights' "perception vs reality". A service's *audience* is the people the catalogue says it
is for; its *active users* those of the audience who used it in the period. Rates are
fractions in [0, 1]. The figures here are computed, not released: a breakdown by unit, site or
job family goes through :func:`phare.analysis.disclosure.rate_cells_hidden` before it is
shown, and :func:`cohort_retention` hides its own small cells (``docs/PRIVACY.md``).

- :func:`adoption_rate`: active / audience with a Wilson (1927) score interval, so that a
  unit of 12 is not read as precisely as a unit of 1,200.
- :func:`stickiness`: mean daily active users over monthly active users (DAU/MAU): the share
  of a month's users who use the service on a given day.
- :func:`target_curve` and :func:`lagging`: the adoption expected week by week after a launch
  (an S-shaped diffusion curve, Rogers 2003, or a straight ramp), and the units behind it —
  only those whose interval lies wholly below the curve, so that noise in a small unit is not
  called lagging.
- :func:`quadrant`: adoption × satisfaction, four actions (*promote*, *fix*, *keep*,
  *question*), with machine codes for the reasons the app translates.
- :func:`cohort_retention`: the share of each cohort of first use still active months later.
- :func:`licence_waste`: seats assigned but inactive, and what they cost.

References
----------
- Wilson E.B. (1927). Probable inference, the law of succession, and statistical inference.
  *JASA* 22(158):209-212.
- Newcombe R.G. (1998). Two-sided confidence intervals for the single proportion: comparison
  of seven methods. *Statistics in Medicine* 17:857-872.
- Rogers E.M. (2003). *Diffusion of Innovations*, 5th ed. Free Press (the S-shaped adoption
  curve).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from phare.analysis import disclosure
from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import Estimate, wilson_interval

K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Hashable)

CurveShape = Literal["s", "linear"]
QuadrantName = Literal["promote", "fix", "keep", "question"]
#: A reason for a placement: a machine code and two numbers, e.g.
#: ``("adoption_below", 0.31, 0.5)`` (value, cut) or ``("adoption_uncertain", 0.22, 0.61)``
#: (low, high). The app translates the code; there is no prose here.
Reason = tuple[str, float, float]

#: The quadrant of (used, liked).
QUADRANTS: dict[tuple[bool, bool], QuadrantName] = {
    (True, True): "keep", (True, False): "fix", (False, True): "promote",
    (False, False): "question",
}

#: The S curve's share of its plateau at launch (week 0) and at the target week.
S_CURVE_START = 0.05
S_CURVE_REACHED = 0.95


def _count(value: object, name: str) -> int:
    """A whole number of at least 0 (NumPy's integers included, booleans refused)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise AnalysisError(f"{name}: must be a whole number of at least 0, got {value!r}")
    return int(value)


def _real(value: object, name: str) -> float:
    """A finite number (booleans refused)."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not math.isfinite(float(value))):
        raise AnalysisError(f"{name}: must be a finite number, got {value!r}")
    return float(value)


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rate:
    """A share of an audience with its interval, as fractions in [0, 1]; ``n`` is the
    audience the share is of."""

    value: float
    low: float
    high: float
    n: int

    def __post_init__(self) -> None:
        for name in ("value", "low", "high"):
            if not 0 <= _real(getattr(self, name), f"rate.{name}") <= 1:
                raise AnalysisError(f"rate.{name}: must lie in [0, 1], got {getattr(self, name)}")
        if not self.low <= self.value <= self.high:
            raise AnalysisError(f"rate: need low ≤ value ≤ high, got {self.low}, {self.value}, "
                                f"{self.high}")
        if _count(self.n, "rate.n") < 1:
            raise AnalysisError("rate.n: the audience must hold at least one person")


@dataclass(frozen=True, kw_only=True)
class Score:
    """A satisfaction figure with its interval, in its measure's own unit (NPS points for
    ``"nps"``, percent for ``"ticket_happiness"``…); ``n`` counts the people it is from."""

    value: float
    low: float
    high: float
    n: int
    measure: str

    def __post_init__(self) -> None:
        low = _real(self.low, "score.low")
        value = _real(self.value, "score.value")
        high = _real(self.high, "score.high")
        if not low <= value <= high:
            raise AnalysisError(f"score: need low ≤ value ≤ high, got {low}, {value}, {high}")
        if _count(self.n, "score.n") < 1:
            raise AnalysisError("score.n: the score must be from at least one person")
        if not isinstance(self.measure, str) or not self.measure:
            raise AnalysisError("score.measure: must name the measure")

    @classmethod
    def from_estimate(cls, estimate: Estimate, measure: str) -> Score:
        """The score of an estimate of :mod:`phare.analysis.estimates` (NPS, CSAT…)."""
        return cls(value=estimate.value, low=estimate.low, high=estimate.high, n=estimate.n,
                   measure=measure)


@dataclass(frozen=True, kw_only=True)
class Placement:
    """Where a service falls on adoption × satisfaction, whether both intervals agree, and
    why (see :data:`Reason`)."""

    name: QuadrantName
    certain: bool
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CohortRow(Generic[C]):
    """One cohort of first use: its size and, by months since first use, how many of it were
    active and their share of it. ``None`` marks what is hidden: the size of a cohort under
    ``k``, and each cell whose count or whose complement to the size is under ``k``."""

    cohort: C
    size: int | None
    users: dict[int, int | None]
    shares: dict[int, float | None]


@dataclass(frozen=True, kw_only=True)
class Waste:
    """Seats assigned but inactive: their share of the assigned seats (``None`` when none is
    assigned) and their monthly cost (``None`` when the seat's cost is unknown)."""

    assigned: int
    inactive: int
    share: float | None
    monthly_cost: float | None


# --- Rates -----------------------------------------------------------------------------------


def adoption_rate(active: int, audience: int, *, confidence: float = 0.95) -> Rate:
    """The share of the ``audience`` that is ``active``, with its Wilson score interval
    (:func:`phare.analysis.estimates.wilson_interval`).

    Active users are counted among the audience, so they cannot exceed it: more active users
    than audience means the two counts were not taken over the same people or period, and
    clipping the rate to 100 % would hide that — it is refused.
    """
    active = _count(active, "active")
    audience = _count(audience, "audience")
    if audience == 0:
        raise AnalysisError("audience: no one is in the audience, so there is no adoption rate")
    if active > audience:
        raise AnalysisError(f"active: active users exceed the audience ({active} > {audience})")
    low, high = wilson_interval(active, audience, confidence)
    value = active / audience
    return Rate(value=value, low=min(low, value), high=max(high, value), n=audience)


def stickiness(dau_mean: float, mau: int) -> float | None:
    """DAU/MAU: the mean number of daily active users over the month's active users, in
    [0, 1] (1: every user of the month uses the service every day). ``None`` when nobody used
    it in the month."""
    dau = _real(dau_mean, "dau_mean")
    mau = _count(mau, "mau")
    if dau < 0:
        raise AnalysisError(f"dau_mean: must not be negative, got {dau_mean!r}")
    if dau > mau:
        raise AnalysisError(f"dau_mean: daily active users exceed the month's ({dau} > {mau})")
    if mau == 0:
        return None
    return dau / mau


def target_curve(weeks: int, *, target_rate: float, target_weeks: int,
                 shape: CurveShape = "s") -> list[float]:
    """The adoption expected at weeks 0, 1, …, ``weeks`` after launch (``weeks + 1`` values).

    With T = ``target_rate`` and W = ``target_weeks``:

    - ``"s"``: the logistic curve ``f(t) = T / (1 + exp(-r (t - W/2)))`` with
      ``r = 2 ln 19 / W``. It starts at ``f(0) = T/20`` (5 % of the target, the early
      adopters), is steepest at W/2, reaches ``f(W) = 19 T/20`` (95 % of the target) and
      then flattens towards T, never above it.
    - ``"linear"``: ``f(t) = T · min(t / W, 1)``, a straight ramp from 0 to T at week W, then
      T.
    """
    weeks = _count(weeks, "weeks")
    target_weeks = _count(target_weeks, "target_weeks")
    if target_weeks < 1:
        raise AnalysisError("target_weeks: must be at least 1")
    target = _real(target_rate, "target_rate")
    if not 0 < target <= 1:
        raise AnalysisError(f"target_rate: must lie in (0, 1], got {target_rate!r}")
    if shape == "linear":
        return [target * min(t / target_weeks, 1.0) for t in range(weeks + 1)]
    if shape == "s":
        odds = S_CURVE_REACHED / S_CURVE_START  # 19: the odds at W, and 1/19 at 0
        rate = 2 * math.log(odds) / target_weeks
        middle = target_weeks / 2
        return [target / (1 + math.exp(-rate * (t - middle))) for t in range(weeks + 1)]
    raise AnalysisError(f"shape: must be 's' or 'linear', got {shape!r}")


def lagging(rates: Mapping[K, Rate], expected: float) -> list[K]:
    """The units behind the ``expected`` adoption: those whose interval's upper bound is below
    it, so that a small unit is not called lagging on noise. Ordered from the furthest behind
    (lowest rate; ties: lowest upper bound, then the order of ``rates``)."""
    target = _real(expected, "expected")
    if not 0 <= target <= 1:
        raise AnalysisError(f"expected: must lie in [0, 1], got {expected!r}")
    behind = [key for key, rate in rates.items() if rate.high < target]
    return sorted(behind, key=lambda key: (rates[key].value, rates[key].high))


def quadrant(adoption: Rate, satisfaction: Score, *, adoption_cut: float = 0.5,
             satisfaction_cut: float = 0.0) -> Placement:
    """Where a service falls on adoption × satisfaction.

    A value at or above its cut counts as above. ``promote``: liked but little used (a
    communication problem); ``fix``: used but disliked; ``keep``: used and liked;
    ``question``: neither. ``certain`` when both intervals lie on one side of their cuts
    (an interval touching a cut from above counts as above). The reasons are, in order,
    ``("adoption_below" | "adoption_above", value, cut)``, ``("satisfaction_below" |
    "satisfaction_above", value, cut)``, then ``("adoption_uncertain", low, high)`` and
    ``("satisfaction_uncertain", low, high)`` for an interval that straddles its cut.
    """
    a_cut = _real(adoption_cut, "adoption_cut")
    if not 0 <= a_cut <= 1:
        raise AnalysisError(f"adoption_cut: must lie in [0, 1], got {adoption_cut!r}")
    s_cut = _real(satisfaction_cut, "satisfaction_cut")
    used = adoption.value >= a_cut
    liked = satisfaction.value >= s_cut
    reasons: list[Reason] = [
        ("adoption_above" if used else "adoption_below", adoption.value, a_cut),
        ("satisfaction_above" if liked else "satisfaction_below", satisfaction.value, s_cut),
    ]
    adoption_sure = adoption.low >= a_cut or adoption.high < a_cut
    satisfaction_sure = satisfaction.low >= s_cut or satisfaction.high < s_cut
    if not adoption_sure:
        reasons.append(("adoption_uncertain", adoption.low, adoption.high))
    if not satisfaction_sure:
        reasons.append(("satisfaction_uncertain", satisfaction.low, satisfaction.high))
    return Placement(name=QUADRANTS[used, liked], certain=adoption_sure and satisfaction_sure,
                     reasons=reasons)


# --- Cohorts and licences --------------------------------------------------------------------


def cohort_retention(rows: Iterable[tuple[C, int, int]], sizes: Mapping[C, int],
                     k: int) -> list[CohortRow[C]]:
    """The share of each cohort (people by the month of their first use, or of the service's
    launch) still active ``offset`` months later.

    ``rows`` are ``(cohort, offset, users)``: ``users`` of the cohort active in month
    ``offset`` after its start (0: the cohort's own month); ``sizes`` each cohort's size. One
    row per cohort in ``sizes``' order, each with the offsets given in ``rows`` (an offset
    not given is not observed yet, not a zero), in increasing order.

    Disclosure (``docs/PRIVACY.md``, rule 1): a cell shows the active users and, against the
    cohort's size, the inactive ones, so it is hidden when either number is 1 to ``k - 1``
    (:func:`phare.analysis.disclosure.small`); a cohort of 1 to ``k - 1`` people is hidden
    entirely, size included. The cells of a cohort are not a partition (the same people, month
    after month), so no cell can be derived from the others.
    """
    if _count(k, "k") < 1:
        raise AnalysisError("k: must be a whole number of at least 1, got 0")
    for cohort, size in sizes.items():
        _count(size, f"sizes[{cohort!r}]")
    cells: dict[C, dict[int, int]] = {cohort: {} for cohort in sizes}
    for position, row in enumerate(rows):
        try:
            cohort, offset, users = row
        except (TypeError, ValueError):
            raise AnalysisError(f"rows: position {position} is not (cohort, offset, users)"
                                ) from None
        if cohort not in cells:
            raise AnalysisError(f"rows: position {position}: cohort {cohort!r} has no size")
        _count(offset, f"rows: position {position}: offset")
        _count(users, f"rows: position {position}: users")
        if offset in cells[cohort]:
            raise AnalysisError(f"rows: position {position}: cohort {cohort!r} offset {offset} "
                                "is given twice")
        if users > sizes[cohort]:
            raise AnalysisError(f"rows: position {position}: {users} users exceed cohort "
                                f"{cohort!r} of {sizes[cohort]}")
        cells[cohort][offset] = users
    table: list[CohortRow[C]] = []
    for cohort, size in sizes.items():
        offsets = sorted(cells[cohort])
        if disclosure.small(size, k):
            table.append(CohortRow(cohort=cohort, size=None, users=dict.fromkeys(offsets),
                                   shares=dict.fromkeys(offsets)))
            continue
        users_out: dict[int, int | None] = {}
        shares: dict[int, float | None] = {}
        for offset in offsets:
            users = cells[cohort][offset]
            hidden = size == 0 or disclosure.small(users, k) or disclosure.small(size - users, k)
            users_out[offset] = None if hidden else users
            shares[offset] = None if hidden else users / size
        table.append(CohortRow(cohort=cohort, size=size, users=users_out, shares=shares))
    return table


def licence_waste(assigned: int, inactive: int, cost_per_seat: float | None) -> Waste:
    """Seats ``assigned`` and, among them, ``inactive`` ones (no activity over the period,
    e.g. 30 days): their share, and their monthly cost at ``cost_per_seat`` a month.

    A breakdown of it by unit is a rate of people like adoption (active = assigned −
    inactive): it goes through :func:`phare.analysis.disclosure.rate_cells_hidden`.
    """
    assigned = _count(assigned, "assigned")
    inactive = _count(inactive, "inactive")
    if inactive > assigned:
        raise AnalysisError(f"inactive: inactive seats exceed the assigned ones "
                            f"({inactive} > {assigned})")
    cost: float | None = None
    if cost_per_seat is not None:
        cost = _real(cost_per_seat, "cost_per_seat")
        if cost < 0:
            raise AnalysisError(f"cost_per_seat: must not be negative, got {cost_per_seat!r}")
    return Waste(assigned=assigned, inactive=inactive,
                 share=inactive / assigned if assigned else None,
                 monthly_cost=inactive * cost if cost is not None else None)
