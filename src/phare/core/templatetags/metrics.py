"""Metric names and values in templates: ``{% load metrics %}``.

``{% metric "nps" %}`` writes the metric's name in the active language, linked to its entry
in the glossary, with its definition shown on hover and on keyboard focus (a tooltip that
``aria-describedby`` also reads out); ``{% metric "nps" short=True %}`` uses the short name;
``{% metric "nps" plain=True %}`` only the name, for attributes and headings of charts.
``{% metric_value "nps" value %}`` writes a value as :func:`phare.lib.metrics.format_value`
(``signed=True`` for a change).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from phare.lib import metrics

register = template.Library()

#: Where the tooltips' ids are counted, per rendering (two uses of one metric on a page).
_COUNTER = "phare.metrics.tooltips"


@register.simple_tag(takes_context=True)
def metric(context: template.Context, key: str, *, short: bool = False,
           plain: bool = False) -> str:
    """The metric's name, with its definition on hover and focus, linked to the glossary."""
    spec = metrics.metric(key)
    name = spec.short if short else spec.name
    if plain:
        return format_html("{}", name)
    count = int(context.render_context.get(_COUNTER) or 0) + 1
    context.render_context[_COUNTER] = count
    tip = f"metric-{spec.anchor}-{count}"
    return format_html(
        '<span class="metric" data-metric="{key}">'
        '<a class="metric-name" href="{url}#{anchor}" aria-describedby="{tip}">{name}</a>'
        '<span class="metric-tip" role="tooltip" id="{tip}">{definition}</span></span>',
        key=spec.key, url=reverse("core:glossary"), anchor=spec.anchor, tip=tip, name=name,
        definition=spec.definition)


@register.simple_tag
def metric_value(key: str, value: float | int | Decimal | None, *, signed: bool = False,
                 decimals: int | None = None, ratio: bool = False) -> str:
    """``value`` written as the metric's values are, in the active language; ``ratio``: the
    value is a fraction (0.37) of a metric in percent (37 %)."""
    if ratio and value is not None:
        value = 100 * float(value)
    return metrics.format_value(key, value, signed=signed, decimals=decimals)


@register.filter
def metric_name(key: str) -> Any:
    """``{{ "nps"|metric_name }}``: the metric's name as plain text (for attributes)."""
    return metrics.metric(key).name


@register.filter
def metric_definition(key: str) -> Any:
    """``{{ "nps"|metric_definition }}``: the metric's definition as plain text."""
    return metrics.metric(key).definition
