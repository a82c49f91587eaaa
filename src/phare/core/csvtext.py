"""CSV files as people's tools save them: which encoding, which separator.

Excel writes UTF-8 (with a BOM), "Unicode text" (UTF-16 with a BOM) or, in French, Windows-1252
with semicolons. Every importer reads its bytes through :func:`decode` and picks its separator
with :func:`delimiter`, then reports a :class:`TextError` in its own error shape.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.utils.translation import gettext


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
    which ends the reading (the csv module cannot resynchronise after it)."""
    reader = csv.reader(physical_lines(text), delimiter=delimiter(text))
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield previous + 1, None
            return
        yield previous + 1, fields
        previous = reader.line_num


def physical_lines(text: str) -> Iterator[str]:
    """The text's lines, endings kept. Not ``str.splitlines()``: it also splits on \\x0c,
    \\u2028… and line numbers would drift from what an editor shows."""
    start = 0
    while (end := text.find("\n", start)) != -1:
        yield text[start:end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]
