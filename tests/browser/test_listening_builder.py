"""The survey builder, clicked through: the marketing lead creates a barometer, adds an NPS
question, a follow-up shown for low scores and a grid, opens it, then sees the version notice
once answers arrive."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from phare.listening import services
from phare.listening.models import Response, Survey
from phare.listening.queries import version_questions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def add_question(page, *, type: str, code: str, text_fr: str, text_en: str,  # noqa: A002
                 **extra: str) -> None:
    form = page.locator("#add-question form")
    form.locator("select[name=type]").select_option(type)
    form.locator("input[name=code]").fill(code)
    form.locator("textarea[name=text_fr]").fill(text_fr)
    form.locator("textarea[name=text_en]").fill(text_en)
    for name, value in extra.items():
        field = form.locator(f"[name={name}]")
        if name.startswith("condition_") and field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif value == "check":
            field.check()
        else:
            field.fill(value)
    form.locator("button.primary").click()
    expect(page.locator(f"#q-{code}")).to_be_visible()


def test_the_marketing_lead_builds_and_opens_a_barometer(page, sign_in, shot, personas):
    sign_in("marketing")
    page.locator('nav a[href="/surveys/"]').click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator('a[href="/surveys/new/"]').click()
    page.locator("#id_kind").select_option("barometer")
    page.locator("#id_slug").fill("barometre-2026")
    page.locator("#id_title_fr").fill("Baromètre de satisfaction IT 2026")
    page.locator("#id_title_en").fill("IT satisfaction barometer 2026")
    expect(page.locator("#id_anonymity_0")).to_be_checked()  # anonymous, the first
    shot("listening-builder-new-survey")
    page.locator("form.survey-form button.primary").click()
    page.wait_for_url("**/surveys/barometre-2026/")

    add_question(page, type="nps", code="nps",
                 text_fr="Recommanderiez-vous la DSI à un collègue ?",
                 text_en="Would you recommend IT to a colleague?",
                 required="check", label_min_fr="Pas du tout probable",
                 label_max_fr="Très probable", label_min_en="Not at all likely",
                 label_max_en="Extremely likely")
    add_question(page, type="text", code="why_low", text_fr="Qu'est-ce qui n'a pas été ?",
                 text_en="What went wrong?", condition_question="nps",
                 condition_op="between", condition_min="0", condition_max="6")
    expect(page.locator("#q-why_low .q-condition")).to_contain_text("nps")
    # A mistake in the attributes is pointed out by line, next to them; nothing is added.
    form = page.locator("#add-question form")
    form.locator("select[name=type]").select_option("grid")
    form.locator("textarea[name=options]").fill("reactivite | Réactivité\nmauvais code | Oups")
    form.locator("input[name=code]").fill("qualite")
    form.locator("textarea[name=text_fr]").fill("Qualité")
    form.locator("button.primary").click()
    expect(page.locator("#new-options_error")).to_contain_text("2")
    expect(page.locator("#q-qualite")).to_have_count(0)
    shot("listening-builder-options-error")
    add_question(page, type="grid", code="qualite",
                 text_fr="Pour chaque point : importance et satisfaction",
                 text_en="For each point: importance and satisfaction",
                 options="reactivite | Réactivité | Responsiveness\n"
                         "competence | Compétence | Expertise\n"
                         "communication | Communication | Communication")
    expect(page.locator("#q-qualite .q-options li")).to_have_count(3)
    # The add form came back empty, ready for the next question.
    expect(page.locator("#add-question input[name=code]")).to_have_value("")
    shot("listening-builder-questions")

    page.locator("form[action$='/status/'] button").click()
    page.wait_for_url("**/surveys/barometre-2026/")
    survey = Survey.objects.get(slug="barometre-2026")
    assert survey.status == "open"
    version = survey.current_version()
    assert [q.code for q in version_questions(version)] == ["nps", "why_low", "qualite"]
    assert version.questions.get(code="why_low").condition == {
        "question": "nps", "op": "between", "min": 0, "max": 6}
    assert len(version.questions.get(code="qualite").options) == 3
    shot("listening-builder-open")

    # Answers arrive: the builder now says that changes make a new version.
    services.response_submit(survey=survey, answers={"nps": 4, "why_low": "Trop lent"},
                             channel=Response.Channel.OPEN_LINK)
    page.reload()
    expect(page.locator(".card.frozen")).to_be_visible()
    page.locator("#q-why_low a.button").click()
    edit = page.locator("#q-why_low form")
    expect(edit.locator("select[name=condition_question]")).to_have_value("nps")
    shot("listening-builder-edit-in-place")
    edit.locator("textarea[name=text_fr]").fill("Qu'est-ce qui n'a pas été, selon vous ?")
    edit.locator("button.primary").click()
    expect(page.locator("#builder .message")).to_be_visible()
    expect(page.locator("#builder .version-bar h2")).to_contain_text("2")
    assert survey.versions.count() == 2
    expect(page.locator("#versions li")).to_have_count(2)
    shot("listening-builder-version-2")

    # Move the grid up one place, then delete it (after confirming), without leaving the page.
    page.locator("#q-qualite button[value=up]").click()
    expect(page.locator("#builder .question").nth(1)).to_have_id("q-qualite")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#q-qualite button.danger").click()
    expect(page.locator("#q-qualite")).to_have_count(0)
    assert [q.code for q in version_questions(survey.current_version())] == [
        "nps", "why_low"]

    page.locator('a[href="/surveys/barometre-2026/versions/1/"]').first.click()
    page.locator('a[href="?lang=en"]').click()
    expect(page.get_by_text("What went wrong?")).to_be_visible()
    shot("listening-builder-preview-v1-en")

    page.goto("/surveys/")
    expect(page.locator("table.surveys tbody tr")).to_have_count(1)
    shot("listening-builder-list")
