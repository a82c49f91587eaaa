"""Importing the HR directory from a CSV file: people, business units, sites and job families.

The whole file is checked first and every error is collected; if there is any, nothing is
written. Otherwise everything is written in one transaction with bulk queries, so 100,000 lines
take seconds, not minutes. The package: ``reading`` (bytes to records and a header),
``checking`` (every rule, every error), ``writing`` (what the database holds, the plan of writes,
the writes), ``report`` (what an import tells).

File format:

- Encoding: UTF-8, with or without a BOM. Bytes that are not valid UTF-8 are read as Windows-1252,
  which is what French Excel writes for "CSV (séparateur : point-virgule)". A UTF-16 file with a
  BOM (Excel's "Unicode text") is read too. A file holding NUL characters (a workbook) is
  refused.
- Delimiter: comma, semicolon or tab, whichever appears most in the header line.
- Header: case, accents, surrounding spaces and spaces/hyphens inside names are ignored; French
  aliases are accepted (``matricule``, ``prénom``, ``nom``, ``courriel``…). An unknown, duplicate
  or missing required column is an error on line 1; only header errors are then reported, since
  every line would be read wrongly.
- Line numbers are physical lines (a quoted value spanning lines counts all of them). Blank lines
  (or lines of empty fields) are skipped.
- A column absent from the file leaves that field as it is for people already in the directory
  (new people get the default). An empty value in a present column means the default: French,
  active, no unit/site/job family/manager. ``*_name``, ``business_unit_parent``, ``site_city``
  and ``site_country`` are different: empty means "not given", so they never erase what is known.
- Units, sites and job families are found by code; unknown codes are created (named after the
  code when no name is given). When lines give a name, parent, city or country, they must agree.
  A ``business_unit_parent`` must be a unit of the file's ``business_unit`` column or of the
  directory.
- A file with a header and nobody after it is refused: it would deactivate everyone.
- Everyone in the file is active unless ``active`` says otherwise; with ``deactivate_missing``,
  active people absent from the file are deactivated. "deactivated" counts only those; a person
  the file marks inactive counts as "updated".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from phare.audit.actions import Action
from phare.audit.services import record
from phare.directory.importer.checking import check_file
from phare.directory.importer.reading import Source, decode, read
from phare.directory.importer.records import upsert_people
from phare.directory.importer.report import DirectoryImportError, ImportReport, Progress
from phare.directory.importer.writing import Plan, Snapshot, write
from phare.lib.imports import RowError

__all__ = ["DirectoryImportError", "ImportReport", "Progress", "RowError", "import_people",
           "upsert_people"]


def import_people(
    source: Source, *, deactivate_missing: bool = True, dry_run: bool = False,
    progress: Progress | None = None, user: Any = None, origin: str = "",
) -> ImportReport:
    """Check a directory CSV file, then create, update and deactivate people to match it.

    ``source`` is a path or a binary file object. ``progress(done, total, message)`` is called
    while checking lines and while writing. Raises :class:`DirectoryImportError` listing every
    error, in which case nothing is written. A dry run checks and counts, and writes nothing.
    ``user`` is who imports (None: the command line), for the audit trail; ``origin`` tells
    it where the people came from when not from a file ("ldap": the LDAP sync).
    """
    report_progress = progress or _no_progress
    text = decode(read(source))
    snapshot = Snapshot.load()
    checker = check_file(text, snapshot, report_progress)
    if checker.errors:
        raise DirectoryImportError(checker.errors)
    plan = Plan.make(checker, snapshot, deactivate_missing=deactivate_missing)
    plan.report.dry_run = dry_run
    if not dry_run:
        with transaction.atomic():
            write(plan, report_progress)
            record(action=Action.IMPORT, actor=user,
                   target=("directory.person", "", "Directory"),
                   details={**plan.report.as_dict(), **({"origin": origin} if origin else {})})
    return plan.report


def _no_progress(done: int, total: int, message: str) -> None:
    pass
