"""Who was active on a service in a window of days: the outcome of an action, person by person.

The usage store keys people by pseudonym (``services.person_key``); the measure of an action
(``comms.results``) needs to know, for the people it reached and the others, who used a
service in the 30 days before and after it. This module runs that one question through the
analytics engine (DuckDB or Spark: ``engine.active_between``) and maps the
pseudonyms back to the directory's people.

What it returns is about individuals and is never shown as such: callers compare groups and
release them through the disclosure rules (``docs/PRIVACY.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from phare.directory.models import Person
from phare.usage import engine, store
from phare.usage.services import person_key


class UsageNotKept(store.StoreError):
    """The window reaches months whose events were folded into monthly aggregates: who was
    active in them person by person is no longer known."""


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months holding a day of [start, end)."""
    out, month = [], start.replace(day=1)
    while month < end:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _pseudonyms(service_id: int, start: dt.date, end: dt.date, kind: str | None) -> set[str]:
    months = _months(start, end)
    folded = sorted(set(months) & set(store.purged_months()))
    if folded:
        raise UsageNotKept(_(
            "Usage before %(month)s was folded into monthly figures (retention): who was "
            "active then is no longer known person by person.")
            % {"month": (folded[-1] + dt.timedelta(days=32)).replace(day=1).isoformat()})
    wanted = [month for month in months if month in set(store.months())]
    if not wanted:
        return set()
    usage = engine.connect(kind)
    before = store.fingerprint()
    try:
        return _run(usage, wanted, service_id, start, end)
    except Exception:
        # The files were replaced by a write while they were read: once more, on the new ones.
        if store.fingerprint() == before:
            raise
        return _run(usage, wanted, service_id, start, end)


def _run(usage: engine.Engine, months: list[dt.date], service_id: int, start: dt.date,
         end: dt.date) -> set[str]:
    return set(usage.active_people(service_id, start, end)["person"])


def active_people(service_id: int, *, start: dt.date, end: dt.date,
                  among: Iterable[int] | None = None, kind: str | None = None) -> set[int]:
    """The directory's people (ids) active on the service on a day in [start, end).

    ``among`` limits the answer to these people (only their pseudonyms are computed); by
    default every person of the directory, active or not. ``kind`` names the engine
    (``PHARE_ANALYTICS_ENGINE`` by default). Raises :class:`UsageNotKept` when the window
    reaches months already folded by the retention, and ``ValueError`` for an empty window.
    """
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ValueError("start, end: must be dates")
    if end <= start:
        raise ValueError(f"end: must come after start ({start.isoformat()}), got "
                         f"{end.isoformat()}")
    found = _pseudonyms(int(service_id), start, end, kind)
    if not found:
        return set()
    ids = (Person.objects.values_list("pk", flat=True) if among is None
           else sorted(set(among)))
    return {pk for pk in ids if person_key(pk) in found}
