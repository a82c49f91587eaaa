"""An employee answers the barometer on a phone: a display condition, the grid, the thanks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from phare.listening import services
from phare.listening.models import Invitation, Response, Survey
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def invitation(personas) -> Invitation:
    survey = make_barometer(created_by=personas["marketing"],
                            intro_fr="Dix minutes pour nous aider à mieux vous servir.",
                            thanks_fr="Merci ! Les résultats seront partagés en mars.")
    services.survey_set_status(survey, Survey.Status.OPEN)
    person = personas["employee"].person
    return Invitation.objects.create(survey=survey, version=survey.current_version(),
                                     person=person, email=person.email, language="fr",
                                     **services.segment_of(person))


def rate(page, group, value: str) -> None:
    # The ends of a scale also carry their label in their name ("5 — Very important").
    group.get_by_role("radio", name=re.compile(rf"^{value}\b")).check()


def test_it_lets_an_employee_answer_a_barometer_on_a_phone(page, shot, invitation):
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baromètre de satisfaction IT")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    nps = page.get_by_role("radiogroup", name="Recommanderiez-vous la DSI à un collègue ?")
    why = page.get_by_label("Qu'est-ce qui n'a pas été ?")
    expect(why).to_have_count(0)
    rate(page, nps, "4")
    # The display condition: shown at once (htmx), without leaving the page.
    expect(why).to_be_visible()
    why.fill("Le VPN coupe tous les jours.")
    rate(page, page.get_by_role("radiogroup", name="Êtes-vous satisfait ?"), "3")
    # The whole NPS row fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("respond-phone-section-1-condition")
    page.locator("button[value=next]").click()
    expect(page.locator("progress")).to_have_attribute("value", "2")
    expect(page.get_by_role("heading", name="Qualité de service")).to_be_visible()
    grid = page.get_by_role("group", name="Importance et satisfaction")
    for attribute, importance, satisfaction in (("Réactivité", "5", "2"),
                                                ("Compétence", "4", "4"),
                                                ("Communication", "3", "3")):
        row = grid.get_by_role("group", name=attribute)
        rate(page, row.get_by_role("radiogroup", name="Importance"), importance)
        rate(page, row.get_by_role("radiogroup", name="Satisfaction"), satisfaction)
    page.get_by_label("VPN").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("respond-phone-section-2-grid")
    page.locator("button[value=submit]").click()
    expect(page.get_by_text("Merci ! Les résultats seront partagés en mars.")).to_be_visible()
    shot("respond-phone-thanks")
    response = Response.objects.get()
    assert response.answers["nps"] == 4 and response.answers["csat"] == 3
    assert response.answers["why_low"] == "Le VPN coupe tous les jours."
    assert response.answers["grid"] == {
        "reactivite": {"importance": 5, "satisfaction": 2},
        "competence": {"importance": 4, "satisfaction": 4},
        "communication": {"importance": 3, "satisfaction": 3},
    }
    assert response.answers["tools"] == ["vpn"]
    assert response.invitation_id is None  # anonymous
    # Coming back to the link: already answered.
    page.goto(f"/s/{invitation.token}/")
    expect(page.get_by_role("radiogroup")).to_have_count(0)
