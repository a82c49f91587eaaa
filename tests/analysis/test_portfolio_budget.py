"""Explanations under a total time budget: the bounds they give when a limit cuts them short."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from phare.analysis import portfolio_explain
from phare.analysis.errors import AnalysisError
from phare.analysis.portfolio import (
    _greedy,
    _mask,
    make_problem,
    maximise,
    select_portfolio,
)
from phare.analysis.portfolio import solve as portfolio_solve
from phare.analysis.portfolio_explain import _Clock, explain_portfolio


def team_case():
    # Budget is ample; team Data (40 days) is full with needs 0 and 1 (value 50). With 5 more
    # days, 0 and 2 fit (45 days, value 55); or with need 2 at 15 days instead of 20 (−25 %).
    return select_portfolio(
        [30, 20, 25], [[10, 10, 10], [25, 15, 20]], [100, 40],
        constraint_names=["budget", "team Data"],
    )


def test_a_budget_is_shared_evenly_among_the_solves_to_come(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(portfolio_explain.time, "perf_counter", lambda: now[0])
    clock = _Clock(None, 10.0, 4)
    assert clock.limit() == pytest.approx(2.5)  # 10 s for 4 solves
    now[0] += 4.0  # the first took 4 s: 6 s left for 3
    assert clock.limit() == pytest.approx(2.0)
    capped = _Clock(1.5, 10.0, 4)
    assert capped.limit() == 1.5  # the limit of each solve still holds
    now[0] += 100.0
    assert clock.limit() == 0.01  # spent: each solve still gets a moment for its start
    assert _Clock(3.0, None, 4).limit() == 3.0


def test_an_ample_budget_changes_nothing():
    portfolio = team_case()
    (free,) = explain_portfolio(portfolio, needs=[2])
    (timed,) = explain_portfolio(portfolio, needs=[2], budget=60.0)
    assert free == timed
    assert timed.exact and timed.growth[0].at_least == timed.growth[0].increase == 5
    assert timed.cost_cut_at_least == timed.cost_cut == pytest.approx(0.25)


def test_an_answer_cut_short_gives_the_bound_the_solver_proved(monkeypatch):
    # As if each limit had stopped HiGHS with the answer found but a bound 3 days (and 10 % of
    # the costs) short of it: the answer stays, not exact, with what the bound proves.
    portfolio = team_case()
    solve, run_milp = portfolio_explain.solve, portfolio_explain.run_milp

    def short_solve(*args, **kwargs):
        found = solve(*args, **kwargs)
        if found.x is None:  # no portfolio at all on the budget: the need is out either way
            return found
        return replace(found, status="limit", bound=found.bound - 3)

    def short_milp(*args, **kwargs):
        found = run_milp(*args, **kwargs)
        return replace(found, status="limit", bound=found.bound - 0.1)

    monkeypatch.setattr(portfolio_explain, "solve", short_solve)
    monkeypatch.setattr(portfolio_explain, "run_milp", short_milp)
    (explanation,) = explain_portfolio(portfolio, needs=[2], budget=5.0)
    assert not explanation.exact
    (growth,) = explanation.growth
    assert (growth.increase, growth.at_least, growth.exact) == (5, 2, False)
    assert explanation.cost_cut == pytest.approx(0.25)
    assert explanation.cost_cut_at_least == pytest.approx(0.15)
    assert explanation.describe() == (
        "need 2 is out; it comes in without losing value if team Data grows by 5 (to 45; "
        "perhaps less, not below 2), or if its cost falls by 25 % (perhaps less, not below 15 %)."
    )


def random_campaign(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    costs = rng.integers(1, 60, size=(3, n)).astype(float)
    return {
        "values": rng.integers(1, 100, n).astype(float),
        "costs": costs,
        "capacities": np.round(0.35 * costs.sum(axis=1)),
        "requires": [(int(a), int(rng.integers(0, a))) for a in rng.choice(range(1, n), n // 10)],
    }


@pytest.mark.parametrize("seed", range(3))
def test_bounds_under_a_tiny_budget_bracket_the_exact_answer(seed):
    case = random_campaign(60, seed)
    portfolio = select_portfolio(
        case["values"], case["costs"], case["capacities"], requires=case["requires"]
    )
    assert portfolio.optimal
    exact = {e.need: e for e in explain_portfolio(portfolio, limit=4)}
    assert all(e.exact for e in exact.values())
    for short in explain_portfolio(portfolio, limit=4, budget=0.02):
        truth = exact[short.need]
        found = {g.constraint: g for g in short.growth}
        for growth in truth.growth:
            # Any growth found suffices, so it is at least the least one; the bound is below.
            if growth.constraint in found:
                given = found[growth.constraint]
                assert given.at_least <= growth.increase + 1e-6 <= given.increase + 2e-6
                assert not given.exact or given.increase == pytest.approx(growth.increase)
        if short.cost_cut is not None and truth.cost_cut is not None:
            assert short.cost_cut_at_least <= truth.cost_cut + 1e-6
            assert truth.cost_cut <= short.cost_cut + 1e-6
        if short.exact:
            assert short == truth


def test_it_rejects_a_bad_budget():
    for wrong in (0, -1.0, float("nan"), True, "10"):
        with pytest.raises(AnalysisError, match="budget must be a positive number of seconds"):
            explain_portfolio(team_case(), budget=wrong)


def test_a_limit_too_short_for_the_solver_still_returns_the_start():
    rng = np.random.default_rng(1)
    costs = rng.integers(1, 60, size=(6, 400)).astype(float)
    problem = make_problem(
        rng.integers(1, 100, 400).astype(float), costs, np.round(0.35 * costs.sum(axis=1))
    )
    start = _mask(problem.n, _greedy(problem).chosen)
    outcome = maximise(problem, time_limit=1e-6, start=start)
    assert outcome.status == "limit" and outcome.x is not None
    assert problem.values @ outcome.x >= problem.values @ start
    assert np.all(problem.costs @ outcome.x <= problem.capacities)


@pytest.mark.parametrize("seed", range(20))
def test_the_linear_relaxation_never_cuts_off_a_portfolio(seed):
    # Its optimum bounds every portfolio: the least use of a capacity with a need in and the
    # value of the best portfolio, against brute force over all subsets.
    rng = np.random.default_rng(seed)
    n = 9
    values = rng.integers(1, 50, n).astype(float)
    costs = rng.integers(1, 30, size=(2, n)).astype(float)
    problem = make_problem(
        values, costs, np.round(0.4 * costs.sum(axis=1)), requires=[(1, 0)], excludes=[(2, 3)]
    )
    x = np.array(list(itertools.product((0, 1), repeat=n)), dtype=float)
    ok = np.all(x @ costs.T <= problem.capacities, axis=1)
    ok &= (x[:, 1] <= x[:, 0]) & (x[:, 2] + x[:, 3] <= 1)
    best = (x[ok] @ values).max()
    relaxed = portfolio_solve(problem, objective=-values, relaxed=True)
    assert relaxed.bound is not None and -relaxed.bound >= best - 1e-6
    floor = 0.8 * best
    fits = (x[:, 1] <= x[:, 0]) & (x[:, 2] + x[:, 3] <= 1) & (x @ costs[1] <= problem.capacities[1])
    fits &= (x[:, 4] == 1) & (x @ values >= floor - 1e-9)
    least = portfolio_solve(
        problem, objective=costs[0], drop={("capacity", 0)}, force_in=[4], min_value=floor,
        relaxed=True,
    )
    if fits.any():
        assert least.bound is not None and least.bound <= (x[fits] @ costs[0]).min() + 1e-6
