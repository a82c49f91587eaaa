"""The survey builder in the reader's language: a title, a section or an option written only in
the other language is shown with its ``lang`` and a visible “(in French)” / “(en anglais)”."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phare.listening import services

IN_FRENCH = '<span class="lang-fallback muted">(in French)</span>'
IN_ENGLISH = '<span class="lang-fallback muted">(en anglais)</span>'


@pytest.fixture
def pulse(personas):
    survey = services.survey_create(slug="pulse", kind="pulse", title_fr="Pulse de mars",
                                    created_by=personas["marketing"])
    services.section_update(survey, 1, title_en="Working from home")
    services.question_add(survey, code="where", type="single", text_fr="Où ?", text_en="Where?",
                          options=[{"code": "office", "label_fr": "Au bureau", "label_en": ""},
                                   {"code": "home", "label_fr": "", "label_en": "At home"}])
    return survey


def _builder(login) -> str:
    response = login("marketing").get(reverse("listening:survey", args=["pulse"]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_english_reader_sees_french_only_texts_marked(login, pulse, english):
    page = _builder(login)
    assert f'<h1><span lang="fr">Pulse de mars</span> {IN_FRENCH}</h1>' in page
    assert f'<span lang="fr">Au bureau</span> {IN_FRENCH}' in page
    # Written in English: read as it is, unmarked.
    assert "· Working from home</h3>" in page and "</span> At home</li>" in page
    listing = login("marketing").get(reverse("listening:surveys")).content.decode()
    assert f'<span lang="fr">Pulse de mars</span> {IN_FRENCH}</a>' in listing


def test_a_french_reader_sees_english_only_texts_marked(login, pulse):
    page = _builder(login)
    assert "<h1>Pulse de mars</h1>" in page
    assert f'· <span lang="en">Working from home</span> {IN_ENGLISH}</h3>' in page
    assert f'<span lang="en">At home</span> {IN_ENGLISH}' in page
    assert "</span> Au bureau</li>" in page


def test_the_preview_of_a_version_marks_texts_of_the_other_language(login, pulse, english):
    preview = login("marketing").get(reverse("listening:version", args=["pulse", 1])
                                     + "?lang=en").content.decode()
    assert f'<span lang="fr">Au bureau</span> {IN_FRENCH}' in preview
    assert "<h2>Working from home</h2>" in preview  # written in English: unmarked
