"""Keyboard and screen-reader behaviour that axe cannot see: after a form error the focus is on
the error summary and the title says "Error"; an htmx swap never drops the focus to <body>; Esc
hides a chart's tooltip. axe-core checks a form with errors (the main pages: test_axe.py)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from phare.listening import services as listening_services
from phare.listening.models import Invitation, Survey
from tests.listening.factories import make_barometer
from tests.needs.factories import make_need

pytestmark = pytest.mark.django_db(transaction=True)

def error_prefix(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Error:")


def test_a_form_error_focuses_the_summary_and_titles_the_page(page, sign_in, shot):
    sign_in("employee")
    page.goto("/accounts/password/")
    title = page.title()
    page.locator("#id_old_password").fill("not my password")
    page.locator("form.form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(f"{error_prefix('fr')} {title}")
    # The summary lists the field and its link moves the focus to it.
    link = summary.get_by_role("link").first
    expect(link).to_have_attribute("href", "#id_old_password")
    link.click()
    expect(page.locator("#id_old_password")).to_be_focused()
    # The field says it is invalid and which text describes it.
    field = page.locator("#id_old_password")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_old_password_error")).to_be_visible()
    assert "id_old_password_error" in field.get_attribute("aria-describedby").split()
    shot("a11y-form-error-summary-fr")


def test_a_survey_page_with_errors_focuses_its_summary(page, personas):
    survey = make_barometer(created_by=personas["marketing"])
    listening_services.survey_set_status(survey, Survey.Status.OPEN)
    person = personas["employee"].person
    invitation = Invitation.objects.create(
        survey=survey, version=survey.current_version(), person=person, email=person.email,
        language="en", **listening_services.segment_of(person))
    page.goto(f"/s/{invitation.token}/")
    page.get_by_role("button", name=re.compile("Next|Continue")).first.click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))


def test_a_vote_keeps_the_focus_in_its_region(page, sign_in, personas):
    need = make_need(personas["employee"].person, "Badge unique", "Un badge pour tous les sites.")
    sign_in("owner")
    page.goto("/needs/")  # the list votes through htmx, swapping the vote's region
    region = page.locator(f"#vote-{need.pk}")
    region.get_by_role("button").first.click()
    expect(region.locator(".count")).to_have_text("1")
    # The form that held the focus was replaced: the focus is in the new one, not on <body>.
    expect(region.locator(":focus")).to_have_count(1)


def test_escape_hides_a_chart_tooltip(page, sign_in):
    sign_in("employee")
    page.evaluate("""() => {
      const tip = document.createElement("div");
      tip.id = "vg-tooltip-element"; tip.className = "vg-tooltip visible";
      document.body.appendChild(tip);
    }""")
    page.keyboard.press("Escape")
    expect(page.locator("#vg-tooltip-element")).not_to_have_class(re.compile(r"\bvisible\b"))


def test_axe_finds_no_violation_on_a_form_with_errors(page, sign_in, axe_script):
    sign_in("employee")
    page.goto("/accounts/password/")
    page.locator("#id_old_password").fill("not my password")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.evaluate(axe_script)
    violations = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert violations == []
