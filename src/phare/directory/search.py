"""Accent- and case-blind name search: "Helene" finds "Hélène", "EMILE" finds "Émile".

A search folds its words with :func:`fold` and compares them, with a plain ``LIKE``, to the
names folded by the database with :class:`Folded`: on PostgreSQL one ``TRANSLATE`` (built in,
no ``unaccent`` extension to install), on SQLite the function ``phare_fold`` registered on
every connection (:func:`register_sqlite`), which is :func:`fold` itself. No person is loaded
into Python to be compared: the database filters, and the page reads only the matches.

Why not a stored folded column: a ``LIKE '%word%'`` reads every row whatever the index, so a
copy of the names would only spare folding a few thousand short strings per search (a few
milliseconds), and every writer (the importer's raw ``UPDATE``, the demo's ``bulk_create``,
the admin) would have to keep it right. A generated column would keep itself, but SQLite's
parser refuses the 190 nested ``REPLACE`` it needs (its stack overflows past about 30).

Both sides use one table (:data:`FOLDS`): the Latin letters of Western and Central European
names, upper and lower case (SQLite's ``LOWER`` knows only ASCII), each to its ASCII letters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func

#: Letters that are not a base letter plus accents, and their ASCII spelling.
_SPECIAL = {"Æ": "ae", "æ": "ae", "Œ": "oe", "œ": "oe", "ß": "ss", "Ø": "o", "ø": "o",
            "Đ": "d", "đ": "d", "Ł": "l", "ł": "l", "Ħ": "h", "ħ": "h", "ı": "i", "Ð": "d",
            "ð": "d", "Þ": "th", "þ": "th", "ĸ": "k", "Ŋ": "n", "ŋ": "n", "Ŧ": "t", "ŧ": "t"}


def _folds() -> tuple[tuple[str, str], ...]:
    pairs = []
    for code in range(0xC0, 0x180):  # Latin-1 Supplement's letters and Latin Extended-A
        char = chr(code)
        if not char.isalpha():
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if c.isascii() and c.isalpha())
        ascii_ = _SPECIAL.get(char, base.lower())
        if ascii_:
            pairs.append((char, ascii_))
    return tuple(pairs)


#: Each accented or special letter, and the lower-case ASCII letters it is searched as.
FOLDS = _folds()
_TABLE = str.maketrans(dict(FOLDS))


def fold(text: str) -> str:
    """``text`` as the folded columns hold it: accents and case dropped."""
    return text.translate(_TABLE).lower()


class Folded(Func):
    """:func:`fold` in SQL, over one text expression."""

    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, function: str | None = None,
               template: str | None = None, arg_joiner: str | None = None,
               **extra_context: Any) -> tuple[str, Any]:
        raise NotImplementedError(f"no folding for {connection.vendor}")  # phare runs on two

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        inner, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({inner})", params

    def as_postgresql(self, compiler: Any, connection: Any,
                      **extra_context: Any) -> tuple[str, Any]:
        inner, params = compiler.compile(self.source_expressions[0])
        sql, params = inner, list(params)
        for char, ascii_ in _LONG:  # "œ" → "oe": TRANSLATE maps one letter to one
            sql = f"REPLACE({sql}, %s, %s)"
            params += [char, ascii_]
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, _FROM, _TO]


_LONG = [(char, ascii_) for char, ascii_ in FOLDS if len(ascii_) > 1]
_FROM = "".join(char for char, ascii_ in FOLDS if len(ascii_) == 1)
_TO = "".join(ascii_ for char, ascii_ in FOLDS if len(ascii_) == 1)

#: The name of :func:`fold` in SQLite.
SQLITE_FUNCTION = "phare_fold"


def _fold_or_null(text: str | None) -> str | None:
    return None if text is None else fold(str(text))


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection :func:`fold` (deterministic: the same name, the same
    answer, so SQLite may use it anywhere); connected to ``connection_created`` by the app."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _fold_or_null,
                                              deterministic=True)

