"""What a usage file becomes once read: plain records, before anyone is matched or written.

The readers (:mod:`phare.usage.sources`) turn a file into a :class:`Reading`; the import
service matches its people to the directory and its products to catalogue services, then the
store (:mod:`phare.usage.store`) merges the activity into Parquet. Nothing here touches the
database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from phare.lib.imports import RowError

#: The sources ``phare import-usage --source`` accepts (``auto`` detects one from the headers).
SOURCES = ("m365-active-users", "m365-teams", "m365-email", "m365-onedrive", "m365-sharepoint",
           "events", "licences")

#: Metric of a row that says "this person used this product on this day".
ACTIVE = "active"


# Not frozen: a 200,000-row report makes over a million of these, and a frozen dataclass costs
# five times as much to create.
@dataclass(slots=True)
class Activity:
    """One person's use of one product on one day.

    ``person`` is the identifier as the file gives it (an email/UPN, lower-cased, or an
    employee id); ``product`` is a service slug for events, or an M365 product key
    (``m365:exchange``, ``m365:onedrive``, ``m365:sharepoint``, ``m365:skype``,
    ``m365:yammer``, ``m365:teams``) that the lead maps to a catalogue service.
    ``metric`` is :data:`ACTIVE` (``value`` 1) or a depth figure (``teams.chat_messages``,
    ``teams.meetings``, ``teams.calls``, ``email.sent``…), whose ``value`` covers
    ``period_days`` days ending on ``day`` (1 for an event). ``duration`` is in seconds."""

    line: int
    person: str
    product: str
    day: dt.date
    metric: str = ACTIVE
    value: float = 1.0
    duration: float | None = None
    period_days: int = 1


@dataclass(slots=True)
class Licence:
    """A person holds a licence (a seat) of a product since ``assigned_on`` (when known)."""

    line: int
    person: str
    product: str
    assigned_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Seats:
    """A service's seats: how many were bought and what one costs per month."""

    line: int
    product: str
    seats: int | None
    cost_per_seat: float | None
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class TenantCount:
    """A tenant-level count from a report whose names are concealed: ``metric`` is
    ``licensed`` or ``active`` (active within the report's period ending on ``day``)."""

    product: str
    day: dt.date
    metric: str
    value: int
    period_days: int


@dataclass(slots=True)
class Reading:
    """A file read and checked: its records, or the errors that refuse it (then nothing is
    written). ``rows_read`` counts data lines; ``refused`` counts lines with an error."""

    source: str
    rows_read: int = 0
    report_date: dt.date | None = None
    period_days: int | None = None
    concealed: bool = False
    activities: list[Activity] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    seats: list[Seats] = field(default_factory=list)
    tenant_counts: list[TenantCount] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Lines the reader skipped on purpose, with why (deleted accounts…): counted, not errors.
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def refused(self) -> int:
        return len({error.line for error in self.errors})
