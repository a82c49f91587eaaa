"""Benchmark of the arbitration of needs under budget and capacity (``phare.analysis``).

Run from the project root: ``.venv/bin/python bench/arbitration.py [--time-limit 10]``.
No Django: it only imports ``phare.analysis``. It generates two deterministic campaigns (seeded),
both with a one-off and a recurring budget, dependencies, exclusions, a few mandatory needs and
a minimum share of the value for three business units:

1. a large department's year, 500 needs and 6 delivery teams, solved without a time limit: it
   must be proven optimal (within HiGHS's default relative gap, 0.01 %). The baseline, the same
   model through SciPy's ``milp`` (the way Phare solved it before it called HiGHS through
   ``highspy``, relative gap 0), is timed in the same run
   (``--no-baseline`` skips it). Then a what-if: the one-off budget cut by 10 % and team 1
   given 10 % more days, re-solved from the previous portfolio; the time to explain the most
   valuable needs left out; the value-versus-budget curve (each re-solve of these capped by
   ``--what-if-limit``); with ``--more-what-ifs``, three other capacity changes re-solved from
   the previous portfolio;
2. 5,000 needs with 12 teams, under ``--time-limit``: proven optimal, or the gap to the bound
   (``--no-large`` skips it).

For each it prints the solve time (and the process's CPU time), HiGHS's nodes and LP
iterations (the work, whatever the load of the machine), the proof (or gap) and the
greedy/optimal value ratio.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Benchmarks run from a checkout: make ``import phare`` work without installing.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402

from phare.analysis.portfolio import (  # noqa: E402 (path set above)
    Portfolio,
    model_rows,
    select_portfolio,
)
from phare.analysis.portfolio_explain import (  # noqa: E402
    Explanation,
    budget_curve,
    explain_portfolio,
)

UNITS = ["Sales", "Finance", "HR", "Operations", "Legal", "Marketing", "Logistics", "Support"]


@dataclass
class Campaign:
    values: np.ndarray
    costs: np.ndarray
    capacities: np.ndarray
    names: list[str]
    mandatory: list[int]
    requires: list[tuple[int, int]]
    excludes: list[tuple[int, int]]
    groups: list[str]
    min_share: dict[str, float]

    def arguments(self) -> dict[str, object]:
        return {
            "mandatory": self.mandatory, "requires": self.requires, "excludes": self.excludes,
            "groups": self.groups, "min_share": self.min_share, "constraint_names": self.names,
        }


def campaign(needs: int, teams: int, seed: int) -> Campaign:
    """Needs with scores 1–100, costs in k€ and person-days, capacities ~35 % of the demand."""
    rng = np.random.default_rng(seed)
    one_off = np.clip(np.round(rng.lognormal(np.log(40), 0.9, needs)), 2, 800)  # k€
    upkeep = np.round(one_off * rng.uniform(0.05, 0.3, needs))  # k€ a year, for 40 % of needs
    recurring = np.where(rng.random(needs) < 0.4, upkeep, 0)
    days = np.zeros((teams, needs))
    effort = np.clip(np.round(rng.lognormal(np.log(30), 0.8, needs)), 2, 400)  # person-days
    lead = rng.integers(0, teams, needs)
    days[lead, np.arange(needs)] = effort
    helped = np.flatnonzero(rng.random(needs) < 0.3)  # a second team gives a hand
    days[rng.integers(0, teams, len(helped)), helped] += np.round(effort[helped] * 0.4)
    size = one_off.argsort().argsort() / (needs - 1)  # bigger projects tend to be worth more
    values = np.clip(np.round(20 + 50 * size + rng.normal(0, 20, needs)), 1, 100)
    costs = np.vstack([one_off, recurring, days])
    capacities = np.round(0.35 * costs.sum(axis=1))
    names = ["budget one-off (k€)", "budget recurring (k€/yr)"] + [
        f"team {k + 1} (days)" for k in range(teams)
    ]

    # A need requires an earlier one (platforms before what builds on them): no cycles here,
    # though cycles are allowed. Exclusions are alternatives for the same team.
    requires = []
    for a in rng.choice(np.arange(1, needs), needs // 25, replace=False):
        requires.append((int(a), int(rng.integers(0, a))))
    excludes = []
    for a in rng.choice(needs, needs // 50, replace=False):
        same_team = np.flatnonzero((lead == lead[a]) & (np.arange(needs) != a))
        excludes.append((int(a), int(rng.choice(same_team))))
    required = {b for _, b in requires} | {a for a, _ in requires}
    excluded = {i for pair in excludes for i in pair}
    cheap = [i for i in np.argsort(one_off) if i not in required and i not in excluded]
    mandatory = sorted(int(i) for i in cheap[: max(1, needs // 100)])  # regulatory needs
    groups = [UNITS[i] for i in rng.integers(0, len(UNITS), needs)]
    min_share = {"Legal": 0.08, "HR": 0.08, "Support": 0.08}
    return Campaign(values, costs, capacities, names, mandatory, requires, excludes, groups,
                    min_share)


def report(label: str, data: Campaign, time_limit: float | None) -> Portfolio:
    n, m = data.values.size, data.capacities.size
    print(f"\n{label}: {n} needs, {m} constraints, {len(data.requires)} dependencies, "
          f"{len(data.excludes)} exclusions, {len(data.mandatory)} mandatory, "
          f"{len(data.min_share)} minimum shares")
    started, cpu = time.perf_counter(), time.process_time()
    portfolio = select_portfolio(
        data.values, data.costs, data.capacities, time_limit=time_limit, **data.arguments()
    )
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    proof = f"proven optimal (gap {portfolio.gap:.4%})" if portfolio.optimal else (
        f"NOT proven optimal: gap {portfolio.gap:.4%} to the bound {portfolio.bound:,.1f}"
    )
    print(f"  solve: {portfolio.solve_seconds:.2f} s (with checks and greedy: {total:.2f} s; "
          f"CPU {cpu:.2f} s), {proof}; {work(portfolio)}")
    print(f"  {len(portfolio.chosen)} needs taken, value {portfolio.value:,.0f} "
          f"of {data.values.sum():,.0f}; status: {portfolio.status}")
    tight = [name for name, slack, cap in zip(data.names, portfolio.slack, data.capacities,
                                              strict=True) if slack <= 0.01 * cap]
    print(f"  constraints with under 1 % left: {', '.join(tight) or 'none'}")
    ratio = "n/a (greedy misses a minimum share)" if portfolio.greedy_ratio is None else (
        f"{portfolio.greedy_ratio:.4f}"
    )
    print(f"  greedy value {portfolio.greedy.value:,.0f}, greedy/optimal = {ratio}")
    return portfolio


def work(portfolio: Portfolio) -> str:
    """HiGHS's counts, the same from run to run whatever the load of the machine."""
    return f"{portfolio.nodes:,} nodes, {portfolio.lp_iterations:,} LP iterations"


