"""The solicitations other apps record in their own tables, counted in the contact budget.

The ``Solicitation`` ledger holds what is claimed through :func:`phare.contact.services.claim`
(campaign emails, event invitations, notices). An app that records its messages elsewhere
(listening: its survey and ticket-rating invitations) registers, in its ``AppConfig.ready()``,
a counter the policy adds to the ledger: contact never imports the apps above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

#: ``fn(person_ids, start, end) -> {person_id: n}``: how many solicitations each of these
#: people received in ``[start, end)`` (people with none may be left out). Called with at most
#: 5,000 people at a time; one or two queries, whatever their number.
Counter = Callable[[list[int], dt.datetime, dt.datetime], dict[int, int]]

_COUNTERS: dict[str, Counter] = {}


def register_counter(name: str, fn: Counter) -> None:
    """Count ``fn``'s solicitations in every person's budget (registering a name again
    replaces its counter)."""
    _COUNTERS[name] = fn


def counters() -> dict[str, Counter]:
    """The registered counters, by name."""
    return dict(_COUNTERS)
