"""The catalogue, clicked through: an employee finds a service, an owner changes theirs, the
marketing lead publishes the change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.catalog.factories import make_families, make_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(personas):
    from phare.catalog.search import index_service

    make_families()
    made = [
        make_service("teletravail", name_fr="Télétravail en toute sécurité",
                     name_en="Working from home securely", family="remote",
                     promise_fr="Travailler de chez soi comme au bureau",
                     promise_en="Work from home as if you were at the office",
                     keywords="vpn, accès distant, remote", owner="E0003",
                     description_fr="Le **VPN** de l'entreprise, installé sur votre portable.",
                     commitments=[{"text_fr": "Accès ouvert en 1 jour ouvré", "target": "95",
                                   "unit": "percent"}],
                     faqs=[{"question_fr": "Puis-je l'utiliser à l'étranger ?",
                            "answer_fr": "Oui, hors pays sous embargo."}]),
        make_service("visio", name_fr="Visioconférence", family="collab",
                     promise_fr="Se réunir à distance, simplement"),
        make_service("contrats", name_fr="Gestion des contrats", audience_everyone=False,
                     audience_units=["DG"], audience_sites=["PAR"]),
    ]
    for service in made:
        index_service(service)
    return made


def test_an_employee_finds_the_remote_work_service(page, sign_in, shot, catalogue):
    sign_in("employee")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Catalogue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Catalogue des services informatiques")
    expect(page.get_by_text("Gestion des contrats")).to_have_count(0)
    shot("catalogue-home-employee-fr")
    page.get_by_label("Rechercher dans le catalogue").fill("teletravail")
    result = page.locator("#search-results").get_by_role(
        "link", name="Télétravail en toute sécurité")
    expect(result).to_be_visible()
    expect(page.locator("#search-results mark").first).to_be_visible()
    shot("catalogue-search-teletravail-fr")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Télétravail en toute sécurité")
    expect(page.get_by_text("Accès ouvert en 1 jour ouvré")).to_be_visible()
    page.get_by_text("Puis-je l'utiliser à l'étranger ?").click()
    expect(page.get_by_text("Oui, hors pays sous embargo.")).to_be_visible()
    shot("catalogue-service-fr")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working from home securely")
    shot("catalogue-service-en")


def test_an_owner_changes_their_service_and_the_marketing_lead_publishes_it(
        page, sign_in, shot, catalogue):
    sign_in("owner")
    page.goto("/catalogue/manage/")
    expect(page.get_by_role("link", name="Visioconférence")).to_have_count(0)
    page.get_by_role("link", name="Télétravail en toute sécurité").click()
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Promesse (français)").fill("Travailler de partout, en sécurité")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos modifications sont enregistrées comme une proposition"))\
        .to_be_visible()
    page.get_by_role("button", name="Soumettre à relecture").click()
    expect(page.get_by_text("Soumis : la responsable marketing va le relire.")).to_be_visible()
    shot("catalogue-owner-submitted-fr")
    # The portal still shows the published promise.
    page.goto("/catalogue/teletravail/")
    expect(page.get_by_text("Travailler de chez soi comme au bureau")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    sign_in("marketing")
    page.goto("/catalogue/manage/")
    expect(page.get_by_text("1 service en attente de votre relecture")).to_be_visible()
    page.locator(".card").get_by_role("link", name="Télétravail en toute sécurité").click()
    expect(page.get_by_role("heading", name="Modifications en attente de publication"))\
        .to_be_visible()
    page.get_by_label("Note (facultative)").fill("Plus clair, merci")
    page.get_by_role("button", name="Publier les modifications").click()
    expect(page.get_by_text("Publié.", exact=True)).to_be_visible()
    history = page.locator(".history")
    expect(history.get_by_text("Travailler de partout, en sécurité").first).to_be_visible()
    expect(history.get_by_text("Plus clair, merci")).to_be_visible()
    shot("catalogue-history-fr")
    page.goto("/catalogue/teletravail/")
    expect(page.get_by_text("Travailler de partout, en sécurité")).to_be_visible()
