"""Needs like the one being typed, so people vote instead of raising a duplicate.

TF-IDF (scikit-learn) over the open needs' titles (counted twice: they say the most) and
descriptions, compared by cosine similarity. Words are lower-cased, their accents removed,
French and English little words dropped (:mod:`phare.analysis.stopwords`), and each word is
replaced by its French and its English Snowball stems, so "imprimantes", "imprimante" and
"Imprimer" meet, and an English need finds its French twin when they share roots ("badge",
"badges"; "application", "applications").

The matrix is built once per state of the open needs (their count, newest id and last update)
and kept in memory: a keystroke costs one small query and one sparse product.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import snowballstemmer
from django.db.models import Count, Max
from sklearn.feature_extraction.text import TfidfVectorizer

from phare.analysis.stopwords import ENGLISH, FRENCH
from phare.catalog.search import fold
from phare.needs.models import OPEN_STATUSES, Need

#: Least cosine similarity worth suggesting (tuned on the demo needs: unrelated needs that share
#: one common word stay below it).
THRESHOLD = 0.12
LIMIT = 5
MAX_TEXT = 4000

_WORD = re.compile(r"[^\W_]+")
_STOP = FRENCH | ENGLISH
_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}
_STEM_LOCK = threading.Lock()  # Snowball's stemmers keep state on the instance


@lru_cache(maxsize=50_000)
def _features(word: str) -> tuple[str, ...]:
    folded = fold(word)
    if len(folded) < 2 or folded in _STOP:
        return ()
    if any(c.isdigit() for c in folded):
        return (folded,)
    with _STEM_LOCK:
        stems = {_STEMMERS["fr"].stemWord(folded), _STEMMERS["en"].stemWord(folded)}
    return tuple(sorted(stems))


def analyse(text: str) -> list[str]:
    """The features of a text: the French and English stems of its meaningful words."""
    words = _WORD.findall(unicodedata.normalize("NFC", text[:MAX_TEXT]))
    return [feature for word in words for feature in _features(word)]


def _document(title: str, description: str) -> str:
    return f"{title}\n{title}\n{description}"


@dataclass
class _Index:
    key: tuple[Any, ...]
    ids: list[int]
    vectorizer: TfidfVectorizer | None
    matrix: Any


_lock = threading.Lock()
_index: _Index | None = None


def _open_needs():
    return Need.objects.filter(status__in=OPEN_STATUSES)


def _current_index() -> _Index:
    global _index
    state = _open_needs().aggregate(n=Count("id"), top=Max("id"), at=Max("updated_at"))
    key = (state["n"], state["top"], state["at"])
    with _lock:
        if _index is not None and _index.key == key:
            return _index
    rows = list(_open_needs().order_by("id").values_list("id", "title", "description"))
    documents = [_document(title, description) for _id, title, description in rows]
    vectorizer, matrix = None, None
    if any(analyse(doc) for doc in documents):
        vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
        matrix = vectorizer.fit_transform(documents)
    index = _Index(key, [row[0] for row in rows], vectorizer, matrix)
    with _lock:
        _index = index
    return index


def similar_needs(title: str, description: str = "", *, exclude: int | None = None,
                  limit: int = LIMIT, threshold: float = THRESHOLD) -> list[tuple[int, float]]:
    """The open needs most like this text, as (need id, similarity 0–1), best first."""
    text = _document(title, description)
    if not analyse(text):
        return []
    index = _current_index()
    if index.vectorizer is None:
        return []
    query = index.vectorizer.transform([text])
    scores = (index.matrix @ query.T).toarray().ravel()
    order = np.argsort(-scores, kind="stable")
    found: list[tuple[int, float]] = []
    for position in order:
        score = float(scores[position])
        if score < threshold or len(found) >= limit:
            break
        if index.ids[position] != exclude:
            found.append((index.ids[position], round(score, 3)))
    return found
