"""Arbitration, computed: a campaign's inputs frozen as data, the portfolio chosen, its
explanations — no writes (those are in :mod:`phare.needs.services.campaigns` and
:mod:`phare.needs.services.decisions`).

1. :func:`campaign_inputs` gathers everything the choice depends on, as plain data: each need's
   figures and value under the campaign's method (with the working), the constraints (one-off
   and recurring budgets, each limited team's person-days), the rules and minimum shares. Needs
   that cannot take part (not fully scored, closed, or requiring such a need) are set aside
   with the reason.
2. :func:`arbitration_result` solves it with :func:`phare.analysis.select_portfolio` (proven
   optimal within HiGHS's default relative gap, 0.01 %, the gap kept with the result;
   compared with the greedy value-per-cost choice); the service ``arbitration_run``
   stores it in an immutable :class:`Arbitration`. A background job (``needs.explain``) then
   adds the value-versus-budget curve (:func:`arbitration_curve`) and, need by need, what
   would bring each need left out in and what each need taken displaces (:func:`explain_need`).
3. :func:`outcome_of` says what an arbitration decided for one need, as the decision's
   publication tells its submitter and voters.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phare.analysis.errors import AnalysisError
from phare.analysis.portfolio import Portfolio, select_portfolio
from phare.analysis.portfolio_explain import (
    CapacityGrowth,
    Explanation,
    budget_curve,
    explain_portfolio,
)
from phare.directory.models import BusinessUnit
from phare.needs.explaining import constraint_label, describe
from phare.needs.models import OPEN_STATUSES, Arbitration, Campaign, Need, Rule
from phare.needs.scoring import (
    criteria_as_data,
    criteria_ensure,
    figures_of,
    score_needs,
    top_units,
)

__all__ = ["describe"]

#: Seconds the portfolio's solve may take. It runs in the request that runs the arbitration
#: (a 500-need campaign is proven optimal in 3.5–5.5 s on 2 cores; some budgets take HiGHS
#: much longer): past this, the best portfolio found is kept with the gap to the bound the
#: solver proved, and the page says so, instead of the request running into the web server's
#: timeout (120 s) and losing everything.
SOLVE_TIME_LIMIT = 30.0
#: Seconds allowed to each re-solve of the explanations and the curve.
EXPLAIN_TIME_LIMIT = 5.0
#: Seconds for all the re-solves of one need's explanation together: an answer cut short keeps
#: the least change the solver proved necessary ("perhaps less, not below …").
EXPLAIN_BUDGET = 10.0
CURVE_POINTS = 12
CURVE_UP_TO = 1.6
COSTS = ("one_off_cost", "recurring_cost")


def campaign_inputs(campaign: Campaign) -> dict[str, Any]:
    """The campaign as the optimiser sees it, frozen as plain data (see the module docstring)."""
    criteria = criteria_as_data(criteria_ensure())
    needs = list(campaign.needs.select_related("business_unit").order_by("pk"))
    figures = figures_of(needs)
    scored = score_needs(campaign.method, criteria, figures)
    tops = top_units()
    unit_codes = dict(BusinessUnit.objects.values_list("pk", "code"))
    unit_names = dict(BusinessUnit.objects.values_list("code", "name"))

    entries: dict[int, dict[str, Any]] = {}
    aside: dict[int, dict[str, Any]] = {}
    for need in needs:
        fig, score = figures[need.pk], scored[need.pk]
        base = {"id": need.pk, "title": need.title, "status": need.status}
        missing = list(score.missing) + [c for c in COSTS if fig.values.get(c) is None
                                         and c not in score.missing]
        if need.status not in OPEN_STATUSES:
            aside[need.pk] = {**base, "reason": "closed"}
        elif missing:
            aside[need.pk] = {**base, "reason": "missing", "missing": missing}
        else:
            entries[need.pk] = {
                **base, "unit": need.business_unit.code,
                "group": unit_codes[tops.get(need.business_unit_id, need.business_unit_id)],
                "values": fig.values, "sources": fig.sources, "efforts": fig.efforts,
                "value": score.value, "parts": score.parts,
            }

    rules = list(campaign.rules.all())
    mandatory = [r.need_id for r in rules if r.kind == Rule.Kind.MANDATORY]
    requires = [(r.need_id, r.other_id) for r in rules if r.kind == Rule.Kind.REQUIRES]
    excludes = [(r.need_id, r.other_id) for r in rules if r.kind == Rule.Kind.EXCLUDES]
    # A need requiring one set aside cannot be taken: set it aside too, until nothing changes.
    changed = True
    while changed:
        changed = False
        for a, b in requires:
            if a in entries and b not in entries:
                aside[a] = {**{k: entries[a][k] for k in ("id", "title", "status")},
                            "reason": "requires", "other": b}
                del entries[a]
                changed = True
    titles = {n.pk: n.title for n in needs}
    blocked = [n for n in mandatory if n not in entries]
    if blocked:
        raise ValidationError(
            _("“%(title)s” must be in, but it cannot take part: %(why)s.") % {
                "title": titles[blocked[0]], "why": aside_reason(aside[blocked[0]], titles)},
            code="mandatory_aside")

    constraints = [
        {"key": "one_off", "capacity": float(campaign.budget_one_off)},
        {"key": "recurring", "capacity": float(campaign.budget_recurring)},
    ] + [
        {"key": f"team:{c.team.code}", "name": c.team.name, "capacity": float(c.days)}
        for c in campaign.capacities.select_related("team").order_by("team__name")
    ]
    groups = {e["group"] for e in entries.values()}
    shares = {}
    for share in campaign.shares.select_related("unit"):
        if share.unit.code not in groups:
            raise ValidationError(
                _("The minimum share of %(unit)s cannot be met: none of the needs taking part "
                  "comes from it.") % {"unit": share.unit.name}, code="share_empty")
        shares[share.unit.code] = float(share.percent) / 100
    return {
        "method": campaign.method,
        "criteria": criteria,
        "needs": list(entries.values()),
        "aside": list(aside.values()),
        "constraints": constraints,
        "mandatory": [n for n in mandatory if n in entries],
        "requires": [[a, b] for a, b in requires if a in entries and b in entries],
        "excludes": [[a, b] for a, b in excludes if a in entries and b in entries],
        "min_share": shares,
        "units": {code: unit_names.get(code, code) for code in groups | set(shares)},
    }


def aside_reason(entry: dict[str, Any], titles: dict[int, str] | None = None) -> str:
    """Why a need did not take part, in words."""
    if entry["reason"] == "closed":
        return _("it is “%(status)s”") % {"status": Need.Status(entry["status"]).label}
    if entry["reason"] == "requires":
        other = (titles or {}).get(entry["other"], f"#{entry['other']}")
        return _("it requires “%(title)s”, which cannot take part") % {"title": other}
    names = {c.code: c.name for c in criteria_ensure()}
    return _("not fully scored (missing: %(criteria)s)") % {
        "criteria": ", ".join(str(names.get(code, code)) for code in entry.get("missing", []))}


def problem_of(inputs: dict[str, Any]) -> tuple[list[int], dict[str, Any]]:
    """The need ids in index order and the arguments of :func:`select_portfolio`."""
    needs = inputs["needs"]
    ids = [n["id"] for n in needs]
    index = {pk: i for i, pk in enumerate(ids)}
    rows = []
    for constraint in inputs["constraints"]:
        key = constraint["key"]
        if key == "one_off":
            rows.append([n["values"]["one_off_cost"] for n in needs])
        elif key == "recurring":
            rows.append([n["values"]["recurring_cost"] for n in needs])
        else:
            team = key.removeprefix("team:")
            rows.append([n["efforts"].get(team, 0.0) for n in needs])
    arguments = {
        "values": [n["value"] for n in needs],
        "costs": np.array(rows, dtype=float),
        "capacities": [c["capacity"] for c in inputs["constraints"]],
        "mandatory": [index[pk] for pk in inputs["mandatory"]],
        "requires": [(index[a], index[b]) for a, b in inputs["requires"]],
        "excludes": [(index[a], index[b]) for a, b in inputs["excludes"]],
        "groups": [n["group"] for n in needs] if inputs["min_share"] else None,
        "min_share": inputs["min_share"] or None,
        "constraint_names": [str(constraint_label(c)) for c in inputs["constraints"]],
    }
    return ids, arguments


def _readable(message: str, ids: list[int], titles: dict[int, str]) -> str:
    """The optimiser's message with needs named by title instead of index."""
    return re.sub(r"\b[Nn]eeds? (\d+)\b",
                  lambda m: f"“{titles.get(ids[int(m.group(1))], m.group(0))}”"
                  if int(m.group(1)) < len(ids) else m.group(0), message)


