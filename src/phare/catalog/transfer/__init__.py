"""Export and import of the whole catalogue, as an Excel workbook or as a .zip of CSV files.

The catalogue is five tables, named and laid out the same in both formats (``tables.TABLES``):

- ``families``: code, name_fr, name_en, description_fr, description_en, position.
- ``services``: slug, lifecycle, publication, then every field of the content dict
  (``content.FIELDS`` without the children): texts as they are (Markdown, line breaks
  included); ``audience_everyone`` 1 or 0; audience codes and related slugs separated by ", ";
  amounts as 12.50; owner and deputy as employee ids; replacement as a slug.
- ``commitments`` (service, text_fr, text_en, target, unit), ``faqs`` (service, question_fr,
  question_en, answer_fr, answer_en), ``news`` (service, date, title_fr, title_en, body_fr,
  body_en): one row per child, in the order the service shows them.

Excel: one sheet per table, named as the table. CSV: a .zip of ``families.csv``,
``services.csv``… (UTF-8 with a BOM, comma-separated). An import also takes a single plain CSV
file: the table named by the file name (``news.csv``), else ``services``.

Export: the current content of every service; families by position, services by slug, each
service's children in the order it shows them. Pending changes (an owner's proposed edits of a
published service) are not exported, and an import leaves them pending.

Import rules:

- Everything is checked first; any error and nothing is written (``CatalogImportError`` lists
  each one by table, spreadsheet row — the header is row 1 — column and reason).
- A table absent from the file leaves that part of the catalogue as it is: a services table
  alone leaves every family, commitment, FAQ and news entry unchanged.
- ``families`` creates and updates families; ``services`` creates and updates services. Neither
  deletes anything: a family or service absent from the file stays as it is.
- A child table present is authoritative for every service of the services table: a service of
  the services table with no row in ``commitments`` ends up with no commitments. Without a
  services table, a child table is authoritative for the services it names (which must exist).
- Every column of a table is required; an empty lifecycle or publication keeps the service's
  (a new service: proposed, draft). A different lifecycle must be an allowed move
  (``services.LIFECYCLE_TRANSITIONS``) and gets its own "lifecycle changed" history entry; a
  different publication is applied as given (published now sets the publication date) and
  appears among the changes of the "imported" entry.
- A service the file creates or changes is checked whole, as the edit form checks it
  (``content.check_content``); one the file leaves unchanged is not checked — the file did not
  touch it (an owner who has left does not block importing the rest).
- Related services go both ways: a change on either row is enough (see ``writing``).
- Each created or changed service gets one "imported" history entry with its field changes;
  unchanged services get nothing, so importing an export changes nothing. The search index is
  rebuilt once at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from phare.audit.actions import Action
from phare.audit.services import record as audit_record
from phare.catalog import access
from phare.catalog.transfer import csvzip, xlsx
from phare.catalog.transfer.checking import Checker
from phare.catalog.transfer.report import CatalogImportError, ImportReport, TableError
from phare.catalog.transfer.snapshot import Snapshot
from phare.catalog.transfer.tables import TABLES, Sheet, catalog_rows
from phare.catalog.transfer.writing import Plan, write

__all__ = ["CONTENT_TYPES", "CatalogImportError", "ImportReport", "TableError",
           "export_catalog", "export_filename", "import_catalog"]

Format = Literal["xlsx", "csv"]
CONTENT_TYPES: dict[str, str] = {"xlsx": xlsx.CONTENT_TYPE, "csv": csvzip.CONTENT_TYPE}


def export_catalog(fmt: Format) -> bytes:
    """The whole catalogue as an Excel workbook (``"xlsx"``) or a .zip of CSV files (``"csv"``)."""
    tables = catalog_rows(Snapshot.load())
    if fmt == "xlsx":
        return xlsx.write_workbook(tables)
    if fmt == "csv":
        return csvzip.write_archive(tables)
    raise ValueError(f"unknown export format: {fmt!r}")


def export_filename(fmt: Format, day: dt.date | None = None) -> str:
    """``catalogue-2025-03-01.xlsx`` or ``catalogue-2025-03-01.zip``."""
    day = day or timezone.localdate()
    return f"catalogue-{day.isoformat()}.{'xlsx' if fmt == 'xlsx' else 'zip'}"


def import_catalog(data: bytes, *, filename: str, user: Any,
                   dry_run: bool = False) -> ImportReport:
    """Check a catalogue file (.xlsx, .zip of CSV files, or one CSV file), then write it.

    ``user`` is who imports (a marketing lead or an administrator), or None for the command
    line. Raises :class:`CatalogImportError` listing every error, in which case nothing is
    written. A dry run checks and counts, and writes nothing.
    """
    if user is not None and not access.can_publish(user):
        raise PermissionDenied
    checker = Checker(read_sheets(data, filename), Snapshot.load())
    plan = Plan.make(checker)
    plan.report.dry_run = dry_run
    if not dry_run and plan.report.changed:
        from phare.catalog.search import reindex_all  # imported late, as services.py does

        with transaction.atomic():
            write(plan, user=user, note=gettext("imported from %(file)s") % {
                "file": posixpath.basename(filename)})
            reindex_all()
            audit_record(action=Action.IMPORT, actor=user,
                         target=("catalog.service", "", "Catalogue"),
                         details={"file": posixpath.basename(filename), **plan.report.as_dict()})
    return plan.report


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """The tables of a file, whatever its format, as text cells."""
    if data.startswith(b"PK\x03\x04") or zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if xlsx.is_workbook(archive):
                    return xlsx.read_workbook(data)
                return csvzip.read_archive(archive)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # damaged or encrypted
            raise CatalogImportError([TableError("", 0, "", gettext(
                "the file cannot be opened as a .zip or .xlsx file (%(error)s)") % {
                    "error": exc})]) from None
    stem = posixpath.basename(filename.replace("\\", "/")).rsplit(".", 1)[0].strip().lower()
    return [csvzip.read_csv(data, stem if stem in TABLES else "services")]
