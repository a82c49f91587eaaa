"""A choice with a French label only (imports often bring no English) shows its French label
in English everywhere: respondent page, builder, results, exports and the API."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from phare.accounts.services import token_create
from phare.listening import services
from phare.listening.models import Invitation, Question, Survey
from tests.listening.factories import fill, make_export_survey

FRENCH_ONLY = [{"code": "office", "label_fr": "Au bureau"},
               {"code": "home", "label_fr": "À domicile", "label_en": None},
               {"code": "site", "label_fr": "Sur site", "label_en": ""}]


@pytest.fixture
def survey(personas) -> Survey:
    survey = make_export_survey(anonymity=Survey.Anonymity.CONFIDENTIAL)
    # As an import may store them: no English key, a null, an empty string.
    Question.objects.filter(version__survey=survey, code="site_pref").update(options=FRENCH_ONLY)
    fill(survey, 10)
    return services.survey_set_status(survey, Survey.Status.OPEN)


def _text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return html.unescape(response.content.decode())


def test_the_respondent_page_in_english_shows_the_french_labels(client, survey, personas):
    person = personas["employee"].person
    invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                           person=person, email=person.email, language="en",
                                           **services.segment_of(person))
    page = _text(client.get(f"/s/{invitation.token}/?section=2"))
    assert "Au bureau" in page and "À domicile" in page and "Sur site" in page


def test_the_builder_and_version_pages_show_the_french_labels(login, survey):
    client = login("marketing")
    client.cookies["django_language"] = "en"
    assert "À domicile" in _text(client.get(reverse("listening:survey", args=[survey.slug])))
    assert "À domicile" in _text(client.get(reverse("listening:version",
                                                    args=[survey.slug, 1])))


def test_the_exports_and_the_api_give_the_french_labels(client, personas, survey, tmp_path):
    _token, raw = token_create(user=personas["marketing"], name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/surveys/{survey.slug}/responses/export"
    csv = client.get(url, {"format": "csv", "labels": "true", "language": "en"}, **auth)
    assert "À domicile" in csv.content.decode("utf-8-sig")
    for fmt in ("xlsx", "sav"):
        assert client.get(url, {"format": fmt, "language": "en"}, **auth).status_code == 200
    detail = client.get(f"/api/v1/surveys/{survey.slug}", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert detail.status_code == 200, detail.content[:500]
    questions = detail.json()["current"]["questions"]
    options = {q["code"]: q["options"] for q in questions}["site_pref"]
    assert options[1] == {"code": "home", "label_fr": "À domicile", "label_en": ""}
    assert all(set(o) == {"code", "label_fr", "label_en"} for o in options)


def test_the_results_page_in_english_shows_the_french_labels(login, survey):
    client = login("marketing")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("insights:barometer", args=[survey.slug]))
    assert response.status_code == 200
