"""The marketing lead imports a usage file through the page, follows the job, opens a
service's usage and changes the breakdown; in French and English, on a desk and on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from phare.directory.models import BusinessUnit
from phare.usage import services
from phare.usage.models import UsageImport
from tests.usage.factories import events_csv, make_people, use
from tests.usage.factories import service as make_service

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 860}


def _months() -> tuple[dt.date, dt.date]:
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), before.replace(day=1)


def test_it_lets_the_lead_import_usage_and_read_a_service_s_adoption(page, sign_in, shot, org,
                                                                     personas, tmp_path):
    org["rh"] = BusinessUnit.objects.create(code="RH", name="Ressources humaines")
    dsi = make_people(org, "dsi", 14)
    sales = make_people(org, "ven", 12, unit="sales", site="lyon", family="sell")
    hr = make_people(org, "rh", 3, unit="rh", site="lyon", family="sell")
    make_service("teams", name="Microsoft Teams", owner="E0003")
    last, before = _months()
    # The month before was imported already: Teams started in the IT department.
    services.import_usage(events_csv(
        [row for day in (2, 9, 16) for row in use(dsi[:7], "teams", before.replace(day=day))]),
        file_name="earlier.csv", source="events")
    # Last month's events, as the intranet's logs give them, the file the lead uploads.
    rows = []
    for day in (3, 10, 17, 24):
        rows += use(dsi[:11], "teams", last.replace(day=day), event="chat")
        rows += use(sales[:6], "teams", last.replace(day=day), event="meeting")
        rows += use(hr[:1], "teams", last.replace(day=day), event="chat")
    rows.append(("stranger@example.com", "teams", "chat", last.replace(day=5).isoformat()))
    upload = tmp_path / "teams-events.csv"
    upload.write_bytes(events_csv(rows))

    sign_in("marketing")
    page.get_by_role("navigation").get_by_role("link", name="Usage").click()
    expect(page.locator('tr[data-service="teams"]')).to_be_visible()
    page.locator(".usage-actions a").first.click()
    page.locator("#id_file").set_input_files(str(upload))
    page.locator("#id_source").select_option("events")
    shot("usage-import-fr")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.locator("#job .status.succeeded")).to_be_visible()
    shot("usage-import-job-fr")
    record = UsageImport.objects.get(file_name="teams-events.csv")
    assert record.unmatched == 1 and record.imported > 0

    page.goto(f"/usage/imports/{record.pk}/")
    expect(page.locator("#unmatched")).to_contain_text("stranger@example.com")

    page.goto("/usage/")
    page.wait_for_selector("#chart-adoption-by-service svg")
    shot("usage-overview-fr")
    page.get_by_role("link", name="Microsoft Teams").first.click()
    page.wait_for_selector("#chart-adoption svg")
    page.wait_for_selector("#chart-active-users svg")
    hr_row = page.locator('#adoption-table tr[data-key="RH"]')
    expect(hr_row).to_have_class("suppressed")
    assert not any(ch.isdigit() for ch in hr_row.inner_text())
    shot("usage-service-fr")
    page.locator("#id_by").select_option("site")
    expect(page.locator('#adoption-table tr[data-key="PAR"]')).to_be_visible()
    page.wait_for_selector("#chart-adoption svg")
    assert "by=site" in page.url
    shot("usage-service-by-site-fr")
    page.set_viewport_size(PHONE)
    shot("usage-service-phone-fr")
    # No sideways scrolling of the page on a phone: wide tables scroll within their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    page.set_viewport_size(DESK)
    page.locator('.language button[value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_selector("#chart-adoption svg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usage of Microsoft Teams")
    shot("usage-service-en")
    page.set_viewport_size(PHONE)
    shot("usage-service-phone-en")
    # The lead follows the roll-out against a target curve.
    page.set_viewport_size(DESK)
    page.locator(".deployment-form summary").click()
    page.locator("#id_launched_on").fill(before.isoformat())
    page.locator("#id_target_percent").fill("70")
    page.locator("#id_target_weeks").fill("10")
    page.locator('.deployment-form button[value="save"]').click()
    page.wait_for_selector("#chart-deployment svg")
    page.locator("#deployment-title").scroll_into_view_if_needed()
    shot("usage-service-deployment-en")
    page.goto("/usage/")
    page.set_viewport_size(PHONE)
    page.wait_for_selector("#chart-adoption-by-service svg")
    shot("usage-overview-phone-en")
    page.set_viewport_size(DESK)
    shot("usage-overview-en")
