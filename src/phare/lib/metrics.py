"""The one registry of Phare's metrics: a name per language, a definition, a unit and a format.

Every page, API description, export header and report names a metric through :func:`metric`
(``metric("nps").name``) and prints its value through :func:`format_value`, so a figure has one
name and one way of being written wherever it appears. Templates use the tags of
``phare.core.templatetags.metrics``: ``{% load metrics %}{% metric "nps" %}`` (the name, with
its definition on hover and focus, linked to the glossary) and ``{% metric_value "nps" x %}``.

Model-free: the computations live with the modules that release each figure; ``computation``
says in words how each is computed, for the glossary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: How a metric's values are written: "points" (an NPS, −100 to +100), "percent", "hours"
#: (shown in minutes under an hour), "count", "euros".
Unit = Literal["points", "percent", "hours", "count", "euros"]

MINUS = "\u2212"
#: French puts a narrow no-break space before "%"; a no-break space before "h" and "€".
_NNBSP = "\u202f"
_NBSP = "\u00a0"


@dataclass(frozen=True)
class Metric:
    """One metric: what it is called, what it means, how its values are written."""

    key: str
    name: Promise
    short: Promise
    definition: Promise
    unit: Unit
    decimals: int
    #: None: neither (a share of answers is read against the others).
    higher_is_better: bool | None
    #: How it is computed, in words (the glossary's "how it is computed").
    computation: Promise | str = ""
    #: Where it appears (the glossary's "where it appears").
    where: Promise | str = ""

    @property
    def anchor(self) -> str:
        """The fragment of the glossary's entry: ``/glossary/#<anchor>``."""
        return self.key.replace("_", "-")


_ALL = (
    Metric(
        "nps", _("Net Promoter Score"), _("NPS"),
        _("How many people would recommend the IT department, minus how many would not: the "
          "share of 9–10 answers minus the share of 0–6 answers to “How likely are you to "
          "recommend…”, from −100 to +100."),
        "points", 0, True,
        _("Promoters (9–10) minus detractors (0–6), as a share of the answers, in points; "
          "with its interval (95 %). Computed on the released answers of a closed wave."),
        _("Barometer, cockpit, communication objectives, quarterly report; its answers in "
          "the exports.")),
    Metric(
        "ticket_happiness", _("Ticket happiness"), _("Ticket happiness"),
        _("How people felt after an IT ticket was closed: the share who rated it 9–10 minus "
          "the share who rated it 0–6, from −100 to +100."),
        "points", 0, True,
        _("Computed like an NPS on the 0–10 rating of closed tickets: happy (9–10) minus "
          "unhappy (0–6), in points, with its interval (95 %). Only released months count."),
        _("Ticket experience, ticket management, cockpit, service value cards, "
          "communication objectives, quarterly report; its ratings in the exports.")),
    Metric(
        "csat", _("Customer satisfaction"), _("CSAT"),
        _("The share of people satisfied: answers in the top two boxes of a 1–5 "
          "satisfaction scale (4 or 5)."),
        "percent", 0, True,
        _("Answers 4 or 5 divided by all answers on the 1–5 scale, with Wilson’s interval "
          "(95 %)."),
        _("Barometer, service surveys, service value cards; its answers in the exports.")),
    Metric(
        "lost_time", _("Lost time per ticket"), _("Lost time"),
        _("How much working time people say a ticket cost them, on average per ticket that "
          "answered the question."),
        "hours", 1, False,
        _("The mean of the time lost declared with each rating (the middle of the chosen "
          "band), over the released months; shown in minutes under an hour."),
        _("Ticket experience, ticket management, cockpit, service value cards, quarterly "
          "report.")),
    Metric(
        "lost_time_total", _("Total lost time"), _("Total lost time"),
        _("All the working time people say their tickets cost them, added up."),
        "hours", 0, False,
        _("The sum of the time lost declared with each rating (the middle of the chosen "
          "band), over the released months."),
        _("Ticket experience.")),
    Metric(
        "response_rate", _("Response rate"), _("Response rate"),
        _("The share of the people sent an invitation — to a wave, or to rate a ticket — who "
          "answered it."),
        "percent", 0, True,
        _("Answers received divided by the invitations sent, live while the wave is open or "
          "tickets are surveyed."),
        _("Waves, ticket management, barometer, communication objectives, API (a wave’s "
          "rates).")),
    Metric(
        "answers", _("Released answers"), _("Answers"),
        _("The answers the figures are computed on: those of closed waves, or of whole "
          "months for ticket ratings, once released by the disclosure rules."),
        "count", 0, True,
        _("Count of the answers in the released waves or months, within the page’s "
          "filters."),
        _("Barometer, ticket experience, ticket management, quarterly report; the rows of "
          "the exports.")),
    Metric(
        "answers_received", _("Answers received"), _("Received"),
        _("Every answer received so far, live, including those of the month or wave still "
          "under way, which no figure uses until it is released."),
        "count", 0, True,
        _("Count of the submitted answers, live."),
        _("Surveys, waves, ticket management, API (a survey’s responses).")),
    Metric(
        "reason_share", _("Share of answers"), _("Share"),
        _("The share of the released answers that chose this option (a reason, a band…)."),
        "percent", 0, None,
        _("Answers that chose the option divided by the released answers to the question."),
        _("Ticket experience, ticket management, barometer, quarterly report.")),
    Metric(
        "adoption", _("Adoption"), _("Adoption"),
        _("The share of a service’s audience who used it in the month."),
        "percent", 0, True,
        _("Active users of the month divided by the people in the service’s audience, with "
          "Wilson’s interval (95 %); only months that are over count."),
        _("Usage, service value cards, cockpit, perception vs reality, communication "
          "objectives, quarterly report, API.")),
    Metric(
        "active_users", _("Active users"), _("Active users"),
        _("The people who used a service at least once in the month."),
        "count", 0, True,
        _("Distinct people with at least one usage event or report in the month."),
        _("Usage, service value cards, quarterly report, API.")),
    Metric(
        "needs_answered", _("Needs answered"), _("Needs answered"),
        _("The share of the needs raised over a period whose submitter was told something: "
          "under study, planned, in progress, delivered, declined with a reason, or decided "
          "in a published arbitration."),
        "percent", 0, True,
        _("Needs answered divided by needs raised over the period, with Wilson’s interval "
          "(95 %)."),
        _("Cockpit, needs, communication objectives, quarterly report.")),
    Metric(
        "cost_per_user", _("Cost per active user"), _("Cost per user"),
        _("What a service costs to run each month for each person who used it."),
        "euros", 0, False,
        _("The annual run cost divided by twelve, divided by the month’s active users."),
        _("Usage, service value cards, quarterly report.")),
    Metric(
        "licence_use", _("Licence use"), _("Licence use"),
        _("The share of the licences assigned that were used in their last 30 days."),
        "percent", 0, True,
        _("Licences whose holder was active in the last 30 days of the last released month, "
          "divided by the licences assigned."),
        _("Usage, service value cards, quarterly report.")),
    Metric(
        "reach", _("Reach"), _("Reach"),
        _("The people a communication action reached: the emails accepted, the posts "
          "published to them."),
        "count", 0, True,
        _("Count of the people in the action’s audience who were sent it, without the "
          "control group and those skipped (opt-out, contact budget, quiet period)."),
        _("Communication actions and their results, quarterly report.")),
)

