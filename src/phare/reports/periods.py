"""The periods reports cover: quarters and months, as first and last days (model-free)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date

    @property
    def key(self) -> str:
        """``2026-Q3`` for a quarter, ``2026-07`` for a month: what a form sends."""
        if self.starts_on.month % 3 == 1 and (self.ends_on - self.starts_on).days > 40:
            return f"{self.starts_on.year}-Q{(self.starts_on.month - 1) // 3 + 1}"
        return f"{self.starts_on.year}-{self.starts_on.month:02d}"

    @property
    def short_label(self) -> str:
        """``Q3 2026`` for a quarter, the dates otherwise: a report's title."""
        if "Q" in self.key:
            return _("Q%(quarter)d %(year)d") % {
                "quarter": (self.starts_on.month - 1) // 3 + 1, "year": self.starts_on.year}
        return _("%(start)s to %(end)s") % {"start": self.starts_on.isoformat(),
                                           "end": self.ends_on.isoformat()}

    @property
    def label(self) -> str:
        if "Q" in self.key:
            quarter = (self.starts_on.month - 1) // 3 + 1
            return _("Q%(quarter)d %(year)d (%(start)s to %(end)s)") % {
                "quarter": quarter, "year": self.starts_on.year,
                "start": self.starts_on.isoformat(), "end": self.ends_on.isoformat()}
        return _("%(start)s to %(end)s") % {"start": self.starts_on.isoformat(),
                                           "end": self.ends_on.isoformat()}


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise ValueError(f"a quarter is numbered 1 to 4, not {number}")
    first = 3 * (number - 1) + 1
    return Period(dt.date(year, first, 1), _month_end(year, first + 2))


def month(year: int, number: int) -> Period:
    return Period(dt.date(year, number, 1), _month_end(year, number))


def quarter_of(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def last_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """The ``count`` quarters before the one ``today`` is in, the latest first."""
    found: list[Period] = []
    current = quarter_of(today)
    for _index in range(count):
        current = quarter_of(current.starts_on - dt.timedelta(days=1))
        found.append(current)
    return found


def previous(frequency: str, today: dt.date) -> Period:
    """The month or quarter that ended last before ``today``."""
    if frequency == "monthly":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return month(last.year, last.month)
    if frequency == "quarterly":
        return last_quarters(today, 1)[0]
    raise ValueError(f"unknown frequency {frequency!r}")


def parse(key: str) -> Period:
    """``2026-Q3`` or ``2026-07`` back to its period; ``ValueError`` naming what is wrong."""
    year_text, _sep, rest = key.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4 and rest):
        raise ValueError(f"{key!r} is not a period like 2026-Q3 or 2026-07")
    year = int(year_text)
    if rest.upper().startswith("Q") and rest[1:].isdigit():
        return quarter(year, int(rest[1:]))
    if rest.isdigit() and 1 <= int(rest) <= 12:
        return month(year, int(rest))
    raise ValueError(f"{key!r} is not a period like 2026-Q3 or 2026-07")
