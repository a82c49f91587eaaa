"""Arbitration of needs under budget and capacity: the portfolio of needs worth the most.

Problem: the 0/1 multidimensional knapsack with side constraints (Kellerer, Pferschy & Pisinger,
*Knapsack Problems*, Springer 2004, ch. 9). With ``v`` the score of each need, ``C`` one row of
costs per constraint (budget one-off, budget recurring, person-days of each delivery team…) and
``b`` the capacities, choose ``x ∈ {0, 1}ⁿ`` that maximises ``Σ vᵢ xᵢ`` subject to

    Σᵢ Cₖᵢ xᵢ ≤ bₖ                 for every constraint k
    xᵢ = 1                          for every mandatory need i
    xₐ ≤ x_b                        for every pair (a, b) of ``requires`` (a needs b)
    xₐ + x_b ≤ 1                    for every pair (a, b) of ``excludes`` (a or b, not both)
    Σ_{i ∈ g} vᵢ xᵢ ≥ s_g Σᵢ vᵢ xᵢ   for every group g with a minimum share s_g

The minimum share is a share of the total *value* chosen (e.g. "at least 20 % of the value
delivered goes to business unit Sales"): it does not depend on which constraint is "the budget"
and stays linear: ``Σᵢ (s_g − [i ∈ g]) vᵢ xᵢ ≤ 0``.

It is solved by the branch and cut of HiGHS (https://highs.dev; its dual simplex is described
by Huangfu & Hall, *Mathematical Programming Computation* 10, 2018) through its own bindings,
``highspy``, with HiGHS's default relative gap (:data:`GAP`, 0.01 %): "optimal" means proven
optimal within that gap — no portfolio is worth more than the one chosen by more than 0.01 %
of its value, the tolerance the arbitration issue accepts. With integer scores (the usual
case), HiGHS rounds its bound down to an integer, so below a total value of 10,000 the answer
is exactly optimal. When the time limit stops the search first, the result says so and gives
the remaining gap to HiGHS's bound. ``highspy`` rather than :func:`scipy.optimize.milp`
because it takes a first incumbent (the greedy portfolio, or one built from a previous
portfolio for a what-if) and lets the solver's output be switched off before it prints
anything.

For comparison, the greedy choice by value per cost (Dantzig, *Operations Research* 5, 1957,
extended to several constraints by adding up each cost as a share of its capacity; Kellerer et
al., ch. 9, discuss such "efficiencies") takes the mandatory needs, then the needs in decreasing
value per cost, each with the needs it requires, skipping any that would break a capacity or an
exclusion, or worsen a minimum share.

Checked in the tests against the Rosetta Code 0/1 knapsack and against brute force over all
subsets of small random instances. Deterministic: the same input gives the same portfolio (up to
where a time limit stops the solver). Explanations of each need and the value-versus-budget
curve live in :mod:`phare.analysis.portfolio_explain`.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from highspy import (
    HighsLp,
    HighsModelStatus,
    HighsSolution,
    HighsVarType,
    MatrixFormat,
    kHighsInf,
    kSolutionStatusFeasible,
)
from highspy._core import _Highs
from scipy import sparse

from phare.analysis.errors import AnalysisError

if TYPE_CHECKING:
    from phare.analysis.portfolio_explain import Explanation

# HiGHS's default relative gap |primal − dual| / |primal|: a maximisation stops when no portfolio
# can beat the one found by more than this share of its value. The arbitration issue accepts it
# as "proven optimal"; with a gap of 0, closing the last 0.01 % took about a quarter of the
# 500-need benchmark's time (bench/README.md).
GAP = 1e-4

# Constraint families, as keys of the model: ("capacity", k), ("requires",), ("excludes",),
# ("share", group). Diagnosis of an infeasible problem drops them one at a time.
Family = tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class PortfolioProblem:
    """A validated arbitration problem, kept by the :class:`Portfolio` to explain it later."""

    values: np.ndarray
    costs: np.ndarray
    capacities: np.ndarray
    mandatory: tuple[int, ...]
    requires: tuple[tuple[int, int], ...]
    excludes: tuple[tuple[int, int], ...]
    groups: tuple[Hashable, ...] | None
    min_share: tuple[tuple[Hashable, float], ...]
    constraint_names: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def m(self) -> int:
        return len(self.capacities)


@dataclass(frozen=True)
class GreedyResult:
    """The greedy value-per-cost choice; ``feasible`` is False when it misses a minimum share."""

    chosen: list[int]
    value: float
    feasible: bool


@dataclass(frozen=True)
class Portfolio:
    """The result of :func:`select_portfolio`.

    ``chosen`` are the sorted indices of the needs taken and ``value`` their total score.
    ``bound`` is the best value any portfolio could reach, as proven by HiGHS, and ``gap`` the
    relative gap ``(bound − value) / value`` (``math.inf`` if only an empty-valued portfolio
    was found). ``optimal`` is True when HiGHS proved the portfolio optimal within its default
    relative gap (:data:`GAP`, 0.01 %; ``gap`` is then at most that, and 0 when the proof is
    exact); otherwise the time limit stopped it first. ``used`` and ``slack`` give,
    per constraint, what the portfolio uses and what is left. ``greedy_ratio`` is the greedy
    value over ``value`` (1.0 when both are 0; None when the greedy choice misses a minimum
    share, so they cannot be compared). When the time limit stops the solver with a portfolio
    worse than the greedy one, the greedy one is kept (``status`` says so). ``nodes`` and
    ``lp_iterations``: HiGHS's branch-and-bound nodes and simplex iterations, the work of the
    proof whatever the load of the machine.
    """

    chosen: list[int]
    value: float
    optimal: bool
    gap: float
    bound: float
    used: list[float]
    slack: list[float]
    greedy: GreedyResult
    greedy_ratio: float | None
    solve_seconds: float
    status: str
    problem: PortfolioProblem = field(repr=False)
    nodes: int = 0
    lp_iterations: int = 0

    def explain(
        self,
        *,
        needs: Sequence[int] | None = None,
        limit: int = 50,
        time_limit: float | None = None,
        strict: bool = False,
    ) -> list[Explanation]:
        """Same as :func:`phare.analysis.portfolio_explain.explain_portfolio` on this result."""
        from phare.analysis.portfolio_explain import explain_portfolio

        return explain_portfolio(
            self, needs=needs, limit=limit, time_limit=time_limit, strict=strict
        )


def select_portfolio(
    values: Sequence[float] | np.ndarray,
    costs: Sequence[Sequence[float]] | np.ndarray,
    capacities: Sequence[float] | np.ndarray | float,
    *,
    mandatory: Iterable[int] = (),
    requires: Iterable[tuple[int, int]] = (),
    excludes: Iterable[tuple[int, int]] = (),
    groups: Sequence[Hashable] | None = None,
    min_share: Mapping[Hashable, float] | None = None,
    constraint_names: Sequence[str] | None = None,
    time_limit: float | None = None,
    start: Iterable[int] | None = None,
) -> Portfolio:
    """The set of needs with the highest total score that fits every constraint.

    ``values``: one non-negative score per need (n). ``costs``: one row per constraint and one
    column per need, non-negative (a single row may be given as a flat list). ``capacities``:
    one per constraint. ``mandatory``: needs that must be in. ``requires``: pairs ``(a, b)``,
    "a needs b" (cycles are allowed: they bind the needs together). ``excludes``: pairs
    ``(a, b)``, "not both". ``groups`` (one label per need, e.g. the business unit) with
    ``min_share`` (label → minimum share, 0–1, of the total value chosen). ``constraint_names``
    name the constraints in messages (default "constraint 0"…). ``time_limit`` in seconds.
    ``start``: the needs of a previous portfolio (e.g. before a budget or capacity changed),
    to start from: the greedy choice that takes them first, when it meets every constraint,
    is HiGHS's first incumbent (the result does not depend on it, only the time).

    Raises :class:`AnalysisError` for unusable input (naming the argument) and for constraints
    that cannot all hold, naming the conflicting constraint when one can be found.
    """
    problem = make_problem(
        values, costs, capacities, mandatory=mandatory, requires=requires, excludes=excludes,
        groups=groups, min_share=min_share, constraint_names=constraint_names,
    )
    _check_time_limit(time_limit)
    first = None if start is None else _indices("start", start, problem.n)
    greedy = _greedy(problem)
    incumbent = greedy
    if first is not None:
        again = _greedy(problem, first=first)
        if again.feasible and (not greedy.feasible or again.value > greedy.value):
            incumbent = again
    outcome = maximise(
        problem, time_limit=time_limit,
        start=_mask(problem.n, incumbent.chosen) if incumbent.feasible else None,
    )
    if outcome.status == "infeasible":
        raise diagnose(problem, time_limit)
    if outcome.x is None:
        if outcome.status == "limit":
            raise AnalysisError(
                f"No portfolio found within the time limit of {time_limit:g} s: allow more time."
            )
        raise AnalysisError(f"The solver found no portfolio: {outcome.message}")
    chosen = outcome.chosen()
    optimal = outcome.status == "optimal"
    # "optimal" within GAP: the callers show ``gap`` with it.
    status = "optimal" if optimal else "time limit reached before proving optimality"
    if not optimal and greedy.feasible and greedy.value > _value(problem, chosen):
        chosen = greedy.chosen
        status += "; the greedy portfolio was better than the solver's and is kept"
    value = _value(problem, chosen)
    # HiGHS bounds the minimisation of −value; without a bound, no need can beat all of them.
    bound = -outcome.bound if outcome.bound is not None else float(problem.values.sum())
    if bound <= value + _tol(value):  # an exact proof, up to rounding
        bound = value
    # HiGHS's relative gap, |primal − dual| / |primal|; infinite with an empty-valued primal.
    gap = (bound - value) / value if value > 0 else (0.0 if bound <= value else math.inf)
    used = _used(problem, chosen)
    ratio = None if not greedy.feasible else (greedy.value / value if value > 0 else 1.0)
    return Portfolio(
        chosen=chosen,
        value=value,
        optimal=optimal,
        gap=gap,
        bound=bound,
        used=[float(u) for u in used],
        slack=[float(s) for s in problem.capacities - used],
        greedy=greedy,
        greedy_ratio=ratio,
        solve_seconds=outcome.seconds,
        status=status,
        problem=problem,
        nodes=outcome.nodes,
        lp_iterations=outcome.lp_iterations,
    )


# --- Validation ------------------------------------------------------------------------------


def make_problem(
    values: Any,
    costs: Any,
    capacities: Any,
    *,
    mandatory: Iterable[int] = (),
    requires: Iterable[tuple[int, int]] = (),
    excludes: Iterable[tuple[int, int]] = (),
    groups: Sequence[Hashable] | None = None,
    min_share: Mapping[Hashable, float] | None = None,
    constraint_names: Sequence[str] | None = None,
) -> PortfolioProblem:
    """Check every argument and the mandatory needs; :class:`AnalysisError` says what is wrong."""
    vals = _vector("values", values, allow_scalar=False)
    n = len(vals)
    if n == 0:
        raise AnalysisError("values is empty: there is no need to choose from.")
    _finite_non_negative("values", vals)
    caps = _vector("capacities", capacities, allow_scalar=True)
    m = len(caps)
    _finite_non_negative("capacities", caps)
    try:
        cost = np.array(costs, dtype=float)
    except (TypeError, ValueError):
        raise AnalysisError(
            "costs must be a table of numbers: one row per constraint, one column per need."
        ) from None
    if cost.ndim == 1 and m == 1:
        cost = cost.reshape(1, -1)
    if cost.shape != (m, n):
        raise AnalysisError(
            f"costs must have shape ({m}, {n}) — one row per capacity ({m}), one column per "
            f"value ({n}) — but has shape {cost.shape}."
        )
    _finite_non_negative("costs", cost)

    names = _names(constraint_names, m)
    must = tuple(dict.fromkeys(_indices("mandatory", mandatory, n)))
    needs = _pairs("requires", requires, n)
    conflicts = _pairs("excludes", excludes, n)
    for k, (a, b) in enumerate(conflicts):
        if a == b:
            raise AnalysisError(f"excludes[{k}] = ({a}, {b}): a need cannot exclude itself.")
    labels, shares = _shares(groups, min_share, n)

    problem = PortfolioProblem(
        values=_frozen(vals), costs=_frozen(cost), capacities=_frozen(caps), mandatory=must,
        requires=needs, excludes=conflicts, groups=labels, min_share=shares,
        constraint_names=names,
    )
    _check_mandatory(problem)
    return problem


def _vector(name: str, data: Any, *, allow_scalar: bool) -> np.ndarray:
    try:
        array = np.array(data, dtype=float)
    except (TypeError, ValueError):
        raise AnalysisError(f"{name} must be a list of numbers.") from None
    if array.ndim == 0 and allow_scalar:
        array = array.reshape(1)
    if array.ndim != 1:
        raise AnalysisError(f"{name} must be a flat list of numbers; got shape {array.shape}.")
    return array


def _finite_non_negative(name: str, array: np.ndarray) -> None:
    checks = ((~np.isfinite(array), "is not a finite number"), (array < 0, "is negative"))
    for mask, wrong in checks:
        found = np.argwhere(mask)
        if len(found):
            where = ", ".join(str(int(i)) for i in found[0])
            raise AnalysisError(
                f"{name}[{where}] = {array[tuple(found[0])]:g} {wrong}; "
                f"{name} must be finite and non-negative."
            )


def _frozen(array: np.ndarray) -> np.ndarray:
    array = array.copy()
    array.setflags(write=False)
    return array


def _names(constraint_names: Sequence[str] | None, m: int) -> tuple[str, ...]:
    if constraint_names is None:
        return tuple(f"constraint {k}" for k in range(m))
    if isinstance(constraint_names, str) or len(constraint_names) != m:
        raise AnalysisError(f"constraint_names must give one name per capacity ({m}).")
    return tuple(str(name) for name in constraint_names)


def _index(name: str, item: Any, n: int) -> int:
    if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Integral):
        raise AnalysisError(f"{name} = {item!r} is not a need index (an integer, 0 to {n - 1}).")
    if not 0 <= int(item) < n:
        raise AnalysisError(f"{name} = {item} is out of range: need indices go from 0 to {n - 1}.")
    return int(item)


def _indices(name: str, data: Iterable[int], n: int) -> list[int]:
    if isinstance(data, str) or not isinstance(data, Iterable):
        raise AnalysisError(f"{name} must be a list of need indices, got {data!r}.")
    return [_index(f"{name}[{k}]", item, n) for k, item in enumerate(data)]


def _pairs(name: str, data: Iterable[tuple[int, int]], n: int) -> tuple[tuple[int, int], ...]:
    if isinstance(data, str) or not isinstance(data, Iterable):
        raise AnalysisError(f"{name} must be a list of (a, b) pairs of need indices.")
    pairs = []
    for k, pair in enumerate(data):
        items = [] if isinstance(pair, str) or not isinstance(pair, Iterable) else list(pair)
        if len(items) != 2:
            raise AnalysisError(f"{name}[{k}] = {pair!r} must be a pair (a, b) of need indices.")
        a, b = items
        pairs.append((_index(f"{name}[{k}][0]", a, n), _index(f"{name}[{k}][1]", b, n)))
    return tuple(pairs)


def _shares(
    groups: Sequence[Hashable] | None, min_share: Mapping[Hashable, float] | None, n: int
) -> tuple[tuple[Hashable, ...] | None, tuple[tuple[Hashable, float], ...]]:
    if groups is None:
        if min_share:
            raise AnalysisError("min_share needs groups: one label per need.")
        return None, ()
    if isinstance(groups, str) or len(groups) != n:
        raise AnalysisError(f"groups must give one label per need ({n}).")
    labels = tuple(groups)
    try:
        known = set(labels)
    except TypeError:
        raise AnalysisError("groups must be hashable labels (text or numbers).") from None
    if min_share is None:
        return labels, ()
    if not isinstance(min_share, Mapping):
        raise AnalysisError("min_share must map a group to its minimum share (0 to 1).")
    shares: list[tuple[Hashable, float]] = []
    for group, share in min_share.items():
        if group not in known:
            raise AnalysisError(f"min_share names group {group!r}, which no need belongs to.")
        if not (isinstance(share, numbers.Real) and math.isfinite(share) and 0 <= share <= 1):
            raise AnalysisError(
                f"min_share[{group!r}] = {share!r} must be a share between 0 and 1."
            )
        shares.append((group, float(share)))
    total = sum(share for _, share in shares)
    if total > 1 + 1e-12:
        raise AnalysisError(f"min_share adds up to {total:g}, more than the whole (1).")
    return labels, tuple(shares)


def _check_mandatory(problem: PortfolioProblem) -> None:
    """The mandatory needs with all they require must not exclude each other, and must fit."""
    why = mandatory_closure(problem)
    for k, (a, b) in enumerate(problem.excludes):
        if a in why and b in why:
            raise AnalysisError(
                f"Needs {a} and {b} exclude each other (excludes[{k}]) but both must be in: "
                f"{why[a]}; {why[b]}."
            )
    if not why:
        return
    used = problem.costs[:, list(why)].sum(axis=1)
    over = [k for k in range(problem.m) if used[k] > problem.capacities[k] + _tol(
        problem.capacities[k])]
    if over:
        extra = " (with the needs they require)" if len(why) > len(problem.mandatory) else ""
        raise AnalysisError(
            f"The mandatory needs{extra} do not fit: "
            + "; ".join(
                f"they use {_fmt(used[k])} of {_fmt(problem.capacities[k])} on "
                f"{problem.constraint_names[k]}"
                for k in over
            )
            + "."
        )


def mandatory_closure(problem: PortfolioProblem) -> dict[int, str]:
    """Each need that must be in (mandatory, or required by one), with the reason in words."""
    required_by: dict[int, list[tuple[int, int]]] = {}
    for k, (a, b) in enumerate(problem.requires):
        required_by.setdefault(a, []).append((b, k))
    why: dict[int, str] = {}
    stack = []
    for need in problem.mandatory:
        why[need] = f"need {need} is mandatory"
        stack.append(need)
    while stack:
        a = stack.pop()
        for b, k in required_by.get(a, []):
            if b not in why:
                why[b] = f"{why[a]} and requires need {b} (requires[{k}])"
                stack.append(b)
    return why


def _constraint_index(problem: PortfolioProblem, constraint: int | str) -> int:
    if isinstance(constraint, str):
        if constraint not in problem.constraint_names:
            raise AnalysisError(
                f"constraint {constraint!r} is not one of {list(problem.constraint_names)}."
            )
        return problem.constraint_names.index(constraint)
    if isinstance(constraint, bool) or not isinstance(constraint, numbers.Integral):
        raise AnalysisError(f"constraint must be an index or a name, got {constraint!r}.")
    if not 0 <= int(constraint) < problem.m:
        raise AnalysisError(
            f"constraint = {constraint} is out of range: there are {problem.m} constraints."
        )
    return int(constraint)


def _check_time_limit(time_limit: float | None, name: str = "time_limit") -> None:
    if time_limit is not None and (
        isinstance(time_limit, bool)
        or not (
            isinstance(time_limit, numbers.Real) and math.isfinite(time_limit) and time_limit > 0
        )
    ):
        raise AnalysisError(f"{name} must be a positive number of seconds, got {time_limit!r}.")


# --- The model and the solver -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One HiGHS run: ``status`` is "optimal", "limit" (stopped early), "infeasible" or "failed".

    ``x`` is the best solution found (None if none), ``bound`` the dual bound of the
    *minimisation* HiGHS solved. ``nodes`` and ``lp_iterations`` are HiGHS's counts of
    branch-and-bound nodes and simplex iterations: the work done, which, unlike
    ``seconds``, does not depend on the machine's load.
    """

    status: str
    x: np.ndarray | None
    bound: float | None
    message: str
    seconds: float
    nodes: int = 0
    lp_iterations: int = 0

    def chosen_mask(self) -> np.ndarray:
        """The needs taken, as booleans (HiGHS's binaries are within 1e-6 of 0 or 1)."""
        assert self.x is not None
        return self.x > 0.5

    def chosen(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.chosen_mask())]


