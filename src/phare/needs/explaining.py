"""Explanations of an arbitration in words, in the reader's language.

The explanations are stored as data (needs as ids, constraints as keys, amounts as numbers, see
:func:`phare.needs.arbitration.explanation_data`) and put into sentences only when shown or
emailed, so each person reads them in their own language.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phare.lib.i18n import in_language


def number(value: float, decimals: int = 1) -> str:
    """A figure as people read it: grouped thousands, at most ``decimals`` decimals."""
    value = float(value)
    if abs(value - round(value)) < 0.5 * 10 ** -decimals:
        return formats.number_format(round(value), 0, use_l10n=True, force_grouping=True)
    return formats.number_format(round(value, decimals), decimals, use_l10n=True,
                                 force_grouping=True)


def constraint_label(constraint: dict[str, Any]) -> str:
    """A constraint's name, with its unit."""
    key = constraint["key"]
    if key == "one_off":
        return _("One-off budget (k€)")
    if key == "recurring":
        return _("Recurring budget (k€ a year)")
    return _("Team %(team)s (person-days)") % {"team": constraint.get("name", key[5:])}


def context_for(inputs: dict[str, Any], explanation: dict[str, Any] | None) -> dict[str, Any]:
    """What :func:`describe` needs besides the explanation: constraint and need names."""
    mentioned = set()
    if explanation:
        mentioned = set(explanation.get("displaces", [])) | set(explanation.get("also_out", []))
    titles = {str(n["id"]): n["title"] for n in inputs["needs"] if n["id"] in mentioned}
    return {"constraints": {c["key"]: c.get("name", "") for c in inputs["constraints"]},
            "titles": titles}


def plain_context(inputs: dict[str, Any], chosen: list[int] | set[int], need_id: int,
                  explanation: dict[str, Any] | None) -> dict[str, Any]:
    """What :func:`plain` needs besides the explanation: :func:`context_for`, and the needs
    this one depends on that were left out, and the ones taken that exclude it."""
    taken = set(chosen)
    titles = {str(n["id"]): n["title"] for n in inputs["needs"]}
    context = context_for(inputs, explanation)
    context["depends_on"] = [titles.get(str(b), f"#{b}") for a, b in inputs.get("requires", [])
                             if a == need_id and b not in taken]
    context["excluded_by"] = [titles.get(str(other), f"#{other}")
                              for pair in inputs.get("excludes", []) if need_id in pair
                              for other in pair if other != need_id and other in taken]
    return context


def money(amount: float, *, down: bool = False) -> str:
    """An amount in k€ as an employee reads it: whole k€ (rounded up, as it is what is
    needed; down, with ``down``, for the least that may be needed), or M€ with one decimal
    from a million; never broken from its unit."""
    amount = float(amount)
    if down:
        if amount >= 1000:
            return _("%(amount)s M€") % {"amount": number(math.floor(amount / 100) / 10, 1)}
        return _("%(amount)s k€") % {"amount": number(math.floor(amount + 1e-9), 0)}
    if amount >= 1000:
        return _("%(amount)s M€") % {"amount": number(math.ceil(amount / 100) / 10, 1)}
    return _("%(amount)s k€") % {"amount": number(max(1, math.ceil(amount - 1e-9)), 0)}


def _perhaps_less(way: str, least: str) -> str:
    """A change that suffices, when a time limit left the least one between ``least`` and it."""
    return _("%(way)s (perhaps less, not below %(least)s)") % {"way": way, "least": least}


def _least(step: dict[str, Any]) -> str:
    """The least growth a step's bound proves necessary, in its unit, rounded down."""
    key, least = step["key"], float(step["at_least"])
    if key in ("one_off", "recurring"):
        return money(least, down=True)
    return _("%(days)s person-days") % {"days": number(math.floor(least + 1e-9), 0)}


def _cut_least(explanation: dict[str, Any]) -> str:
    """The least cost cut proven necessary, in percent rounded down."""
    below = float(explanation["cost_cut_at_least"])
    return _("%(percent)s %%") % {"percent": number(math.floor(1000 * below + 1e-6) / 10)}


