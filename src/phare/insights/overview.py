"""The insights home: an overview of what the reader may see.

Its headline figures are those of the cockpit (:mod:`phare.insights.headlines`: the barometer's
NPS with its interval and change, ticket happiness and lost time, adoption of the services in
focus, the needs answered), each linking to its page; then the latest waves closed, the value
cards whose figure changed most (from the list of cards, :func:`dashboards.value_cards`, so
from the same computation and cache) and the links to every insights page. A service owner
sees the figures of their own services and the links to their value cards. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from phare.insights import access, dashboards, headlines, queries
from phare.insights.headlines import Headline
from phare.insights.value import CardRow
from phare.lib.cache import read_once
from phare.listening.models import Survey, Wave

#: How many latest waves and most changed cards the home lists.
LATEST = 5


@dataclass(frozen=True)
class ClosedWave:
    """A wave whose answers were released lately, and where its results are read."""

    survey: Survey
    name: str
    closes_on: dt.date
    url: str


@dataclass
class Overview:
    headlines: list[Headline] = field(default_factory=list)
    waves: list[ClosedWave] = field(default_factory=list)
    #: The cards whose latest change (survey NPS or CSAT, else ticket happiness) is largest.
    changed: list[CardRow] = field(default_factory=list)
    #: A service owner's cards (their services), by name; empty for the other readers.
    cards: list[CardRow] = field(default_factory=list)
    #: The barometers with answers (None: the reader reads no survey's results).
    barometers: list[Survey] | None = None
    as_of: dt.datetime | None = None


def _latest_waves(user: Any) -> list[ClosedWave]:
    """The last waves closed of the surveys whose results the reader reads, where a page
    shows them (a barometer's page; a service survey's value card)."""
    waves = (Wave.objects.filter(survey__in=access.visible_surveys(user),
                                 status=Wave.Status.CLOSED,
                                 survey__kind__in=(Survey.Kind.BAROMETER, Survey.Kind.SERVICE))
             .select_related("survey", "survey__service").order_by("-closes_on", "-pk"))
    found = []
    for wave in waves[:LATEST]:
        survey = wave.survey
        if survey.kind == Survey.Kind.BAROMETER:
            url = reverse("insights:barometer", args=[survey.slug])
        elif survey.service is not None:
            url = reverse("insights:value_card", args=[survey.service.slug])
        else:
            continue
        found.append(ClosedWave(survey=survey, name=wave.name, closes_on=wave.closes_on,
                                url=url))
    return found


def most_changed(rows: list[CardRow], count: int = LATEST) -> list[CardRow]:
    """The cards with a change, the largest (in absolute value) first."""
    sizes = [(abs(change["comparison"].value), row) for row in rows
             if (change := row.card.change) is not None]
    sizes.sort(key=lambda pair: (-pair[0], pair[1].service.name.casefold()))
    return [row for _size, row in sizes[:count]]


@read_once  # the usage figures' and the dashboards' reference rows, read once for the page
def overview(user: Any, today: dt.date) -> Overview:
    """The blocks of the insights home for ``user`` (a reader of every dashboard or an owner)."""
    found = Overview()
    services = dashboards.listed_services(access.card_services(user))
    cards = dashboards.value_cards(services) if services else None
    rows = cards.rows if cards is not None else []
    if access.reads_everything(user):
        found.headlines = headlines.headlines(user, today)
        found.barometers = queries.barometers(access.visible_surveys(user))
        found.waves = _latest_waves(user)
        found.changed = most_changed(rows)
    else:
        found.headlines = [*headlines.ticket_figures(user),
                           *headlines.adoption(user, [row.service for row in rows])]
        found.cards = rows
    found.as_of = cards.as_of if cards is not None else None
    return found
