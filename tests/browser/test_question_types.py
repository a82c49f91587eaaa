"""Every question kind of ``question_kinds`` answered in a real browser: on a phone 390 px wide
(tables stacked as cards, no sideways scrolling) and on a wide screen, in English and French;
the slider shows its value and the constant sum its running total as the person types.

Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import pytest

from phare.listening import services
from phare.listening.models import Invitation, Response, Survey
from tests.listening.factories import ROWS, make_kinds_survey

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def invitation(personas) -> Invitation:
    survey = services.survey_set_status(make_kinds_survey(), Survey.Status.OPEN)
    person = personas["employee"].person
    return Invitation.objects.create(survey=survey, version=survey.current_version(),
                                     person=person, email=person.email, language="en",
                                     **services.segment_of(person))


def no_sideways_scrolling(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_every_kind_is_answered_on_a_phone(page, shot, invitation):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    page.goto(f"/s/{invitation.token}/?lang=en")
    no_sideways_scrolling(page, PHONE["width"])
    page.get_by_label("Hours a week on screen?").fill("45.5")
    page.keyboard.press("Tab")  # leaving the field saves it (htmx) and shows "why" at once
    expect(page.get_by_label("Why so many?")).to_be_visible()
    page.get_by_label("Why so many?").fill("Remote work")
    devices = page.locator("#question-devices")
    for label, value in (("Laptop", "1"), ("Phone", "2"), ("Screen", "0")):
        devices.get_by_label(label).fill(value)
    budget = page.locator("#question-budget")
    budget.get_by_label("Laptop").fill("50")
    budget.get_by_label("Phone").fill("30")
    expect(budget.locator("output[data-sum]")).to_have_text("80")  # the running total
    budget.get_by_label("Screen").fill("20")
    expect(budget.locator("output[data-sum]")).to_have_text("100")
    # The slider with the keyboard alone: its value is shown as it moves.
    mood = page.get_by_label("Your mood?")
    mood.focus()
    for _step in range(15):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#out-mood")).to_have_text("7.5")
    expect(page.get_by_label("No answer")).not_to_be_checked()
    page.get_by_label("Since when?").fill("2024-03-15")
    page.get_by_label("Next meeting?").fill("2026-12-08T09:30")
    ranks = page.locator("#question-priorities")
    ranks.get_by_label("Phone").select_option("1")
    ranks.get_by_label("Screen").select_option("2")
    spend = page.locator("#question-spend")
    # On a phone each row is a card whose cells carry their column's name.
    expect(spend.get_by_text("Laptop, This year")).to_be_visible()
    spend.get_by_label("Laptop, This year").fill("1.25")
    page.locator("#question-brands").get_by_label("Laptop, This year").fill("Dell")
    dual = page.locator("#question-dual")
    for row in ROWS:
        line = dual.get_by_role("group", name=row["label_en"])
        line.get_by_role("radiogroup", name="Importance").get_by_label("High").check()
        line.get_by_role("radiogroup", name="Satisfaction").get_by_label("Good").check()
    no_sideways_scrolling(page, PHONE["width"])
    shot("listening-question-types-phone-en")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"**/s/{invitation.token}/thanks/")
    assert Response.objects.get().answers == {
        "hours": 45.5, "why": "Remote work",
        "devices": {"laptop": 1, "phone": 2, "screen": 0},
        "budget": {"laptop": 50, "phone": 30, "screen": 20}, "mood": 7.5,
        "since": "2024-03-15", "meeting": "2026-12-08T09:30",
        "priorities": ["phone", "screen"], "spend": {"laptop": {"y1": 1.25}},
        "brands": {"laptop": {"y1": "Dell"}},
        "dual": {row["code"]: {"imp": "high", "sat": "good"} for row in ROWS}}


def test_a_wrong_total_and_a_rank_twice_are_said_next_to_their_inputs(page, shot, invitation):
    from playwright.sync_api import expect

    page.set_viewport_size(WIDE)
    page.goto(f"/s/{invitation.token}/?lang=en")
    budget = page.locator("#question-budget")
    budget.get_by_label("Laptop").fill("70")
    budget.get_by_label("Phone").fill("40")
    ranks = page.locator("#question-priorities")
    ranks.get_by_label("Laptop").select_option("1")
    ranks.get_by_label("Phone").select_option("1")  # the script takes rank 1 from laptop
    expect(ranks.get_by_label("Laptop")).to_have_value("")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#error-budget")).to_contain_text(
        "The numbers add up to 110; they must add up to 100.")
    assert not Response.objects.exists()
    shot("listening-question-types-wide-en")


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (WIDE, "wide")])
def test_the_page_in_french(page, shot, invitation, viewport, name):
    from playwright.sync_api import expect

    page.set_viewport_size(viewport)
    page.goto(f"/s/{invitation.token}/?lang=fr")
    expect(page.get_by_label("Heures par semaine sur écran ?")).to_be_visible()
    page.locator("#question-budget").get_by_label("Ordinateur").fill("60")
    expect(page.locator("#question-budget output[data-sum]")).to_have_text("60")
    no_sideways_scrolling(page, viewport["width"])
    shot(f"listening-question-types-{name}-fr")
