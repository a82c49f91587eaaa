"""Reads of the audit trail: the filtered entries for the page and the CSV export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from phare.audit.models import Entry


@dataclass(frozen=True)
class EntryFilter:
    """The page's filters; an empty field filters nothing. Dates are days in Phare's time zone,
    both included."""

    action: str = ""
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    target: str = ""

    def as_details(self) -> dict[str, str]:
        """The filters that were set, as text (what an export records it was made with)."""
        values = {"action": self.action, "actor": self.actor,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else "", "target": self.target}
        return {name: value for name, value in values.items() if value}


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(selection: EntryFilter) -> QuerySet[Entry]:
    """The entries matching ``selection``, newest first."""
    found = Entry.objects.all()
    if selection.action:
        found = found.filter(action=selection.action)
    if selection.actor:
        found = found.filter(actor_name__icontains=selection.actor)
    if selection.since:
        found = found.filter(at__gte=_start_of(selection.since))
    if selection.until:
        found = found.filter(at__lt=_start_of(selection.until + dt.timedelta(days=1)))
    if selection.target:
        text = selection.target
        kind, _, pk = text.partition(":")
        exact = Q(target_type=kind, target_id=pk) if pk else Q(target_type=text)
        found = found.filter(exact | Q(target_label__icontains=text) | Q(target_id=text))
    return found.order_by("-at", "-id")


def export_rows(selection: EntryFilter, *, chunk: int = 2000) -> Iterator[Entry]:
    """The matching entries one by one, read in chunks (a year of trail does not sit in
    memory)."""
    return entries(selection).iterator(chunk_size=chunk)
