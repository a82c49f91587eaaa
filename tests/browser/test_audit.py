"""The audit trail in Chromium: the administrator opens it from the menu, sees their own
sign-in, filters by action (the list follows without a reload), exports what the filters keep
as CSV — and finds that export in the trail. Screenshots in French and English, on a desk and
on a phone, go to ``test-artifacts/screenshots/audit-<lang>-<device>.png``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from phare.audit.actions import Action
from phare.audit.models import Entry
from tests.audit.factories import days_ago, make_entry

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _language(page, code: str) -> None:
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_the_administrator_filters_the_trail_and_exports_it(page, sign_in, shot, personas):
    make_entry(action=Action.PUBLICATION, actor=personas["marketing"],
               target=("catalog.service", 3, "Messagerie"), details={"published": True},
               at=days_ago(3))
    make_entry(action=Action.DECISION, actor=personas["marketing"],
               target=("needs.campaign", 4, "Arbitrage 2027"), details={"reason": "Budget"},
               at=days_ago(1))
    page.set_viewport_size(DESK)
    sign_in("admin")
    _language(page, "en")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Audit trail").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    rows = page.locator("#results tbody tr")
    expect(rows.filter(has_text="Sign-in").first).to_contain_text("admin")

    page.get_by_label("Action").select_option(label="Publication")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Messagerie")
    expect(page).to_have_url(re.compile(r"action=publication"))
    rows.first.get_by_text("1 detail").click()
    expect(rows.first.locator("dd")).to_have_text("true")

    with page.expect_download() as caught:
        page.get_by_role("link", name="Export these entries (CSV)").click()
    download = caught.value
    assert re.fullmatch(r"phare-audit-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    lines = list(csv.reader(io.StringIO(
        Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["publication"]
    export = Entry.objects.get(action=Action.EXPORT)
    assert (export.actor_name, export.details["filters"]) == ("admin", {"action": "publication"})

    page.get_by_label("Action").select_option(label="Export")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Audit trail")

    page.get_by_label("Action").select_option(label="All")
    for code in ("fr", "en"):
        page.set_viewport_size(DESK)  # the language buttons sit in the phone's folded menu
        _language(page, code)
        for device, size in (("desktop", DESK), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.wait_for_timeout(100)
            shot(f"audit-{code}-{device}")
    # The phone does not scroll the page sideways: the table scrolls inside its box.
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_other_roles_are_refused(page, sign_in):
    sign_in("marketing")
    response = page.goto("/audit/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name=re.compile("Audit|Journal"))).to_have_count(0)
