"""What would change an arbitration: an explanation for each need, and the budget curve.

A mixed-integer program has no shadow prices to read (Wolsey, *Integer Programming*, Wiley 1998,
ch. 2 on relaxations and duality), so every answer here comes from re-solving the problem of a
:class:`~phare.analysis.portfolio.Portfolio` with one thing changed (HiGHS, through
``highspy``), each starting from the portfolio itself adjusted to the change (the need taken out
with the needs requiring it, or put in with the needs it requires), when that adjustment meets
the constraints. Each answer is exact when the portfolio is proven optimal (within HiGHS's
default relative gap, see :mod:`phare.analysis.portfolio`) and every re-solve is proven optimal
with a gap of 0; ``exact`` says so.

For a need **left out**, with ``V*`` the value of the portfolio:

- *Growth of one capacity* ``k``, for each constraint the need uses (has a cost on); growing
  a constraint it does not use could only help through a reshuffle of other needs, and is not
  tried. With ``V_in(Δ)`` and ``V_out(Δ)`` the best values with ``bₖ + Δ`` and the need forced
  in and out (both non-decreasing in ``Δ``):

  - by default, the least ``Δ ≥ 0`` with ``V_in(Δ) ≥ V*``: with that much more, a portfolio
    with the need is worth at least today's ("it comes in without losing value"). One solve:
    the least use of ``k`` with the need in, every other constraint, and value ≥ ``V*``.
    The extra capacity might then serve an even better portfolio without the need;
  - with ``strict=True``, the least ``Δ`` with ``V_in(Δ) ≥ V_out(Δ)``: the best portfolio then
    takes the need. From ``target = V*``: the least use as above gives ``Δ``, then ``V_out(Δ)``
    is solved; if it beats the value reached, it becomes the target and the search goes on
    (below the new ``Δ`` the need provably cannot win). Two solves a round, at most ``ROUNDS``
    (25) rounds; on hundreds of needs the rounds creep up by small steps, so keep it for small
    campaigns. A search that runs out of rounds lists nothing and is not ``exact``.

  Constraints that cannot bring the need in alone are not listed.
- *Cost cut*: the least cut of the need's own costs (the same share on every constraint) with
  which an optimal portfolio takes it: maximise ``t ∈ [0, 1]`` with its costs scaled by ``t``,
  the need in and value ≥ ``V*`` (cutting its costs does not help portfolios without it, so one
  solve is exact). None when even at no cost it stays out.

For a need **taken**: re-solve with it forced out; ``displaces`` are the needs that come in,
``also_out`` the needs of the portfolio that leave with it (those requiring it, or rearranged),
``value_loss`` what the total loses. A need that must be in (mandatory, or required by a
mandatory need) is ``locked``.

Cost: a need left out takes one solve for each constraint it uses (``2 r`` with ``strict``,
``r`` rounds) and one for the cost cut; a need taken, one. Each solve is as hard as the
arbitration itself (milliseconds for a few dozen needs, seconds for hundreds), so
:func:`explain_portfolio` explains at most ``limit`` needs (50 by default), ``time_limit``
caps each solve and ``budget`` all of them together (each solve gets an equal share of what
is left).

A solve stopped by a limit still proves something: HiGHS's dual bound, or the optimum of the
linear relaxation (solved then, in milliseconds), whichever is better. A growth found that
way is one that suffices, and ``at_least`` is the least growth the bound proves necessary
(the least use of the constraint with the need in and value ≥ ``V*`` is at least the bound);
likewise ``cost_cut_at_least`` for the cost cut (the largest share of its costs the need can
keep is at most the bound). When they meet the answer, it is exact, and ``exact`` says so.
The re-solves that force a need in start from a portfolio built for them (:func:`_repaired`),
so that a short limit still has a good answer to give.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from scipy import sparse

from phare.analysis.errors import AnalysisError
from phare.analysis.portfolio import (
    Portfolio,
    PortfolioProblem,
    _check_time_limit,
    _constraint_index,
    _finite_non_negative,
    _fmt,
    _index,
    _mask,
    _meets,
    _tol,
    _value,
    _vector,
    diagnose,
    make_problem,
    mandatory_closure,
    maximise,
    model_rows,
    requirements,
    run_milp,
    solve,
)

ROUNDS = 25


@dataclass(frozen=True)
class CapacityGrowth:
    """Growing this one capacity by ``increase`` (to ``capacity``) brings the need in.

    "Brings it in": without losing value, or, if ``strict``, into the best portfolio.
    """

    constraint: int
    name: str
    increase: float
    capacity: float
    exact: bool
    strict: bool = False
    # The least growth proven necessary (HiGHS's bound): ``increase`` when exact, else below.
    at_least: float | None = None


@dataclass(frozen=True)
class Explanation:
    """Why one need is in or out of the portfolio, and what would change it.

    For a need left out (``chosen`` False): ``growth``, each single capacity growth that brings
    it in, and ``cost_cut``, the least cut of its own costs (0–1) that does (None: no cut does);
    when not ``exact``, each growth's ``at_least`` and ``cost_cut_at_least`` give the least
    the solver's bounds prove necessary (the answer lies between them and the one found).
    For a need taken: ``displaces``, ``also_out`` and ``value_loss`` if it were left out, or
    ``locked`` with ``reason`` when it must be in. See the module docstring for the method.
    """

    need: int
    chosen: bool
    exact: bool
    growth: tuple[CapacityGrowth, ...] = ()
    cost_cut: float | None = None
    displaces: tuple[int, ...] = ()
    also_out: tuple[int, ...] = ()
    value_loss: float | None = None
    locked: bool = False
    reason: str = ""
    cost_cut_at_least: float | None = None

    def describe(self, need_names: Sequence[str] | Mapping[int, str] | None = None) -> str:
        """The explanation in one sentence, naming needs with ``need_names`` when given."""

        def name(i: int) -> str:
            return str(need_names[i]) if need_names is not None else f"need {i}"

        def names(items: Sequence[int]) -> str:
            listed = [name(i) for i in items]
            return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]

        if self.chosen:
            if self.locked:
                return f"{name(self.need)} must be in: {self.reason}."
            parts = []
            if self.displaces:
                parts.append(f"{names(self.displaces)} would come in")
            if self.also_out:
                parts.append(f"{names(self.also_out)} would go out too")
            parts.append(f"the total value would fall by {_fmt(self.value_loss or 0.0)}")
            return f"{name(self.need)} is in; without it, " + ", ".join(parts) + "."
        ways = [
            f"if {g.name} grows by {_fmt(g.increase)} (to {_fmt(g.capacity)}"
            + (f"; perhaps less, not below {_fmt(g.at_least or 0.0)})" if _short(g) else ")")
            for g in self.growth
            if g.increase > 0
        ]
        if self.cost_cut is not None and self.cost_cut > 0:
            below = self.cost_cut_at_least
            ways.append(
                f"if its cost falls by {_percent(self.cost_cut)}"
                + (f" (perhaps less, not below {_percent(below)})"
                   if below is not None and below < self.cost_cut - 1e-9 else "")
            )
        tie = any(g.increase == 0 for g in self.growth) or self.cost_cut == 0
        if tie:
            return (
                f"{name(self.need)} is out, but a portfolio with it is worth as much: "
                "it can come in without losing value."
            )
        if not ways:
            return (
                f"{name(self.need)} is out, and no single capacity growth or cost cut brings it "
                "in (its exclusions or dependencies keep it out)."
            )
        if any(g.strict for g in self.growth):
            way = "the best portfolio takes it"
        else:
            way = "it comes in without losing value"
        return f"{name(self.need)} is out; {way} " + ", or ".join(ways) + "."


def _short(growth: CapacityGrowth) -> bool:
    """Whether the least growth may be below the one found (its bound is lower)."""
    return growth.at_least is not None and growth.at_least < growth.increase - _tol(
        growth.capacity
    )


class _Clock:
    """Each solve's time limit: ``time_limit``, and an equal share of what is left of ``budget``
    over the solves still to come (``solves``, counted ahead)."""

    def __init__(self, time_limit: float | None, budget: float | None, solves: int) -> None:
        self.time_limit = time_limit
        self.ends = None if budget is None else time.perf_counter() + budget
        self.solves = max(1, solves)

    def limit(self) -> float | None:
        """The limit of the next solve (one fewer to come afterwards)."""
        if self.ends is None:
            return self.time_limit
        share = max(0.0, self.ends - time.perf_counter()) / self.solves
        self.solves = max(1, self.solves - 1)
        # HiGHS needs a moment even to take the start: never less than 10 ms.
        share = max(share, 0.01)
        return share if self.time_limit is None else min(share, self.time_limit)


class BudgetPoint(NamedTuple):
    """One point of :func:`budget_curve`: the best value reachable with that capacity."""

    capacity: float
    value: float
    optimal: bool


def explain_portfolio(
    portfolio: Portfolio,
    *,
    needs: Sequence[int] | None = None,
    limit: int = 50,
    time_limit: float | None = None,
    strict: bool = False,
    budget: float | None = None,
) -> list[Explanation]:
    """What would bring each need left out in, and what each need taken keeps out.

    ``needs`` lists the needs to explain, in that order (at most ``limit``). By default, the
    needs left out by decreasing value, then the needs taken by increasing value (those a
    committee asks about first), cut at ``limit``. ``time_limit`` applies to each re-solve.
    ``strict``: capacity growths that make the best portfolio take the need, not just afford it
    (slower). ``budget``: seconds for all the re-solves together, shared out evenly among those
    still to come; answers a limit cuts short give the bounds proven (see the module docstring).
    """
    problem = portfolio.problem
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
        raise AnalysisError(f"limit must be a positive integer, got {limit!r}.")
    _check_time_limit(time_limit)
    _check_time_limit(budget, "budget")
    chosen = set(portfolio.chosen)
    if needs is None:
        values = problem.values
        left_out = (i for i in range(problem.n) if i not in chosen)
        out = sorted(left_out, key=lambda i: (-values[i], i))
        taken = sorted(chosen, key=lambda i: (values[i], i))
        targets = (out + taken)[:limit]
    else:
        if isinstance(needs, str) or not isinstance(needs, Iterable):
            raise AnalysisError("needs must be a list of need indices.")
        targets = list(
            dict.fromkeys(_index(f"needs[{k}]", i, problem.n) for k, i in enumerate(needs))
        )
        if len(targets) > limit:
            raise AnalysisError(
                f"needs lists {len(targets)} needs, more than limit = {limit}: "
                "raise limit to explain them all."
            )
    locked = mandatory_closure(problem)
    # A need left out: per constraint it uses, a solve and its relaxation (two with strict),
    # then the cost cut and its relaxation.
    solves = sum(
        (0 if need in locked else 1) if need in chosen
        else 2 + 2 * int(np.count_nonzero(problem.costs[:, need] > 0))
        for need in targets
    )
    clock = _Clock(time_limit, budget, solves)
    return [
        _taken(portfolio, need, locked, clock)
        if need in chosen
        else _left_out(portfolio, need, clock, strict=strict)
        for need in targets
    ]


def _taken(
    portfolio: Portfolio, need: int, locked: Mapping[int, str], clock: _Clock
) -> Explanation:
    problem = portfolio.problem
    if need in locked:
        return Explanation(need, True, exact=True, locked=True, reason=locked[need])
    start = _mask(problem.n, portfolio.chosen)
    start[sorted(_requiring(problem, need))] = False
    outcome = maximise(problem, force_out=[need], time_limit=clock.limit(), start=start, gap=0.0)
    if outcome.x is None:
        if outcome.status == "infeasible":  # e.g. a minimum share only it can meet
            reason = "no portfolio without it meets the constraints"
            return Explanation(need, True, exact=True, locked=True, reason=reason)
        reason = "no portfolio without it was found within the time limit"
        return Explanation(need, True, exact=False, locked=True, reason=reason)
    before, after = set(portfolio.chosen), set(outcome.chosen())
    return Explanation(
        need,
        True,
        exact=portfolio.optimal and outcome.status == "optimal",
        displaces=tuple(sorted(after - before)),
        also_out=tuple(sorted(before - after - {need})),
        value_loss=portfolio.value - _value(problem, sorted(after)),
    )


def _left_out(
    portfolio: Portfolio, need: int, clock: _Clock, *, strict: bool
) -> Explanation:
    exact = portfolio.optimal
    growth = []
    used = [int(k) for k in np.flatnonzero(portfolio.problem.costs[:, need] > 0)]
    # A portfolio with the need for each constraint it uses, also tried to start the cost cut.
    witnesses = {k: _repaired(portfolio, need, k) for k in used}
    for k in used:
        found, sure = _growth(portfolio, need, k, clock, strict=strict, start=witnesses[k])
        exact = exact and sure
        if found is not None:
            growth.append(found)
    extra = [x for x in witnesses.values() if x is not None]
    cut, below, sure = _cost_cut(portfolio, need, clock, extra)
    return Explanation(
        need, False, exact=exact and sure, growth=tuple(growth), cost_cut=cut,
        cost_cut_at_least=below,
    )


def _growth(
    portfolio: Portfolio,
    need: int,
    k: int,
    clock: _Clock,
    *,
    strict: bool,
    start: np.ndarray | None,
) -> tuple[CapacityGrowth | None, bool]:
    """The least growth of capacity ``k`` that brings ``need`` in, and whether it is proven.

    ``start``: a portfolio with the need, meeting every constraint but ``k`` (or None).
    """
    problem = portfolio.problem
    capacity = float(problem.capacities[k])
    target, exact = portfolio.value, True
    for _ in range(ROUNDS if strict else 1):
        least = solve(
            problem, objective=problem.costs[k], drop={("capacity", k)}, force_in=[need],
            min_value=target, time_limit=clock.limit(), start=start,
        )
        if least.x is None:
            return None, exact and least.status == "infeasible"
        mask = least.chosen_mask()
        increase = max(0.0, float(problem.costs[k] @ mask) - capacity)
        reached = float(problem.values @ mask)
        name = problem.constraint_names[k]
        if not strict:
            exact = exact and least.status == "optimal"
            # HiGHS's bound on the least use, or the linear relaxation's when better: the
            # growth below it cannot bring the need in.
            bound = -math.inf if exact or least.bound is None else least.bound
            if not exact:
                relaxation = solve(
                    problem, objective=problem.costs[k], drop={("capacity", k)},
                    force_in=[need], min_value=target, relaxed=True, time_limit=clock.limit(),
                )
                if relaxation.bound is not None:
                    bound = max(bound, relaxation.bound)
            if math.isfinite(bound) and np.all(problem.costs[k] == np.round(problem.costs[k])):
                bound = math.ceil(bound - _tol(bound))  # whole costs: a whole least use
            at_least = increase if exact else min(increase, max(0.0, bound - capacity))
            growth = CapacityGrowth(k, name, increase, capacity + increase, exact,
                                    at_least=at_least)
            return growth, exact
        capacities = problem.capacities.copy()
        capacities[k] = capacity + increase
        rival = maximise(
            problem, capacities=capacities, force_out=[need], time_limit=clock.limit(), gap=0.0,
            start=_mask(problem.n, portfolio.chosen) if need not in portfolio.chosen else None,
        )
        exact = exact and least.status == "optimal" and rival.status == "optimal"
        best_without = -math.inf if rival.x is None else float(problem.values @ rival.chosen_mask())
        if best_without <= reached + _tol(reached):
            growth = CapacityGrowth(k, name, increase, capacity + increase, exact, strict=True,
                                    at_least=increase if exact else None)
            return growth, exact
        target = best_without
        start = None  # the portfolio found is worth less than the new target
    return None, False


def _cost_cut(
    portfolio: Portfolio, need: int, clock: _Clock, candidates: Sequence[np.ndarray] = ()
) -> tuple[float | None, float | None, bool]:
    """The least share of its costs ``need`` must shed to come in, the least share proven
    necessary (HiGHS's bound) and whether the first is proven. ``candidates``: portfolios with
    the need, tried with :func:`_with`'s to start from (the one keeping most of its costs)."""
    problem = portfolio.problem
    own = problem.costs[:, need]
    costs = problem.costs.copy()
    costs[:, need] = 0.0
    rows, upper = model_rows(replace(problem, costs=costs))
    scale = np.zeros((rows.shape[0], 1))
    scale[: problem.m, 0] = own  # capacity rows come first, all of them kept
    value_row = np.append(-problem.values, 0.0).reshape(1, -1)
    floor = portfolio.value - 1e-7 * max(1.0, portfolio.value)
    rows = sparse.vstack([sparse.hstack([rows, sparse.csr_array(scale)]), value_row], format="csr")
    lower_x, upper_x = np.zeros(problem.n + 1), np.ones(problem.n + 1)
    lower_x[list(problem.mandatory)] = 1.0
    lower_x[need] = 1.0
    objective = np.zeros(problem.n + 1)
    objective[-1] = -1.0  # the largest share of its costs it can keep
    integral = np.append(np.ones(problem.n), 0.0)
    upper = np.append(upper, -floor)
    # Each portfolio with the need keeps the largest share of its costs that still fits.
    keep, begin, ready = -1.0, np.zeros(problem.n + 1), False
    for mask in [_with(portfolio, need), *candidates]:
        start = np.asarray(mask, dtype=float)
        room = upper[: problem.m] - rows[: problem.m, : problem.n] @ start
        share = min([1.0] + [room[k] / own[k] for k in range(problem.m) if own[k] > 0])
        point = np.append(start, max(0.0, share))
        if share >= 0 and share > keep and _meets(point, rows, upper, lower_x, upper_x):
            keep, begin, ready = share, point, True
    outcome = run_milp(
        objective, rows, upper, lower_x, upper_x, integral=integral, time_limit=clock.limit(),
        start=begin if ready else None,
    )
    exact = portfolio.optimal and outcome.status == "optimal"
    if outcome.x is None and not ready:
        return None, None, exact or (portfolio.optimal and outcome.status == "infeasible")
    # Cut short before it took the start, HiGHS may return less than the start: keep the best.
    kept = max(float(outcome.x[-1]) if outcome.x is not None else 0.0, keep if ready else 0.0)
    cut = 1.0 - kept
    cut = 0.0 if cut < 1e-9 else min(cut, 1.0)
    if exact:
        return cut, cut, True
    # HiGHS minimised −t: −bound is the most of its costs the need can keep (no bound: all);
    # the linear relaxation's optimum bounds it too.
    bound = -1.0 if outcome.bound is None else outcome.bound
    relaxation = run_milp(
        objective, rows, upper, lower_x, upper_x, relaxed=True, time_limit=clock.limit()
    )
    if relaxation.bound is not None:
        bound = max(bound, relaxation.bound)
    return cut, min(cut, max(0.0, 1.0 + bound)), False


def budget_curve(
    values: Sequence[float] | np.ndarray,
    costs: Sequence[Sequence[float]] | np.ndarray,
    capacities: Sequence[float] | np.ndarray | float,
    *,
    constraint: int | str = 0,
    points: int = 20,
    up_to: float = 1.5,
    at: Sequence[float] | None = None,
    mandatory: Iterable[int] = (),
    requires: Iterable[tuple[int, int]] = (),
    excludes: Iterable[tuple[int, int]] = (),
    groups: Sequence[Hashable] | None = None,
    min_share: Mapping[Hashable, float] | None = None,
    constraint_names: Sequence[str] | None = None,
    time_limit: float | None = None,
) -> list[BudgetPoint]:
    """The value-versus-budget curve: the best value for each capacity of one constraint.

    ``constraint`` (an index, or a name from ``constraint_names``) is set in turn to ``points``
    evenly spaced capacities, from the least at which the mandatory needs fit (0 without them)
    to ``up_to`` times its capacity, or to the capacities listed in ``at``; everything else is
    as in :func:`~phare.analysis.portfolio.select_portfolio` (``time_limit`` applies to each
    solve). Points come in increasing capacity. The values never decrease: a portfolio that
    fits a capacity fits any larger one, so when a time limit leaves a point below the previous
    one, the previous portfolio's value is kept (that point is then not ``optimal``).
    ``optimal``: proven optimal within HiGHS's default relative gap (0.01 %), as for
    :func:`~phare.analysis.portfolio.select_portfolio`.
    """
    problem = make_problem(
        values, costs, capacities, mandatory=mandatory, requires=requires, excludes=excludes,
        groups=groups, min_share=min_share, constraint_names=constraint_names,
    )
    _check_time_limit(time_limit)
    k = _constraint_index(problem, constraint)
    floor = _least_capacity(problem, k, time_limit)
    grid = _grid(problem, k, floor, points=points, up_to=up_to, at=at)
    name = problem.constraint_names[k]
    curve: list[BudgetPoint] = []
    start = None
    for capacity in grid:
        caps = problem.capacities.copy()
        caps[k] = max(float(capacity), floor)
        # The grid grows: the previous point's portfolio still fits, a ready incumbent.
        outcome = maximise(problem, capacities=caps, time_limit=time_limit, start=start)
        if outcome.x is None:
            raise AnalysisError(
                f"The solver found no portfolio with {name} = {_fmt(capacity)}: {outcome.message}"
            )
        value = _value(problem, outcome.chosen())
        optimal = outcome.status == "optimal"
        if start is None or value >= float(problem.values @ start):
            start = outcome.chosen_mask()
        if curve and value < curve[-1].value:
            value, optimal = curve[-1].value, False
        curve.append(BudgetPoint(float(capacity), value, optimal))
    return curve


def _least_capacity(problem: PortfolioProblem, k: int, time_limit: float | None) -> float:
    """The least capacity ``k`` can have with every other constraint met (0 without mandatory)."""
    if not problem.mandatory:
        return 0.0
    least = solve(
        problem, objective=problem.costs[k], drop={("capacity", k)}, time_limit=time_limit
    )
    if least.x is None:
        raise diagnose(problem, time_limit)
    return float(problem.costs[k] @ least.chosen_mask())


def _grid(
    problem: PortfolioProblem,
    k: int,
    floor: float,
    *,
    points: int,
    up_to: float,
    at: Sequence[float] | None,
) -> np.ndarray:
    name = problem.constraint_names[k]
    if at is not None:
        grid = np.sort(_vector("at", at, allow_scalar=False))
        if len(grid) == 0:
            raise AnalysisError("at is empty: give at least one capacity.")
        _finite_non_negative("at", grid)
        if grid[0] < floor - _tol(floor):
            raise AnalysisError(
                f"at asks for {name} = {_fmt(grid[0])}, below {_fmt(floor)}: the mandatory "
                "needs (with the needs they require) cannot fit in less."
            )
        return grid
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or points < 2:
        raise AnalysisError(f"points must be an integer of at least 2, got {points!r}.")
    if isinstance(up_to, bool) or not (
        isinstance(up_to, numbers.Real) and math.isfinite(up_to) and up_to > 0
    ):
        raise AnalysisError(f"up_to must be a positive number, got {up_to!r}.")
    top = float(up_to) * float(problem.capacities[k])
    if top <= floor:
        raise AnalysisError(
            f"The curve would be empty: {up_to:g} × the capacity of {name} is {_fmt(top)}, not "
            f"above {_fmt(floor)}, the least it can be; give the capacities to try with at=."
        )
    return np.linspace(floor, top, int(points))


def _requiring(problem: PortfolioProblem, need: int) -> set[int]:
    """``need`` and every need that requires it, directly or through others."""
    return requirements(problem, need, upward=True)


def _with(portfolio: Portfolio, need: int) -> np.ndarray:
    """The portfolio with ``need`` and all it requires in, and the needs they exclude out.

    A starting point for the re-solves that force the need in; :func:`solve` drops it when it
    breaks a constraint (a minimum share, a dependency of a need taken out, a capacity).
    """
    problem = portfolio.problem
    mask = _mask(problem.n, portfolio.chosen)
    seen = requirements(problem, need)
    mask[sorted(seen)] = True
    for a, b in problem.excludes:
        if mask[a] and mask[b]:
            mask[[b] if a in seen else [a]] = False
    return mask


def _repaired(portfolio: Portfolio, need: int, k: int) -> np.ndarray | None:
    """A portfolio with ``need`` in, worth at least the portfolio's value, that meets every
    capacity but ``k``, using little of ``k``: a first incumbent for :func:`_growth`.

    From the portfolio with the need (:func:`_with`), needs are taken out (each with the needs
    requiring it) while another capacity is broken, the least value lost per share of the
    excess freed first; needs left out are put in while the value is short of the portfolio's,
    the most value per share of the other capacities first; then needs are taken out, the most
    use of ``k`` per value first, while the value stays at least the portfolio's. None when
    this fails or breaks another constraint (a minimum share, a dependency…).
    """
    problem = portfolio.problem
    costs, values, caps = problem.costs, problem.values, problem.capacities
    keep = requirements(problem, need) | set(mandatory_closure(problem))
    others = np.arange(problem.m) != k
    scale = np.where(caps > 0, caps, 1.0)
    rows, upper = model_rows(problem, drop={("capacity", k)})
    lower_x = np.zeros(problem.n)
    lower_x[sorted(keep)] = 1.0

    def units(x: np.ndarray) -> list[list[int]]:
        """Each need taken with the needs requiring it, that can go out together."""
        found = []
        for j in np.flatnonzero(x):
            group = sorted(i for i in _requiring(problem, int(j)) if x[i])
            if not keep.intersection(group):
                found.append(group)
        return found

    def fixed(x: np.ndarray) -> np.ndarray | None:
        while True:
            over = np.where(others, np.maximum(costs @ x - caps, 0.0), 0.0)
            if not over.any():
                return x
            best, out = -1.0, None
            for group in units(x):
                freed = float((np.minimum(costs[:, group].sum(axis=1), over) / scale).sum())
                lost = float(values[group].sum())
                score = freed / lost if lost > 0 else math.inf
                if freed > 0 and score > best:
                    best, out = score, group
            if out is None:
                return None
            x[out] = False

    def trimmed(x: np.ndarray) -> np.ndarray:
        spare = float(values @ x) - portfolio.value
        ranked = sorted(
            units(x), key=lambda g: -costs[k, g].sum() / max(float(values[g].sum()), 1e-12)
        )
        for group in ranked:
            if x[group].all() and costs[k, group].sum() > 0 and values[group].sum() <= spare:
                x[group] = False
                spare -= float(values[group].sum())
        return x

    def filled(x: np.ndarray) -> np.ndarray:
        """Needs put in while the value is short, the most value per share of the other
        capacities first, when they break no other capacity nor an exclusion."""
        weight = (costs[others] / scale[others, None]).sum(axis=0)
        ratio = np.divide(values, weight, out=np.full(problem.n, math.inf), where=weight > 0)
        for j in sorted(np.flatnonzero(~x), key=lambda j: (-ratio[j], j)):
            if float(values @ x) >= portfolio.value:
                break
            group = sorted(i for i in requirements(problem, int(j)) if not x[i])
            clash = any(x[q] or q in group for i in group for q in partners.get(i, ()))
            used = costs @ x + costs[:, group].sum(axis=1)
            if group and not clash and np.all(used[others] <= caps[others]):
                x[group] = True
        return x

    partners: dict[int, set[int]] = {}
    for a, b in problem.excludes:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    x = fixed(_with(portfolio, need))
    if x is None:
        return None
    x = filled(x)
    if float(values @ x) < portfolio.value:
        return None
    x = trimmed(x)
    return x if _meets(x, rows, upper, lower_x, np.ones(problem.n)) else None


def _percent(share: float) -> str:
    text = f"{100 * share:.1f}".removesuffix(".0")
    return f"{text} %"
