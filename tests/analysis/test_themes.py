from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from phare.analysis import stopwords
from phare.analysis.errors import AnalysisError
from phare.analysis.themes import themes


def _sentences(*parts: list[str]) -> list[str]:
    return [" ".join(w for w in words if w) for words in itertools.product(*parts)]


# Three clear subjects, mostly in French, some in English; each list has 44 verbatims.
VPN = _sentences(
    ["Le VPN", "La connexion VPN", "En télétravail le VPN"],
    ["est lent", "est très lent", "rame", "se coupe"],
    ["le matin", "depuis la mise à jour", ""],
) + _sentences(
    ["The VPN", "VPN"], ["is slow", "keeps dropping"], ["in the morning", "since the update"]
)
PRINTER = _sentences(
    ["L'imprimante", "Les imprimantes du 3e étage", "Encore l'imprimante"],
    ["est bloquée", "bloque", "a un bourrage papier", "est en panne"],
    ["plus de toner", "", "toner vide"],
) + _sentences(["The printer", "Printer"], ["is jammed", "jams again"], ["no toner", "toner empty"])
SUPPORT = _sentences(
    ["Le technicien", "Le support", "La technicienne du support"],
    ["était très aimable", "est aimable et efficace", "super aimable", "sympa et réactif"],
    ["merci", "", "problème résolu"],
) + _sentences(
    ["Support", "The support technician"],
    ["was friendly", "was very friendly"],
    ["thanks", "and helpful"],
)


def _corpus() -> tuple[list[str], list[str], list[int]]:
    """The verbatims interleaved, their subject, and a 0–10 score: complaints score low."""
    texts, subjects, scores = [], [], []
    for i, group in enumerate(zip(VPN, PRINTER, SUPPORT, strict=True)):
        for subject, text in zip(("vpn", "printer", "support"), group, strict=True):
            texts.append(text)
            subjects.append(subject)
            low = i % 4 != 0  # three complaints out of four come from detractors
            scores.append({"vpn": 3 if low else 8, "printer": 5 if low else 7}.get(subject, 9))
    return texts, subjects, scores


def _by_subject(result, subjects) -> dict[str, object]:
    table = pd.crosstab(pd.Series(subjects), result.assignments.to_numpy())
    return {subject: result.themes[table.loc[subject].idxmax() - 1] for subject in table.index}


def test_it_finds_three_themes_in_french_and_english_verbatims():
    texts, subjects, _ = _corpus()

    result = themes(texts)

    assert len(result.themes) == 3
    assert max(result.eigengaps, key=result.eigengaps.get) == 3
    assert [theme.size for theme in result.themes] == [44, 44, 44]
    assert [theme.id for theme in result.themes] == [1, 2, 3]
    # Each theme holds exactly one subject, French and English answers together.
    table = pd.crosstab(pd.Series(subjects), result.assignments.to_numpy())
    assert sorted(table.max(axis=1).tolist()) == [44, 44, 44]
    theme = _by_subject(result, subjects)
    assert "vpn" in theme["vpn"].terms and "lent" in theme["vpn"].terms
    assert "imprimante" in theme["printer"].terms and "toner" in theme["printer"].terms
    assert {"aimable", "technicien", "support"} <= set(theme["support"].terms)
    assert theme["vpn"].label.startswith("vpn, ")
    assert len(theme["vpn"].terms) == 5
    assert all("VPN" in example for example in theme["vpn"].examples)
    assert len(set(theme["printer"].examples)) == 3
    assert result.answered == result.usable == 132
    assert sum(t.share for t in result.themes) == pytest.approx(1)
    assert theme["vpn"].mean_score is None and theme["vpn"].detractor_lift is None


def test_it_shows_what_detractors_talk_about():
    texts, subjects, scores = _corpus()

    result = themes(texts, scores=scores)

    theme = _by_subject(result, subjects)
    overall = np.mean(np.array(scores) <= 6)
    assert result.detractor_share == pytest.approx(overall)
    # 33 of 44 answers on each complaint come from detractors.
    assert theme["vpn"].detractor_lift == pytest.approx((33 / 44) / overall)
    assert theme["printer"].detractor_lift > 1
    assert theme["support"].detractor_lift == 0
    assert theme["vpn"].mean_score == pytest.approx((33 * 3 + 11 * 8) / 44)
    assert theme["support"].mean_score == 9


