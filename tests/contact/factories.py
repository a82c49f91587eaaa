"""Contact-pressure test data: people in a unit, solicitations already received."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from phare.contact.models import Category, Solicitation
from phare.directory.models import Person
from tests.directory.factories import make_person

_references = itertools.count(1)


def make_people(org: dict[str, Any], n: int, *, prefix: str = "K", unit: Any = None
                ) -> list[Person]:
    """``n`` people of ``org`` (in ``unit``, the IT unit by default)."""
    return [make_person(org, f"{prefix}{i:05d}", f"First{i}", f"{prefix}Last{i}",
                        business_unit=unit or org["dsi"])
            for i in range(1, n + 1)]


def solicit(person: Person, n: int = 1, *, category: str = Category.NEWSLETTER,
            days_ago: float = 1, mandatory: bool = False, source: str = "test"
            ) -> list[Solicitation]:
    """``n`` solicitations ``person`` received ``days_ago`` days ago (written straight into the
    ledger, as a sender's claims would be)."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    return [Solicitation.objects.create(person=person, category=category, mandatory=mandatory,
                                        source=source, reference=f"r{next(_references)}", at=at)
            for _ in range(n)]
