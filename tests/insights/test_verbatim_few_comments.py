"""The verbatim explorer with very few comments: they are shown (the group passes the
threshold) but not grouped into themes, and the explorer says so."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from phare.insights import verbatims as V
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

COMMENTS = ["Le VPN coupe sans arrêt", "VPN instable en télétravail", "Connexion VPN perdue",
            "Mot de passe oublié", "Mot de passe expiré", "Imprimante en panne"]


@pytest.fixture
def few(personas):
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2026, 3, 2))
    # Twelve people (the verbatim threshold is 10), 18 texts: six also say why they are low.
    for i in range(12):
        answer(survey, wave, nps=[2, 9][i % 2], comment=COMMENTS[i % len(COMMENTS)],
               day=dt.date(2026, 3, 4))
    return survey


@pytest.mark.filterwarnings("error")
def test_few_comments_are_shown_without_themes(few):
    result = V.explore(few, V.VerbatimFilters())
    assert result.shown and result.total == 18
    assert result.themes == [] and all(row["theme"] == "" for row in result.rows)
    assert result.theme_minimum == V.THEMES_FROM == 20


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_explorer_says_there_are_too_few_comments_for_themes(few, login, settings,
                                                                 language):
    client = login("marketing")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/insights/verbatims/", {"survey": few.slug}).content.decode()
    assert "Le VPN coupe sans arrêt" in page
    note = re.search(r'<p class="note" role="note">([^<]*)</p>', page)
    assert note is not None and "20" in note.group(1)
    if language == "en":
        assert note.group(1) == ("Not enough comments to group into themes: themes are looked "
                                 "for in at least 20 comments that share words with others.")


@pytest.mark.filterwarnings("error")
def test_enough_comments_are_grouped_without_the_note(few, login):
    wave = few.waves.get()
    for i in range(12, 24):
        answer(few, wave, nps=[2, 9][i % 2], comment=COMMENTS[i % len(COMMENTS)],
               day=dt.date(2026, 3, 4))
    result = V.explore(few, V.VerbatimFilters())
    assert result.total == 36 and result.themes
    page = login("marketing").get("/insights/verbatims/", {"survey": few.slug}).content.decode()
    assert 'role="note"' not in page
