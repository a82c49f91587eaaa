"""Pages written for the person who reads them, clicked through: the catalogue history in
words, a search that finds nothing, a ticket to rate by its subject, comments with their band
and language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.catalog.factories import content, make_families, make_service
from tests.insights.factories import add_wave

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 860}


def _english(page):
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_catalogue_history_reads_as_words(page, sign_in, shot, personas):
    from phare.catalog import services

    make_families()
    services.service_create(user=personas["marketing"], data=content(
        name_fr="Visioconférence", family="remote", audience_everyone=False,
        audience_units=["VEN"], cost_unit="user_month", unit_cost="150000.00",
        charging="charged_back", owner="E0003",
        commitments=[{"text_fr": "Salle prête en 5 minutes", "target": "90",
                      "unit": "percent"}]))
    sign_in("marketing")
    _english(page)
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("catalog:manage_detail", args=["visioconference"]))
    history = page.locator("ol.history")
    expect(history.get_by_role("cell", name="Working remotely")).to_be_visible()
    expect(history.get_by_role("cell", name="Olivier Owner")).to_be_visible()
    expect(history.get_by_role("cell", name="150,000 €")).to_be_visible()
    text = history.inner_text()
    assert "E0003" not in text and "150000.00" not in text and "| percent" not in text
    badge = page.locator(".badge").first  # a badge never breaks over two lines
    assert badge.evaluate("b => getComputedStyle(b).whiteSpace") == "nowrap"
    shot("catalog-history-words-en")
    page.get_by_role("button", name="FR").click()
    expect(history.get_by_role("cell", name="Travailler à distance")).to_be_visible()
    shot("catalog-history-words-fr")


def test_a_search_that_finds_nothing_leads_to_the_desk_or_a_need(page, sign_in, shot,
                                                                  personas):
    from phare.catalog.search import index_service

    make_families()
    index_service(make_service("centre-de-services", name_fr="Centre de services informatiques",
                               name_en="IT service desk", family="support"))
    sign_in("employee")
    page.goto(reverse("catalog:search") + "?q=imprimante+3D")
    page.set_viewport_size(PHONE)
    desk = reverse("catalog:service", args=["centre-de-services"])
    expect(page.locator(f".no-hit a[href='{desk}']")).to_be_visible()
    shot("catalog-search-nothing-fr-phone")
    page.set_viewport_size(DESKTOP)
    _english(page)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="propose a need", exact=False).click()
    expect(page.get_by_label("Title")).to_have_value("imprimante 3D")
    # The form fits the phone's width: nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("catalog-search-to-need-en-phone")


def test_the_rating_page_names_the_ticket_by_its_subject(page, shot, personas):
    from phare.listening.models import Invitation
    from phare.tickets import services as tickets
    from tests.tickets.factories import open_ticket_survey, ticket_row

    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC0012345", subject="Le VPN décroche sans arrêt")])
    tickets.send_due_ticket_invitations()
    invitation = Invitation.objects.get(ticket__external_id="INC0012345")
    page.set_viewport_size(PHONE)
    page.goto(reverse("tickets:rate", args=[invitation.token, 8]))
    expect(page.get_by_text("Le VPN décroche sans arrêt")).to_be_visible()
    shot("tickets-rate-subject-phone")


def test_each_comment_shows_its_band_and_language(page, sign_in, shot, personas, settings,
                                                  tmp_path):
    from phare.listening import services
    from phare.listening.models import Response
    from tests.listening.factories import full_answers, make_barometer

    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2026, 3, 2))
    texts = {"fr": ["Le VPN coupe sans arrêt en télétravail", "Mot de passe réinitialisé vite",
                    "Technicien très sympathique et efficace"],
             "en": ["The VPN keeps dropping when working from home",
                    "Password reset quickly", "Very friendly and efficient technician"]}
    for i in range(30):
        language = "fr" if i % 3 else "en"
        response = services.response_submit(
            survey=survey, wave=wave, channel="invitation", language=language,
            answers={**full_answers([3, 8, 10][i % 3]), "comment": texts[language][i % 3]},
            segment={"unit_code": "VEN", "site_code": "LYS", "job_family_code": "COM"})
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2026, 3, 4))
    sign_in("marketing")
    page.set_viewport_size(DESKTOP)
    page.goto("/insights/verbatims/")
    expect(page.locator(".verbatim-list .badge.band-low").first).to_be_visible()
    shot("insights-verbatims-bands-fr")
    _english(page)
    expect(page.locator(".verbatim-list .badge.band-high").first).to_have_text("Promoter")
    expect(page.locator(".verbatim-list .meta", has_text="in English").first).to_be_visible()
    page.set_viewport_size(PHONE)
    shot("insights-verbatims-bands-en-phone")
