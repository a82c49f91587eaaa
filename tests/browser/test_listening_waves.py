"""Waves, clicked through: the marketing lead plans a sampled wave and launches it, watches the
response rate; an employee opts out from the link in their email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from playwright.sync_api import expect

from phare.listening.models import Invitation, OptOut, Wave
from tests.listening.factories import make_barometer, make_crowd

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def survey(personas, org):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every app's pages before the first click)
    make_crowd(org, n=40)
    return make_barometer(created_by=personas["marketing"])


def test_the_lead_plans_launches_and_follows_a_wave(page, sign_in, shot, survey, pick):
    sign_in("marketing")
    page.goto(f"/surveys/{survey.slug}/waves/")
    shot("waves-list-empty")
    page.locator(f'a[href="/surveys/{survey.slug}/waves/new/"]').click()
    page.locator("#id_name").fill("Printemps")
    page.locator("#id_closes_on").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    pick("#id_units", "dire", "Direction")
    pick("#id_units", "ven", "Ventes")
    expect(page.locator("#preview")).to_contain_text("45")  # 40 + 5 personas, every unit
    page.locator("#id_sample").fill("12")
    page.locator("#id_stratify_by").select_option("business_unit")
    expect(page.locator("#preview table")).to_contain_text("Ventes")
    shot("waves-new-preview")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/surveys/{survey.slug}/waves/1/")
    shot("waves-detail-planned")
    page.locator(f'form[action="/surveys/{survey.slug}/waves/1/launch/"] button').click()
    page.wait_for_url(f"**/surveys/{survey.slug}/waves/1/")
    expect(page.locator("#live")).to_be_visible()
    assert Invitation.objects.count() == 12 and len(mail.outbox) == 12
    Invitation.objects.filter(pk__in=Invitation.objects.values("pk")[:6]).update(
        responded_on=dt.date.today())
    # The live part refreshes itself every 5 seconds.
    expect(page.locator("#live .stats")).to_contain_text("50 %", timeout=12_000)
    shot("waves-detail-open")
    page.goto(f"/surveys/{survey.slug}/waves/")
    expect(page.locator("table")).to_contain_text("50 %")
    shot("waves-list")
    assert Wave.objects.get().status == "open"


def test_an_employee_opts_out_and_changes_their_mind(page, shot, survey):
    from phare.listening import services

    wave = services.wave_create(survey, name="Printemps", opens_on=dt.date.today(),
                                closes_on=dt.date.today(), audience={"units": ["DSI"]})
    services.wave_launch(wave)
    invitation = Invitation.objects.filter(language="en").first()
    page.goto(f"/s/optout/{invitation.token}/")
    assert not OptOut.objects.exists()
    shot("waves-opt-out-ask")
    page.locator("button[value=opt_out]").click()
    expect(page.locator("button[value=undo]")).to_be_visible()
    assert OptOut.objects.filter(person_id=invitation.person_id).exists()
    shot("waves-opt-out-done")
    page.locator("button[value=undo]").click()
    expect(page.locator("h1")).to_be_visible()
    assert not OptOut.objects.exists()
