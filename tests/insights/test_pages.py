from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer


def test_the_home_lists_barometers_with_answers(login, two_waves):
    survey, *_ = two_waves
    make_barometer("sans-reponse")
    page = login("executive").get("/insights/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/insights/barometer/{survey.slug}/" in html
    assert "/insights/barometer/sans-reponse/" not in html
    # Its answers, each counted once (12 + 10 in two waves; it read 44, once per wave).
    assert re.findall(r'class="badge">\s*(\d+)', html) == ["22"]


def test_the_barometer_shows_indices_with_n_and_intervals(login, two_waves):
    survey, *_ = two_waves
    page = login("marketing").get(f"/insights/barometer/{survey.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="chart-nps-trend"' in html and "n = 22" in html
    assert '<span class="figure" data-figure="nps">40</span>' in html
    # DSI has 4 answers in wave 1 and none in wave 2: never in a figure (only in the filter).
    figures = html[html.index('id="dashboard"'):html.index('</main>')]
    # (the metrics' definitions, shown on hover, speak of "la DSI": not a figure)
    figures = re.sub(r'<span class="metric-tip"[^>]*>.*?</span>', "", figures, flags=re.S)
    assert "information" not in figures and "DSI" not in figures


def test_filters_apply_to_the_whole_page_and_small_groups_show_nothing(login, two_waves):
    survey, *_ = two_waves
    client = login("marketing")
    page = client.get(f"/insights/barometer/{survey.slug}/", {"unit": "DSI"})
    html = page.content.decode()
    assert "chart-nps-trend" not in html
    assert "Tous" in html or "All" in html  # the filter form is still there
    partial = client.get(f"/insights/barometer/{survey.slug}/", {"unit": "VEN", "wave": "2"},
                         HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "n = 10" in partial.content.decode()


def test_each_chart_downloads_its_data_as_csv(login, two_waves):
    survey, *_ = two_waves
    response = login("marketing").get(f"/insights/barometer/{survey.slug}/",
                                      {"csv": "nps-trend"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[1].startswith("Vague 1,25")


def test_a_parent_unit_covers_its_sub_units(login, personas, org):
    survey = make_barometer("arbre")
    wave = add_wave(survey, 1, dt.date(2025, 3, 3))
    for i in range(6):
        answer(survey, wave, nps=9 if i % 2 else 5, unit="DSI")
    html = login("marketing").get(f"/insights/barometer/{survey.slug}/",
                                  {"unit": "DG"}).content.decode()
    assert "n = 6" in html


def test_employees_and_owners_cannot_see_the_barometer(login, two_waves):
    survey, *_ = two_waves
    for persona in ("employee", "owner"):
        assert login(persona).get(f"/insights/barometer/{survey.slug}/").status_code == 403


def test_the_ticket_experience_page(login, personas):
    from phare.listening import services
    from phare.tickets.services import ticket_survey_create
    from tests.insights.factories import rate

    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(15):
        rate(survey, None, i, rating=[3, 9, 10][i % 3], lost=["day", "none", "none"][i % 3],
             reasons=["slow"] if i % 3 == 0 else ["fast"], reassignments=2 if i % 3 == 0 else 0)
    html = login("executive").get("/insights/tickets/").content.decode()
    assert 'id="chart-reassignments"' in html and 'id="chart-pareto"' in html
    assert "n = 15" in html
    csv = login("marketing").get("/insights/tickets/", {"csv": "reassignments"})
    assert csv.content.decode("utf-8-sig").splitlines()[1].startswith("0,100")
    # An owner of no service sees nothing of these tickets.
    owner_html = login("owner").get("/insights/tickets/").content.decode()
    assert "chart-reassignments" not in owner_html
    assert "/insights/barometer/" not in login("owner").get("/insights/").content.decode()


def test_the_ticket_page_filters_by_service(login, personas):
    from phare.catalog.models import Service
    from phare.listening import services
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    make_families()
    make_service("visio", name_fr="Visioconférence", family="collab")
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(8):
        rate(survey, None, i, rating=9, lost="none")
    Ticket.objects.filter(external_id__in=["INC00000", "INC00001"]).update(
        service=Service.objects.get(slug="visio"))
    client = login("marketing")
    assert "n = 8" in client.get("/insights/tickets/").content.decode()
    filtered = client.get("/insights/tickets/", {"service": "visio"}).content.decode()
    assert "n = 8" not in filtered and "Visioconférence" in filtered


def test_a_bad_barometer_filter_is_shown_and_the_page_shows_every_answer(login, two_waves):
    survey, *_ = two_waves
    html = login("marketing").get(f"/insights/barometer/{survey.slug}/",
                                  {"unit": "NOPE"}).content.decode()
    assert 'class="error"' in html and "n = 22" in html


@pytest.fixture
def rated_visio(personas):
    """Twelve rated tickets of "visio" (owned by the owner persona), half by phone, and eight
    of "messagerie" (someone else's), in March 2026."""
    from phare.listening import services
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    make_families()
    visio = make_service("visio", name_fr="Visioconférence", name_en="Video calls",
                         family="collab", owner="E0003")
    mail = make_service("messagerie", name_fr="Messagerie", name_en="Mail", family="collab",
                        owner="E0002")
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(20):
        rate(survey, None, i, rating=[9, 4][i % 2], lost="none",
             channel="phone" if i % 4 < 2 else "portal")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12)]).update(
        service=visio)
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12, 20)]).update(
        service=mail)
    return survey


def test_ticket_filters_narrow_and_a_bad_value_shows_nothing(login, rated_visio):
    client = login("marketing")
    assert "n = 20" in client.get("/insights/tickets/").content.decode()
    phone = client.get("/insights/tickets/", {"channel": "phone"}).content.decode()
    assert "n = 10" in phone and "n = 20" not in phone
    # A value the form does not offer is its field's error, and no figure is shown (as
    # before the form: an unknown channel, month or unit matched no ticket).
    for params in ({"channel": "fax"}, {"month": "2026-13"}, {"unit": "NOPE"},
                   {"service": "nothing"}):
        html = client.get("/insights/tickets/", params).content.decode()
        assert 'class="error"' in html and "n = " not in html, params


def test_an_owner_reads_their_own_services_tickets_only(login, rated_visio):
    client = login("owner")
    own = client.get("/insights/tickets/").content.decode()
    assert "n = 12" in own and "Messagerie" not in own
    other = client.get("/insights/tickets/", {"service": "messagerie"}).content.decode()
    assert 'class="error"' in other and "n = " not in other and "Messagerie" not in other
    csv = client.get("/insights/tickets/", {"service": "messagerie", "csv": "by-service"})
    assert csv.status_code == 404


def test_an_english_reader_sees_the_services_english_names(login, personas):
    from tests.catalog.factories import make_families, make_service

    make_families()
    make_service("visio", name_fr="Visioconférence", name_en="Video calls", family="collab")
    client = login("marketing")
    client.cookies["django_language"] = "en"
    html = client.get("/insights/tickets/").content.decode()
    assert "Video calls" in html and "Visioconférence" not in html
    verbatims = client.get("/insights/verbatims/").content.decode()
    assert "Video calls" in verbatims and "Visioconférence" not in verbatims
    client.cookies["django_language"] = "fr"
    assert "Visioconférence" in client.get("/insights/tickets/").content.decode()