def _solve(inputs: dict[str, Any]) -> tuple[list[int], Portfolio]:
    ids, arguments = problem_of(inputs)
    if not ids:
        raise ValidationError(_("No need of this campaign can take part: score them first."),
                              code="empty")
    titles = {n["id"]: n["title"] for n in inputs["needs"]}
    try:
        return ids, select_portfolio(**arguments, time_limit=SOLVE_TIME_LIMIT)
    except AnalysisError as exc:
        raise ValidationError(_("The arbitration cannot be run: %(reason)s") % {
            "reason": _readable(str(exc), ids, titles)}, code="infeasible") from None


def _finite(number: float) -> float | None:
    return number if math.isfinite(number) else None


def arbitration_result(inputs: dict[str, Any]) -> dict[str, Any]:
    """The best portfolio for frozen ``inputs``, as the plain data an :class:`Arbitration`
    keeps: the needs chosen, the value, the proof of optimality, the use of each constraint and
    the greedy choice it is compared with."""
    ids, portfolio = _solve(inputs)
    keys = [c["key"] for c in inputs["constraints"]]
    return {
        "chosen": [ids[i] for i in portfolio.chosen],
        "value": portfolio.value,
        "total_value": float(sum(n["value"] for n in inputs["needs"])),
        "optimal": portfolio.optimal,
        "gap": _finite(portfolio.gap),
        "bound": _finite(portfolio.bound),
        "used": dict(zip(keys, portfolio.used, strict=True)),
        "slack": dict(zip(keys, portfolio.slack, strict=True)),
        "greedy": {"chosen": [ids[i] for i in portfolio.greedy.chosen],
                   "value": portfolio.greedy.value, "feasible": portfolio.greedy.feasible},
        "greedy_ratio": portfolio.greedy_ratio,
        "status": portfolio.status,
        "seconds": round(portfolio.solve_seconds, 3),
    }


