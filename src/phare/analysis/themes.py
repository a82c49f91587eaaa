"""Themes in free-text answers (French, English or both), and what unhappy respondents say.

Method
------
1. **Terms.** Texts are split into lower-case words of two characters or more (scikit-learn's
   ``CountVectorizer``). Each word is accent-folded (``strip_accents="unicode"``) and dropped
   when it is a French or English stop word (:mod:`phare.analysis.stopwords`, folded too) or has
   no letter. With ``stem=True`` (the default), words are merged into one term when they share
   a Snowball stem (Porter 2001, https://snowballstem.org; French, English, or both for mixed
   text); words that differ only by accents (``réseau``/``reseau``) are always merged. A term is
   kept when at least two texts use it. A term is shown by its most frequent written form, with
   its accents (``imprimantes`` and ``imprimante`` → ``imprimante``). Words any comment may
   use whatever its subject (``merci``, ``service``, ``plutôt``: ``stopwords.GENERIC``) are
   dropped too. For mixed text (``language=None``), an English word joins its French
   counterpart through a shared vocabulary (:mod:`phare.analysis.lexicon`: ``laptop`` →
   ``portable``), and cognates join by their letters (same first four letters, character
   trigrams with a cosine of 0.6 or more: ``connexion``/``connection``).
   Folding and stemming are applied to the vocabulary rather than to every text, so that labels
   keep their accents; the counts are the same as ``TfidfVectorizer(strip_accents="unicode")``
   would give before stemming.
2. **Weights.** TF-IDF with sublinear term frequency and unit-length rows (``TfidfTransformer``;
   Salton & Buckley 1988), as a sparse matrix: nothing of size texts × vocabulary is dense.
3. **Themes.** Non-negative matrix factorisation of that matrix (Lee & Seung 1999;
   scikit-learn ``NMF(init="nndsvda", random_state=seed)``, coordinate descent). Each text goes
   to the theme with its largest weight when its weights' cosine with that theme's terms is at
   least ``MIN_SIMILARITY`` (0.2), or to none (``-1``): when it is far from every theme, when
   all its weights are 0 or it has no kept term. Themes are numbered 1..n by size, largest
   first. A theme is labelled by its distinctive phrases (:func:`_phrases`: class-based TF-IDF
   of phrases of one to three words, Grootendorst 2022), not by its single words.
4. **How many themes** (``n_themes=None``): the eigengap heuristic (von Luxburg 2007, "A
   tutorial on spectral clustering", Statistics and Computing 17, §8.3) on the texts × terms
   graph (Dhillon 2001, "Co-clustering documents and words using bipartite spectral graph
   partitioning", KDD). With ``X`` the TF-IDF weights and ``A = (D_texts + τ)^(-1/2) X
   (D_terms + τ)^(-1/2)``, ``n`` groups of texts that share few words with the rest give ``n``
   large singular values, then a drop; the ``n`` from 2 to ``min(10, usable texts // 5)`` with
   the largest drop ``σ_n - σ_(n+1)`` wins (the smallest on a tie). The degrees are regularised
   by their mean ``τ`` (Qin & Rohe 2013, "Regularized spectral clustering under the
   degree-corrected stochastic block model", NeurIPS), so that a rare word shared by a handful
   of texts does not pass for a theme. The singular values come from a randomised SVD (Halko,
   Martinsson & Tropp 2011) seeded with ``seed``: deterministic.
5. **Unhappy respondents.** With ``scores`` (0–10, NPS-style, ``NaN`` when not given),
   detractors score 0 to 6 (Reichheld 2003). A theme's ``detractor_lift`` is the share of
   detractors among its scored texts divided by that share among all scored, non-blank texts:
   above 1, unhappy respondents talk about it more than others.

Limits: a theme is a set of words used together, so French and English answers on the same
subject make one theme when they share words, directly (``VPN``, ``Teams``), as cognates or
through the shared vocabulary; a subject whose words are in none of these may come out as two
themes, one per language. On comments composed like the demo's (19 subjects, three quarters in
French; 400 and 1,000 comments), 66 % and 80 % of the English comments fall in the theme of the
French ones on their subject, against 16 % and 13 % without the shared vocabulary and cognates
(most English comments were then left without a theme).
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import snowballstemmer
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.utils.extmath import randomized_svd

from phare.analysis import lexicon, stopwords
from phare.analysis.errors import AnalysisError

MIN_TEXTS = 10
MIN_DOCUMENT_FREQUENCY = 2
MAX_CHOSEN_THEMES = 10
TEXTS_PER_THEME = 5
DETRACTOR_MAX = 6
#: A text joins its heaviest theme only when it is at least this close to it (cosine of its
#: weights and the theme's terms): closer to the theme than to the mass of other texts.
MIN_SIMILARITY = 0.2
#: Two words of at least this many letters, in different forms, are one term when their
#: character trigrams are this close (cosine) and they start alike (cognates across French and
#: English: "connexion"/"connection", "technicien"/"technician", "sécurité"/"security").
COGNATE_LENGTH = 6
COGNATE_SIMILARITY = 0.6
COGNATE_PREFIX = 4
#: Phrases are sequences of up to this many words, starting and ending with a content word.
PHRASE_WORDS = 3
LABEL_PHRASES = 3
#: A longer phrase stands for a shorter one it contains when it is in this share of its texts.
LONGER_PHRASE_SHARE = 0.6
PHRASE_TOKEN = re.compile(r"(?u)\b\w+(?:-\w+)*\b")
PHRASE_BREAK = re.compile(r"[,.;:!?()«»\"“”\n]+")
#: The only stop words a phrase may hold inside ("mot de passe", "sympathique et patient").
LINKS = frozenset({"de", "du", "des", "d", "a", "au", "aux", "en", "et", "of", "to", "and",
                   "for", "in"})
LANGUAGES = {"fr": ("french",), "en": ("english",), None: ("french", "english")}


@dataclass(frozen=True)
class Theme:
    """One theme: ``terms`` are readable words, heaviest first; ``phrases`` its distinctive
    phrases; ``label`` joins the first three phrases (or terms, should none stand out).

    ``share`` is the theme's part of the non-blank texts. ``mean_score`` and
    ``detractor_lift`` are ``None`` without scores (or without any scored text in the theme, or,
    for the lift, without any detractor at all).
    """

    id: int
    label: str
    terms: tuple[str, ...]
    size: int
    share: float
    examples: tuple[str, ...]
    mean_score: float | None
    detractor_lift: float | None
    #: Its distinctive phrases ("mot de passe", "délai de résolution", "vpn"), best first: the
    #: label is made of the first three.
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Themes:
    """The result of :func:`themes`.

    ``assignments``: theme id of each text, in input order (the input's index for a Series),
    ``-1`` for none. ``answered``: non-blank texts; ``usable``: texts with at least one kept
    term. ``detractor_share``: detractors among scored non-blank texts (``None`` without scores).
    ``eigengaps``: the drop ``σ_n - σ_(n+1)`` for each number of themes tried (empty when
    ``n_themes`` was given); the largest chose the number.
    """

    themes: list[Theme]
    assignments: pd.Series
    answered: int
    usable: int
    detractor_share: float | None
    eigengaps: dict[int, float]


def themes(
    texts: Iterable[str | None] | pd.Series,
    *,
    scores: Sequence[float | None] | pd.Series | None = None,
    language: str | None = None,
    n_themes: int | None = None,
    seed: int = 0,
    top_terms: int = 5,
    examples: int = 3,
    stem: bool = True,
) -> Themes:
    """Find the themes of ``texts`` (see the module documentation for the method).

    ``language``: ``"fr"``, ``"en"``, or ``None`` for a mix of both (both stop-word lists and
    stemmers). ``scores`` go with the texts by position; ``None``/``NaN`` for a text without a
    score. ``stem=False`` keeps inflected forms apart (accents are still folded). Missing texts
    (``None``, ``NaN``) count as blank. ``n_themes=None`` chooses the number.

    Raises :class:`AnalysisError` for: no text, a text that is not a string, fewer than 10
    usable texts, ``scores`` of another length or outside 0–10, an unknown ``language`` and a
    bad ``n_themes``, ``top_terms`` or ``examples``.
    """
    strings, index = _texts(texts)
    marks = _scores(scores, len(strings))
    if language not in LANGUAGES:
        raise AnalysisError(f"language must be 'fr', 'en' or None (both); got {language!r}.")
    for name, value in (("top_terms", top_terms), ("examples", examples)):
        if not _is_integer(value) or value < 1:
            raise AnalysisError(f"{name} must be a positive integer; got {value!r}.")

    counts, words = _term_counts(strings, language, stem)
    rows = np.flatnonzero(counts.getnnz(axis=1) > 0)
    if len(rows) < MIN_TEXTS:
        raise AnalysisError(
            f"Only {len(rows)} text(s) have words shared with another text, outside stop words; "
            f"at least {MIN_TEXTS} are needed to find themes."
        )
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts[rows])
    n_themes, eigengaps = _how_many(weights, n_themes, seed)
    model, doc_weights = _factorise(weights, n_themes, seed)

    # Each usable text goes to its heaviest theme when it is close enough to it; themes are
    # renumbered 1..n by size.
    heaviest = doc_weights.argmax(axis=1)
    components = model.components_ / np.maximum(
        np.linalg.norm(model.components_, axis=1, keepdims=True), 1e-12)
    similarity = np.asarray(weights @ components.T)[np.arange(len(rows)), heaviest]
    dominant = np.where((doc_weights.max(axis=1) > 0) & (similarity >= MIN_SIMILARITY),
                        heaviest, -1)
    sizes = np.bincount(dominant[dominant >= 0], minlength=n_themes)
    order = sorted(range(n_themes), key=lambda t: (-sizes[t], t))
    number = np.full(n_themes + 1, -1)  # the last slot maps "none" (-1) to -1
    number[order] = np.arange(1, n_themes + 1)
    raw = np.full(len(strings), -1)
    raw[rows] = dominant

    answered = np.array([bool(s.strip()) for s in strings])
    scored = answered & ~np.isnan(marks)
    base = float(np.mean(marks[scored] <= DETRACTOR_MAX)) if scored.any() else None
    phrases = _phrases([strings[i] for i in rows], dominant, n_themes, language)
    found = []
    for position, topic in enumerate(order):
        inside = dominant == topic
        members = rows[inside]
        weight = model.components_[topic]
        top = np.argsort(-weight, kind="stable")[:top_terms]
        terms = tuple(words[t] for t in top if weight[t] > 0)
        mean_score, lift = _unhappiness(marks[members], base)
        found.append(
            Theme(
                id=position + 1,
                label=", ".join(phrases[topic][:LABEL_PHRASES] or terms),
                terms=terms,
                size=len(members),
                share=len(members) / int(answered.sum()),
                examples=_distinct(
                    strings,
                    members[np.argsort(-doc_weights[inside, topic], kind="stable")],
                    examples,
                ),
                mean_score=mean_score,
                detractor_lift=lift,
                phrases=tuple(phrases[topic]),
            )
        )
    return Themes(
        themes=found,
        assignments=pd.Series(number[raw], index=index, name="theme"),
        answered=int(answered.sum()),
        usable=len(rows),
        detractor_share=base,
        eigengaps=eigengaps,
    )


def _is_integer(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _how_many(
    weights: sparse.csr_matrix, n_themes: int | None, seed: int
) -> tuple[int, dict[int, float]]:
    """The number of themes (given, or chosen by the eigengap) and the gaps it was chosen by."""
    texts, terms = weights.shape
    if n_themes is not None:
        if not _is_integer(n_themes) or not 1 <= n_themes <= min(texts, terms):
            raise AnalysisError(
                f"n_themes must be an integer from 1 to {min(texts, terms)} "
                f"(usable texts and terms); got {n_themes!r}."
            )
        return int(n_themes), {}
    if terms < 3:
        return terms, {}  # one or two terms: as many themes, nothing to choose
    gaps = _eigengaps(weights, seed)
    return max(gaps, key=lambda n: (gaps[n], -n)), gaps


def _texts(texts: Iterable[str | None] | pd.Series) -> tuple[list[str], pd.Index]:
    if isinstance(texts, str):
        raise AnalysisError("texts must be a sequence of strings, not a single string.")
    if not isinstance(texts, pd.Series):
        texts = list(texts)
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(texts))
    strings = []
    for label, text in zip(index, texts, strict=True):
        if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
            strings.append("")
        elif isinstance(text, str):
            # Composed accents, so that "é" typed as "e" + accent is one letter of one word.
            strings.append(unicodedata.normalize("NFC", text))
        else:
            raise AnalysisError(f"Text {label!r} is not a string: {text!r}.")
    if not any(s.strip() for s in strings):
        raise AnalysisError("No text to analyse: the input is empty or blank.")
    return strings, index


def _scores(scores: Sequence[float | None] | pd.Series | None, n: int) -> np.ndarray:
    if scores is None:
        return np.full(n, np.nan)
    if len(scores) != n:
        raise AnalysisError(f"{len(scores)} scores for {n} texts: they must match one to one.")
    values = pd.to_numeric(pd.Series(list(scores), dtype=object), errors="coerce")
    given = pd.Series(list(scores), dtype=object).notna()
    bad = given & (values.isna() | ~values.between(0, 10))
    if bad.any():
        where = [int(i) for i in np.flatnonzero(bad.to_numpy())[:5]]
        shown = [list(scores)[i] for i in where]
        raise AnalysisError(
            f"Scores must be numbers from 0 to 10; {int(bad.sum())} are not, "
            f"at position(s) {where}: {shown}."
        )
    return values.to_numpy(dtype=float)


def _term_counts(
    strings: list[str], language: str | None, stem: bool
) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of kept terms per text (sparse) and each term's readable form."""
    vectorizer = CountVectorizer(lowercase=True, token_pattern=r"(?u)\b\w\w+\b", dtype=np.int32)
    try:
        counts = vectorizer.fit_transform(strings).tocsc()
    except ValueError:  # no word at all
        raise AnalysisError("The texts contain no words.") from None
    vocabulary = vectorizer.get_feature_names_out()

    stop = stopwords.FRENCH | stopwords.ENGLISH
    if language == "fr":
        stop = stopwords.FRENCH
    elif language == "en":
        stop = stopwords.ENGLISH
    stop = stop | stopwords.GENERIC
    folded = [stopwords.fold(w) for w in vocabulary]
    kept = np.array([f not in stop and any(c.isalpha() for c in f) for f in folded], dtype=bool)
    kept_ids = np.flatnonzero(kept)
    if len(kept_ids) == 0:
        raise AnalysisError("The texts contain only stop words.")
    raw = [str(vocabulary[i]) for i in kept_ids]

    # Words are linked to their folded form and their folded stems; linked words make a term.
    keys: dict[str, int] = {}
    edges_from, edges_to = [], []
    stemmers = [snowballstemmer.stemmer(name) for name in LANGUAGES[language]] if stem else []
    for position, word in enumerate(raw):
        links = {"=" + folded[kept_ids[position]]}
        links.update(f"{i}:{stopwords.fold(s.stemWord(word))}" for i, s in enumerate(stemmers))
        for key in links:
            edges_from.append(position)
            edges_to.append(keys.setdefault(key, len(keys)))
    if language is None:
        # Mixed comments: English words meet their French counterparts by the shared
        # vocabulary, and cognates by their letters.
        shared = _shared_vocabulary()
        for position, word in enumerate(raw):
            french = shared.get(stopwords.fold(stemmers[1].stemWord(word)) if stemmers
                                else folded[kept_ids[position]])
            if french is not None:
                edges_from.append(position)
                edges_to.append(keys.setdefault(f"0:{french}" if stemmers else f"={french}",
                                                len(keys)))
        for a, b in _cognates([folded[i] for i in kept_ids]):
            edges_from.append(a)
            edges_to.append(keys.setdefault(f"~{b}", len(keys)))
            edges_from.append(b)
            edges_to.append(keys[f"~{b}"])
    size = len(raw) + len(keys)
    graph = sparse.coo_matrix(
        (np.ones(len(edges_from)), (edges_from, np.array(edges_to) + len(raw))), shape=(size, size)
    )
    _, component = connected_components(graph, directed=False)
    _, group = np.unique(component[: len(raw)], return_inverse=True)
    merge = sparse.csr_matrix(
        (np.ones(len(raw), dtype=np.int32), (np.arange(len(raw)), group)),
        shape=(len(raw), group.max() + 1),
    )
    grouped = (counts[:, kept_ids] @ merge).tocsr()
    grouped.eliminate_zeros()

    frequent = np.flatnonzero(
        np.bincount(grouped.indices, minlength=grouped.shape[1]) >= MIN_DOCUMENT_FREQUENCY
    )
    # The readable form of a term: its most frequent word (alphabetical order on a tie).
    totals = np.asarray(counts[:, kept_ids].sum(axis=0)).ravel()
    best: dict[int, tuple[int, str]] = {}
    for position, word in enumerate(raw):
        candidate = (-int(totals[position]), word)
        term = int(group[position])
        if term not in best or candidate < best[term]:
            best[term] = candidate
    return grouped[:, frequent], [best[int(g)][1] for g in frequent]


def _factorise(weights: sparse.csr_matrix, n: int, seed: int) -> tuple[NMF, np.ndarray]:
    model = NMF(n_components=n, init="nndsvda", random_state=seed, max_iter=500)
    # Few comments sharing few words can be fitted exactly (as many themes as terms): the
    # reconstruction error scikit-learn then reports is the square root of 0 give or take a
    # rounding error, a "sqrt" RuntimeWarning on a number that is 0 — not a failed fit.
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        # Themes are read from the dominant weight, which settles long before the tolerance.
        warnings.simplefilter("ignore", ConvergenceWarning)
        doc_weights = model.fit_transform(weights)
    return model, doc_weights


def _eigengaps(weights: sparse.csr_matrix, seed: int) -> dict[int, float]:
    """``σ_n - σ_(n+1)`` of the normalised texts × terms matrix, for each candidate ``n``."""
    texts, terms = weights.shape
    highest = min(MAX_CHOSEN_THEMES, texts // TEXTS_PER_THEME, min(texts, terms) - 1)
    by_text = np.asarray(weights.sum(axis=1)).ravel()
    by_term = np.asarray(weights.sum(axis=0)).ravel()
    normalised = (
        sparse.diags(1 / np.sqrt(by_text + by_text.mean()))
        @ weights
        @ sparse.diags(1 / np.sqrt(by_term + by_term.mean()))
    )
    _, singular, _ = randomized_svd(
        normalised.tocsr(),
        n_components=highest + 1,
        n_oversamples=20,
        n_iter=10,
        random_state=seed,
    )
    return {n: float(singular[n - 1] - singular[n]) for n in range(2, highest + 1)}


def _unhappiness(marks: np.ndarray, base: float | None) -> tuple[float | None, float | None]:
    given = marks[~np.isnan(marks)]
    if base is None or len(given) == 0:
        return None, None
    mean = float(given.mean())
    if base == 0:
        return mean, None
    return mean, float(np.mean(given <= DETRACTOR_MAX)) / base


def _distinct(strings: list[str], positions: np.ndarray, limit: int) -> tuple[str, ...]:
    """The first ``limit`` texts at ``positions`` that differ once folded and trimmed."""
    seen: set[str] = set()
    chosen = []
    for position in positions:
        text = strings[position].strip()
        key = " ".join(stopwords.fold(text).split())
        if key not in seen:
            seen.add(key)
            chosen.append(text)
            if len(chosen) == limit:
                break
    return tuple(chosen)


@functools.cache
def _shared_vocabulary() -> dict[str, str]:
    """English words (folded Snowball stems) → their French counterpart's folded stem."""
    english, french = snowballstemmer.stemmer("english"), snowballstemmer.stemmer("french")
    return {stopwords.fold(english.stemWord(en)): stopwords.fold(french.stemWord(fr))
            for en, fr in lexicon.PAIRS}


def _cognates(words: list[str]) -> list[tuple[int, int]]:
    """Pairs of positions of ``words`` (folded) that are cognates: long enough, starting with
    the same letters and close by their character trigrams."""
    long = [i for i, w in enumerate(words) if len(w) >= COGNATE_LENGTH]
    if len(long) < 2:
        return []
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), use_idf=False)
    vectors = grams.fit_transform([words[i] for i in long])
    close = sparse.triu(vectors @ vectors.T, k=1).tocoo()
    return [(long[a], long[b]) for a, b, value in zip(close.row, close.col, close.data,
                                                       strict=True)
            if value >= COGNATE_SIMILARITY
            and words[long[a]][:COGNATE_PREFIX] == words[long[b]][:COGNATE_PREFIX]]