def model_rows(
    problem: PortfolioProblem,
    *,
    capacities: np.ndarray | None = None,
    drop: set[Family] | frozenset[Family] = frozenset(),
) -> tuple[sparse.csr_array, np.ndarray]:
    """The rows ``A x ≤ ub`` of the problem, capacity rows first (in order, minus those dropped)."""
    n = problem.n
    caps = problem.capacities if capacities is None else capacities
    blocks: list[sparse.csr_array] = []
    bounds: list[np.ndarray] = []
    kept = [k for k in range(problem.m) if ("capacity", k) not in drop]
    if kept:
        blocks.append(sparse.csr_array(problem.costs[kept]))
        bounds.append(np.asarray(caps, dtype=float)[kept])
    for family, pairs, signs, bound in (
        ("requires", [p for p in problem.requires if p[0] != p[1]], (1.0, -1.0), 0.0),
        ("excludes", list(problem.excludes), (1.0, 1.0), 1.0),
    ):
        if pairs and (family,) not in drop:
            count = len(pairs)
            rows = np.repeat(np.arange(count), 2)
            cols = np.asarray(pairs, dtype=np.int64).ravel()
            data = np.tile(signs, count)
            blocks.append(sparse.csr_array((data, (rows, cols)), shape=(count, n)))
            bounds.append(np.full(count, bound))
    for group, share in problem.min_share:
        if ("share", group) not in drop:
            member = np.array([label == group for label in problem.groups or ()], dtype=float)
            blocks.append(sparse.csr_array(((share - member) * problem.values).reshape(1, n)))
            bounds.append(np.zeros(1))
    if not blocks:
        return sparse.csr_array((0, n)), np.zeros(0)
    return sparse.vstack(blocks, format="csr"), np.concatenate(bounds)


