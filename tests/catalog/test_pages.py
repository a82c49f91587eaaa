"""The portal and the management pages, as people use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phare.catalog.models import Service
from phare.catalog.search import index_service
from tests.catalog.factories import content, make_service


@pytest.fixture
def catalogue(personas, families):
    made = {
        "vpn": make_service(
            "teletravail", name_fr="Télétravail en toute sécurité", name_en="Working from home",
            promise_fr="Travailler de chez soi comme au bureau", family="remote",
            keywords="vpn, accès distant", owner="E0003",
            description_fr="Un **accès** sécurisé.\n\n<script>alert(1)</script>",
            commitments=[{"text_fr": "Accès ouvert en 1 jour", "target": "95", "unit": "percent"}],
            faqs=[{"question_fr": "Et le wifi ?", "answer_fr": "Oui."}],
            news=[{"date": "2026-10-01", "title_fr": "Nouvelle passerelle"}],
            cost_unit="user_month", unit_cost="4.5", charging="charged_back",
            annual_run_cost="120000"),
        "legal": make_service("contrats", name_fr="Gestion des contrats",
                              audience_everyone=False, audience_units=["DG"],
                              audience_sites=["LYS"]),
        "draft": make_service("brouillon", name_fr="Brouillon", publication="draft",
                              owner="E0003"),
    }
    for service in made.values():
        index_service(service)
    return made


def test_the_portal_lists_families_services_and_news(login, catalogue):
    page = login("employee").get(reverse("catalog:home")).content.decode()
    assert "Travailler à distance" in page and "Télétravail en toute sécurité" in page
    assert "Nouvelle passerelle" in page
    assert "Gestion des contrats" not in page and "Brouillon" not in page


def test_the_portal_speaks_english_with_a_french_fallback(client, personas, catalogue):
    client.force_login(personas["employee"])
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Working remotely" in page and "Working from home" in page
    # No English promise: the French one is shown rather than nothing.
    assert "Travailler de chez soi comme au bureau" in page


def test_the_service_page_shows_everything_and_renders_markdown_safely(login, catalogue):
    page = login("employee").get(reverse("catalog:service", args=["teletravail"])
                                 ).content.decode()
    assert "<strong>accès</strong>" in page
    assert "<script>alert(1)" not in page
    assert "Accès ouvert en 1 jour" in page and "95" in page
    assert "Et le wifi ?" in page
    assert "4,50 €" in page and "Refacturé" in page.replace("refacturé", "Refacturé")
    assert "Olivier Owner" in page


def test_a_service_outside_ones_audience_does_not_exist(login, catalogue):
    client = login("employee")
    assert client.get(reverse("catalog:service", args=["contrats"])).status_code == 404
    assert client.get(reverse("catalog:service", args=["brouillon"])).status_code == 404


def test_owners_see_their_draft_with_a_warning(login, catalogue):
    page = login("owner").get(reverse("catalog:service", args=["brouillon"])).content.decode()
    assert "Pas sur le portail pour vous" in page


def test_the_search_page_and_its_htmx_fragment(login, catalogue):
    client = login("employee")
    page = client.get(reverse("catalog:search"), {"q": "teletravail"}).content.decode()
    assert "<mark>" in page and "Télétravail" in page
    fragment = client.get(reverse("catalog:search"), {"q": "vpn"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "teletravail" in fragment
    hidden = client.get(reverse("catalog:search"), {"q": "contrats"}).content.decode()
    assert "Gestion des contrats" not in hidden


def test_the_portal_query_count_does_not_grow_with_services(login, catalogue,
                                                            django_assert_num_queries):
    client = login("employee")
    client.get(reverse("catalog:home"))
    # session, user, person, unit tree, counts, families, ranks, services, news.
    with django_assert_num_queries(9) as first:
        client.get(reverse("catalog:home"))
    for i in range(20):
        make_service(f"extra-{i}", name_fr=f"Extra {i}",
                     news=[{"date": "2026-01-01", "title_fr": "x"}])
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(reverse("catalog:home")).content.decode()
    assert "Extra 19" in page


def test_the_owner_edits_and_submits_from_the_pages(login, catalogue):
    client = login("owner")
    edit = reverse("catalog:manage_edit", args=["brouillon"])
    form = client.get(edit)
    assert form.status_code == 200
    data = {
        "name_fr": "Brouillon", "promise_fr": "Nouvelle promesse", "family": "collab",
        "audience_everyone": "on", "cost_unit": "none", "charging": "included",
        "owner": "E0003",
    }
    for prefix in ("commitments", "faqs", "news"):
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {"commitments-0-text_fr": "Réponse en 2 h", "commitments-0-target": "2",
             "commitments-0-unit": "hours"}
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(slug="brouillon")
    assert service.promise_fr == "Nouvelle promesse"
    assert service.commitments.get().unit == "hours"
    client.post(reverse("catalog:manage_submit", args=["brouillon"]))
    service.refresh_from_db()
    assert service.publication == "review"


def test_the_editor_shows_each_error_beside_its_field(login, catalogue):
    client = login("marketing")
    data = {"name_fr": "X", "promise_fr": "Y", "family": "collab", "cost_unit": "user_month",
            "charging": "included", "owner": "NOBODY", "unit_cost": "abc"}
    for prefix in ("commitments", "faqs", "news"):
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {"commitments-0-text_fr": "Vite", "commitments-0-target": "beaucoup",
             "commitments-0-unit": "percent"}
    page = client.post(reverse("catalog:manage_new"), data).content.decode()
    assert "« NOBODY » n’est pas une personne active de l’annuaire</strong>" in page
    assert "« abc » n’est pas un montant" in page
    assert "« beaucoup » n’est pas une cible chiffrée" in page
    assert "choisissez tout le monde" in page
    assert Service.objects.count() == 3


def test_owners_cannot_open_anothers_service_in_management(login, catalogue):
    client = login("owner")
    assert client.get(reverse("catalog:manage_detail", args=["contrats"])).status_code == 404
    make_service("public", name_fr="Public")
    assert client.get(reverse("catalog:manage_detail", args=["public"])).status_code == 403


def test_the_marketing_lead_publishes_and_sees_the_history(login, personas, catalogue):
    from phare.catalog import services
    from phare.catalog.content import content_of

    vpn = catalogue["vpn"]
    services.service_update(user=personas["owner"], service=vpn,
                            data=content_of(vpn) | content(promise_fr="Partout, en sécurité",
                                                           name_fr=vpn.name_fr,
                                                           name_en=vpn.name_en, family="remote",
                                                           keywords=vpn.keywords, owner="E0003",
                                                           description_fr=vpn.description_fr,
                                                           cost_unit="user_month",
                                                           unit_cost="4.50",
                                                           charging="charged_back",
                                                           annual_run_cost="120000.00")
                            | {k: content_of(vpn)[k] for k in ("commitments", "faqs", "news")})
    services.service_submit(user=personas["owner"], service=vpn)
    client = login("marketing")
    listing = client.get(reverse("catalog:manage")).content.decode()
    assert "1 service en attente de votre relecture" in listing
    detail = client.get(reverse("catalog:manage_detail", args=["teletravail"])).content.decode()
    assert "Partout, en sécurité" in detail and "Promesse (français)" in detail
    client.post(reverse("catalog:manage_publish", args=["teletravail"]), {"note": "Validé"})
    vpn.refresh_from_db()
    assert vpn.promise_fr == "Partout, en sécurité"
    history = client.get(reverse("catalog:manage_detail", args=["teletravail"])).content.decode()
    assert "Publié" in history and "Validé" in history and "Travailler de chez soi" in history


def test_the_manage_list_filters(login, catalogue):
    page = login("marketing").get(reverse("catalog:manage"), {"publication": "draft"}
                                  ).content.decode()
    assert ">Brouillon</a>" in page and "Télétravail" not in page
    page = login("marketing").get(reverse("catalog:manage"), {"family": "remote"}
                                  ).content.decode()
    assert "Télétravail" in page and ">Brouillon</a>" not in page


def test_the_portal_shows_the_first_services_of_each_family_and_links_to_all(
        login, catalogue, monkeypatch):
    from phare.catalog import queries

    monkeypatch.setattr(queries, "PER_FAMILY", 2)
    for i in range(3):
        make_service(f"collab-{i}", name_fr=f"Collab {i}")
    client = login("employee")
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Collab 0" in page and "Collab 1" in page and "Collab 2" not in page
    assert "Voir les 3 services" in page and "?family=collab" in page
    family = client.get(reverse("catalog:home"), {"family": "collab"}).content.decode()
    assert "Collab 2" in family and 'id="family-remote"' not in family
