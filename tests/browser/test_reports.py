"""The Reports page in Chromium: the marketing lead opens it from the menu, generates the report
of the quarter just ended (the job runs inline in tests), and downloads its PDF; the executive
reads the list without the forms. Screenshots in French and English, on a desk and on a phone,
go to ``test-artifacts/screenshots/reports-home-<lang>-<device>.png``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from phare.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _language(page, code: str) -> None:
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_the_marketing_lead_generates_a_report_and_downloads_its_pdf(
        page, sign_in, shot, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    page.set_viewport_size(DESK)
    sign_in("marketing")
    _language(page, "en")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Reports").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")

    quarter = page.get_by_label("Quarter")
    expect(quarter.locator("option").first).to_have_text(re.compile(r"^Q\d 20\d\d "))
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Generate").click()
    expect(page.locator(".messages")).to_contain_text("The report is being generated.")
    row = page.locator("#reports tbody tr").first
    expect(row).to_contain_text("Ready")

    with page.expect_download() as caught:
        row.get_by_role("link", name=re.compile(r"^PDF")).click()
    download = caught.value
    assert re.fullmatch(r"phare-report-\d{4}-\d\d-01-\d{4}-\d\d-\d\d-en\.pdf",
                        download.suggested_filename)
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    assert Report.objects.get().status == Report.Status.READY

    page.get_by_label("Name").fill("Board")
    page.get_by_label("Recipients").fill("cio@example.com, board@example.com")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.locator("#schedules")).to_contain_text("cio@example.com, board@example.com")

    for code in ("fr", "en"):
        page.set_viewport_size(DESK)  # the language buttons sit in the phone's folded menu
        _language(page, code)
        for device, size in (("desktop", DESK), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.wait_for_timeout(100)
            shot(f"reports-home-{code}-{device}")


def test_the_executive_reads_without_the_forms(page, sign_in):
    sign_in("executive")
    _language(page, "en")
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_text("No report yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Generate")).to_have_count(0)
