"""A portal search that finds nothing still leads somewhere: the service desk and a need."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from phare.catalog.search import index_service
from tests.catalog.factories import make_service


def test_no_result_offers_the_service_desk_and_to_propose_a_need(login, families, english):
    desk = make_service("centre-de-services", name_fr="Centre de services",
                        name_en="IT service desk", family="support")
    index_service(desk)
    client = login("employee")

    page = client.get(reverse("catalog:search"), {"q": "imprimante 3D"},
                      HTTP_HX_REQUEST="true").content.decode()

    assert "No service matches" in page
    assert f'href="{reverse("catalog:service", args=["centre-de-services"])}"' in page
    assert "ask the service desk (IT service desk)" in page
    assert f'href="{reverse("needs:new")}?title={quote("imprimante 3D")}"' in page
    found = client.get(reverse("catalog:search"), {"q": "services"}).content.decode()
    assert "propose a need" not in found  # a search that finds something offers nothing more


def test_without_a_desk_in_the_catalogue_a_need_is_still_offered(login, families, english):
    page = login("employee").get(reverse("catalog:search"), {"q": "rien"}).content.decode()
    assert "ask the service desk" not in page and "propose a need" in page


def test_the_need_form_starts_from_the_words_searched(login, families, english):
    page = login("employee").get(reverse("needs:new"), {"title": "Imprimante 3D"})
    assert 'value="Imprimante 3D"' in page.content.decode()
