"""A metric's name tells what it means: hovering it, or reaching it with the keyboard, shows its
definition; following it opens its entry in the glossary. On a desk and on a phone, in French
and in English."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from phare.lib.metrics import metric
from phare.listening.models import Invitation
from phare.tickets import services as tickets
from tests.directory.factories import make_person
from tests.tickets.factories import open_ticket_survey, ticket_row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def answered(org, personas, settings, tmp_path):
    """The ticket survey with six tickets emailed and five rated: the management page shows
    the answers received and the response rate."""
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    open_ticket_survey(fatigue_days=0)
    people = [make_person(org, f"E2{n:03d}", "Agent", f"N{n}") for n in range(6)]
    tickets.tickets_receive([ticket_row(f"INC{n}", p.employee_id) for n, p in enumerate(people)])
    tickets.send_due_ticket_invitations()
    for n, invitation in enumerate(Invitation.objects.order_by("pk")[:5]):
        tickets.ticket_rate(invitation, [2, 5, 8, 9, 10][n])


def words(key: str, language: str) -> tuple[str, str]:
    with translation.override(language):
        return str(metric(key).name), str(metric(key).definition)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_metric_name_shows_its_definition_on_hover_and_focus(page, shot, sign_in, answered,
                                                               language):
    sign_in("marketing")
    if language == "en":
        page.get_by_role("button", name="EN").first.click()
    page.goto("/surveys/tickets/")
    name, definition = words("response_rate", language)
    term = page.locator('[data-metric="response_rate"] .metric-name').first
    tip = page.locator('[data-metric="response_rate"] .metric-tip').first
    expect(term).to_have_text(name)
    expect(tip).to_be_hidden()
    # The name is described by its definition for screen readers too.
    expect(term).to_have_accessible_description(definition)

    term.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(definition)
    shot(f"metrics-hover-{language}")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    # With the keyboard: the name is a link; focusing it shows the definition.
    term.focus()
    expect(tip).to_be_visible()
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # Escape hides it without moving the focus (WCAG 1.4.13: dismissible).
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(term).to_be_focused()

    # On a phone the definition stays on the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    term.blur()
    term.scroll_into_view_if_needed()
    term.focus()
    expect(tip).to_be_visible()
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(f"metrics-focus-phone-{language}")

    # Following the name opens its glossary entry.
    term.click()
    page.wait_for_url("**/glossary/#response-rate")
    entry = page.locator("#response-rate")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text(definition)
    shot(f"metrics-glossary-phone-{language}")
    page.set_viewport_size({"width": 1366, "height": 860})
    shot(f"metrics-glossary-{language}")