def baseline(portfolio: Portfolio) -> None:
    """The same model through ``scipy.optimize.milp``, relative gap 0 as Phare asked before."""
    problem = portfolio.problem
    rows, upper = model_rows(problem)
    lower = np.zeros(problem.n)
    lower[list(problem.mandatory)] = 1.0
    started = time.perf_counter()
    result = milp(
        -problem.values, integrality=np.ones(problem.n), bounds=Bounds(lower, 1.0),
        constraints=[LinearConstraint(rows, -np.inf, upper)],
        options={"mip_rel_gap": 0.0, "disp": False},
    )
    seconds = time.perf_counter() - started
    proof = "proven optimal" if result.status == 0 else result.message
    print(f"  baseline, SciPy milp on the same model: {seconds:.2f} s, {proof}, value "
          f"{-result.fun:,.0f}; highspy with a greedy start: {portfolio.solve_seconds:.2f} s "
          f"({seconds / portfolio.solve_seconds:.1f}× faster)")


# Capacity changes of the what-ifs: (label, {constraint: factor}). The first is the benchmark's;
# the others (--more-what-ifs) show how much the time depends on the change.
CHANGES = [
    ("one-off budget -10 %, team 1 +10 %", {0: 0.9, 2: 1.1}),
    ("one-off budget +10 %", {0: 1.1}),
    ("team 3 -10 %", {4: 0.9}),
    ("recurring budget -20 %", {1: 0.8}),
]


