"""The outputs' API: personas (list, write), statements (versions, a draft, publication) and
benchmarks (list, add), with refusals in the API's error shape."""

from __future__ import annotations

import pytest

from phare.positioning.models import Benchmark, Persona, Statement
from phare.positioning.outputs import segments
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db

PARTS = {"audience_fr": "les équipes commerciales", "need_fr": "doivent partager vite",
         "offer_fr": "l'espace collaboratif de la DSI", "benefit_fr": "reste sûr et simple",
         "unlike_fr": "les outils personnels", "proof_fr": "il est hébergé en France"}



def _fields(response) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


def test_it_lists_segments_and_writes_a_persona(api, personas):
    study = make_answered_study(120, user=personas["marketing"])
    first = segments(study).segments[0]
    path = f"/positioning/studies/{study.slug}/personas"
    body = api("executive", "GET", path).json()
    assert body["n"] == 120 and body["hidden"] is False and body["personas_n"] is None
    assert [s["segment"] for s in body["segments"]] == [s.number for s in
                                                        segments(study).segments]
    assert body["segments"][0]["size"] == first.size and body["segments"][0]["persona"] is None
    card = {"name_fr": "Les pressés", "channels": ["email"], "quotes": first.verbatims[:1]}
    assert api("executive", "PUT", f"{path}/{first.number}", card).status_code == 403
    response = api("marketing", "PUT", f"{path}/{first.number}", card)
    assert response.status_code == 200, response.content
    assert response.json()["quotes"] == first.verbatims[:1]
    assert Persona.objects.get().name_fr == "Les pressés"
    bad = api("marketing", "PUT", f"{path}/{first.number}",
              {**card, "quotes": ["Personne n'a écrit ça"], "channels": ["fax"]})
    assert bad.status_code == 422 and _fields(bad) == {"quotes", "channels"}
    assert api("marketing", "PUT", f"{path}/9", card).status_code == 422
    body = api("marketing", "GET", path).json()
    assert body["personas_n"] == 120 and body["segments"][0]["persona"]["name_fr"] == (
        "Les pressés")


def test_it_drafts_publishes_and_lists_statements(api, personas):
    study = make_study(personas["marketing"])
    path = f"/positioning/studies/{study.slug}/statements"
    missing = api("marketing", "POST", path, {**PARTS, "proof_fr": " "})
    assert missing.status_code == 422 and _fields(missing) == {"proof_fr"}
    created = api("marketing", "POST", path, PARTS)
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1 and created.json()["status"] == "draft"
    assert created.json()["created_by"] == "marketing"
    published = api("admin", "POST", f"{path}/1/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = api("admin", "POST", f"{path}/1/publish")
    assert again.status_code == 409
    assert api("admin", "POST", f"{path}/5/publish").status_code == 404
    assert api("marketing", "POST", path, PARTS).json()["version"] == 2
    listed = api("executive", "GET", path).json()
    assert [(s["version"], s["status"]) for s in listed] == [(2, "draft"), (1, "published")]
    assert api("executive", "POST", path, PARTS).status_code == 403
    assert api("employee", "GET", path).status_code == 403
    assert Statement.objects.count() == 2


def test_it_adds_and_lists_benchmarks_only_with_a_source(api, personas):
    study = make_study(personas["marketing"])
    path = f"/positioning/studies/{study.slug}/benchmarks"
    figure = {"label_fr": "Satisfaction IT", "value": 81.5, "unit": "%",
              "source": "HappySignals", "as_of": "2025-03-01", "attribute": "support"}
    unsourced = api("marketing", "POST", path, {**figure, "source": "", "attribute": "x"})
    assert unsourced.status_code == 422 and _fields(unsourced) == {"source", "attribute"}
    assert api("marketing", "POST", path, {k: v for k, v in figure.items()
                                           if k != "as_of"}).status_code == 422
    created = api("marketing", "POST", path, figure)
    assert created.status_code == 201, created.content
    assert api("executive", "GET", path).json() == [{
        "id": Benchmark.objects.get().pk, "label_fr": "Satisfaction IT", "label_en": "",
        "value": 81.5, "unit": "%", "attribute": "support", "source": "HappySignals",
        "source_url": "", "as_of": "2025-03-01"}]
    assert api("executive", "POST", path, figure).status_code == 403
    assert api("marketing", "GET", "/positioning/studies/nope/benchmarks").status_code == 404