def test_it_is_deterministic():
    texts, _, scores = _corpus()

    first = themes(texts, scores=scores, seed=4)
    again = themes(texts, scores=scores, seed=4)

    assert first.themes == again.themes
    pd.testing.assert_series_equal(first.assignments, again.assignments)
    assert first.eigengaps == again.eigengaps


def test_it_folds_accents_and_groups_word_forms():
    network = (
        ["Le réseau wifi est instable"] * 6
        + ["le reseau wifi coupe en salle de réunion"] * 3
        + ["RESEAU WIFI instable"] * 2
        + ["Le re\u0301seau wifi est lent"] * 2  # "é" typed as "e" and a combining accent
    )
    printers = ["Imprimantes bloquées"] * 4 + ["L'imprimante est bloquée, bourrage"] * 7
    texts = network + printers

    result = themes(texts, n_themes=2, top_terms=20)

    terms = [term for theme in result.themes for term in theme.terms]
    assert "seau" not in terms and "lent" in terms
    assert "réseau" in terms and "reseau" not in terms  # one term, shown with its accents
    assert "imprimante" in terms and "imprimantes" not in terms
    assert "bloquée" in terms and "bloquées" not in terms
    assert result.assignments.iloc[: len(network)].nunique() == 1
    assert result.assignments.iloc[len(network) :].nunique() == 1


def test_it_keeps_stop_words_out_of_labels():
    texts, _, _ = _corpus()
    padded = [
        f"{text}, c'est vraiment le cas et j'en ai assez, it's what we all have" for text in texts
    ]

    result = themes(padded, top_terms=10)

    stop = stopwords.FRENCH | stopwords.ENGLISH
    for theme in result.themes:
        assert not {stopwords.fold(term) for term in theme.terms} & stop, theme.label


def test_it_leaves_blank_and_empty_answers_unassigned():
    texts, _, _ = _corpus()
    answers = pd.Series(
        [*texts, "", None, np.nan, "rien à dire", "ok"], index=[f"r{i}" for i in range(137)]
    )

    result = themes(answers, n_themes=3)

    assert result.assignments.index.equals(answers.index)
    assert result.assignments.iloc[-5:].tolist() == [-1] * 5
    assert (result.assignments.iloc[:-5] > 0).all()
    assert result.answered == 134  # "rien à dire" and "ok" are answers, without a theme
    assert result.usable == 132
    assert sum(t.share for t in result.themes) == pytest.approx(132 / 134)
    assert result.eigengaps == {}


def test_it_accepts_missing_scores():
    texts, _, scores = _corpus()
    scores = [None if i % 5 == 0 else s for i, s in enumerate(scores)]

    result = themes(texts, scores=scores)

    assert all(theme.mean_score is not None for theme in result.themes)
    assert result.detractor_share == pytest.approx(
        np.mean([s <= 6 for s in scores if s is not None])
    )


@pytest.mark.parametrize(
    ("texts", "kwargs", "message"),
    [
        ([], {}, "No text"),
        (["", "  ", None], {}, "No text"),
        ("le vpn est lent", {}, "not a single string"),
        (["le vpn est lent"] * 9, {}, "Only 9 text(s)"),
        (["le la les", "the a an"] * 10, {}, "only stop words"),
        (["vpn lent"] * 12 + [3], {}, "Text 12 is not a string"),
        (["vpn lent"] * 12, {"scores": [5] * 11}, "11 scores for 12 texts"),
        (["vpn lent"] * 12, {"scores": [5] * 11 + [11]}, "position(s) [11]: [11]"),
        (["vpn lent"] * 12, {"scores": [5] * 11 + ["bad"]}, "0 to 10"),
        (["vpn lent"] * 12, {"language": "de"}, "language"),
        (["vpn lent"] * 12, {"n_themes": 3}, "n_themes must be an integer from 1 to 2"),
        (["vpn lent"] * 12, {"top_terms": 0}, "top_terms"),
    ],
)
def test_it_rejects_input_it_cannot_use(texts, kwargs, message):
    with pytest.raises(AnalysisError) as error:
        themes(texts, **kwargs)
    assert message in str(error.value)