def _highs() -> _Highs:
    """A HiGHS instance that prints nothing.

    ``highspy.Highs()`` turns its callbacks on in its constructor, which prints HiGHS's banner
    to the process's stdout before any option can be set (HiGHS issues #1702, #2749); the bare
    ``_Highs`` of the bindings does nothing until asked, so its output is off before any call
    that could print. The MIP solver's own messages (including the debug line
    ``HighsMipSolverData::transformNewIntegerFeasibleSolution``) go through the same logger.
    """
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs


def run_milp(
    objective: np.ndarray,
    rows: sparse.csr_array,
    upper: np.ndarray,
    lower_x: np.ndarray,
    upper_x: np.ndarray,
    *,
    integral: np.ndarray | None = None,
    time_limit: float | None = None,
    start: np.ndarray | None = None,
    gap: float = 0.0,
    relaxed: bool = False,
) -> Outcome:
    """Minimise ``objective · x`` subject to ``rows x ≤ upper`` and the bounds, with HiGHS.

    ``relaxed``: solve the linear relaxation instead (every variable continuous); its optimum,
    the ``bound`` of the outcome (``x`` the fractional optimum), bounds the integer problem.

    ``start``, a feasible point, is handed to HiGHS as its first incumbent (a point that breaks
    a constraint is ignored by HiGHS): the search then prunes from the start, and a time limit
    that stops HiGHS before it has a better solution of its own returns the start. ``gap``: the
    relative gap at which HiGHS stops and calls its incumbent optimal (0: proven optimal).
    """
    n = len(objective)
    rows = sparse.csr_array(rows)
    model = HighsLp()
    model.num_col_ = n
    model.num_row_ = rows.shape[0]
    model.col_cost_ = np.asarray(objective, dtype=float)
    model.col_lower_ = np.asarray(lower_x, dtype=float)
    model.col_upper_ = np.asarray(upper_x, dtype=float)
    model.row_lower_ = np.full(rows.shape[0], -kHighsInf)
    model.row_upper_ = np.asarray(upper, dtype=float)
    matrix = model.a_matrix_
    matrix.format_ = MatrixFormat.kRowwise
    matrix.num_col_ = n
    matrix.num_row_ = rows.shape[0]
    matrix.start_ = rows.indptr.astype(np.int32)
    matrix.index_ = rows.indices.astype(np.int32)
    matrix.value_ = rows.data.astype(float)
    kinds = np.ones(n) if integral is None else np.asarray(integral)
    if relaxed:
        kinds = np.zeros(n)
    model.integrality_ = [
        HighsVarType.kInteger if kind else HighsVarType.kContinuous for kind in kinds
    ]
    highs = _highs()
    highs.passModel(model)
    highs.setOptionValue("mip_rel_gap", float(gap))
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if start is not None:
        solution = HighsSolution()
        solution.col_value = np.asarray(start, dtype=float)
        solution.value_valid = True
        highs.setSolution(solution)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    model_status = highs.getModelStatus()
    status = {
        HighsModelStatus.kOptimal: "optimal",
        HighsModelStatus.kTimeLimit: "limit",
        HighsModelStatus.kInfeasible: "infeasible",
    }.get(model_status, "failed")
    info = highs.getInfo()
    iterations = max(0, int(info.simplex_iteration_count))
    if relaxed:
        solved = status == "optimal"
        return Outcome(
            status=status,
            x=np.array(highs.getSolution().col_value, dtype=float) if solved else None,
            bound=float(info.objective_function_value) if solved else None,
            message=highs.modelStatusToString(model_status),
            seconds=seconds,
            lp_iterations=iterations,
        )
    nodes = max(0, int(info.mip_node_count))
    found = info.primal_solution_status == kSolutionStatusFeasible
    x = np.array(highs.getSolution().col_value, dtype=float) if found else None
    if start is not None and status == "limit":
        # Cut short before HiGHS took its start (a tiny limit), it may have nothing, or only
        # worse: the start is still a solution.
        begin = np.asarray(start, dtype=float)
        cost = np.asarray(objective, dtype=float)
        if x is None or cost @ begin < cost @ x:
            x = begin.copy()
    bound = float(info.mip_dual_bound)
    if start is not None and status == "optimal" and x is not None:
        # HiGHS 1.16 can misprice a start in its presolved space ("MIP start solution is
        # feasible in the reduced space" with another objective value), prune with that wrong
        # cutoff and call the start optimal under a bound further below its value than the
        # gap allows. Such a proof is worthless: solve again without the start.
        value = float(np.asarray(objective, dtype=float) @ x)
        if value - bound > gap * abs(value) + 1e-6 + 1e-9 * max(1.0, abs(value)):
            again = run_milp(
                objective, rows, upper, lower_x, upper_x, integral=integral,
                time_limit=time_limit, gap=gap,
            )
            return replace(
                again, seconds=seconds + again.seconds, nodes=nodes + again.nodes,
                lp_iterations=iterations + again.lp_iterations,
            )
    return Outcome(
        status=status,
        x=x,
        bound=bound if math.isfinite(bound) and status != "infeasible" else None,
        message=highs.modelStatusToString(model_status),
        seconds=seconds,
        nodes=nodes,
        lp_iterations=iterations,
    )