def _quoted(names: list[str]) -> str:
    named = [f"“{name}”" for name in names]
    if len(named) == 1:
        return named[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(named[:-1]), "last": named[-1]}


def _need_more(step: dict[str, Any], teams: dict[str, str]) -> str:
    key, increase = step["key"], float(step["increase"])
    if key == "one_off":
        return _("%(amount)s more in the budget") % {"amount": money(increase)}
    if key == "recurring":
        return _("%(amount)s more a year in the running budget") % {"amount": money(increase)}
    days = max(1, math.ceil(increase - 1e-9))
    return ngettext("%(days)s more day of work from the team “%(team)s”",
                    "%(days)s more days of work from the team “%(team)s”", days) % {
        "days": number(days, 0), "team": teams.get(key) or key.removeprefix("team:")}


def plain(explanation: dict[str, Any], context: dict[str, Any] | None = None) -> str:
    """One need's outcome in plain words, for the employee who raised it or voted for it: no
    solver terms, no codes, money rounded (the marketing lead reads :func:`describe`)."""
    context = context or {}
    titles = context.get("titles", {})
    if explanation.get("aside"):
        return _("Not considered this time: %(why)s.") % {"why": explanation["text"]}
    if explanation["chosen"]:
        lock = explanation.get("lock")
        if lock == "mandatory":
            return _("Selected because it had to be done: the campaign made it a must.")
        if lock == "required":
            return _("Selected because another need that had to be done depends on it.")
        if lock == "constraints":
            return _("Selected so that the rules of the campaign are kept, such as the share "
                     "promised to each business unit.")
        displaced = [titles.get(str(i), f"#{i}") for i in explanation.get("displaces", [])]
        if displaced:
            return _("Selected because it brings more for what it costs than %(needs)s, "
                     "which could have been done in its place.") % {"needs": _quoted(displaced)}
        return _("Selected because it brings value and fits in the budget and the teams’ "
                 "time.")
    if context.get("depends_on"):
        return _("Not this time: it depends on %(needs)s, which was not selected.") % {
            "needs": _quoted(context["depends_on"])}
    if context.get("excluded_by"):
        return _("Not this time: it cannot be done together with %(needs)s, which was "
                 "selected.") % {"needs": _quoted(context["excluded_by"])}
    growth = explanation.get("growth", [])
    cut = explanation.get("cost_cut")
    if any(step["increase"] <= 0 for step in growth) or cut == 0:
        return _("Not this time, by a narrow margin: another choice of needs worth as much "
                 "was made.")
    ways = [_need_more(step, context.get("constraints", {})) for step in growth]
    ways = [_perhaps_less(way, _least(step)) if "at_least" in step else way
            for way, step in zip(ways, growth, strict=True)]
    if cut is not None:
        way = _("a cost lower by %(percent)s %%") % {"percent": number(100 * cut, 0)}
        if "cost_cut_at_least" in explanation:
            way = _perhaps_less(way, _cut_least(explanation))
        ways.append(way)
    if not ways:
        return _("Not this time: the other needs selected bring more for what they cost.")
    return _("Not this time: it would have needed %(ways)s.") % {"ways": _(" or ").join(ways)}


def _names(ids: list[int], titles: dict[str, str]) -> str:
    named = [f"“{titles.get(str(i), f'#{i}')}”" for i in ids]
    if len(named) == 1:
        return named[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(named[:-1]), "last": named[-1]}


def _growth(step: dict[str, Any], teams: dict[str, str]) -> str:
    key, amount = step["key"], number(step["increase"])
    if key == "one_off":
        return _("if the one-off budget grew by %(amount)s k€") % {"amount": amount}
    if key == "recurring":
        return _("if the recurring budget grew by %(amount)s k€ a year") % {"amount": amount}
    return _("if team %(team)s had %(days)s more person-days") % {
        "team": teams.get(key) or key[5:], "days": amount}


