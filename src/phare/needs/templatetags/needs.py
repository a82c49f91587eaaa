"""Template helpers of the needs app: ``{% load needs %}{% if need|allows:"vote" %}``."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

from phare.needs.models import Need
from phare.needs.policy import need_actions

register = template.Library()


@register.filter
def allows(need: Need, action: str) -> bool:
    """Whether the need's status allows ``action`` (:func:`phare.needs.policy.need_actions`),
    for rows of needs where the view cannot pass each need's actions."""
    return action in need_actions(need)


@register.filter
def votable_by(need: Need, person_id: int | None) -> bool:
    """Whether ``person_id`` may vote for the need now (not its author, an open need)."""
    return "vote" in need_actions(need, person_id)


@register.filter
def percent(ratio: float | None) -> str:
    """A ratio as a percentage, in the reader's number format: up to three decimals under 1 %
    (0.000074 → "0.007"), one from 1 % on (0.01234 → "1.2", 1.905 → "190.5")."""
    if ratio is None:
        return ""
    return floatformat(ratio * 100, -3 if abs(ratio) < 0.01 else -1)