def solve(
    problem: PortfolioProblem,
    *,
    objective: np.ndarray,
    capacities: np.ndarray | None = None,
    drop: set[Family] | frozenset[Family] = frozenset(),
    force_in: Iterable[int] = (),
    force_out: Iterable[int] = (),
    min_value: float | None = None,
    time_limit: float | None = None,
    start: np.ndarray | None = None,
    gap: float = 0.0,
    relaxed: bool = False,
) -> Outcome:
    """Minimise ``objective · x`` over the portfolios of ``problem`` changed as asked.

    ``min_value`` adds "total value at least this" (less a relative 1e-7, for rounding).
    ``start`` (one boolean per need) is a portfolio to start from, used when it meets every
    constraint of the changed problem. ``gap`` and ``relaxed`` as in :func:`run_milp`.
    """
    rows, upper = model_rows(problem, capacities=capacities, drop=drop)
    if min_value is not None:
        rows = sparse.vstack([rows, sparse.csr_array(-problem.values.reshape(1, -1))], format="csr")
        upper = np.append(upper, -(min_value - 1e-7 * max(1.0, abs(min_value))))
    lower_x, upper_x = np.zeros(problem.n), np.ones(problem.n)
    lower_x[list(problem.mandatory)] = 1.0
    lower_x[list(force_in)] = 1.0
    upper_x[list(force_out)] = 0.0
    if np.any(lower_x > upper_x):
        return Outcome("infeasible", None, None, "a need is both forced in and out", 0.0)
    if start is not None and not _meets(start, rows, upper, lower_x, upper_x):
        start = None
    return run_milp(
        objective, rows, upper, lower_x, upper_x, time_limit=time_limit, start=start, gap=gap,
        relaxed=relaxed,
    )


