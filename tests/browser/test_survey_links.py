"""The marketing lead goes from a survey's page to its results and back, and reads the
survey's open link at the address the browser reached Phare at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from phare.listening import services
from tests.listening.factories import make_barometer
from tests.tickets.factories import open_ticket_survey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_survey_links_to_its_results_and_back(page, sign_in, shot, personas, settings,
                                                live_server, tmp_path, language):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    settings.PHARE_BASE_URL_GIVEN = False
    survey = services.survey_update(make_barometer(created_by=personas["marketing"]),
                                    open_link=True)
    tickets = open_ticket_survey()
    # The links by their data- attribute (their French comes with the catalogue's merge); in
    # English by their names too.
    results, manage = page.locator("a[data-results]"), page.locator("a[data-manage]")
    sign_in("marketing")
    if language == "en":
        page.get_by_role("button", name="EN", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/surveys/{survey.slug}/")
    # The open link is where this browser reaches Phare (the test server's own port).
    expect(page.locator(".open-link code")).to_have_text(
        re.compile("^" + re.escape(f"{live_server.url}/s/")))
    shot(f"survey-links-builder-{language}")
    if language == "en":
        expect(results).to_have_text("See the results")
    results.click()
    expect(page).to_have_url(re.compile(f"/insights/barometer/{survey.slug}/$"))
    shot(f"survey-links-barometer-{language}")
    if language == "en":
        expect(manage).to_have_text("Manage the survey")
    manage.click()
    expect(page).to_have_url(re.compile(f"/surveys/{survey.slug}/$"))
    # Ticket feedback: its results are the ticket experience, which leads to its management.
    page.goto(f"/surveys/{tickets.slug}/")
    results.click()
    expect(page).to_have_url(re.compile("/insights/tickets/$"))
    if language == "en":
        expect(manage).to_have_text("Manage the ticket survey")
    manage.click()
    expect(page).to_have_url(re.compile("/surveys/tickets/$"))
