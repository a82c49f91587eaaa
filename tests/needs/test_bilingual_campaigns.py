"""An arbitration campaign's name in French and English: the lead types both, pages and the
decision's emails speak the reader's, and a name in French only is marked as such."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from phare.needs import notifications, services
from phare.needs.models import Campaign, Notification, Vote
from tests.core.factories import latest_migrations, migrate_to
from tests.needs.factories import make_campaign, make_need, score

MARKED = ('<span lang="fr">Arbitrage du printemps</span> <span class="lang-fallback muted">'
          '(in French)</span>')


@pytest.fixture
def needs(people, teams):
    return [score(make_need(people["employee"], f"Besoin {i}"), value=1 + i, one_off=20,
                  efforts={"data": 5}) for i in range(2)]


def test_the_name_is_french_and_the_english_one_is_read_in_english(personas, needs):
    campaign = make_campaign(personas["marketing"], needs, name=" Arbitrage 2026 ",
                             name_en=" 2026 arbitration ")
    assert (campaign.name_fr, campaign.name_en) == ("Arbitrage 2026", "2026 arbitration")
    with translation.override("en"):
        assert campaign.name == str(campaign) == "2026 arbitration"
    with translation.override("fr"):
        assert campaign.name == "Arbitrage 2026"


def test_the_pages_show_the_english_name_and_mark_a_french_one(login, personas, needs,
                                                               english):
    named = make_campaign(personas["marketing"], needs, name="Arbitrage 2026",
                          name_en="2026 arbitration")
    french = make_campaign(personas["marketing"], [], name="Arbitrage du printemps")
    client = login("marketing")
    listing = client.get("/needs/campaigns/").content.decode()
    assert ">2026 arbitration</a>" in listing and "Arbitrage 2026" not in listing
    assert f">{MARKED}</a>" in listing
    assert "<h1>2026 arbitration</h1>" in client.get(
        f"/needs/campaigns/{named.pk}/").content.decode()
    assert f"<h1>{MARKED}</h1>" in client.get(f"/needs/campaigns/{french.pk}/").content.decode()


def test_the_form_takes_both_names(login, teams):
    client = login("marketing")
    form = client.get("/needs/campaigns/new/").content.decode()
    assert 'name="name_fr"' in form and 'name="name_en"' in form
    response = client.post("/needs/campaigns/new/", {
        "name_fr": "Arbitrage T2", "name_en": "Q2 arbitration", "method": "weighted",
        "budget_one_off": "50", "budget_recurring": "10"})
    assert response.status_code == 302, response.content.decode()
    assert Campaign.objects.values_list("name_fr", "name_en").get() == (
        "Arbitrage T2", "Q2 arbitration")


def test_the_api_takes_name_as_french_and_name_en(api, teams):
    payload = {"name": "Arbitrage API", "name_en": "API arbitration", "method": "weighted",
               "budget_one_off": 45, "budget_recurring": 10}
    created = api("marketing", "POST", "/need-campaigns", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name_fr"], body["name_en"]) == ("Arbitrage API", "API arbitration")
    del payload["name_en"]  # a client that knows nothing of English names
    changed = api("marketing", "PUT", f"/need-campaigns/{body['id']}", payload)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name_fr"], changed.json()["name_en"]) == ("Arbitrage API", "")


def test_the_decisions_email_names_the_campaign_in_its_readers_language(
        personas, people, teams, needs, django_capture_on_commit_callbacks):
    Vote.objects.create(need=needs[0], person=people["owner"])
    campaign = make_campaign(personas["marketing"], needs, budget=45, capacities={"data": 50},
                             name="Arbitrage 2026", name_en="2026 arbitration")
    arbitration = services.arbitration_explain(services.arbitration_run(
        user=personas["marketing"], campaign=campaign, explain=False))
    services.decision_record(user=personas["marketing"], campaign=campaign,
                             arbitration=arbitration, reason="Le budget de l'année.")
    services.decision_publish(user=personas["marketing"], campaign=campaign)
    told = Notification.objects.filter(kind=Notification.Kind.DECISION).first()
    assert told is not None
    with translation.override("en"):
        headline = notifications.render_item(told).headline
    assert "“2026 arbitration”" in headline and "Arbitrage" not in headline
    with translation.override("fr"):
        headline = notifications.render_item(told).headline
    assert "Arbitrage 2026" in headline and "2026 arbitration" not in headline
    # A notification queued before names had two languages says the French one.
    told.payload = {key: value for key, value in told.payload.items()
                    if key != "campaign_names"}
    with translation.override("en"):
        assert "“Arbitrage 2026”" in notifications.render_item(told).headline


def test_the_published_decision_marks_what_was_written_in_the_other_language(
        login, personas, people, teams, needs, english):
    with translation.override("fr"):  # the lead writes in French
        campaign = make_campaign(personas["marketing"], needs, budget=45,
                                 capacities={"data": 50}, name="Arbitrage 2026",
                                 name_en="2026 arbitration")
        services.campaign_save(user=personas["marketing"], campaign=campaign,
                               name="Arbitrage 2026", name_en="2026 arbitration",
                               description="Le premier arbitrage.", budget_one_off=45,
                               budget_recurring=0, method=campaign.method)
        arbitration = services.arbitration_explain(services.arbitration_run(
            user=personas["marketing"], campaign=campaign, explain=False))
        services.decision_record(user=personas["marketing"], campaign=campaign,
                                 arbitration=arbitration, reason="Le budget de l’année.")
        services.decision_publish(user=personas["marketing"], campaign=campaign)
    page = login("employee").get(f"/needs/decisions/{campaign.pk}/").content.decode()
    in_french = '<span class="lang-fallback muted">(in French)</span>'
    assert f'<span lang="fr">Le premier arbitrage.</span> {in_french}' in page
    assert f'<span lang="fr">Le budget de l’année.</span> {in_french}' in page
    assert f'<span lang="fr">Besoin 0</span> {in_french}' in page
    with translation.override("en"):  # a description written in English is English
        other = make_campaign(personas["marketing"], [], name="Arbitrage d’automne")
        services.campaign_save(user=personas["marketing"], campaign=other,
                               name="Arbitrage d’automne", description="The autumn one.",
                               budget_one_off=45, budget_recurring=0, method=other.method)
    other.refresh_from_db()
    assert (other.description, other.language) == ("The autumn one.", "en")


# --- the migration: an existing name becomes the French one -----------------------------------

BEFORE = [("needs", "0001_initial")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_name_as_the_french_one():
    latest = latest_migrations()
    executor = migrate_to(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    apps.get_model("needs", "Campaign").objects.create(
        name="Arbitrage 2025", budget_one_off=10, budget_recurring=5)

    migrate_to(latest)
    campaign = Campaign.objects.get()
    assert (campaign.name_fr, campaign.name_en) == ("Arbitrage 2025", "")
    with translation.override("en"):
        assert campaign.name == "Arbitrage 2025"
    assert campaign.created_at.date() <= dt.date.today()
