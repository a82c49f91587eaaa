"""A wave's name in French and English: the lead types both, everyone reads theirs, and a
wave named in French only shows that name marked as French to English readers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from phare.listening import services
from phare.listening.models import Wave
from tests.core.factories import latest_migrations, migrate_to
from tests.listening.factories import make_barometer

TODAY = dt.date.today()
MARKED_AUTOMNE = ('<span lang="fr">Automne</span> <span class="lang-fallback muted">'
                  '(in French)</span>')


@pytest.fixture
def survey(personas, org):
    return make_barometer(created_by=personas["marketing"])


def _plan(survey, name: str, name_en: str = "") -> Wave:
    return services.wave_create(survey, name=name, name_en=name_en, opens_on=TODAY,
                                closes_on=TODAY + dt.timedelta(days=20))


def test_the_name_given_is_the_french_one_and_english_is_read_in_english(survey):
    wave = _plan(survey, " Printemps ", " Spring ")
    assert (wave.name_fr, wave.name_en) == ("Printemps", "Spring")
    with translation.override("en"):
        assert wave.name == "Spring"
    with translation.override("fr"):
        assert wave.name == "Printemps"
    french_only = _plan(survey, "Automne")
    with translation.override("en"):
        assert french_only.name == "Automne"


def test_an_english_name_over_120_characters_is_refused(survey):
    with pytest.raises(services.ListeningError) as refused:
        _plan(survey, "Printemps", "S" * 121)
    assert refused.value.field == "name_en"


def test_the_waves_pages_show_the_english_name_and_mark_a_french_one(login, survey, english):
    _plan(survey, "Printemps", "Spring")
    _plan(survey, "Automne")
    client = login("marketing")
    page = client.get(reverse("listening:waves", args=[survey.slug])).content.decode()
    assert "1. Spring</a>" in page and "Printemps" not in page
    assert f"2. {MARKED_AUTOMNE}</a>" in page
    detail = client.get(reverse("listening:wave", args=[survey.slug, 2])).content.decode()
    assert f"<h1>2. {MARKED_AUTOMNE} <span" in detail


def test_french_readers_read_french_names_unmarked(login, survey):
    _plan(survey, "Printemps", "Spring")
    _plan(survey, "Automne")
    page = login("marketing").get(reverse("listening:waves", args=[survey.slug])).content.decode()
    assert "1. Printemps</a>" in page and "2. Automne</a>" in page
    assert "lang-fallback" not in page and "Spring" not in page


def test_the_form_takes_both_names(login, survey):
    client = login("marketing")
    form = client.get(reverse("listening:wave_new", args=[survey.slug])).content.decode()
    assert 'name="name"' in form and 'name="name_en"' in form
    response = client.post(reverse("listening:wave_new", args=[survey.slug]), {
        "name": "Automne", "name_en": "Autumn", "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=20)).isoformat(), "sample": "",
        "stratify_by": "", "reminder_days": ["7", "14"]})
    assert response.status_code == 302, response.content.decode()
    assert Wave.objects.values_list("name_fr", "name_en").get() == ("Automne", "Autumn")


def test_the_api_takes_name_as_french_and_name_en_and_gives_both(api, survey):
    created = api("POST", "/surveys/barometre/waves", {
        "name": "Hiver", "name_en": "Winter", "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=14)).isoformat()})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["name_fr"], body["name_en"]) == ("Hiver", "Hiver", "Winter")
    # A client that knows nothing of English names still plans a wave.
    old = api("POST", "/surveys/barometre/waves", {
        "name": "Été", "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=14)).isoformat()})
    assert old.status_code == 201, old.content
    assert (old.json()["name_fr"], old.json()["name_en"]) == ("Été", "")
    listed = api("GET", "/surveys/barometre/waves").json()
    assert [(w["name_fr"], w["name_en"]) for w in listed["items"]] == [
        ("Été", ""), ("Hiver", "Winter")]


# --- the migration: an existing name becomes the French one -----------------------------------

BEFORE = [("listening", "0003_study_and_matrix")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_name_as_the_french_one():
    latest = latest_migrations()
    executor = migrate_to(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    survey = apps.get_model("listening", "Survey").objects.create(
        slug="barometre", kind="barometer", title_fr="Baromètre", open_token="b" * 32)
    version = apps.get_model("listening", "SurveyVersion").objects.create(survey=survey,
                                                                          number=1)
    apps.get_model("listening", "Wave").objects.create(
        survey=survey, version=version, number=1, name="Janvier 2027", opens_on=TODAY,
        closes_on=TODAY, audience={}, reminder_days=[])

    migrate_to(latest)
    wave = Wave.objects.get()
    assert (wave.name_fr, wave.name_en) == ("Janvier 2027", "")
    with translation.override("en"):
        assert wave.name == "Janvier 2027"
