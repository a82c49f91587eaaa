"""The foundation, clicked through as people use it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_marketing_lead_signs_in_and_switches_to_english(page, sign_in, shot):
    sign_in("marketing")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Mathilde Marchand")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    shot("home-marketing-fr")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mathilde Marchand")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Directory")).to_be_visible()
    shot("home-marketing-en")
    page.get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_admin_opens_the_directory_and_filters_people(page, sign_in, shot):
    sign_in("admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire de l’organisation")
    shot("home-admin-fr")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire")
    expect(page.get_by_text("5 personnes trouvées")).to_be_visible()
    page.get_by_label("Rechercher").fill("martin")
    expect(page.get_by_text("1 personne trouvée")).to_be_visible()
    expect(page.get_by_role("link", name="Martin Eric")).to_be_visible()
    shot("directory-admin-fr")
    page.get_by_role("link", name="Martin Eric").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eric Martin")
    page.get_by_role("button", name="EN").click()
    page.goto("/directory/units/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Business units")
    shot("units-admin-en")


def test_employee_gets_403_on_the_directory(page, sign_in, shot):
    sign_in("employee")
    expect(page.get_by_role("link", name="Annuaire")).to_have_count(0)
    response = page.goto("/directory/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    shot("directory-employee-403")


def test_keyboard_users_can_skip_to_the_content(page, sign_in):
    sign_in("employee")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_admin_imports_a_bad_file_and_sees_every_error(page, sign_in, shot, tmp_path):
    from phare.directory.models import Person

    before = Person.objects.count()
    bad = tmp_path / "people.csv"
    bad.write_text(
        "employee_id,first_name,last_name,email\n"
        "N1,Anne,Petit,anne.petit@example.com\n"
        "N2,,Durand,not-an-email\n"
        "N1,Paul,Roux,paul.roux@example.com\n",
        encoding="utf-8",
    )
    sign_in("admin")
    page.goto("/directory/import/")
    page.get_by_label("Fichier de l’annuaire (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.get_by_text("La tâche a échoué")).to_be_visible()
    rows = page.locator("#job table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("not-an-email")).to_be_visible()
    shot("import-errors-fr")
    assert Person.objects.count() == before


def test_admin_imports_a_good_file_and_follows_its_progress(page, sign_in, shot, tmp_path):
    from phare.directory.models import Person

    good = tmp_path / "people.csv"
    good.write_text(
        "employee_id;first_name;last_name;email;business_unit;business_unit_name\n"
        "N1;Anne;Petit;anne.petit@example.com;FIN;Finance\n"
        "N2;Paul;Roux;paul.roux@example.com;FIN;Finance\n",
        encoding="utf-8",
    )
    sign_in("admin")
    page.goto("/directory/import/")
    page.get_by_label("Fichier de l’annuaire (CSV)").set_input_files(str(good))
    page.get_by_label("Garder actives les personnes absentes du fichier").check()
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.get_by_text("Réussie")).to_be_visible()
    shot("import-success-fr")
    assert Person.objects.filter(employee_id__in=["N1", "N2"]).count() == 2
    assert Person.objects.filter(active=True).count() == 7


def test_admin_gives_a_person_an_account(page, sign_in, shot):
    sign_in("admin")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Comptes").click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Identifiant").fill("cdupont2")
    page.get_by_label("Rôle").select_option("owner")
    page.get_by_role("combobox", name="Personne").fill("Dupont")
    page.get_by_role("option", name="Claire Dupont").click()
    page.get_by_label("Mot de passe initial").fill("Un-mot-de-passe-solide")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette personne a déjà un compte.").first).to_be_visible()
    shot("user-new-error-fr")
    from phare.directory.models import Person

    Person.objects.create(employee_id="E0777", first_name="Inès", last_name="Moreau",
                          email="ines.moreau@example.com")
    page.get_by_role("combobox", name="Personne").fill("Moreau")
    page.get_by_role("option", name="Inès Moreau").click()
    page.get_by_label("Mot de passe initial").fill("Un-mot-de-passe-solide")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Compte « cdupont2 » créé.")).to_be_visible()
    expect(page.get_by_role("cell", name="Inès Moreau (E0777)")).to_be_visible()
    shot("users-fr")
