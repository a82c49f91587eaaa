"""Communication test data: people in numbers, a plan, audiences and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from phare.comms.models import Action, Audience, Objective, Plan
from phare.directory.models import Person
from tests.directory.factories import make_person


def make_people(org: dict[str, Any], n: int, *, prefix: str = "P", unit: Any = None,
                language: str = "fr", **extra: Any) -> list[Person]:
    """``n`` people of ``org`` (in ``unit``, the IT unit by default), numbered from 1."""
    return [make_person(org, f"{prefix}{i:05d}", f"First{i}", f"{prefix}Last{i}",
                        business_unit=unit or org["dsi"], language=language, **extra)
            for i in range(1, n + 1)]


def make_plan(user: Any = None, **extra: Any) -> Plan:
    values: dict[str, Any] = {"name": "Plan 2027", "starts_on": dt.date(2027, 1, 1),
                              "ends_on": dt.date(2027, 12, 31), "created_by": user}
    values.update(extra)
    return Plan.objects.create(**values)


def make_objective(plan: Plan, title: str = "Faire connaître le catalogue", **extra: Any
                   ) -> Objective:
    return Objective.objects.create(plan=plan, title=title, **extra)


def make_audience(criteria: dict[str, Any] | None = None, name: str = "Sales",
                  **extra: Any) -> Audience:
    return Audience.objects.create(name=name, criteria=criteria or {}, **extra)


def make_action(plan: Plan, title: str = "Lancement de Teams", **extra: Any) -> Action:
    values: dict[str, Any] = {"starts_on": plan.starts_on, "channel": Action.Channel.EMAIL,
                              "subject_fr": "Bonjour {first_name}",
                              "subject_en": "Hello {first_name}",
                              "body_fr": "Découvrez [le portail](https://intranet.example.com/).",
                              "body_en": "Discover [the portal](https://intranet.example.com/).",
                              "languages": ["fr", "en"]}
    values.update(extra)
    services = values.pop("services", [])
    contributors = values.pop("contributors", [])
    action = Action.objects.create(plan=plan, title=title, **values)
    if services:
        action.services.set(services)
    if contributors:
        action.contributors.set(contributors)
    return action
