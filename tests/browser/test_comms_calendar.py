"""The marketing lead builds an audience and watches its size change as criteria change, then
opens the communication calendar (month grid and timeline); in French and English, on a desk
and on a phone. Screenshots go to /tmp/shots/comms/ for people to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from phare.comms.models import Audience
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots/comms")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _both_sizes(page, name: str) -> None:
    page.set_viewport_size(DESK)
    _shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    _shot(page, f"{name}-phone")
    # No sideways scrolling of the page on a phone: wide parts scroll within their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.set_viewport_size(DESK)


def test_it_lets_the_lead_build_an_audience_and_read_the_calendar(page, sign_in, org,
                                                                   personas, settings, pick):
    settings.PHARE_USAGE_MIN_GROUP = 5
    finance = BusinessUnit.objects.create(code="FIN", name="Finance", parent=org["dg"])
    make_people(org, 12, prefix="FIN", unit=finance)
    make_people(org, 3, prefix="FINL", unit=finance, site=org["lyon"])
    plan = make_plan(personas["marketing"], name="Plan de communication",
                     starts_on=timezone.localdate().replace(month=1, day=1),
                     ends_on=timezone.localdate().replace(month=12, day=31))
    everyone_in_finance = make_audience({"units": ["FIN"]}, name="Finance")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for i, (title, channel) in enumerate([("Lancement de Teams", "email"),
                                          ("Relance Teams", "email"),
                                          ("Atelier Teams", "event"),
                                          ("Actualité du portail", "portal")]):
        make_action(plan, title, channel=channel, audience=everyone_in_finance,
                    starts_on=monday + dt.timedelta(days=i), status="planned",
                    ends_on=monday + dt.timedelta(days=i + 2) if channel == "portal" else None)
    make_action(plan, "Enquête de satisfaction", audience=everyone_in_finance,
                starts_on=monday + dt.timedelta(days=3), status="approved")
    make_action(plan, "Démo day", channel="event", starts_on=monday + dt.timedelta(days=15),
                ends_on=monday + dt.timedelta(days=16), audience=everyone_in_finance)

    sign_in("marketing")
    page.set_viewport_size(DESK)
    page.goto("/comms/audiences/new/")
    size = page.locator("#audience-size .figure")
    page.locator("#id_name").fill("Finance à Lyon")
    pick("#id_units", "fin", "Finance")
    expect(size).to_have_attribute("data-size", "15")
    expect(page.locator("#audience-size")).to_contain_text("Finance")
    # The sub-units choice appears once a unit is chosen.
    expect(page.locator("#id_sub_units")).to_be_visible()
    pick("#id_sites", "lyon", "Lyon Gerland")
    expect(size).to_have_attribute("data-size", "hidden")
    pick("#id_sites", None, None, remove="Lyon Gerland")
    expect(size).to_have_attribute("data-size", "15")
    pick("#id_exclude_sites", "gerl", "Lyon Gerland")
    expect(size).to_have_attribute("data-size", "12")
    _both_sizes(page, "audience-form-fr")
    page.locator(".audience-form button[type=submit]").click()
    page.wait_for_url("**/comms/audiences/")
    expect(page.locator("#audiences")).to_contain_text("Finance à Lyon")
    assert Audience.objects.get(name="Finance à Lyon").criteria["exclude"] == {"sites": ["LYS"]}

    page.goto("/comms/calendar/")
    expect(page.locator(".day.today")).to_have_count(1)
    expect(page.locator("#month")).to_contain_text("Lancement de Teams")
    # Four emails and invitations to Finance this week: over the budget of three.
    expect(page.locator("#collisions .collision-pressure")).to_have_count(1)
    expect(page.locator("#forecast table")).to_contain_text("Finance")
    _both_sizes(page, "calendar-fr")
    page.locator("#id_channel").select_option("event")
    page.wait_for_url("**channel=event**")
    expect(page.locator("#month")).not_to_contain_text("Lancement de Teams")
    expect(page.locator("#month")).to_contain_text("Atelier Teams")
    page.goto("/comms/calendar/?view=timeline")
    expect(page.locator('#timeline .tl-row[data-channel="email"] .tl-bar')).to_have_count(3)
    _both_sizes(page, "calendar-timeline-fr")

    page.locator('.language button[value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/comms/calendar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Communication calendar")
    _both_sizes(page, "calendar-en")
    page.locator("#feed button.primary").click()
    expect(page.locator("#feed-address")).to_contain_text("/api/v1/comms/calendar.ics?token=")
    page.goto(f"/comms/audiences/{Audience.objects.get(name='Finance à Lyon').pk}/")
    expect(page.locator("#audience-size .figure")).to_have_attribute("data-size", "12")
    _both_sizes(page, "audience-form-en")
