"""Reads for the privacy pages: what is held about a person (counted), the last retention run."""

from __future__ import annotations

from dataclasses import dataclass

from phare.directory.models import Person
from phare.privacy import usage_events
from phare.privacy.holdings import archived, identity, rows
from phare.privacy.models import RetentionRun
from phare.privacy.services.access import CUSTOM


@dataclass(frozen=True)
class Held:
    """How many records a section of the person's archive holds."""

    section: str
    count: int


def held(person: Person) -> list[Held]:
    """The sections of the person's archive with their number of records (empty ones left
    out); records their account created at work are counted in ``work_records``."""
    who = identity(person)
    counts: dict[str, int] = {}
    for holding in archived():
        if holding.key in CUSTOM:
            count = len(CUSTOM[holding.key](who, holding))
        else:
            queryset = rows(holding, who)
            count = queryset.count() if queryset is not None else 0
        section = holding.section if holding.export else "work_records"
        counts[section] = counts.get(section, 0) + count
    counts["usage_events"] = len(usage_events.events(person.pk))
    return [Held(section, count) for section, count in sorted(counts.items()) if count]


def last_retention_run() -> RetentionRun | None:
    return RetentionRun.objects.order_by("-at", "-id").first()


def retention_runs(limit: int) -> list[RetentionRun]:
    """The last ``limit`` retention runs, the latest first."""
    return list(RetentionRun.objects.order_by("-at", "-id")[:limit])