def _phrases(texts: list[str], assigned: np.ndarray, n_themes: int, language: str | None
             ) -> list[list[str]]:
    """Each theme's distinctive phrases, best first, by class-based TF-IDF (Grootendorst 2022,
    "BERTopic", arXiv:2203.05794, §3.3) over the texts' phrases: a phrase weighs its share of
    the theme's texts times ``log(1 + A / f)``, with ``A`` the mean number of texts per theme
    and ``f`` the number of all texts using it, so that what every theme says weighs little.

    A phrase is one to three words as written (accents kept) within one clause, that starts
    and ends with a word that is neither a stop word nor a generic one
    (:data:`stopwords.GENERIC`); only a linking word may sit inside ("mot de passe", "facile à
    joindre"). It counts once per text and must be in two of the theme's texts. A phrase gives
    way to a longer one holding it that most of its texts use, and a phrase that shares a word
    with one chosen before it, in either language ("training" after "formation"), is left
    out."""
    stop = {"fr": stopwords.FRENCH, "en": stopwords.ENGLISH}.get(
        language or "", stopwords.FRENCH | stopwords.ENGLISH) | stopwords.GENERIC
    shared = _shared_vocabulary() if language is None else {}
    english, french = snowballstemmer.stemmer("english"), snowballstemmer.stemmer("french")

    def content(word: str) -> bool:
        folded = stopwords.fold(word)
        return len(folded) > 1 and folded not in stop and any(c.isalpha() for c in folded)

    def analyse(text: str) -> list[str]:
        found = set()
        for clause in PHRASE_BREAK.split(text.lower()):
            words = PHRASE_TOKEN.findall(clause)
            for start, first in enumerate(words):
                if not content(first):
                    continue
                for end in range(start, min(start + PHRASE_WORDS, len(words))):
                    inside = words[start + 1:end]
                    if any(not content(w) and stopwords.fold(w) not in LINKS for w in inside):
                        break
                    if content(words[end]):
                        found.add(" ".join(words[start:end + 1]))
        return sorted(found)

    def key(word: str) -> str:
        """A word as the same subject in either language: its French stem, or an English
        word's French counterpart."""
        return shared.get(stopwords.fold(english.stemWord(word)),
                          stopwords.fold(french.stemWord(word)))

    out: list[list[str]] = [[] for _ in range(n_themes)]
    vectorizer = CountVectorizer(analyzer=analyse, binary=True, dtype=np.int32)
    try:
        present = vectorizer.fit_transform(texts).tocsc()
    except ValueError:  # no phrase at all
        return out
    names = vectorizer.get_feature_names_out()
    used = np.asarray(present.sum(axis=0)).ravel()
    sizes = np.bincount(assigned[assigned >= 0], minlength=n_themes)
    average = max(float(sizes[sizes > 0].mean()) if (sizes > 0).any() else 1.0, 1.0)
    for topic in range(n_themes):
        inside = np.flatnonzero(assigned == topic)
        if len(inside) == 0:
            continue
        counts = np.asarray(present[inside].sum(axis=0)).ravel()
        weight = counts / len(inside) * np.log1p(average / np.maximum(used, 1))
        candidates = [int(i) for i in np.argsort(-weight, kind="stable") if counts[i] >= 2]
        chosen: list[str] = []
        taken: set[str] = set()
        for position in candidates:
            phrase = str(names[position])
            longer = [i for i in candidates if counts[i] >= LONGER_PHRASE_SHARE * counts[position]
                      and f" {phrase} " in f" {names[i]} " and names[i] != phrase]
            if longer:
                phrase = str(names[max(longer, key=lambda i: (len(names[i].split()),
                                                              weight[i]))])
            words = {key(w) for w in phrase.split() if content(w)}
            if words & taken:
                continue
            chosen.append(phrase)
            taken |= words
        out[topic] = chosen
    return out
