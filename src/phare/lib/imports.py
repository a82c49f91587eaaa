"""What every Phare import shares: one error carrying every problem of the file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext, ngettext


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in a file: where it is (physical line, the header being line 1; the column
    as the file names it) and why."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return gettext("line %(line)d: %(reason)s") % asdict(self)
        return gettext("line %(line)d, column %(column)s: %(reason)s") % asdict(self)


class ImportFailed(Exception):
    """The file has errors and nothing was written; ``errors`` lists every one, in file order.

    Each importer subclasses it with the key that orders its errors; the sort is stable, so the
    errors of one line keep the order they were found in (column by column).
    """

    order: Callable[[Any], Any] = staticmethod(lambda error: 0)

    def __init__(self, errors: Iterable[Any]) -> None:
        self.errors = sorted(errors, key=self.order)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        return ngettext("The file has %(count)d error; nothing was imported.",
                        "The file has %(count)d errors; nothing was imported.",
                        count) % {"count": count}
