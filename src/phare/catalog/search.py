"""Catalogue search that forgives: accents, case, plurals, keywords; ranked and highlighted.

How it works, and why:

- **Words are prepared in Python, the same way for texts and queries**, so SQLite and PostgreSQL
  behave alike and PostgreSQL needs no ``unaccent`` extension (whose ``CREATE EXTENSION`` needs
  rights a production database may not grant). A word is lower-cased, its accents removed
  (Unicode NFKD) and stemmed with Snowball; it is indexed under each of those forms
  (``Imprimantes`` → ``imprimantes imprim``). French texts get the French stem, English texts
  the English one, keywords and queries both, so "imprimantes", "imprimer", "printers" or
  "ordinateur" find their relatives in either language. Words are stemmed both with and without
  their accents because Snowball's French rules read accents ("sécurités" and "securites" do not
  stem alike): keeping both stems lets a query typed without accents meet a text written with
  them.
- **The database ranks**: SQLite's FTS5 (``bm25`` with column weights) and PostgreSQL's text
  search (``tsvector`` weighted A/B/C/D under the ``simple`` configuration, a GIN index,
  ``ts_rank_cd``). Name weighs most, then the promise, then keywords and family names, then the
  description, how to get it, FAQ and commitments. Table and triggers: migration ``0002_search``.
- **Every word of the query must match** (the last one also as a prefix, for search-as-you-type);
  when that finds nothing, any word may match, so a sentence typed in the box still finds
  something. Common French and English little words are left out of queries.
- **Audience rules come from the caller**: ``within`` is ``portal_services(person)`` or
  ``services_visible_to(user)``; the index holds every service and only ranks.
- **Deleted services leave the index** through a database trigger (a foreign key would stop
  Django's test flush, which TRUNCATEs ``catalog_service`` on PostgreSQL). Even a stale row could
  not surface: hits are restricted to ``within``, and service ids are never reused.
- Highlighting happens in Python on the original texts: a word is marked when one of its forms is
  one the query looks for.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import snowballstemmer
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from phare.catalog.content import content_of
from phare.catalog.models import OfferFamily, Service

TABLE = "catalog_search"
#: Longest query read; the rest of a pasted text is ignored.
MAX_QUERY = 200
#: Words of a query used at most (each becomes a group of alternatives in the database query).
MAX_WORDS = 12
#: The last word typed is also looked up as a prefix once it has this many letters.
MIN_PREFIX = 3
SNIPPET_LENGTH = 160

# Column weights: name, then promise and keywords alike (keywords are, by definition, the words
# people type: "vpn" must rank the remote-access service above a page that mentions a VPN), then
# everything else. FTS5's bm25 takes one weight per column; PostgreSQL's ts_rank_cd {D, C, B, A}.
SQLITE_WEIGHTS = (8.0, 4.0, 4.0, 1.0)
POSTGRES_WEIGHTS = "{0.125, 0.5, 0.5, 1.0}"

#: Little words left out of queries (not out of texts): "comment se connecter à distance" must
#: not require a service to say "comment" and "à".
STOP_WORDS = frozenset({
    "a", "au", "aux", "avec", "c", "ce", "ces", "comment", "d", "dans", "de", "des", "du",
    "en", "est", "et", "il", "j", "je", "l", "la", "le", "les", "leur", "m", "ma", "me",
    "mes", "mon", "n", "ne", "nos", "notre", "on", "ou", "par", "pas", "pour", "qu", "que",
    "qui", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton", "un", "une",
    "vos", "votre", "y",
    "an", "and", "are", "at", "be", "by", "can", "do", "for", "from", "how", "i", "in", "is",
    "it", "my", "of", "or", "the", "to", "what", "with", "you", "your",
})

_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_URL = re.compile(r"<?https?://[^\s>]+>?")
_MD_LINE_MARK = re.compile(r"^\s*(?:#{1,6}|>|[-*+]|\d+[.)])\s+", re.MULTILINE)
# Underscores inside a word ("file_name") are kept: they split words for the index too.
_MD_EMPHASIS = re.compile(r"[*`~|]+|(?<!\w)_+|_+(?!\w)")

_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}
# Snowball's pure-Python stemmers keep their state on the instance: one thread at a time.
_STEM_LOCK = threading.Lock()


@dataclass(frozen=True)
class SearchHit:
    """One service found, its relevance and its texts with the matching words marked."""

    service: Service
    score: float
    highlights: dict[str, str] = field(default_factory=dict)


# --- Preparing words -------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents: "Télétravail" → "teletravail", "Œuvre" → "oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(language: str, word: str) -> str:
    with _STEM_LOCK:
        return _STEMMERS[language].stemWord(word)


def _forms(word: str, languages: tuple[str, ...]) -> frozenset[str]:
    """The indexed forms of one word: folded, and its stems (with and without accents), folded."""
    return _lower_forms(word.casefold(), languages)


# The caches matter: Snowball in pure Python takes ~50 µs a word, and a catalogue's vocabulary
# is small (tens of thousands of words) next to its number of words.
@lru_cache(maxsize=100_000)
def _lower_forms(lower: str, languages: tuple[str, ...]) -> frozenset[str]:
    folded = fold(lower)
    candidates = {folded}
    # Words with digits ("o365", "win11") have no stem worth finding.
    if not any(c.isdigit() for c in lower):
        for language in languages:
            candidates.add(fold(_stem(language, lower)))
            if folded != lower:
                candidates.add(fold(_stem(language, folded)))
    # Folding can split a character into several ("½" → "1⁄2"): keep word characters only.
    return frozenset(part for form in candidates for part in _WORD.findall(form))


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if len(w) <= 60]


@lru_cache(maxsize=100_000)
def _indexed_word(lower: str, languages: tuple[str, ...]) -> str:
    """One word as the index stores it: its folded form, then its other forms."""
    first = fold(lower)
    return " ".join(sorted(_lower_forms(lower, languages),
                           key=lambda form: (form != first, form)))


def _prepared(text: str, languages: tuple[str, ...]) -> str:
    """Text as the index stores it (cached per word: a catalogue has a small vocabulary)."""
    return " ".join([_indexed_word(word.casefold(), languages) for word in _words(text)])


def _without_addresses(markdown: str) -> str:
    """Markdown with link targets and bare addresses taken out (words of "https://…" are noise).

    The rest of Markdown's marks are punctuation, which indexing skips anyway.
    """
    if "](" in markdown:
        markdown = _MD_LINK.sub(r"\1", markdown)
    if "://" in markdown:
        markdown = _MD_URL.sub(" ", markdown)
    return markdown


def plain(markdown: str) -> str:
    """Markdown as readable one-line text (links keep their words, marks and addresses go)."""
    text = _MD_LINE_MARK.sub("", _without_addresses(markdown))
    return " ".join(_MD_EMPHASIS.sub("", text).split())


# --- Indexing --------------------------------------------------------------------------------

FR, EN, BOTH = ("fr",), ("en",), ("fr", "en")


def _columns(data: Mapping[str, Any], family: OfferFamily) -> tuple[str, str, str, str]:
    """(name, promise, keywords, body) prepared from a content dict shaped as ``content_of``."""

    def both(fr: str, en: str) -> str:
        return f"{_prepared(fr, FR)} {_prepared(en, EN)}".strip()

    text = _without_addresses
    body_fr = [text(data["description_fr"]), text(data["how_to_get_fr"])]
    body_en = [text(data["description_en"]), text(data["how_to_get_en"])]
    for faq in data["faqs"]:
        body_fr += [faq["question_fr"], text(faq["answer_fr"])]
        body_en += [faq["question_en"], text(faq["answer_en"])]
    for commitment in data["commitments"]:
        body_fr.append(commitment["text_fr"])
        body_en.append(commitment["text_en"])
    keywords = f"{_prepared(data['keywords'], BOTH)} {both(family.name_fr, family.name_en)}"
    return (both(data["name_fr"], data["name_en"]),
            both(data["promise_fr"], data["promise_en"]),
            keywords.strip(),
            both(" ".join(body_fr), " ".join(body_en)))


def _indexed_content(service: Service) -> dict[str, Any]:
    """The part of ``content_of`` the index reads, from prefetched rows (for bulk reindexing)."""
    data: dict[str, Any] = {
        name: getattr(service, name)
        for name in ("name_fr", "name_en", "promise_fr", "promise_en", "description_fr",
                     "description_en", "how_to_get_fr", "how_to_get_en", "keywords")}
    data["faqs"] = [{"question_fr": f.question_fr, "question_en": f.question_en,
                     "answer_fr": f.answer_fr, "answer_en": f.answer_en}
                    for f in service.faqs.all()]
    data["commitments"] = [{"text_fr": c.text_fr, "text_en": c.text_en}
                           for c in service.commitments.all()]
    return data


def _write(rows: list[tuple[int, str, str, str, str]], *, using: str,
           only: int | None) -> None:
    """Replace the index row of service ``only`` (every row when None) with ``rows``."""
    connection = connections[using]
    vendor = connection.vendor
    key = {"sqlite": "rowid", "postgresql": "service_id"}.get(vendor)
    if key is None:
        raise NotImplementedError(f"catalogue search supports SQLite and PostgreSQL, not {vendor}")
    if vendor == "sqlite":
        insert = (f"INSERT INTO {TABLE} (rowid, name, promise, keywords, body) "
                  "VALUES (%s, %s, %s, %s, %s)")
    else:
        insert = (f"INSERT INTO {TABLE} (service_id, document) VALUES (%s, "
                  "setweight(to_tsvector('simple', %s), 'A') || "
                  "setweight(to_tsvector('simple', %s), 'B') || "
                  "setweight(to_tsvector('simple', %s), 'C') || "
                  "setweight(to_tsvector('simple', %s), 'D'))")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if only is None:
            cursor.execute(f"DELETE FROM {TABLE}")
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE {key} = %s", [only])
        if rows:
            cursor.executemany(insert, rows)


def index_service(service: Service) -> None:
    """(Re)index one service from its current content (the published one when published)."""
    data = content_of(service)
    _write([(service.pk, *_columns(data, service.family))],
           using=service._state.db or DEFAULT_DB_ALIAS, only=service.pk)


def reindex_all() -> int:
    """Rebuild the whole index in one transaction; returns the number of services indexed."""
    services = (Service.objects.select_related("family")
                .prefetch_related("faqs", "commitments").order_by("pk"))
    rows = [(s.pk, *_columns(_indexed_content(s), s.family)) for s in services]
    _write(rows, using=DEFAULT_DB_ALIAS, only=None)
    return len(rows)


# --- Searching -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Query:
    """A query as the index reads it: one set of alternative forms per word, and a prefix."""

    groups: tuple[frozenset[str], ...]
    prefix: str | None

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset().union(*self.groups)

    def matches(self, word: str, languages: tuple[str, ...]) -> bool:
        forms = _forms(word, languages)
        if forms & self.forms:
            return True
        return self.prefix is not None and any(f.startswith(self.prefix) for f in forms)

    def expression(self, vendor: str, *, every: bool) -> str:
        # Forms are made of word characters only, so quoting them cannot break out of the
        # expression: user-typed OR, NEAR, quotes, "*", "-" or parentheses are plain words or gone.
        parts = []
        for position, group in enumerate(self.groups):
            last = position == len(self.groups) - 1
            if vendor == "sqlite":
                terms = [f'"{form}"' for form in sorted(group)]
                if last and self.prefix:
                    terms.append(f'"{self.prefix}"*')
                parts.append("(" + " OR ".join(terms) + ")")
            else:
                terms = [f"'{form}'" for form in sorted(group)]
                if last and self.prefix:
                    terms.append(f"'{self.prefix}':*")
                parts.append("(" + " | ".join(terms) + ")")
        if vendor == "sqlite":
            return (" AND " if every else " OR ").join(parts)
        return (" & " if every else " | ").join(parts)


def _parse(text: str) -> _Query | None:
    text = text[:MAX_QUERY]
    words = _words(text)
    content_words = [w for w in words if fold(w.casefold()) not in STOP_WORDS]
    kept = (content_words or words)[:MAX_WORDS]
    groups = tuple(g for g in (_forms(w, BOTH) for w in kept) if g)
    if not groups:
        return None
    prefix = None
    # The last word typed may be unfinished, unless the query ends with a space (or that
    # word was left out as a little word, or beyond MAX_WORDS).
    last_is_kept = len(content_words or words) <= MAX_WORDS and (
        not content_words or content_words[-1] == words[-1])
    if text == text.rstrip() and last_is_kept:
        folded = _WORD.findall(fold(words[-1].casefold()))
        if folded and len(folded[-1]) >= MIN_PREFIX:
            prefix = folded[-1]
    return _Query(groups, prefix)


def _ranked(query: _Query, within: QuerySet[Service], limit: int,
            *, every: bool) -> list[tuple[int, float]]:
    connection = connections[within.db]
    vendor = connection.vendor
    # The caller's queryset (audience rules and all) becomes a subquery of the search.
    ids = within.values("pk") if within.query.is_sliced else within.order_by().values("pk")
    try:
        ids_sql, ids_params = ids.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return []
    expression = query.expression(vendor, every=every)
    if vendor == "sqlite":
        # "+rowid": a plain "rowid IN" is handed to FTS5, which then runs the MATCH once per
        # visible service (a minute for 5,000); the "+" makes it filter the matches instead.
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        sql = (f"SELECT rowid, -bm25({TABLE}, {weights}) AS score FROM {TABLE} "
               f"WHERE {TABLE} MATCH %s AND +rowid IN ({ids_sql}) "
               f"ORDER BY score DESC, rowid LIMIT %s")
    elif vendor == "postgresql":
        sql = (f"SELECT s.service_id, "
               f"ts_rank_cd('{POSTGRES_WEIGHTS}'::real[], s.document, q) AS score "
               f"FROM {TABLE} s, to_tsquery('simple', %s) q "
               f"WHERE s.document @@ q AND s.service_id IN ({ids_sql}) "
               f"ORDER BY score DESC, s.service_id LIMIT %s")
    else:
        raise NotImplementedError(f"catalogue search supports SQLite and PostgreSQL, not {vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, *ids_params, limit])
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def search_services(query: str, *, within: QuerySet[Service], language: str,
                    limit: int = 50) -> list[SearchHit]:
    """Services of ``within`` matching ``query``, best first, highlighted in ``language``."""
    parsed = _parse(query or "")
    if parsed is None or limit <= 0:
        return []
    ranked = _ranked(parsed, within, limit, every=True)
    if not ranked and len(parsed.groups) > 1:
        ranked = _ranked(parsed, within, limit, every=False)
    if not ranked:
        return []
    services = (Service.objects.using(within.db).select_related("family")
                .prefetch_related("faqs").in_bulk([pk for pk, _score in ranked]))
    language = "en" if (language or "")[:2] == "en" else "fr"
    return [SearchHit(service=services[pk], score=score,
                      highlights=_highlights(services[pk], parsed, language))
            for pk, score in ranked if pk in services]


# --- Highlighting ----------------------------------------------------------------------------

def _mark(text: str, matches: Callable[[str], bool]) -> str:
    """``text`` escaped, with the words ``matches`` accepts wrapped in <mark>."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        if len(m.group()) <= 60 and matches(m.group()):
            out += [escape(text[last:m.start()]), "<mark>", escape(m.group()), "</mark>"]
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece of the text went through escape()


