"""A survey's management page and its results link to each other, and the survey's open link
is shown at the address people reach Phare at: ``PHARE_BASE_URL`` when given, else the
address the page's request came to (never a made-up ``localhost:8000``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phare.listening import services
from phare.listening.models import Survey
from tests.listening.factories import make_barometer
from tests.tickets.factories import open_ticket_survey

pytestmark = pytest.mark.django_db


def open_barometer(personas) -> Survey:
    survey = make_barometer(created_by=personas["marketing"])
    return services.survey_update(survey, open_link=True)


def test_it_shows_the_open_link_at_the_address_the_page_was_asked_at(login, personas,
                                                                     settings):
    settings.PHARE_BASE_URL_GIVEN = False
    settings.PHARE_BASE_URL = "http://localhost:8000"  # what emails would use
    settings.ALLOWED_HOSTS = ["phare.intranet.test"]
    survey = open_barometer(personas)
    page = login("marketing").get(reverse("listening:survey", args=[survey.slug]),
                                  HTTP_HOST="phare.intranet.test:8123")
    assert page.status_code == 200
    path = reverse("answer:open", args=[survey.open_token])
    assert f"http://phare.intranet.test:8123{path}" in page.content.decode()
    assert "localhost:8000" not in page.content.decode()


def test_it_shows_the_open_link_under_phare_base_url_when_it_is_given(login, personas,
                                                                      settings):
    settings.PHARE_BASE_URL_GIVEN = True
    settings.PHARE_BASE_URL = "https://phare.example.com"
    survey = open_barometer(personas)
    page = login("marketing").get(reverse("listening:survey", args=[survey.slug]))
    path = reverse("answer:open", args=[survey.open_token])
    assert f"https://phare.example.com{path}" in page.content.decode()
    assert f"http://testserver{path}" not in page.content.decode()


def test_it_links_a_barometer_to_its_dashboard_and_back(login, personas):
    survey = make_barometer(created_by=personas["marketing"])
    client = login("marketing")
    builder = reverse("listening:survey", args=[survey.slug])
    dashboard = reverse("insights:barometer", args=[survey.slug])
    assert f'href="{dashboard}" data-results' in client.get(builder).content.decode()
    assert f'href="{builder}" data-manage' in client.get(dashboard).content.decode()


def test_it_links_the_ticket_survey_to_the_ticket_experience_and_back(login):
    survey = open_ticket_survey()
    client = login("marketing")
    builder = reverse("listening:survey", args=[survey.slug])
    experience, manage = reverse("insights:tickets"), reverse("tickets:manage")
    assert f'href="{experience}" data-results' in client.get(builder).content.decode()
    assert f'href="{manage}" data-manage' in client.get(experience).content.decode()


def test_it_offers_no_results_link_where_a_survey_has_no_dashboard(login, personas):
    pulse = services.survey_create(slug="pulse", kind=Survey.Kind.PULSE, title_fr="Pouls",
                                   created_by=personas["marketing"])
    page = login("marketing").get(reverse("listening:survey", args=[pulse.slug]))
    assert page.status_code == 200
    assert "data-results" not in page.content.decode()


def test_it_links_back_to_management_only_for_those_who_manage_surveys(login, personas):
    survey = make_barometer(created_by=personas["marketing"])
    dashboard = login("executive").get(reverse("insights:barometer", args=[survey.slug]))
    assert dashboard.status_code == 200
    assert "data-manage" not in dashboard.content.decode()
    experience = login("owner").get(reverse("insights:tickets"))
    assert experience.status_code == 200
    assert "data-manage" not in experience.content.decode()
