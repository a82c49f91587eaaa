"""What people see: their preferences (opt out, undo; notices always received), the portal
news fragment on the portal's home and on a service's page, and the quiet periods pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from phare.contact.models import OptOut, QuietPeriod
from phare.listening.models import OptOut as SurveyOptOut
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_plan

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_has_its_addresses():
    assert reverse("comms:preferences") == "/comms/preferences/"
    assert reverse("comms:quiet_periods") == "/comms/quiet-periods/"
    assert reverse("comms:quiet_period_new") == "/comms/quiet-periods/new/"
    assert reverse("comms:quiet_period_edit", args=[2]) == "/comms/quiet-periods/2/"
    assert reverse("comms:quiet_period_delete", args=[2]) == "/comms/quiet-periods/2/delete/"
    assert reverse("comms:news") == "/comms/news/"


# --- preferences ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "marketing", "owner", "executive", "employee"])
def test_it_shows_everyone_their_preferences(login, who):
    page = english(login(who)).get("/comms/preferences/").content.decode()
    assert 'data-category="notice"' in page and "Always received" in page
    assert page.count("Stop receiving") == 3


def test_it_says_so_to_an_account_without_a_person(client, personas):
    admin = personas["admin"]
    admin.person = None
    admin.save()
    client.force_login(admin)
    page = english(client).get("/comms/preferences/").content.decode()
    assert "not linked to a person of the directory" in page


def test_it_opts_out_and_back_in_with_undo(login, personas):
    person = personas["employee"].person
    client = english(login("employee"))
    response = client.post("/comms/preferences/", {"category": "newsletter", "receive": "0"})
    assert response.status_code == 302
    assert list(OptOut.objects.filter(person=person).values_list("category", flat=True)) == [
        "newsletter"]
    page = client.get(response["Location"]).content.decode()
    assert "You no longer receive “News and campaigns”." in page
    assert 'class="card highlight undo"' in page and 'name="receive" value="1"' in page
    # Undo.
    response = client.post("/comms/preferences/", {"category": "newsletter", "receive": "1"})
    assert not OptOut.objects.filter(person=person).exists()
    assert "You receive “News and campaigns” again." in client.get(
        response["Location"]).content.decode()


def test_it_keeps_the_survey_opt_out_in_listening(login, personas):
    person = personas["employee"].person
    client = english(login("employee"))
    client.post("/comms/preferences/", {"category": "survey", "receive": "0"})
    assert SurveyOptOut.objects.filter(person=person).exists()
    assert not OptOut.objects.exists()
    page = client.get("/comms/preferences/").content.decode()
    row = page[page.index('data-category="survey"'):]
    assert "Receive again" in row[:row.index("</tr>")]
    client.post("/comms/preferences/", {"category": "survey", "receive": "1"})
    assert not SurveyOptOut.objects.exists()


def test_it_refuses_to_stop_service_notices(login):
    client = english(login("employee"))
    response = client.post("/comms/preferences/", {"category": "notice", "receive": "0"},
                           follow=True)
    assert "Service notices cannot be unsubscribed from" in response.content.decode()
    assert not OptOut.objects.exists()
    response = client.post("/comms/preferences/", {"category": "spam", "receive": "0"},
                           follow=True)
    assert "Choose a category of messages" in response.content.decode()


# --- quiet periods ----------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "status"), [("marketing", 200), ("admin", 200),
                                             ("executive", 403), ("owner", 403),
                                             ("employee", 403)])
def test_it_opens_quiet_periods_to_the_managers(login, who, status):
    period = QuietPeriod.objects.create(name="Clôture", starts_on=dt.date(2027, 1, 1),
                                        ends_on=dt.date(2027, 1, 10))
    client = login(who)
    assert client.get("/comms/quiet-periods/").status_code == status
    assert client.get("/comms/quiet-periods/new/").status_code == status
    assert client.get(f"/comms/quiet-periods/{period.pk}/").status_code == status


def test_it_creates_edits_and_deletes_a_quiet_period(login, org):
    client = english(login("marketing"))
    response = client.post("/comms/quiet-periods/new/", {
        "name": "Clôture des comptes", "starts_on": "2027-01-02", "ends_on": "2027-01-12",
        "units": [org["sales"].pk], "categories": ["survey", "newsletter"]})
    assert response.status_code == 302
    period = QuietPeriod.objects.get()
    assert (period.categories, list(period.units.all())) == (["survey", "newsletter"],
                                                             [org["sales"]])
    page = client.get("/comms/quiet-periods/").content.decode()
    assert "Clôture des comptes" in page and "Ventes" in page
    assert "Surveys, News and campaigns" in page
    response = client.post(f"/comms/quiet-periods/{period.pk}/", {
        "name": "Clôture", "starts_on": "2027-01-02", "ends_on": "2027-01-05"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.name, period.categories, list(period.units.all())) == ("Clôture", [], [])
    assert "Everyone" in client.get("/comms/quiet-periods/").content.decode()
    assert client.get(f"/comms/quiet-periods/{period.pk}/delete/").status_code == 405
    assert client.post(f"/comms/quiet-periods/{period.pk}/delete/").status_code == 302
    assert not QuietPeriod.objects.exists()


def test_it_puts_quiet_period_errors_on_their_fields(login):
    client = english(login("marketing"))
    response = client.post("/comms/quiet-periods/new/", {
        "name": "", "starts_on": "2027-01-12", "ends_on": "pas une date",
        "categories": ["notice"]})
    form = response.context["form"]
    assert set(form.errors) == {"name", "ends_on", "categories"}
    response = client.post("/comms/quiet-periods/new/", {
        "name": "À l'envers", "starts_on": "2027-01-12", "ends_on": "2027-01-02"})
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["The last day comes before the first."]
    assert not QuietPeriod.objects.exists()


# --- portal news ------------------------------------------------------------------------------

@pytest.fixture
def news(personas):
    make_families()
    teams = make_service("teams", name_fr="Teams", name_en="Teams")
    make_service("vpn", name_fr="VPN", name_en="VPN")
    today = timezone.localdate()
    plan = make_plan(personas["marketing"])
    shown = {"channel": "portal", "starts_on": today - dt.timedelta(days=2),
             "expires_on": today + dt.timedelta(days=5)}
    make_action(plan, "Teams", status="done", services=[teams], subject_fr="Teams arrive",
                subject_en="Teams is here", body_fr="Lisez **le guide**.",
                body_en="Read **the guide**. <script>alert(1)</script>", **shown)
    make_action(plan, "Général", status="approved", subject_fr="Nouveau portail",
                subject_en="", body_fr="Bienvenue.", body_en="", **shown)
    make_action(plan, "Brouillon", status="ready", subject_fr="Pas encore", **shown)
    make_action(plan, "Expirée", status="done", subject_fr="Trop tard", channel="portal",
                starts_on=today - dt.timedelta(days=9), expires_on=today - dt.timedelta(days=1))
    make_action(plan, "Demain", status="done", subject_fr="Bientôt", channel="portal",
                starts_on=today + dt.timedelta(days=1), expires_on=today + dt.timedelta(days=9))
    make_action(plan, "Courriel", status="done", subject_fr="Par courriel",
                starts_on=today, expires_on=today + dt.timedelta(days=3))
    return teams


@pytest.mark.parametrize("who", ["admin", "marketing", "owner", "executive", "employee"])
def test_it_gives_everyone_today_s_portal_news(login, news, who):
    page = login(who).get("/comms/news/").content.decode()
    assert "Teams arrive" in page and "Nouveau portail" in page
    assert "<strong>le guide</strong>" in page
    for hidden in ("Pas encore", "Trop tard", "Bientôt", "Par courriel"):
        assert hidden not in page


def test_it_gives_a_service_page_its_news_in_the_reader_s_language(login, news):
    page = english(login("employee")).get("/comms/news/", {"service": "teams"}).content.decode()
    assert "Teams is here" in page and "<strong>the guide</strong>" in page
    assert "<script>" not in page
    assert "Nouveau portail" not in page
    # Written in French only: shown in French to an English reader.
    assert "Nouveau portail" in english(login("employee")).get("/comms/news/").content.decode()
    assert "News from the IT department" not in login("employee").get(
        "/comms/news/", {"service": "vpn"}).content.decode()


def test_it_loads_the_news_on_the_portal_and_the_service_page(login, news):
    client = login("employee")
    home = client.get(reverse("catalog:home")).content.decode()
    assert f'hx-get="{reverse("comms:news")}"' in home
    service = client.get(reverse("catalog:service", args=["teams"])).content.decode()
    assert f'hx-get="{reverse("comms:news")}?service=teams"' in service


def test_it_sends_visitors_to_sign_in_for_the_news(client):
    assert client.get("/comms/news/").status_code == 302
