"""Accent- and case-blind people search: "Helene" finds "Hélène", "EMILE" finds "Émile", by
name, address or employee id, fast in a directory of 300,000 people.

**The keys.** :func:`fold` drops accents and case (one table, :data:`FOLDS`: the Latin letters
of Western and Central European names, each to its ASCII letters). Person's ``name_key``
("first last") and ``email_key`` are the names and the address folded *by the database*, as
generated columns: every writer (a save, the importer's raw ``UPDATE``, the demo's
``bulk_create``, an erasure's ``update``, SCIM and LDAP through the importer) gets them right
without knowing of them. :class:`Folded` is the fold in SQL: on PostgreSQL one ``TRANSLATE``
(built in, no ``unaccent`` to install), on SQLite the function ``phare_fold`` registered on
every connection (:func:`register_sqlite`), which is :func:`fold` itself. A SQLite connection
without it (the ``sqlite3`` shell) can read people but not write them.

**The match**, for each word of a search, every word required: the folded word within the
name key (or the address key, on the directory's list; never in the pickers, which do not
show addresses), or the word being the employee id, case aside (:func:`people_matching`). The
separator of the name key is a space and a word holds none, so a word matches within a first
or a last name, as before the keys.

**The indexes** (migration 0002). ``LIKE '%word%'`` can use no B-tree, so PostgreSQL has
trigram GIN indexes (``pg_trgm``) on both keys, which ``LIKE`` uses from three letters on, and
SQLite an FTS5 table with the trigram tokenizer for each key. Neither planner knows how many
people a word finds, nor that a surname's people stand together in the directory's order, so
:func:`people_matching` asks first (one query; at most :data:`COMMON` + 1 rows read per word,
:data:`COMMON_TOGETHER` + 1 when there are several): the rarest word, if rare enough, is
looked up in its index and its people sorted, the other words checked on them only; when
every word is common (or shorter than three letters), the people are read in the directory's
order (its index) and matched as they come, which soon fills a page when so many match.

**Counting** every match of a common word reads the whole directory; the list counts at most
:data:`COUNT_CAP` people (queries.PeoplePaginator) and says "more than".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Upper
from django.db.models.lookups import Exact

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



#: SQLite's trigram indexes of the two keys (migration 0002).
SQLITE_NAMES = "directory_person_names"
SQLITE_EMAILS = "directory_person_emails"
#: A trigram index finds words of at least this many letters.
TRIGRAM = 3
#: A word that more people than this match is not looked up in its index (see above).
COMMON = 5000
#: The same when a search has several words: together they may be rare though each is
#: common ("jean martin"), and reading in the directory's order would then read most of it.
COMMON_TOGETHER = 30_000
#: The directory's list counts at most this many matches of a search.
COUNT_CAP = 1000


#: The directory's order.
ORDER = ("last_name", "first_name", "employee_id")


@dataclass(frozen=True)
class Search:
    """How to find the people of a query: one filter per word, and the order to ask for."""

    filters: list[Q]
    order: tuple[Any, ...] = ORDER


def people_matching(q: str, *, emails: bool) -> Search:
    """One filter per word of ``q``: the person's names (``emails``: or address) hold the word,
    accents and case aside, or their employee id is the word, case aside; and the order.

    When a word is rare (:func:`_rarest`), its few people are found through its index and
    sorted. On PostgreSQL the order then names the last name as an expression the order's
    index does not serve (the same order): the planner, which cannot know that a surname's
    people stand together in that index, would otherwise read it from the top."""
    words = q.split()
    rarest = _rarest([fold(word) for word in words], emails=emails)
    filters = []
    for word in words:
        folded = fold(word)
        if folded == rarest and connection.vendor == "sqlite":
            found = _in_index(SQLITE_NAMES, folded)
            if emails:
                found |= _in_index(SQLITE_EMAILS, folded)
        else:
            found = Q(name_key__contains=folded)
            if emails:
                found |= Q(email_key__contains=folded)
        filters.append(found | Q(Exact(Upper("employee_id"), Upper(Value(word)))))
    if rarest is not None and connection.vendor == "postgresql":
        return Search(filters, (Concat("last_name", Value("")), *ORDER[1:]))
    return Search(filters)


def _in_index(table: str, folded: str) -> Q:
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s",
                           [_phrase(folded)]))


def _phrase(folded: str) -> str:
    """An FTS5 query for ``folded`` as a substring of the key: a quoted phrase (a quote
    doubled), whose trigrams must follow each other."""
    return '"' + folded.replace('"', '""') + '"'


def _rarest(words: list[str], *, emails: bool) -> str | None:
    """The word to look up in the trigram indexes: the rarest of those long enough, if few
    enough people have it (COMMON, or COMMON_TOGETHER beside other words). One query for all,
    reading no index past that; the other words are then checked on its people only."""
    long = sorted({word for word in words if len(word) >= TRIGRAM})
    if not long:
        return None
    limit = COMMON if len(set(words)) == 1 else COMMON_TOGETHER
    if connection.vendor == "sqlite":
        tables = [SQLITE_NAMES, SQLITE_EMAILS] if emails else [SQLITE_NAMES]
        counts = ["+".join(f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} "
                           f"MATCH %s LIMIT {limit + 1}))" for table in tables) for _w in long]
        params = [_phrase(word) for word in long for _table in tables]
    else:
        keys = ["name_key", "email_key"] if emails else ["name_key"]
        counts = ["(SELECT count(*) FROM (SELECT 1 FROM directory_person WHERE "
                  + " OR ".join(f"{key} LIKE %s" for key in keys)
                  + f" LIMIT {limit + 1}) AS w{n})" for n, _w in enumerate(long)]
        params = ["%" + connection.ops.prep_for_like_query(word) + "%"
                  for word in long for _key in keys]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        row = cursor.fetchone()
    count, rarest = min(zip(row, long, strict=True))
    return rarest if count <= limit else None
