"""What a directory import tells: its report when it worked, every error when it did not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from phare.lib.imports import ImportFailed

#: ``progress(done, total, message)``: called while checking lines, then while writing.
Progress = Callable[[int, int, str], None]


class DirectoryImportError(ImportFailed):
    """The file has errors and nothing was written; ``errors`` lists every one, by line."""

    order = staticmethod(lambda error: error.line)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do). ``lines``: people in the file."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    units_created: int = 0
    units_updated: int = 0
    sites_created: int = 0
    sites_updated: int = 0
    job_families_created: int = 0
    job_families_updated: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
