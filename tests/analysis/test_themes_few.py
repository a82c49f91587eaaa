"""Themes from a handful of comments: an honest answer, without scikit-learn warnings — no
theme below ``MIN_TEXTS`` usable comments, and never more themes than words to tell them by."""

from __future__ import annotations

import pytest

from phare.analysis import AnalysisError, themes
from phare.analysis.themes import MIN_TEXTS

# Few comments sharing few words: NMF fits them exactly (as many themes as terms), which made
# scikit-learn take the square root of a rounding error ("invalid value encountered in sqrt").
ONE_WORD = ["vpn", "le vpn", "vpn encore", "vpn svp", "vpn!", "vpn ?", "vpn...", "vpn hs",
            "vpn ko", "vpn x", "vpn y", "vpn z", "vpn zz", "vpn zzz"]
TWO_WORDS = ["vpn lent", "lent vpn", "vpn", "lent", "vpn lent lent", "vpn vpn", "lent encore",
             "vpn encore", "vpn et lent", "lent et vpn", "vpn hs", "lent hs", "vpn", "lent",
             "vpn lent"]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("texts", [ONE_WORD, TWO_WORDS], ids=["one-word", "two-words"])
def test_an_exact_fit_of_few_comments_warns_nothing(texts):
    found = themes(texts)
    assert 1 <= len(found.themes) <= 2
    assert len(found.themes) <= len({term for t in found.themes for term in t.terms})
    assert sum(t.size for t in found.themes) <= found.usable == len(texts)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("count", range(3, MIN_TEXTS))
def test_fewer_than_the_minimum_give_no_theme_but_a_clear_error(count):
    texts = ["Le VPN coupe sans arrêt", "VPN instable en télétravail", "Connexion VPN perdue",
             "Mot de passe oublié", "Mot de passe expiré", "Imprimante en panne",
             "Imprimante bloquée", "Attente trop longue", "Attente interminable"][:count]
    with pytest.raises(AnalysisError, match=f"at least {MIN_TEXTS} are needed"):
        themes(texts)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("count", range(MIN_TEXTS, 16))
def test_ten_to_fifteen_comments_give_at_most_two_themes_without_warning(count):
    subjects = ["Le VPN coupe sans arrêt", "VPN instable en télétravail", "Connexion VPN perdue",
                "Mot de passe oublié", "Mot de passe expiré encore"]
    found = themes([subjects[i % len(subjects)] for i in range(count)])
    # Two themes at most: a theme needs about five comments (TEXTS_PER_THEME).
    assert 1 <= len(found.themes) <= 2