def portfolio_of(arbitration: Arbitration) -> tuple[list[int], Portfolio]:
    """The arbitration's portfolio, solved again from its frozen inputs (deterministic), with
    the stored choice kept should a tie come out differently."""
    ids, portfolio = _solve(arbitration.inputs)
    stored = sorted(ids.index(pk) for pk in arbitration.result["chosen"])
    if stored != portfolio.chosen:
        portfolio = dataclasses.replace(portfolio, chosen=stored,
                                        value=arbitration.result["value"])
    return ids, portfolio


def explanation_data(explanation: Explanation, ids: list[int], inputs: dict[str, Any],
                     mandatory: set[int]) -> dict[str, Any]:
    """An explanation as plain data, needs as ids and constraints as keys."""
    keys = [c["key"] for c in inputs["constraints"]]
    data: dict[str, Any] = {"chosen": explanation.chosen, "exact": explanation.exact}
    if explanation.chosen:
        if explanation.locked:
            need = ids[explanation.need]
            if need in mandatory:
                data["lock"] = "mandatory"
            elif "time limit" in explanation.reason:
                data["lock"] = "time"
            elif explanation.reason.startswith("need"):
                data["lock"] = "required"
            else:
                data["lock"] = "constraints"
        else:
            data.update(displaces=[ids[i] for i in explanation.displaces],
                        also_out=[ids[i] for i in explanation.also_out],
                        value_loss=explanation.value_loss)
    else:
        data.update(growth=[_step(g, keys) for g in explanation.growth],
                    cost_cut=explanation.cost_cut)
        cut, below = explanation.cost_cut, explanation.cost_cut_at_least
        if cut is not None and below is not None and below < cut - 1e-9:
            data["cost_cut_at_least"] = below
    return data


