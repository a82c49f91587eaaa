from __future__ import annotations

import pytest

from phare.accounts.services import token_create
from phare.catalog.models import Service
from phare.catalog.search import index_service
from tests.catalog.factories import content, make_service


def auth(user) -> dict[str, str]:
    _token, raw = token_create(user=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def catalogue(personas, families):
    made = [make_service("teletravail", name_fr="Télétravail", keywords="vpn", owner="E0003",
                         family="remote"),
            make_service("contrats", name_fr="Contrats", audience_everyone=False,
                         audience_units=["DG"], audience_sites=["LYS"]),
            make_service("brouillon", name_fr="Brouillon", publication="draft", owner="E0003")]
    for service in made:
        index_service(service)
    return made


def test_it_lists_only_what_the_caller_may_see(client, personas, catalogue,
                                               django_assert_max_num_queries):
    headers = auth(personas["employee"])
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/services", **headers).json()
    assert [s["slug"] for s in body["items"]] == ["teletravail"]
    everything = client.get("/api/v1/services", **auth(personas["marketing"])).json()
    assert everything["count"] == 3


def test_it_searches_like_the_portal(client, personas, catalogue):
    body = client.get("/api/v1/services", {"q": "vpn"}, **auth(personas["employee"])).json()
    assert [s["slug"] for s in body["items"]] == ["teletravail"]


def test_it_reads_one_service_with_its_content(client, personas, catalogue):
    body = client.get("/api/v1/services/teletravail", **auth(personas["employee"])).json()
    assert body["content"]["keywords"] == "vpn"
    assert client.get("/api/v1/services/contrats", **auth(personas["employee"])
                      ).status_code == 404


def test_it_creates_and_refuses_bad_content_field_by_field(client, personas, families):
    headers = auth(personas["marketing"])
    created = client.post("/api/v1/services", {"content": content(name_fr="Wifi invités")},
                          content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["slug"] == "wifi-invites"
    refused = client.post("/api/v1/services", {"content": content(family="nope", name_fr="")},
                          content_type="application/json", **headers)
    assert refused.status_code == 422
    details = {d["field"]: d["reason"] for d in refused.json()["error"]["details"]}
    assert details == {"content.family": "« nope » n’est pas une famille d’offre",
                       "content.name_fr": "une valeur est obligatoire"}


def test_the_publication_cycle_through_the_api(client, personas, catalogue):
    owner, marketing = auth(personas["owner"]), auth(personas["marketing"])
    patched = client.patch("/api/v1/services/teletravail",
                           {"content": {"promise_fr": "Partout"}},
                           content_type="application/json", **owner)
    assert patched.json()["pending"] == {"promise_fr": "Partout"}
    client.post("/api/v1/services/teletravail/submit", **owner)
    forbidden = client.post("/api/v1/services/teletravail/publish", {"note": ""},
                            content_type="application/json", **owner)
    assert forbidden.status_code == 403
    published = client.post("/api/v1/services/teletravail/publish", {"note": "ok"},
                            content_type="application/json", **marketing)
    assert published.json()["promise"] == "Partout"
    assert Service.objects.get(slug="teletravail").revisions.filter(action="published").exists()


def test_an_owner_cannot_change_anothers_service(client, personas, catalogue):
    response = client.patch("/api/v1/services/contrats", {"content": {"promise_fr": "x"}},
                            content_type="application/json", **auth(personas["owner"]))
    assert response.status_code == 404  # not even visible to them
    make_service("public")
    response = client.patch("/api/v1/services/public", {"content": {"promise_fr": "x"}},
                            content_type="application/json", **auth(personas["owner"]))
    assert response.status_code == 403


def test_lifecycle_through_the_api_explains_refusals(client, personas, catalogue):
    response = client.post("/api/v1/services/teletravail/lifecycle", {"to": "retired"},
                           content_type="application/json", **auth(personas["marketing"]))
    assert response.status_code == 422
    assert "ne peut pas passer de" in response.json()["error"]["message"]
