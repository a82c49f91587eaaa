"""Who to write to about a service, from what people did with it: the usage app's one
person-level read for targeting (the communication plan's audiences).

Pages never show it: usage figures about people go through the disclosure rules
(``queries.py``); this read only says who a message goes to — people holding a licence of a
service who have not used it lately, or the people who used it lately (the active users of a
retiring service). The store keys people by a pseudonym (``services.person_key``): they are
matched back to the directory here, as the imports and the licence figures do.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from phare.directory.models import Person
from phare.usage import engine
from phare.usage.models import Licence
from phare.usage.services import person_key

LICENSED_INACTIVE = "licensed_inactive"
ACTIVE = "active"
STATES = (LICENSED_INACTIVE, ACTIVE)


def max_days() -> int:
    """The longest look-back a targeting may ask for: raw events are kept this long (older
    months are folded into aggregates that no longer know anyone's last day)."""
    return int(settings.PHARE_USAGE_RETENTION_DAYS)


def people(*, service: int, state: str, days: int, today: dt.date | None = None) -> set[int]:
    """Directory ids of the people of ``state`` for the service (its primary key):

    - ``licensed_inactive``: holders of a licence of the service whose last activity on it is
      older than ``days`` days before ``today`` (or who never used it) — the rule of the
      licence figures (``queries.licence_use``), counted up to today: a message goes to
      people as they are now, it releases no figure;
    - ``active``: active people of the directory whose last activity on it is within the
      last ``days`` days (on or after ``today - days``).
    """
    if state not in STATES:
        raise ValueError(f"unknown usage state: {state!r}")
    if days < 1:
        raise ValueError("days must be at least 1")
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=days)
    last = engine.connect().last_active(service)
    recent = {key for key, day in zip(last["person"], last["last_day"], strict=True)
              if day is not None and day >= cutoff}
    if state == LICENSED_INACTIVE:
        holders = Licence.objects.filter(service_id=service).values_list("person_id", flat=True)
        return {pk for pk in holders if person_key(pk) not in recent}
    if not recent:
        return set()
    # The pseudonym is one-way: the directory's people are hashed to find the recent ones.
    directory = Person.objects.filter(active=True).values_list("pk", flat=True)
    return {pk for pk in directory.iterator(chunk_size=20_000) if person_key(pk) in recent}