def _pick(obj: object, name: str, language: str) -> tuple[str, str]:
    """(text, its language): the field in ``language``, else in the other one."""
    other = "en" if language == "fr" else "fr"
    text = getattr(obj, f"{name}_{language}", "")
    return (text, language) if text else (getattr(obj, f"{name}_{other}", ""), other)


def _excerpt(text: str, matches: Callable[[str], bool]) -> str:
    """About SNIPPET_LENGTH characters of ``text`` around its first matching word, marked."""
    text = unicodedata.normalize("NFC", text)
    first = next((m.start() for m in _WORD.finditer(text) if matches(m.group())), 0)
    start = 0
    if first > SNIPPET_LENGTH // 3:
        start = text.rfind(" ", 0, first - SNIPPET_LENGTH // 3) + 1
    end = start + SNIPPET_LENGTH
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = _mark(text[start:end].strip(), matches)
    # The ellipses are literal text, the rest was escaped by _mark.
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(text) else ""))


def _highlights(service: Service, query: _Query, language: str) -> dict[str, str]:
    """Name, promise and an excerpt of the best matching longer text, as safe HTML."""

    def matcher(text_language: str) -> Callable[[str], bool]:
        return lambda word: query.matches(word, (text_language,))

    out: dict[str, str] = {}
    for name in ("name", "promise"):
        text, text_language = _pick(service, name, language)
        out[name] = _mark(text, matcher(text_language))
    candidates: list[tuple[str, str]] = []
    for name in ("description", "how_to_get"):
        text, text_language = _pick(service, name, language)
        candidates.append((plain(text), text_language))
    for faq in service.faqs.all():
        question = _pick(faq, "question", language)[0]
        answer, answer_language = _pick(faq, "answer", language)
        # A question and its answer are written together, in one language.
        candidates.append((f"{question} — {plain(answer)}", answer_language))

    def score(candidate: tuple[str, str]) -> int:
        text, text_language = candidate
        return sum(1 for word in _words(text) if matcher(text_language)(word))

    best = max(candidates, key=score)  # the first of equals: the description
    if score(best) == 0:
        best = candidates[0]
    out["snippet"] = _excerpt(best[0], matcher(best[1])) if best[0] else ""
    return out

