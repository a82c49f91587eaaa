"""Searchable pickers (phare/picker.js): a person types a few letters and picks by name — a
service's owner among the directory's people (searched on the server), its audience's units,
a wave's audience — with the mouse or the keyboard, in French and English, on a desk and a
phone. The select they replace is what the form sends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from phare.catalog.models import Service
from phare.comms.models import Objective
from phare.listening.models import Wave
from tests.catalog.factories import make_families
from tests.comms.factories import make_plan
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
#: The words each language shows (the labels are the form's own).
WORDS = {"fr": {"owner": "Responsable du service", "units": "Entités", "save": "Enregistrer",
                "everyone": "Pour tout le monde", "remove": "Retirer"},
         "en": {"owner": "Owner", "units": "Business units", "save": "Save",
                "everyone": "For everyone", "remove": "Remove"}}


def _close_up(box, name: str) -> None:
    """A screenshot of the picker's fieldset, to look at it at its real size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.locator("xpath=ancestor::fieldset[1]").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _speak(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                               "url": live_server.url}])


@pytest.mark.parametrize(("language", "device"), [("fr", "desktop"), ("en", "phone")])
def test_the_lead_picks_a_services_owner_by_name_and_its_units(
        page, sign_in, shot, personas, live_server, language, device):
    make_families()
    words = WORDS[language]
    sign_in("marketing")
    _speak(page, live_server, language)
    page.set_viewport_size(SIZES[device])
    page.goto("/catalogue/manage/new/")
    page.locator("#id_name_fr").fill("Coffre-fort numérique")
    page.locator("#id_promise_fr").fill("Vos documents sensibles, à l’abri")

    # The owner: typed letters ask the server, the option names the person and their unit.
    owner = page.get_by_role("combobox", name=words["owner"], exact=True)
    owner.fill("du")
    options = page.locator("#id_owner-options")
    expect(options.get_by_role("option")).to_have_count(1)
    expect(options.get_by_role("option")).to_contain_text("Claire Dupont")
    expect(options).to_contain_text("Direction générale")  # her unit, to tell namesakes apart
    expect(owner).to_have_attribute("aria-expanded", "true")
    shot(f"picker-owner-search-{language}-{device}")
    _close_up(owner, f"picker-owner-search-close-{language}-{device}")
    options.get_by_role("option", name="Claire Dupont").click()
    expect(owner).to_have_value("Claire Dupont (Direction générale)")
    expect(owner).to_have_attribute("aria-expanded", "false")

    # The units, with the keyboard only: type, arrow down, Enter; a chip shows each choice.
    page.get_by_label(words["everyone"]).uncheck()
    units = page.get_by_role("combobox", name=words["units"], exact=True)
    units.click()
    units.press_sequentially("vent")
    units.press("ArrowDown")
    units.press("Enter")
    units.press_sequentially("syst")
    units.press("ArrowDown")
    units.press("Enter")
    units.press("Escape")
    chips = page.locator("#id_audience_units").locator("xpath=..").locator(".picker-chip")
    expect(chips).to_have_text(["Systèmes d'information×", "Ventes×"])
    shot(f"picker-units-chosen-{language}-{device}")
    units.press_sequentially("s")
    _close_up(units, f"picker-units-close-{language}-{device}")
    units.press("Escape")
    page.get_by_role("button", name=f"{words['remove']} Systèmes d'information").click()
    expect(chips).to_have_text(["Ventes×"])
    expect(units).to_be_focused()

    page.get_by_role("button", name=words["save"], exact=True).click()
    page.wait_for_url("**/catalogue/manage/*/")
    service = Service.objects.select_related("owner").get()
    assert service.owner is not None and service.owner.employee_id == "E0004"
    assert list(service.audience_units.values_list("code", flat=True)) == ["VEN"]

    # Back in the editor the picker shows the person by name, never their employee id.
    page.goto(f"/catalogue/manage/{service.slug}/edit/")
    owner = page.get_by_role("combobox", name=words["owner"], exact=True)
    expect(owner).to_have_value("Claire Dupont (Direction générale)")
    expect(page.locator("body")).not_to_contain_text("E0004")
    shot(f"picker-edit-{language}-{device}")