def what_if(data: Campaign, portfolio: Portfolio, limit: float, *, more: bool) -> None:
    """Capacities changed as in CHANGES, re-solved from the portfolio (the first from scratch
    too), each re-solve capped at ``limit`` seconds."""
    for number, (change, factors) in enumerate(CHANGES if more else CHANGES[:1]):
        capacities = data.capacities.copy()
        for k, factor in factors.items():
            capacities[k] = round(factor * capacities[k])
        starts = [("from the previous portfolio", portfolio.chosen)]
        if number == 0:
            starts.append(("from scratch", None))
        for label, start in starts:
            changed = select_portfolio(
                data.values, data.costs, capacities, time_limit=limit, start=start,
                **data.arguments(),
            )
            proof = (f"proven optimal (gap {changed.gap:.4%})" if changed.optimal
                     else f"NOT proven optimal: gap {changed.gap:.4%}")
            print(f"  what-if ({change}), {label}: "
                  f"{changed.solve_seconds:.2f} s, {proof}, value {changed.value:,.0f}; "
                  f"{work(changed)}")


def widest(explanations: list[Explanation]) -> str:
    """How far the answers not proven exact may be from the exact ones, at most."""
    spans = []
    for e in explanations:
        spans += [(g.increase - g.at_least) / g.increase for g in e.growth
                  if g.at_least is not None and g.increase > 0]
        if e.cost_cut and e.cost_cut_at_least is not None:
            spans.append((e.cost_cut - e.cost_cut_at_least) / e.cost_cut)
    return f"{max(spans, default=0.0):.1%}"


def what_ifs(data: Campaign, portfolio: Portfolio, explain: int, points: int, limit: float,
             *, more: bool, budget: float | None) -> None:
    what_if(data, portfolio, limit, more=more)
    started = time.perf_counter()
    explanations = explain_portfolio(portfolio, limit=explain, time_limit=limit, budget=budget)
    seconds = time.perf_counter() - started
    print(f"  explain {len(explanations)} needs (the most valuable left out first): "
          f"{seconds:.2f} s, {sum(e.exact for e in explanations)} exact; the least answer "
          f"proven lies at most {widest(explanations)} below the answer given")
    for explanation in explanations[:3]:
        print(f"    {explanation.describe()}")
    started = time.perf_counter()
    curve = budget_curve(data.values, data.costs, data.capacities, points=points,
                         time_limit=limit, **data.arguments())
    seconds = time.perf_counter() - started
    print(f"  budget curve, {points} points from {curve[0].capacity:,.0f} to "
          f"{curve[-1].capacity:,.0f} k€: {seconds:.2f} s, "
          f"{sum(p.optimal for p in curve)} proven optimal; value "
          f"{curve[0].value:,.0f} → {curve[-1].value:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0,
                        help="seconds for the 5,000-need solve (default 10)")
    parser.add_argument("--explain", type=int, default=10,
                        help="needs to explain on the 500 (default 10)")
    parser.add_argument("--points", type=int, default=10,
                        help="points of the budget curve on the 500 (default 10)")
    parser.add_argument("--what-if-limit", type=float, default=5.0,
                        help="seconds per re-solve of the explanations and the curve (default 5)")
    parser.add_argument("--explain-budget", type=float, default=10.0,
                        help="seconds for all the explanations together (default 10; 0: none, "
                             "each re-solve capped by --what-if-limit only)")
    parser.add_argument("--more-what-ifs", action="store_true",
                        help="three other capacity changes, each from the previous portfolio")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the SciPy milp baseline (10-20 s)")
    parser.add_argument("--no-large", action="store_true",
                        help="skip the 5,000-need campaign (only the 500 needs)")
    args = parser.parse_args()
    year = campaign(500, 6, args.seed)
    portfolio = report("A department's year", year, None)
    if not args.no_baseline:
        baseline(portfolio)
    what_ifs(year, portfolio, args.explain, args.points, args.what_if_limit,
             more=args.more_what_ifs, budget=args.explain_budget or None)
    if not args.no_large:
        report("A large campaign", campaign(5000, 12, args.seed + 1), args.time_limit)


if __name__ == "__main__":
    main()
