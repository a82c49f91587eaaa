"""The builder's page for one of a survey's languages other than French and English: every
text beside its reference, saved at once or not at all, in a new version once answered."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from phare.listening import services
from phare.listening.models import Response, Survey
from tests.listening.factories import german_survey

pytestmark = pytest.mark.django_db


def page_url(survey: Survey, language: str) -> str:
    return reverse("listening:survey_translation", args=[survey.slug, language])


@pytest.fixture
def survey() -> Survey:
    return german_survey(languages=["de", "fr", "it"])


@pytest.fixture
def marketing(login, english):
    return login("marketing")


def test_the_page_shows_each_text_beside_its_reference(marketing, survey):
    page = html.unescape(marketing.get(page_url(survey, "it")).content.decode())
    assert "<h1>Texts in Italian</h1>" in page
    assert 'name="q.often.options.w" value="" lang="it"' in page
    # The reference is the survey's first language (German), with its lang.
    assert '<span lang="de">Jede Woche</span>' in page
    assert '<span lang="de">Die Bibliothek</span>' in page
    # Writing German itself shows French beside it.
    german = html.unescape(marketing.get(page_url(survey, "de")).content.decode())
    assert 'name="q.often.options.w" value="Jede Woche"' in german
    assert '<span lang="fr">Chaque semaine</span>' in german
    survey_page = html.unescape(marketing.get(
        reverse("listening:survey", args=[survey.slug])).content.decode())
    assert f'href="{page_url(survey, "it")}"' in survey_page


def test_saving_writes_the_language_and_keeps_the_others(marketing, survey):
    done = marketing.post(page_url(survey, "it"), {
        "survey.title": "La biblioteca", "survey.intro": "", "q.often.text": "Quanto spesso?",
        "q.often.options.w": "Ogni settimana", "q.why.text": "  "})
    assert done.status_code == 302
    survey.refresh_from_db()
    assert survey.translations["it"] == {"title": "La biblioteca"}
    assert survey.translations["de"]["title"] == "Die Bibliothek"
    often = survey.current_version().questions.get(code="often")
    assert often.translations["it"] == {"text": "Quanto spesso?",
                                        "options": {"w": "Ogni settimana"}}
    assert often.translations["de"]["text"] == "Wie oft kommen Sie?"
    assert "it" not in survey.current_version().questions.get(code="why").translations
    assert survey.versions.count() == 1


def test_a_text_too_long_refuses_everything_saying_where(marketing, survey):
    refused = marketing.post(page_url(survey, "it"), {
        "survey.title": "x" * 201, "q.often.text": "Quanto spesso?"})
    assert refused.status_code == 422
    body = html.unescape(refused.content.decode())
    assert "survey.title: at most 200 characters (201 given)." in body
    survey.refresh_from_db()
    assert "it" not in survey.translations
    assert "it" not in survey.current_version().questions.get(code="often").translations


def test_an_answered_version_gets_a_new_one_with_the_texts(marketing, survey):
    services.response_record(survey=survey, version=survey.current_version(), wave=None,
                             answers={"often": "w"}, channel=Response.Channel.OPEN_LINK,
                             language="de")
    answered = survey.current_version()
    marketing.post(page_url(survey, "it"), {"q.often.text": "Quanto spesso?"})
    assert survey.versions.count() == 2
    assert survey.current_version().questions.get(code="often").translations["it"] == {
        "text": "Quanto spesso?"}
    assert "it" not in answered.questions.get(code="often").translations


def test_french_english_and_other_languages_have_no_such_page(marketing, survey, login):
    assert marketing.get(page_url(survey, "fr")).status_code == 404
    assert marketing.get(page_url(survey, "es")).status_code == 404
    assert login("employee").get(page_url(survey, "it")).status_code in (302, 403)