@pytest.mark.parametrize(("language", "device"), [("en", "desktop"), ("fr", "phone")])
def test_a_waves_audience_is_picked_and_the_preview_follows(
        page, sign_in, shot, personas, live_server, language, device):
    survey = make_barometer(created_by=personas["marketing"])
    sign_in("marketing")
    _speak(page, live_server, language)
    page.set_viewport_size(SIZES[device])
    page.goto(f"/surveys/{survey.slug}/waves/new/")
    expect(page.locator("#preview")).to_contain_text("5")  # the five personas
    units = page.get_by_role("combobox", name=WORDS[language]["units"], exact=True)
    units.fill("vent")
    page.locator("#id_units-options").get_by_role("option", name="Ventes").click()
    expect(page.locator("#preview")).to_contain_text("1")  # Eric, of the sales unit
    shot(f"picker-wave-{language}-{device}")
    _close_up(units, f"picker-wave-close-{language}-{device}")
    # Nothing matches: the list says so, and the choice stays.
    units.fill("zzz")
    with translation.override(language):
        expect(page.locator("#id_units-options")).to_contain_text(translation.gettext("No match"))
    units.press("Escape")
    page.locator("#id_name").fill("Automne")
    page.locator("#id_closes_on").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/surveys/{survey.slug}/waves/1/")
    wave = Wave.objects.get()
    assert wave.audience["units"] == ["VEN"]
    assert wave.reminder_days == [7, 14]


@pytest.mark.parametrize(("language", "device"), [("fr", "desktop"), ("en", "phone")])
def test_an_objectives_attribute_is_picked_by_its_name_not_typed_as_a_code(
        page, sign_in, shot, personas, live_server, language, device):
    survey = make_barometer(created_by=personas["marketing"])
    plan = make_plan(personas["marketing"])
    sign_in("marketing")
    _speak(page, live_server, language)
    page.set_viewport_size(SIZES[device])
    page.goto(f"/comms/plans/{plan.pk}/objectives/new/")
    with translation.override(language):
        words = {w: translation.gettext(w) for w in (
            "Title", "Figure", "Survey", "Question of the grid", "Attribute (row of the grid)")}
        satisfaction = str(Objective.Metric.SATISFACTION.label)
    page.get_by_label(words["Title"], exact=True).fill("Réactivité perçue")
    page.get_by_label(words["Figure"], exact=True).select_option(label=satisfaction)
    page.get_by_role("combobox", name=words["Survey"], exact=True).fill(survey.title[:6])
    page.locator("#id_survey-options").get_by_role("option").first.click()
    # The grid is chosen by its text, the attribute by its name in the reader's language.
    page.get_by_label(words["Question of the grid"], exact=True).select_option("grid")
    attribute = page.get_by_role("combobox", name=words["Attribute (row of the grid)"],
                                 exact=True)
    attribute.fill("réac" if language == "fr" else "respon")
    options = page.locator("#id_option-options")
    expect(options.get_by_role("option")).to_have_count(1)
    shot(f"picker-objective-attribute-{language}-{device}")
    options.get_by_role("option").click()
    page.locator("form.form button.primary").click()
    page.wait_for_url(f"**/comms/plans/{plan.pk}/")
    objective = Objective.objects.get()
    assert objective.params == {"survey": survey.slug, "question": "grid",
                                "option": "reactivite"}


def test_the_barometers_filters_are_pickers_and_keep_their_query_string(
        page, sign_in, shot, personas, settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    for i in range(30):
        answer(survey, wave, nps=[3, 8, 10][i % 3], unit=["VEN", "DSI", "DG"][i % 3],
               day=dt.date(2025, 1, 8))
    sign_in("marketing")
    page.goto(f"/insights/barometer/{survey.slug}/")
    page.wait_for_selector("#chart-nps-trend svg")
    unit = page.get_by_role("combobox", name="Entité", exact=True)
    unit.click()
    unit.press_sequentially("syst")
    unit.press("ArrowDown")
    unit.press("Enter")
    # The same query string as the select sent: the page can be bookmarked and shared.
    page.wait_for_url("**unit=DSI**")
    expect(unit).to_have_value("Systèmes d'information")
    shot("picker-barometer-filter")
    page.reload()
    expect(page.get_by_role("combobox", name="Entité", exact=True)).to_have_value(
        "Systèmes d'information")
