"""From bytes to records: decoding, the delimiter, physical line numbers and the header."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from os import PathLike
from typing import IO

from django.utils.translation import gettext

from phare.directory.importer.report import DirectoryImportError
from phare.lib import csvtext
from phare.lib.imports import RowError

Source = str | PathLike[str] | IO[bytes]

REQUIRED_COLUMNS = ("employee_id", "first_name", "last_name", "email")
OPTIONAL_COLUMNS = (
    "language", "business_unit", "business_unit_name", "business_unit_parent", "site",
    "site_name", "site_city", "site_country", "job_family", "job_family_name", "manager_id",
    "active",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Columns holding a code, which other columns describe ("site" for "site_name"…).
REF_KINDS = ("business_unit", "site", "job_family")
# Keys are header names as normalised by normalise() (lower case, no accents, "_" for spaces).
ALIASES = {
    "matricule": "employee_id", "prenom": "first_name", "nom": "last_name",
    "courriel": "email", "e_mail": "email", "mail": "email", "langue": "language",
    "entite": "business_unit", "unite": "business_unit", "manager": "manager_id",
    "responsable": "manager_id", "actif": "active",
}


def read(source: Source) -> bytes:
    # The whole file at once: the encoding is only known once every byte has been tried, and
    # a directory of 200,000 people is about 30 MB.
    if isinstance(source, str | PathLike):
        with open(source, "rb") as file:
            return file.read()
    data = source.read()
    return data.encode() if isinstance(data, str) else data


def decode(data: bytes) -> str:
    try:
        return csvtext.decode(data)
    except csvtext.TextError as exc:
        raise DirectoryImportError([RowError(exc.line, "", exc.reason)]) from None


def count_lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def records(text: str) -> Iterator[tuple[int, list[str] | None]]:
    return csvtext.records(text)


def normalise(word: str) -> str:
    """Lower case, without accents, spaces and hyphens as "_": ``Prénom`` → ``prenom``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                    if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", plain.strip().lower())


class Header:
    """The columns of the file: where each known column is and how the file spells it."""

    def __init__(self, fields: list[str], errors: list[RowError]) -> None:
        self.width = len(fields)
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for position, raw in enumerate(fields):
            name = raw.strip()
            key = ALIASES.get(normalise(raw), normalise(raw))
            if not name:
                errors.append(RowError(1, "", gettext("column %(number)d has no name")
                                       % {"number": position + 1}))
            elif key not in COLUMNS:
                errors.append(RowError(1, name, gettext(
                    "unknown column; the columns are: %(columns)s") % {
                    "columns": ", ".join(COLUMNS)}))
            elif key in self.index:
                errors.append(RowError(1, name, gettext(
                    "this column repeats column %(other)s") % {"other": self.names[key]}))
            else:
                self.index[key], self.names[key] = position, name
        for key in REQUIRED_COLUMNS:
            if key not in self.index:
                errors.append(RowError(1, key, gettext("this required column is missing")))
        for key in list(self.index):
            # site_name without site, for instance: the name of what?
            owner = next((kind for kind in REF_KINDS if key.startswith(f"{kind}_")), None)
            if owner and owner not in self.index:
                errors.append(RowError(1, self.names[key], gettext(
                    "this column needs column %(column)s") % {"column": owner}))

    def has(self, key: str) -> bool:
        return key in self.index
