"""The marketing lead's home flags a unit whose NPS dropped significantly and a theme growing
among detractors; each item opens its page filtered on it. In French and English, on a desk
and on a phone (screenshots ``cockpit-changes-<lang>-<device>.png``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VPN = ["VPN connexion coupée", "VPN connexion coupée en réunion",
       "VPN connexion coupée à la maison", "VPN connexion coupée le matin"]
OTHER = ["Imprimante papier coincé", "Ordinateur lent au démarrage",
         "Imprimante papier introuvable", "Ordinateur lent et bruyant"]


@pytest.fixture
def scene(personas, settings, tmp_path):
    """Two closed waves: the sales unit goes from +67 to −17 and its detractors speak of
    the VPN; the head office stays as it was."""
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    steady = [10, 9, 8, 3, 2, 1] * 5
    plan = [(first, {"DG": steady, "VEN": [10, 10, 9, 9, 8, 7] * 5}, 2, dt.date(2025, 1, 8)),
            (second, {"DG": steady, "VEN": [10, 9, 7, 3, 2, 0] * 5}, 18, dt.date(2025, 7, 9))]
    for wave, units, about_vpn, day in plan:
        said = 0
        for unit, scores in units.items():
            for i, score in enumerate(scores):
                text = "Très bien dans l'ensemble"
                if score <= 6:
                    text = VPN[said % 4] if said < about_vpn else OTHER[said % 4]
                    said += 1
                answer(survey, wave, nps=score, unit=unit, site=("PAR", "LYS")[i % 2],
                       job=("IT", "COM")[i % 2], day=day, comment=text,
                       **({"why_low": text} if score <= 6 else {}))
    return survey


def _language(page, code: str) -> None:
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_the_marketing_lead_sees_the_drop_and_the_theme_and_opens_them(
        page, sign_in, shot, scene):
    page.set_default_timeout(40_000)  # the first visit computes the dashboards it reads
    page.set_viewport_size(DESK)
    sign_in("marketing")
    _language(page, "en")
    todo = page.locator(".todo-list")
    drop = todo.get_by_role("link", name=re.compile(
        r"^The NPS of the business unit “Ventes” fell by 83 points from Vague 1 to Vague 2"))
    expect(drop).to_be_visible()
    theme = todo.get_by_role("link", name=re.compile(
        r"^The theme “[^”]*vpn[^”]*” grows among the detractors", re.IGNORECASE))
    expect(theme).to_be_visible()
    for code in ("en", "fr"):
        if code == "fr":
            page.set_viewport_size(DESK)
            _language(page, "fr")
        shot(f"cockpit-changes-{code}-desktop")
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"the page is {width} px wide on a phone"
        shot(f"cockpit-changes-{code}-phone")
    page.set_viewport_size(DESK)
    _language(page, "en")

    page.locator(".todo-list").get_by_role("link", name=re.compile(r"^The NPS of")).click()
    page.wait_for_url(re.compile(rf"/insights/barometer/{scene.slug}/\?wave=2&unit=VEN$"))
    # The filter shows the unit by name (a searchable picker); the URL above holds its code.
    expect(page.get_by_role("combobox", name="Business unit", exact=True)).to_have_value(
        re.compile(r"^Ventes"))

    page.go_back()
    page.locator(".todo-list").get_by_role("link", name=re.compile(r"^The theme")).click()
    page.wait_for_url(re.compile(r"/insights/verbatims/\?survey=.*&theme=\d+&band=low$"))
    expect(page.locator("body")).to_contain_text("VPN")
    shot("cockpit-changes-theme-comments-en-desktop")