def _meets(
    mask: np.ndarray,
    rows: sparse.csr_array,
    upper: np.ndarray,
    lower_x: np.ndarray,
    upper_x: np.ndarray,
) -> bool:
    """Whether the portfolio ``mask`` meets ``rows x ≤ upper`` and the bounds (with rounding)."""
    x = np.asarray(mask, dtype=float)
    if np.any(x < lower_x) or np.any(x > upper_x):
        return False
    tolerance = 1e-9 * np.maximum(1.0, np.abs(upper))
    return bool(np.all(rows @ x <= upper + tolerance))


def maximise(problem: PortfolioProblem, *, gap: float = GAP, **changes: Any) -> Outcome:
    """The most valuable portfolio of ``problem`` with the changes :func:`solve` accepts.

    "optimal" within HiGHS's default relative gap unless ``gap`` says otherwise.
    """
    return solve(problem, objective=-problem.values, gap=gap, **changes)


def diagnose(problem: PortfolioProblem, time_limit: float | None) -> AnalysisError:
    """The error for constraints that cannot all hold, naming those whose removal fixes it."""
    families: list[tuple[Family, str]] = [
        (("capacity", k), f"the capacity of {name} ({_fmt(problem.capacities[k])})")
        for k, name in enumerate(problem.constraint_names)
    ]
    if problem.requires:
        families.append((("requires",), "the dependencies (requires)"))
    if problem.excludes:
        families.append((("excludes",), "the exclusions (excludes)"))
    families += [
        (("share", group), f"the minimum share of {group!r} ({share:.0%})")
        for group, share in problem.min_share
    ]
    zero = np.zeros(problem.n)
    culprits = [
        label
        for family, label in families
        if solve(problem, objective=zero, drop={family}, time_limit=time_limit).x is not None
    ]
    start = "No portfolio with the mandatory needs meets all the constraints"
    if culprits:
        return AnalysisError(f"{start}; it would without {' or without '.join(culprits)}.")
    return AnalysisError(f"{start}, and no single constraint is to blame: several conflict.")