def describe(explanation: dict[str, Any], context: dict[str, Any] | None = None) -> str:
    """One need's explanation as a sentence."""
    context = context or {}
    titles, teams = context.get("titles", {}), context.get("constraints", {})
    if explanation.get("aside"):
        return _("It did not take part in the arbitration: %(why)s.") % {
            "why": explanation["text"]}
    if explanation["chosen"]:
        lock = explanation.get("lock")
        if lock == "mandatory":
            return _("Selected: the campaign made it mandatory.")
        if lock == "required":
            return _("Selected: a mandatory need requires it.")
        if lock == "constraints":
            return _("Selected: no selection without it meets the constraints (a minimum "
                     "share, for instance).")
        if lock == "time":
            return _("Selected: no selection without it was found in the time allowed.")
        changes = []
        if explanation.get("displaces"):
            changes.append(_("%(needs)s would come in") % {
                "needs": _names(explanation["displaces"], titles)})
        if explanation.get("also_out"):
            changes.append(_("%(needs)s would leave too") % {
                "needs": _names(explanation["also_out"], titles)})
        changes.append(_("the total value would fall by %(value)s") % {
            "value": number(explanation.get("value_loss") or 0.0)})
        return _("Selected. Without it, %(changes)s.") % {"changes": "; ".join(changes)}
    growth = explanation.get("growth", [])
    cut = explanation.get("cost_cut")
    if any(step["increase"] <= 0 for step in growth) or cut == 0:
        return _("Not selected, although a selection with it would be worth as much: it could "
                 "come in without losing value.")
    ways = [_perhaps_less(_growth(step, teams), _least(step)) if "at_least" in step
            else _growth(step, teams) for step in growth]
    if cut is not None:
        way = _("if its cost fell by %(percent)s %%") % {"percent": number(100 * cut)}
        if "cost_cut_at_least" in explanation:
            way = _perhaps_less(way, _cut_least(explanation))
        ways.append(way)
    if not ways:
        return _("Not selected, and no single budget or capacity increase nor any cost cut "
                 "would bring it in: its exclusions or dependencies keep it out.")
    return _("Not selected. It would come in %(ways)s.") % {"ways": _(", or ").join(ways)}


def working(entry: dict[str, Any], inputs: dict[str, Any]) -> str:
    """How a need's value was computed with the campaign's method, as one line."""
    parts = entry.get("parts") or {}
    method = inputs["method"]
    if method == "rice":
        return _("reach × impact × confidence ÷ effort = %(reach)s × %(impact)s × %(confidence)s "
                 "÷ %(months)s person-months (%(days)s days) = %(value)s") % {
            "reach": number(parts["reach"]), "impact": number(parts["impact"], 2),
            "confidence": number(parts["confidence"], 2), "months": number(parts["effort"], 2),
            "days": number(parts["days"]), "value": number(entry["value"], 2)}
    if method == "wsjf":
        return _("(business value + urgency + strategic fit) ÷ job size = (%(value)s + "
                 "%(urgency)s + %(fit)s) ÷ %(size)s person-months = %(result)s") % {
            "value": number(parts["business_value"]), "urgency": number(parts["urgency"]),
            "fit": number(parts["strategic_fit"]), "size": number(parts["size"], 2),
            "result": number(entry["value"], 2)}

    names = {c["code"]: in_language(_Named(c), "name") for c in inputs["criteria"]}
    terms = [_("%(name)s %(raw)s → %(norm)s × %(weight)s") % {
        "name": names.get(row["code"], row["code"]), "raw": number(row["raw"]),
        "norm": number(row["normalised"], 2), "weight": number(row["weight"], 2)}
        for row in parts.get("rows", [])]
    return _("100 × (%(terms)s) ÷ %(total)s = %(value)s") % {
        "terms": " + ".join(terms), "total": number(parts.get("total_weight", 0), 2),
        "value": number(entry["value"], 2)}


class _Named:
    """Attribute access to a frozen criterion's names, for ``in_language``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.name_fr, self.name_en = data.get("name_fr", ""), data.get("name_en", "")
