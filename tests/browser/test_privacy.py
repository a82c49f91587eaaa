"""Personal data in Chromium: the administrator opens the page from the menu, picks a person
by name, downloads their archive, then erases them after typing their employee id (a wrong id
is refused first). Screenshots go to ``test-artifacts/screenshots/privacy-*.png``."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from phare.directory.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_exports_then_erases_a_person(page, sign_in, shot, personas):
    sign_in("admin")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Personal data").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))

    picker = page.get_by_role("combobox", name="Person", exact=True)
    picker.fill("mart")
    page.locator("#id_person-options").get_by_role("option", name="Eric Martin").click()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Eric Martin")
    expect(page.get_by_role("table")).to_contain_text("account")
    shot("privacy-person-en")

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download the archive (ZIP)").click()
    names = zipfile.ZipFile(Path(caught.value.path())).namelist()
    assert {"README.txt", "person.json", "account.csv"} <= set(names)

    page.get_by_role("link", name="Erase this person…").click()
    confirm = page.get_by_label("Type the employee id to confirm")
    confirm.fill("E0004")
    page.get_by_role("button", name="Erase for good").click()
    expect(page.locator(".error-summary")).to_contain_text("This is not the employee id")
    page.get_by_label("Type the employee id to confirm").fill("E0005")
    page.get_by_role("button", name="Erase for good").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))
    expect(page.locator(".messages")).to_contain_text("The person was erased.")
    shot("privacy-erased-en")
    eric = Person.objects.get(pk=personas["employee"].person_id)
    assert not eric.active and eric.employee_id.startswith("erased-")
