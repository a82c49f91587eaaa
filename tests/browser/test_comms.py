"""The communication plan, clicked through as the marketing lead: a new plan, an objective,
an email action, its preview in both languages, ready, approved, sent, and its results; with
screenshots of the plan and the action in French and English, on a desk and on a phone
(saved to /tmp/shots/comms/ for people to look at)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import phare.comms.jobs  # noqa: F401  (registers the comms.send job handler)
from phare.comms.models import Action, Plan
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_audience, make_people

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots/comms")
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _language(page, code: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()  # on a phone the language switch is in the folded menu
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _shots(page, name: str) -> None:
    """The page now, in French and English, on a desk and on a phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for code in ("fr", "en"):
        _language(page, code)
        for device, size in (("desktop", DESK), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SHOTS / f"{name}-{code}-{device}.png"), full_page=True)
    page.set_viewport_size(DESK)


def test_the_marketing_lead_plans_sends_and_measures_an_email(page, sign_in, org, personas,
                                                               smtp_server, pick):
    unit = BusinessUnit.objects.create(code="MKT", name="Marketing")
    make_people(org, 6, unit=unit)
    make_people(org, 2, prefix="E", unit=unit, language="en")
    make_audience({"units": ["MKT"]}, name="Le marketing")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in("marketing")
    _language(page, "en")

    # A new plan.
    page.goto("/comms/")
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Name").fill("Plan 2027")
    page.get_by_label("From").fill("2027-01-01")
    page.get_by_label("To", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan 2027")
    plan = Plan.objects.get()

    # An objective.
    page.get_by_role("link", name="New objective").click()
    page.get_by_label("Title", exact=True).fill("Adopter Teams")
    page.get_by_label("Target").fill("60")
    page.get_by_role("button", name="Save the objective").click()
    expect(page.get_by_role("heading", name="Adopter Teams")).to_be_visible()

    # An email action: the form's event fields stay hidden for an email.
    page.get_by_role("link", name="New action").click()
    expect(page.get_by_label("Location")).to_be_hidden()
    page.get_by_label("Channel", exact=True).select_option("event")
    expect(page.get_by_label("Location")).to_be_visible()
    page.get_by_label("Channel", exact=True).select_option("email")
    page.get_by_label("Title", exact=True).fill("Teams arrive")
    pick(page.get_by_label("Audience", exact=True), "marketing", "Le marketing")
    page.get_by_label("Subject (French)").fill("Teams arrive, {first_name}")
    page.get_by_label("Text (French, Markdown)").fill(
        "Lisez [le guide](https://intranet.example.com/teams).")
    page.get_by_label("Subject (English)").fill("Teams is here, {first_name}")
    page.get_by_label("Text (English, Markdown)").fill(
        "Read [the guide](https://intranet.example.com/teams).")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams arrive")
    action = Action.objects.get()

    # The preview in both languages (htmx swaps the tab).
    frame = page.frame_locator("iframe.preview-frame")
    expect(frame.get_by_text("Lisez")).to_be_visible()
    page.get_by_role("tab", name="English").click()
    expect(page.get_by_role("tab", name="English")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".preview-subject")).to_contain_text("Teams is here, Mathilde")
    expect(frame.get_by_text("Read")).to_be_visible()
    page.get_by_role("tab", name="Français").click()
    expect(page.locator(".preview-subject")).to_contain_text("Teams arrive, Mathilde")

    # A test email to oneself.
    page.get_by_role("button", name="Send me a test email in this language").click()
    expect(page.locator(".messages")).to_contain_text("Test email sent")
    assert smtp_server.messages[-1]["Subject"].startswith("[TEST] Teams arrive")

    # Planned, ready, approved.
    page.get_by_role("button", name="Mark as planned").click()
    page.get_by_role("button", name="Mark as ready").click()
    expect(page.locator(".action-flags .badge").first).to_have_text("Ready")
    page.goto(f"/comms/plans/{plan.pk}/")
    expect(page.locator(".board-col.status-ready")).to_contain_text("Teams arrive")
    page.get_by_role("link", name="Teams arrive").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".approval-note")).to_contain_text("Approved by")

    # Sent: the job's page follows, then the results.
    page.get_by_role("button", name="Send it now").click(timeout=60_000)
    page.wait_for_url(re.compile(r"/jobs/"))
    page.goto(f"/comms/actions/{action.pk}/")
    results = page.locator("#results")
    expect(results.locator('[data-reach="status-sent"] td')).to_have_text("8")
    expect(results).to_contain_text("Sent (accepted by the mail server)")
    assert len([m for m in smtp_server.messages if not m["Subject"].startswith("[TEST]")]) == 8
    action.refresh_from_db()
    assert action.status == Action.Status.DONE

    # Screenshots: the plan (with a few more actions on its board) and the action.
    for title, status, extra in (
            ("Portail : nouveautés", "idea", {"channel": "portal"}),
            ("Atelier Teams", "planned", {"channel": "event", "kind": "event"}),
            ("Message à toute l'entreprise", "ready", {"everyone": True}),
            ("Coupure réseau", "approved", {"mandatory": True, "category": "notice"})):
        make_action(plan, title, status=status, **extra)
    page.goto(f"/comms/actions/{action.pk}/")
    _shots(page, "action")
    page.goto(f"/comms/plans/{plan.pk}/")
    _shots(page, "plan")
