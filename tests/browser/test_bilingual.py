"""English everywhere, in the browser: the lead names a wave in French and English; English
readers read the English name, and a wave named in French only is shown marked "(in French)";
French readers read French names unmarked. Desktop and phone, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import expect

from phare.listening.models import Wave
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def survey(personas, org):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every app's pages before the first click)
    return make_barometer(created_by=personas["marketing"])


def _language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                               "url": live_server.url}])


def test_a_wave_is_named_in_both_languages_and_read_in_each(page, sign_in, shot, survey,
                                                            live_server):
    from phare.listening import services

    services.wave_create(survey, name="Automne", opens_on=dt.date.today(),
                         closes_on=dt.date.today() + dt.timedelta(days=20))
    sign_in("marketing")
    _language(page, live_server, "en")
    page.set_viewport_size(SIZES["desktop"])
    page.goto(f"/surveys/{survey.slug}/waves/new/")
    page.get_by_label("Name (French)").fill("Printemps")
    page.get_by_label("Name (English)").fill("Spring")
    page.locator("#id_closes_on").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    shot("bilingual-wave-new-en-desktop")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/surveys/{survey.slug}/waves/2/")
    expect(page.locator("h1")).to_contain_text("2. Spring")
    assert Wave.objects.values_list("name_fr", "name_en").get(number=2) == ("Printemps",
                                                                              "Spring")
    for language in ("en", "fr"):
        _language(page, live_server, language)
        for device, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto(f"/surveys/{survey.slug}/waves/")
            table = page.locator("table")
            if language == "en":
                expect(table).to_contain_text("2. Spring")
                fallback = table.locator('span[lang="fr"]', has_text="Automne")
                expect(fallback).to_be_visible()
                expect(table.locator(".lang-fallback")).to_have_text("(in French)")
            else:
                expect(table).to_contain_text("2. Printemps")
                expect(table).to_contain_text("1. Automne")
                expect(table.locator(".lang-fallback")).to_have_count(0)
            shot(f"bilingual-waves-{language}-{device}")
    _language(page, live_server, "en")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"/surveys/{survey.slug}/waves/1/")
    expect(page.locator("h1 .lang-fallback")).to_have_text("(in French)")
    shot("bilingual-wave-detail-fallback-en-phone")
