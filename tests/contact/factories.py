"""Contact-pressure test data: people in a unit, solicitations already received; two
senders racing for the same people."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections, transaction
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


def hold_then(first: Callable[[], Any], second: Callable[[], Any], *,
              seconds: float = 1.5) -> tuple[Any, Any]:
    """Run ``first`` in a transaction of its own thread, kept open ``seconds`` after it
    returns, and ``second`` in another thread as soon as ``first`` returned: the results of
    both. A sender that takes the people's locks (``contact.services.lock_people``) makes
    ``second`` wait for ``first`` to commit, and see what it recorded (PostgreSQL)."""
    returned = threading.Event()

    def hold() -> Any:
        try:
            with transaction.atomic():
                result = first()
                returned.set()
                time.sleep(seconds)
            return result
        finally:
            returned.set()
            connections.close_all()

    def then() -> Any:
        try:
            if not returned.wait(timeout=60):
                raise TimeoutError("the first sender never returned")
            return second()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        held, after = pool.submit(hold), pool.submit(then)
        return held.result(), after.result()
