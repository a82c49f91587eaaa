"""The catalogue as CSV: a .zip of one file per table, or a single table as plain CSV.

Writing: UTF-8 with a BOM (so Excel shows accents right), comma-separated, CRLF line ends, values
quoted when they hold a comma, a quote or a line break. Reading accepts what Excel writes back:
UTF-8 with or without a BOM, Windows-1252 (French Excel's "CSV (séparateur : point-virgule)"),
UTF-16 with a BOM; comma, semicolon or tab, whichever appears most in the header line.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile

from django.utils.translation import gettext

from phare.catalog.transfer.report import CatalogImportError, TableError
from phare.catalog.transfer.tables import TABLES, Rows, Sheet
from phare.lib import csvtext

CONTENT_TYPE = "application/zip"
#: Refuse archives that would unpack to more than this (a catalogue of 5,000 services: ~10 MB).
MAX_UNPACKED = 200 * 1024 * 1024


def write_archive(tables: dict[str, Rows]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in TABLES.items():
            archive.writestr(f"{name}.csv", write_csv([columns, *tables[name]]))
    return output.getvalue()


def write_csv(rows: Rows) -> bytes:
    text = io.StringIO()
    csvtext.csv_writer(text).writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def read_archive(archive: zipfile.ZipFile) -> list[Sheet]:
    members = [info for info in archive.infolist() if not info.is_dir()
               # What macOS and editors add beside the files.
               and not info.filename.startswith("__MACOSX/")
               and not posixpath.basename(info.filename).startswith(".")]
    if sum(info.file_size for info in members) > MAX_UNPACKED:
        raise _file_error(gettext("the archive is too large once unpacked"))
    sheets = []
    for info in members:
        base = posixpath.basename(info.filename)
        if not base.lower().endswith(".csv"):
            raise _file_error(gettext(
                "%(name)s: the archive should hold only CSV files (%(tables)s)") % {
                    "name": info.filename, "tables": ", ".join(f"{t}.csv" for t in TABLES)})
        sheets.append(read_csv(archive.read(info), base[:-4]))
    return sheets


def read_csv(data: bytes, name: str) -> Sheet:
    text = decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csvtext.delimiter(text))
    try:
        # Cells as they were before the export guarded them against formula injection.
        return Sheet(name, [[csvtext.unguard(cell) for cell in row] for row in reader])
    except csv.Error as exc:
        # Only a stray quote gets here; the row is the one after the last complete record.
        raise CatalogImportError([TableError(name, reader.line_num, "", gettext(
            "this row cannot be read as CSV (%(error)s)") % {"error": exc})]) from None


def decode(data: bytes, name: str) -> str:
    try:
        return csvtext.decode(data)
    except csvtext.TextError as exc:
        raise CatalogImportError([TableError(name, 0, "", exc.reason)]) from None


def _file_error(reason: str) -> CatalogImportError:
    return CatalogImportError([TableError("", 0, "", reason)])
