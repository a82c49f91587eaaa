"""A survey written in German and French answered in German on a phone 375 px wide: the
survey's languages offered beside the FR/EN switch, German texts with their ``lang``, the
interface still French, no sideways scrolling. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

import pytest

from phare.listening.models import Response, Survey
from tests.listening.factories import german_survey

PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def survey(personas) -> Survey:
    """The German and French survey of the listening tests, offered in Italian too."""
    return german_survey(languages=["de", "fr", "it"])


def test_a_german_survey_is_answered_in_german_on_a_phone(page, shot, survey):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    page.goto(f"/s/open/{survey.open_token}/")
    expect(page.locator("h1")).to_have_text("La bibliothèque")
    page.locator("nav.respond-survey-language").get_by_role("link", name="Deutsch").click()
    expect(page.locator("h1")).to_have_text("Die Bibliothek")
    expect(page.locator("h1")).to_have_attribute("lang", "de")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    group = page.get_by_role("radiogroup", name=re.compile("^Wie oft kommen Sie?"))
    expect(group).to_have_attribute("lang", "de")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("listening-languages-german-phone")
    group.get_by_role("radio", name="Jede Woche").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(f"**/s/open/{survey.open_token}/thanks/")
    expect(page.get_by_text("Danke schön.")).to_be_visible()
    response = Response.objects.get()
    assert (response.language, response.answers) == ("de", {"often": "w"})
