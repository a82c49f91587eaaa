"""CSV files as people's tools save them: which encoding, which separator.

Excel writes UTF-8 (with a BOM), "Unicode text" (UTF-16 with a BOM) or, in French, Windows-1252
with semicolons. Every importer reads its bytes through :func:`decode` and picks its separator
with :func:`delimiter`, then reports a :class:`TextError` in its own error shape.

Every CSV Phare writes goes through :func:`csv_writer`, whose cells pass :func:`safe_cell` (no
formula injection); the readers take the guard off again with :func:`unguard`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext

#: What makes a spreadsheet read a cell as a formula (OWASP's list, tab and CR included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str) -> bool:
    # A text that already starts with the guard before a formula start is guarded again, so
    # that unguard(safe_cell(x)) == x for every text, even one typed as "'=1+1".
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _guarded(text[1:]))


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe, which spreadsheets show as text (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``). The rule
    looks at the type, not at the characters: a number (``int``, ``float``, ``Decimal``) is left
    as it is, so ``-3`` stays a negative number, while the *text* ``"-3"`` — a person's answer, a
    title — is guarded like any other text. Anything else (None, dates) is left to the writer.
    """
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """A cell as Phare wrote it, without the apostrophe :func:`safe_cell` added."""
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


class SafeWriter:
    """``csv.writer`` whose rows pass through :func:`safe_cell`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **options: Any) -> SafeWriter:
    """The one way Phare writes CSV: ``csv.writer(stream, **options)`` with guarded cells
    (CRLF line ends by default, as Excel expects)."""
    options.setdefault("lineterminator", "\r\n")
    return SafeWriter(stream, **options)


class TextError(ValueError):
    """The bytes are not CSV text; ``line`` (1-based) is where the problem is."""

    def __init__(self, reason: str, *, line: int) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-16 with a BOM, UTF-8 (BOM or not), else Windows-1252."""
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else [
        "utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            failure = exc
    else:
        raise TextError(gettext(
            "the file is neither UTF-8 nor Windows-1252 text (byte 0x%(byte)02X cannot be read)"
        ) % {"byte": data[failure.start]}, line=data.count(b"\n", 0, failure.start) + 1)
    if "\x00" in text:
        # A workbook or other binary file: PostgreSQL would refuse these characters anyway.
        raise TextError(gettext(
            "the file contains NUL characters, so it is not CSV text (an Excel workbook? Save "
            "it as CSV)"), line=text.count("\n", 0, text.index("\x00")) + 1)
    # Old Mac files end lines with CR alone, which the csv module rejects outside quotes.
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    return text


def delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most (ties: the comma)."""
    header = text[:text.find("\n")] if "\n" in text else text
    return max((",", ";", "\t"), key=header.count)


def records(text: str) -> Iterator[tuple[int, list[str] | None]]:
    """(first physical line, fields) for each record; fields is None for an unreadable record,
    which ends the reading (the csv module cannot resynchronise after it). Fields are unguarded:
    Phare reads back its own exports unchanged."""
    return records_with(text, delimiter(text))


def physical_lines(text: str) -> Iterator[str]:
    """The text's lines, endings kept. Not ``str.splitlines()``: it also splits on \\x0c,
    \\u2028… and line numbers would drift from what an editor shows."""
    start = 0
    while (end := text.find("\n", start)) != -1:
        yield text[start:end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


#: Characters a header name may carry that no one typed: byte-order marks (a BOM inside the
#: first quoted name, or one written twice), zero-width spaces and non-breaking spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200e\u200f"), None)


def clean_name(name: str) -> str:
    """A header name without invisible marks nor surrounding spaces; a UTF-8 BOM read as
    Windows-1252 text ("ï»¿") is taken off too."""
    name = name.translate(_INVISIBLE).replace("\u00a0", " ")
    while name.startswith("ï»¿"):
        name = name[3:]
    return name.strip().strip('"').strip()


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, whichever the header line holds most *outside quotes* (a
    quoted name such as "Caller, email" does not count); ties: the comma."""
    header = text[:text.find("\n")] if "\n" in text else text
    bare = re.sub(r'"[^"]*"', "", header)
    return max((",", ";", "\t"), key=bare.count)


def records_with(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """:func:`records` with the separator given (see :func:`sniff_delimiter`)."""
    reader = csv.reader(physical_lines(text), delimiter=delimiter)
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield previous + 1, None
            return
        yield previous + 1, [unguard(value) for value in fields]
        previous = reader.line_num