def _step(growth: CapacityGrowth, keys: list[str]) -> dict[str, Any]:
    """One capacity growth as data; ``at_least`` only when a limit left it above the least
    growth proven necessary (the answer suffices, the least may lie between the two)."""
    step: dict[str, Any] = {"key": keys[growth.constraint], "increase": growth.increase,
                            "capacity": growth.capacity}
    below = growth.at_least
    if below is not None and below < growth.increase - 1e-9 * max(1.0, growth.capacity):
        step["at_least"] = below
    return step


def explain_order(inputs: dict[str, Any], chosen: list[int]) -> list[int]:
    """Needs left out by decreasing value, then needs taken by increasing value."""
    values = {n["id"]: n["value"] for n in inputs["needs"]}
    taken = set(chosen)
    out = sorted((i for i in values if i not in taken), key=lambda i: (-values[i], i))
    return out + sorted(taken, key=lambda i: (values[i], i))


def arbitration_curve(arbitration: Arbitration, *, time_limit: float = EXPLAIN_TIME_LIMIT
                      ) -> dict[str, Any]:
    """The best value reachable for one-off budgets from the least possible to 1.6× today's."""
    _ids, arguments = problem_of(arbitration.inputs)
    budget = arguments["capacities"][0]
    extra: dict[str, Any] = {"points": CURVE_POINTS, "up_to": CURVE_UP_TO}
    if budget <= 0:  # no budget today: draw up to what every need together would cost
        top = max(float(np.sum(arguments["costs"][0])), 1.0)
        extra = {"at": list(np.linspace(0.0, top, CURVE_POINTS))}
    points = budget_curve(**arguments, constraint=0, time_limit=time_limit, **extra)
    return {"key": "one_off", "budget": budget, "value": arbitration.result["value"],
            "points": [[p.capacity, p.value, p.optimal] for p in points]}


def explain_need(arbitration: Arbitration, portfolio: Portfolio, ids: list[int], need: int, *,
                time_limit: float = EXPLAIN_TIME_LIMIT, budget: float = EXPLAIN_BUDGET
                ) -> dict[str, Any]:
    """Why ``need`` is in (what it displaces) or out (what would bring it in), as data, within
    ``budget`` seconds (each re-solve within ``time_limit``)."""
    found = explain_portfolio(portfolio, needs=[ids.index(need)], limit=1,
                              time_limit=time_limit, budget=budget)[0]
    return explanation_data(found, ids, arbitration.inputs, set(arbitration.inputs["mandatory"]))


def outcome_of(arbitration: Arbitration, need_id: int) -> dict[str, Any] | None:
    """What the arbitration says of one need: chosen or not, and its explanation as data."""
    inputs = arbitration.inputs
    if any(n["id"] == need_id for n in inputs["needs"]):
        return {"chosen": need_id in arbitration.result["chosen"],
                "explanation": (arbitration.explanations or {}).get(str(need_id))}
    for entry in inputs["aside"]:
        if entry["id"] == need_id:
            titles = {e["id"]: e["title"] for e in inputs["needs"] + inputs["aside"]}
            return {"chosen": False, "explanation": {"aside": True,
                                                     "text": aside_reason(entry, titles)}}
    return None
