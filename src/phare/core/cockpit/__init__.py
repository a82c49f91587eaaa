"""The cockpit: each role's home page, saying what to do next.

:func:`cockpit_for` gathers, for one user, the blocks of their home — headline figures read
from the modules that release them (:mod:`.headlines`), the to-do list computed from the data
(:mod:`.todo`), their own services, needs and surveys and the recent activity
(:mod:`.people`). Reads only; each block is empty (and the page says so or leaves it out)
when its module has no data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from phare.accounts.roles import Role
from phare.catalog.models import Service
from phare.comms import objectives
from phare.comms.models import Objective
from phare.comms.queries import NewsItem, portal_news
from phare.core.cockpit import headlines, people, todo
from phare.core.cockpit.headlines import Headline
from phare.core.cockpit.people import Event, OpenSurvey, OwnedService
from phare.core.cockpit.todo import Todo
from phare.lib.cache import read_once
from phare.needs.models import Need, Vote

__all__ = ["Cockpit", "Event", "Headline", "OpenSurvey", "OwnedService", "Todo", "cockpit_for"]


@dataclass
class Cockpit:
    """Everything one role's home shows (blocks another role does not see stay empty)."""

    role: str
    headlines: list[Headline] = field(default_factory=list)
    objectives: list[tuple[Objective, objectives.Live]] = field(default_factory=list)
    todo: list[Todo] = field(default_factory=list)
    decisions: list[Todo] = field(default_factory=list)
    activity: list[Event] = field(default_factory=list)
    costliest: list[tuple[Service, str]] = field(default_factory=list)
    owned: list[OwnedService] = field(default_factory=list)
    needs_about: list[Need] = field(default_factory=list)
    popular: list[Service] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    my_needs: list[Need] = field(default_factory=list)
    my_votes: list[Vote] = field(default_factory=list)
    surveys: list[OpenSurvey] = field(default_factory=list)


@read_once  # the usage figures' and the dashboards' reference rows, read once for the page
def cockpit_for(user: Any, *, language: str, today: dt.date | None = None) -> Cockpit:
    """The blocks of ``user``'s home, by role (an administrator's home keeps the directory's
    figures: only the to-do items that concern administrators are here)."""
    today = today or timezone.localdate()
    role = user.role
    found = Cockpit(role=role)
    person = user.person
    if role == Role.ADMIN:
        found.todo = todo.admin(user)
    elif role == Role.MARKETING:
        found.headlines = headlines.headlines(user, today)
        found.objectives = headlines.plan_objectives(user, today)
        found.todo = todo.marketing(user, today)
        found.activity = people.recent_activity()
    elif role == Role.EXECUTIVE:
        found.headlines = headlines.headlines(user, today)
        found.objectives = headlines.plan_objectives(user, today)
        found.decisions = todo.actions_to_approve(user, executive=True)
        found.costliest = people.costliest_services(user)
    elif role == Role.OWNER:
        found.owned = people.owned_services(user)
        services = [o.service for o in found.owned]
        found.headlines = [*headlines.ticket_figures(user), *headlines.adoption(user, services)]
        found.needs_about = people.needs_about(services, person)
    if role in (Role.EMPLOYEE, Role.OWNER):
        found.popular = people.popular_services(person, today=today)
        found.news = portal_news(language=language, today=today)[:3]
        found.my_needs = people.my_needs(person)
        found.my_votes = list(people.my_votes(person))
        found.surveys = people.open_surveys(person, today)
    return found