#: Each unit in words, for the glossary.
UNIT_LABELS: dict[str, Promise] = {
    "points": _("points, from −100 to +100"),
    "percent": _("percentage"),
    "hours": _("hours (minutes under an hour)"),
    "count": _("number"),
    "euros": _("euros per month"),
}

#: Every metric by key, in the glossary's order.
METRICS: dict[str, Metric] = {m.key: m for m in _ALL}


def metric(key: str) -> Metric:
    """The metric ``key``; a KeyError names the unknown key."""
    try:
        return METRICS[key]
    except KeyError:
        raise KeyError(f"unknown metric {key!r}; known: {', '.join(METRICS)}") from None


def _number(value: float, decimals: int) -> str:
    """``|value|`` rounded half up (as ``floatformat``) and grouped in the active locale."""
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(abs(float(value)))).quantize(exponent, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimals, use_l10n=True)


def format_value(key: str, value: float | int | Decimal | None, language: str | None = None,
                 *, signed: bool = False, decimals: int | None = None) -> str:
    """``value`` of metric ``key`` written in ``language`` (default: the active one).

    French "12,3 %", "−4,1", "1 234", "1,5 h", "45 min", "12 €"; English "12.3%",
    "−4.1", "1,234", "1.5 h", "45 min", "€12". ``signed`` puts "+" before a positive value
    (a change); a value that rounds to zero gets no sign. ``decimals`` overrides the metric's.
    None gives "—".
    """
    spec = metric(key)
    if value is None:
        return "—"
    places = spec.decimals if decimals is None else decimals
    with translation.override(language or translation.get_language() or "fr"):
        french = (translation.get_language() or "fr")[:2] == "fr"
        amount = float(value)
        if spec.unit == "hours" and round(abs(amount) * 60) < 60 and decimals is None:
            shown_zero = _is_zero(amount * 60, 0)
            text = f"{_number(amount * 60, 0)}{_NBSP}min"
        else:
            text = _number(amount, places)
            shown_zero = _is_zero(amount, places)
            if spec.unit == "percent":
                text = f"{text}{_NNBSP}%" if french else f"{text}%"
            elif spec.unit == "hours":
                text = f"{text}{_NBSP}h"
            elif spec.unit == "euros":
                text = f"{text}{_NBSP}€" if french else f"€{text}"
        sign = ""
        if amount < 0 and not shown_zero:
            sign = MINUS
        elif signed and amount > 0 and not shown_zero:
            sign = "+"
        return f"{sign}{text}"


def format_number(value: float | int | Decimal | None, decimals: int = 1, *,
                  signed: bool = False) -> str:
    """A number that is no registered metric's (a mean on a 1–5 scale, a target), written as
    the metrics are: grouped in the active locale, "−" for minus, ``decimals`` places (none
    when the value is whole); None gives "—"."""
    if value is None:
        return "—"
    amount = float(value)
    places = 0 if _is_zero(amount - round(amount), decimals) else decimals
    if _is_zero(amount, places):
        return _number(0, places)
    sign = MINUS if amount < 0 else ("+" if signed else "")
    return f"{sign}{_number(amount, places)}"


def _is_zero(amount: float, places: int) -> bool:
    exponent = Decimal(1).scaleb(-places)
    return Decimal(repr(abs(amount))).quantize(exponent, rounding=ROUND_HALF_UP) == 0
