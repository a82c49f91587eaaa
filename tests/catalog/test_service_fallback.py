"""The service page in the reader's language: a text written only in the other language is
shown, carrying its ``lang`` and a visible “(in French)” / “(en anglais)”."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.catalog.factories import make_families, make_service

IN_FRENCH = '<span class="lang-fallback muted">(in French)</span>'
IN_ENGLISH = '<span class="lang-fallback muted">(en anglais)</span>'


@pytest.fixture
def french_only(personas):
    make_families()
    return make_service("scanner", name_fr="Scanner en entrepôt",
                        promise_fr="Des lots scannés sans papier",
                        description_fr="Un **scanner** par quai.", family="collab")


@pytest.fixture
def english_only(personas):
    make_families()
    return make_service("laptops", name_fr="Portables", name_en="Laptops",
                        promise_fr="Un portable", promise_en="A laptop",
                        description_en="One **laptop** each.", family="collab")


def _page(login, slug: str) -> str:
    response = login("employee").get(reverse("catalog:service", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_english_reader_sees_the_french_texts_marked_as_french(login, french_only, english):
    page = _page(login, "scanner")
    assert f'<h1><span lang="fr">Scanner en entrepôt</span> {IN_FRENCH}</h1>' in page
    assert f'<span lang="fr">Des lots scannés sans papier</span> {IN_FRENCH}' in page
    # The Markdown description is a block: the marker above it, the block in French.
    assert (f'<div class="lang-fallback-block"><p>{IN_FRENCH}</p><div lang="fr">'
            '<p>Un <strong>scanner</strong> par quai.</p>') in page
    # The family has both names: nothing to mark.
    assert "Collaborating</p>" in page


def test_a_french_reader_sees_french_texts_unmarked(login, french_only):
    page = _page(login, "scanner")
    assert "<h1>Scanner en entrepôt</h1>" in page
    assert "lang-fallback" not in page


def test_a_french_reader_sees_an_english_description_marked_as_english(login, english_only):
    page = _page(login, "laptops")
    assert "<h1>Portables</h1>" in page
    assert (f'<div class="lang-fallback-block"><p>{IN_ENGLISH}</p><div lang="en">'
            '<p>One <strong>laptop</strong> each.</p>') in page


def test_an_english_reader_sees_the_english_description_unmarked(login, english_only, english):
    page = _page(login, "laptops")
    assert "<h1>Laptops</h1>" in page and "<p>One <strong>laptop</strong> each.</p>" in page
    assert "lang-fallback" not in page
