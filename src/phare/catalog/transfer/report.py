"""What a catalogue import tells: its report when it worked, every error when it did not."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext

from phare.lib.imports import ImportFailed

TABLE_ORDER = ["families", "services", "commitments", "faqs", "news"]


@dataclass(frozen=True, slots=True)
class TableError:
    """One problem of the file: the table, the spreadsheet row (the header is row 1), the
    column as the export names it, and why. ``row`` is 0 for the file as a whole."""

    table: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        values = asdict(self)
        if not self.table:
            return self.reason
        if not self.row:
            if self.column:
                return gettext("%(table)s, %(column)s: %(reason)s") % values
            return gettext("%(table)s: %(reason)s") % values
        if not self.column:
            return gettext("%(table)s row %(row)d: %(reason)s") % values
        return gettext("%(table)s row %(row)d, column %(column)s: %(reason)s") % values


def _order(error: TableError) -> tuple[int, int]:
    table = TABLE_ORDER.index(error.table) if error.table in TABLE_ORDER else -1
    return table, error.row


class CatalogImportError(ImportFailed):
    """The file has errors and nothing was written; ``errors`` lists every one, by table, row."""

    order = staticmethod(_order)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``services_updated`` also counts services outside the file whose related services changed
    because a service of the file named (or stopped naming) them: relations go both ways.
    """

    tables: list[str] = field(default_factory=list)
    families_created: int = 0
    families_updated: int = 0
    families_unchanged: int = 0
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0
    lifecycle_changes: int = 0
    publication_changes: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.families_created or self.families_updated or self.services_created
                    or self.services_updated)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
