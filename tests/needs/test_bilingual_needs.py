"""Needs are written by employees in their own language: shown as written, never translated,
and marked "(in French)" / "(in English)" with their ``lang`` for readers of the other language."""

from __future__ import annotations

import pytest
from django.utils import translation

from phare.needs.models import Need
from tests.core.factories import latest_migrations, migrate_to
from tests.needs.factories import make_need


@pytest.fixture
def written(people):
    french = make_need(people["employee"], "Scanner les lots en entrepôt", language="fr")
    english = make_need(people["owner"], "Renew the salespeople's laptops", language="en")
    return french, english


def test_a_need_is_written_in_the_language_its_submitter_uses(people):
    with translation.override("en"):
        assert make_need(people["employee"], "Badge readers at Lyon").language == "en"
    with translation.override("fr"):
        assert make_need(people["employee"], "Lecteurs de badges").language == "fr"


def test_english_readers_see_a_french_need_marked_as_french(login, written, english):
    french, english_need = written
    client = login("marketing")
    listing = client.get("/needs/").content.decode()
    assert ('<span lang="fr">Scanner les lots en entrepôt</span> <span class="lang-fallback '
            'muted">(in French)</span>') in listing
    assert ">Renew the salespeople&#x27;s laptops</a>" in listing
    page = client.get(f"/needs/{french.pk}/").content.decode()
    assert '<h1><span lang="fr">Scanner les lots en entrepôt</span> <span' in page
    assert '<p class="pre" lang="fr">Scanner les lots en entrepôt.</p>' in page


def test_french_readers_see_an_english_need_marked_as_english(login, written):
    client = login("marketing")
    listing = client.get("/needs/").content.decode()
    assert '<span lang="en">Renew the salespeople&#x27;s laptops</span> <span' in listing
    assert "(en anglais)</span>" in listing and ">Scanner les lots en entrepôt</a>" in listing


def test_the_api_says_and_takes_the_language_a_need_is_written_in(api, people):
    written_en = api("employee", "POST", "/needs", {
        "title": "Badge readers", "description": "At the Lyon site.", "language": "en"})
    assert written_en.status_code == 201, written_en.content
    assert written_en.json()["language"] == "en"
    default = api("employee", "POST", "/needs", {"title": "Badges", "description": "À Lyon."})
    assert default.json()["language"] == "fr"  # the language the employee uses
    refused = api("employee", "POST", "/needs", {"title": "Badges", "description": "À Lyon.",
                                                 "language": "de"})
    assert refused.status_code == 422


# --- the migration: needs written before take their submitter's language -----------------------

BEFORE = [("needs", "0002_campaign_name_in_two_languages")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_needs_as_written_in_their_submitters_language():
    latest = latest_migrations()
    executor = migrate_to(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    unit = apps.get_model("directory", "BusinessUnit").objects.create(code="VEN", name="Ventes")
    Person = apps.get_model("directory", "Person")
    anna = Person.objects.create(employee_id="E1", first_name="Anna", last_name="Smith",
                                 email="anna@example.com", language="en", business_unit=unit)
    eric = Person.objects.create(employee_id="E2", first_name="Éric", last_name="Martin",
                                 email="eric@example.com", language="fr", business_unit=unit)
    OldNeed = apps.get_model("needs", "Need")
    for title, person in (("Laptops", anna), ("Portables", eric), ("Sans auteur", None)):
        OldNeed.objects.create(title=title, description=".", business_unit=unit,
                               submitter=person)

    migrate_to(latest)
    assert dict(Need.objects.values_list("title", "language")) == {
        "Laptops": "en", "Portables": "fr", "Sans auteur": "fr"}
