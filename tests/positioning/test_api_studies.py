"""The studies API: list, create, read and change the design, the generated questionnaire;
managers write, readers read, refusals name the field."""

from __future__ import annotations

import pytest

from phare.catalog.models import OfferFamily
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db



def test_readers_list_and_read_studies(api):
    study = make_answered_study(20)
    listed = api("executive", "GET", "/positioning/studies")
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["slug"] == study.slug and row["respondents"] == 20
    assert study.survey is not None
    assert row["survey"] == study.survey.slug and row["family"] is None
    detail = api("executive", "GET", f"/positioning/studies/{study.slug}").json()
    assert [a["code"] for a in detail["alternatives"]][0] == "dsi"
    assert len(detail["attributes"]) == 8 and detail["frozen"] is True
    assert detail["suggested_tools"] == ["Dropbox", "Trello", "WhatsApp"]
    assert api("employee", "GET", "/positioning/studies").status_code == 403
    assert api("executive", "GET", "/positioning/studies/nope").status_code == 404


def test_managers_create_and_patch(api):
    OfferFamily.objects.create(code="remote", name_fr="À distance", name_en="Remote work")
    created = api("marketing", "POST", "/positioning/studies", {
        "slug": "remote-2026", "title_fr": "Travail à distance", "family": "remote"})
    assert created.status_code == 201
    assert created.json()["family"] == "remote" and len(created.json()["alternatives"]) == 5
    patched = api("marketing", "PATCH", "/positioning/studies/remote-2026", {
        "title_en": "Remote work study", "scale_max": 7, "family": "",
        "attributes": [{"code": "green", "label_fr": "Sobriété", "label_en": "Green IT"}],
        "profile_questions": ["profile_role"], "suggested_tools": ["Miro"]})
    assert patched.status_code == 200
    body = patched.json()
    assert (body["title_en"], body["scale_max"], body["family"]) == ("Remote work study", 7, None)
    assert body["attributes"][-1]["code"] == "green" and body["profile_questions"] == [
        "profile_role"]
    assert body["suggested_tools"] == ["Miro"]
    assert api("executive", "PATCH", "/positioning/studies/remote-2026",
               {"title_en": "x"}).status_code == 403
    assert api("executive", "POST", "/positioning/studies",
               {"slug": "x", "title_fr": "x"}).status_code == 403


def test_refusals_name_the_field_and_change_nothing(api):
    study = make_study(slug="s1")
    bad = api("marketing", "PATCH", "/positioning/studies/s1", {
        "title_en": "Changed", "population": {"units": ["NOPE"]}})
    assert bad.status_code == 422
    [detail] = bad.json()["error"]["details"]
    # In the caller's language (French here): the field and the unknown code are named.
    assert detail["field"] == "population.units" and detail["reason"].endswith("NOPE.")
    study.refresh_from_db()
    assert study.title_en != "Changed"  # all or nothing
    frozen = make_answered_study(10)
    refused = api("marketing", "PATCH", f"/positioning/studies/{frozen.slug}", {
        "attributes": [{"code": "x", "label_fr": "X"}]})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "attributes.1"
    taken = api("marketing", "POST", "/positioning/studies", {"slug": "s1", "title_fr": "x"})
    assert taken.status_code == 422 and taken.json()["error"]["details"][0]["field"] == "slug"


def test_the_questionnaire_is_given_in_both_languages(api):
    study = make_study(slug="q1")
    body = api("executive", "GET", f"/positioning/studies/{study.slug}/questionnaire").json()
    assert [q["code"] for q in body] == ["ratings", "importance", "used", "used_why", "tools",
                                         "preference", "comment"]
    ratings = body[0]
    assert ratings["type"] == "matrix" and len(ratings["columns"]) == 5
    assert ratings["text_en"].startswith("For IT in general") and ratings["text_fr"]