# --- Greedy ----------------------------------------------------------------------------------


def _greedy(problem: PortfolioProblem, *, first: Sequence[int] = ()) -> GreedyResult:
    """Value per cost, each cost counted as a share of its capacity (see the module docstring).

    The needs of ``first`` (a previous portfolio) are tried before all others, in the same
    order of value per cost.
    """
    n, caps, costs, values = problem.n, problem.capacities, problem.costs, problem.values
    share = np.divide(costs, caps[:, None], out=np.zeros_like(costs), where=caps[:, None] > 0)
    share[(costs > 0) & (caps[:, None] == 0)] = np.inf
    weight = share.sum(axis=0)
    ratio = np.divide(values, weight, out=np.zeros(n), where=weight > 0)
    ratio[(weight == 0) & (values > 0)] = np.inf
    early = set(first)
    order = sorted(range(n), key=lambda i: (i not in early, -ratio[i], i))

    partners: dict[int, set[int]] = {}
    for a, b in problem.excludes:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    groups = problem.groups
    shares = dict(problem.min_share)

    chosen = np.zeros(n, dtype=bool)
    used = np.zeros(problem.m)
    by_group: dict[Hashable, float] = dict.fromkeys(shares, 0.0)
    tolerance = np.array([_tol(c) for c in caps])

    required = _requires_graph(problem)

    def closure(start: int) -> list[int]:
        return sorted(i for i in _reach(required, start) if not chosen[i])

    def deficit(total: float, group_values: Mapping[Hashable, float]) -> float:
        return sum(max(0.0, s * total - group_values[g]) for g, s in shares.items())

    def add(batch: list[int]) -> None:
        chosen[batch] = True
        used[:] += costs[:, batch].sum(axis=1)
        if groups is not None:
            for i in batch:
                if groups[i] in by_group:
                    by_group[groups[i]] += values[i]

    add(sorted(mandatory_closure(problem)))
    for need in order:
        if chosen[need]:
            continue
        batch = closure(need)
        members = set(batch)
        if any(chosen[j] or j in members for i in batch for j in partners.get(i, ())):
            continue
        if np.any(used + costs[:, batch].sum(axis=1) > caps + tolerance):
            continue
        if shares:
            total = float(values[chosen].sum())
            after = dict(by_group)
            for i in batch:
                if groups is not None and groups[i] in after:
                    after[groups[i]] += values[i]
            gained = total + float(values[batch].sum())
            if deficit(gained, after) > deficit(total, by_group) + _tol(gained):
                continue
        add(batch)
    picked = [int(i) for i in np.flatnonzero(chosen)]
    total = _value(problem, picked)
    return GreedyResult(picked, total, deficit(total, by_group) <= _tol(total))


