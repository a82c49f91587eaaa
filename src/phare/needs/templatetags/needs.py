"""Template helpers of the needs app: ``{% load needs %}{% if need|allows:"vote" %}``."""

from __future__ import annotations

from django import template

from phare.needs.models import Need
from phare.needs.policy import need_actions

register = template.Library()


@register.filter
def allows(need: Need, action: str) -> bool:
    """Whether the need's status allows ``action`` (:func:`phare.needs.policy.need_actions`),
    for rows of needs where the view cannot pass each need's actions."""
    return action in need_actions(need)