# --- Small helpers ---------------------------------------------------------------------------


def requirements(problem: PortfolioProblem, need: int, *, upward: bool = False) -> set[int]:
    """``need`` and every need it requires, directly or through others; with ``upward``,
    ``need`` and every need that requires it."""
    return _reach(_requires_graph(problem, upward=upward), need)


def _requires_graph(problem: PortfolioProblem, *, upward: bool = False
                    ) -> dict[int, list[int]]:
    edges: dict[int, list[int]] = {}
    for a, b in problem.requires:
        if upward:
            edges.setdefault(b, []).append(a)
        else:
            edges.setdefault(a, []).append(b)
    return edges


def _reach(edges: Mapping[int, Sequence[int]], start: int) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for other in edges.get(stack.pop(), []):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _mask(n: int, chosen: Iterable[int]) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[list(chosen)] = True
    return mask


def _value(problem: PortfolioProblem, chosen: Sequence[int]) -> float:
    return float(problem.values[list(chosen)].sum())


def _used(problem: PortfolioProblem, chosen: Sequence[int]) -> np.ndarray:
    return problem.costs[:, list(chosen)].sum(axis=1)


def _tol(scale: float) -> float:
    """Room for floating-point rounding when comparing sums with ``scale``."""
    return 1e-9 * max(1.0, abs(float(scale)))


def _fmt(number: float) -> str:
    """A number for messages: 130, 12.5, 0.125."""
    number = float(number)
    if abs(number - round(number)) < 1e-9 * max(1.0, abs(number)):
        return str(round(number))
    return f"{number:.6g}"
