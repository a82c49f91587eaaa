"""The surveys API: settings, sections, questions and versions, with refusals naming fields."""

from __future__ import annotations

import pytest

from phare.accounts.services import token_create
from phare.listening import services
from phare.listening.models import Response, Survey
from tests.listening.factories import full_answers


def answer(survey: Survey) -> Response:
    return services.response_submit(survey=survey, answers=full_answers(),
                                    channel=Response.Channel.OPEN_LINK)


def details(response) -> dict[str, str]:
    body = response.json()["error"]
    return {d["field"]: d["reason"] for d in body["details"]}


def test_it_lists_surveys_with_their_counts(api, barometer, django_assert_max_num_queries):
    answer(barometer)
    services.survey_create(slug="pulse", kind="pulse", title_fr="Pulse")
    with django_assert_max_num_queries(6):
        body = api("GET", "/surveys").json()
    assert body["count"] == 2
    listed = {s["slug"]: s for s in body["items"]}
    assert (listed["barometre"]["responses"], listed["barometre"]["version"],
            listed["barometre"]["waves"]) == (1, 1, 0)
    only = api("GET", "/surveys", {"kind": "pulse"}).json()
    assert [s["slug"] for s in only["items"]] == ["pulse"]
    assert api("GET", "/surveys", {"kind": "poll"}).status_code == 422


def test_it_creates_a_survey(api, personas):
    response = api("POST", "/surveys", {"slug": "barometre-2026", "kind": "barometer",
                                        "title_fr": "Baromètre", "anonymity": "confidential",
                                        "min_group_size": 7})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["anonymity"], body["min_group_size"]) == (
        "draft", "confidential", 7)
    assert body["current"]["number"] == 1
    assert body["current"]["sections"] == [{"position": 1, "title_fr": "", "title_en": "",
                                            "translations": {}, "version": 1}]
    assert Survey.objects.get(slug="barometre-2026").created_by == personas["marketing"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"slug": "tickets"}, "slug"),
    ({"kind": "service"}, "service"),
    ({"kind": "service", "service": "nowhere"}, "service"),
    ({"kind": "transactional", "anonymity": "anonymous"}, "anonymity"),
    ({"min_verbatim_group_size": 9}, "min_verbatim_group_size"),
])
def test_refused_surveys_name_the_field(api, db, payload, field):
    response = api("POST", "/surveys", {"slug": "s", "kind": "pulse", "title_fr": "S",
                                        **payload})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in details(response)
    assert not Survey.objects.exists()


@pytest.mark.parametrize("slug", ["new", "import", "imports", "tickets"])
def test_the_api_refuses_the_identifiers_of_fixed_pages(api, db, slug):
    response = api("POST", "/surveys", {"slug": slug, "kind": "pulse", "title_fr": "Pulse"})
    assert response.status_code == 422
    assert "slug" in details(response)
    assert not Survey.objects.exists()


def test_invalid_bodies_name_the_field(api, db):
    response = api("POST", "/surveys", {"slug": "Pas Bon", "kind": "poll"})
    assert response.status_code == 422
    assert {"body.payload.slug", "body.payload.kind", "body.payload.title_fr"} <= set(
        details(response))


def test_it_gives_a_survey_with_its_questions_in_both_languages(api, barometer):
    body = api("GET", "/surveys/barometre").json()
    questions = {q["code"]: q for q in body["current"]["questions"]}
    assert list(questions)[:2] == ["nps", "why_low"]
    why = questions["why_low"]
    assert (why["text_fr"], why["text_en"]) == ("Qu'est-ce qui n'a pas été ?", "What went wrong?")
    assert why["condition"] == {"question": "nps", "op": "between", "min": 0, "max": 6}
    assert (questions["nps"]["scale_min"], questions["nps"]["scale_max"]) == (0, 10)
    assert questions["grid"]["options"][0] == {"code": "reactivite", "label_fr": "Réactivité",
                                               "label_en": "Responsiveness"}
    assert questions["grid"]["section"] == 2
    assert body["versions"] == [{"number": 1, "responses": 0}]
    assert api("GET", "/surveys/nowhere").status_code == 404


def test_it_changes_settings_and_status(api, barometer):
    response = api("PATCH", "/surveys/barometre", {"intro_fr": "Bonjour", "open_link": True,
                                                   "status": "open"})
    assert response.status_code == 200
    body = response.json()
    assert (body["intro_fr"], body["status"], body["open_token"]) == (
        "Bonjour", "open", Survey.objects.get(slug="barometre").open_token)


def test_settings_and_status_are_refused_together(db, api):
    services.survey_create(slug="vide", kind="pulse", title_fr="Vide")
    response = api("PATCH", "/surveys/vide", {"intro_fr": "Bonjour", "status": "open"})
    assert response.status_code == 422 and "status" in details(response)
    assert Survey.objects.get(slug="vide").intro_fr == ""


def test_an_answered_survey_keeps_its_anonymity_and_thresholds(api, barometer):
    answer(barometer)
    refused = api("PATCH", "/surveys/barometre", {"anonymity": "named"})
    assert refused.status_code == 422 and "anonymity" in details(refused)
    lowered = api("PATCH", "/surveys/barometre", {"min_group_size": 4})
    assert "min_group_size" in details(lowered)
    assert api("PATCH", "/surveys/barometre", {"min_group_size": 6}).status_code == 200


def test_it_adds_sections_and_questions(api, barometer):
    section = api("POST", "/surveys/barometre/sections", {"title_fr": "Fin", "title_en": "End"})
    assert section.status_code == 201 and section.json()["position"] == 3
    response = api("POST", "/surveys/barometre/questions", {
        "code": "services", "type": "grid", "text_fr": "Nos services", "section": 3,
        "required": True, "options": [{"code": "visio", "label_fr": "Visio"}],
        "condition": {"question": "nps", "op": "in", "values": [0, 1, 2]}})
    assert response.status_code == 201
    body = response.json()
    assert (body["section"], body["position"], body["version"]) == (3, 1, 1)
    assert (body["scale_min"], body["scale_max"]) == (1, 5)
    assert body["condition"] == {"question": "nps", "op": "in", "values": [0, 1, 2]}
    renamed = api("PATCH", "/surveys/barometre/sections/3", {"title_fr": "Pour finir"})
    assert renamed.json()["title_fr"] == "Pour finir"


@pytest.mark.parametrize(("payload", "field"), [
    ({"code": "nps"}, "code"),
    ({"type": "scale"}, "scale_min"),
    ({"type": "single", "options": []}, "options"),
    ({"condition": {"question": "later", "op": "answered"}}, "condition"),
    ({"section": 9}, "section"),
])
def test_refused_questions_name_the_field(api, barometer, payload, field):
    response = api("POST", "/surveys/barometre/questions",
                   {"code": "extra", "type": "text", "text_fr": "?", **payload})
    assert response.status_code == 422
    assert field in details(response)


def test_editing_an_answered_survey_makes_a_new_version(api, barometer):
    answer(barometer)
    response = api("PATCH", "/surveys/barometre/questions/csat",
                   {"text_fr": "Globalement satisfait ?"})
    assert response.status_code == 200 and response.json()["version"] == 2
    first = api("GET", "/surveys/barometre/versions/1").json()
    assert first["frozen"] and first["responses"] == 1
    assert {q["code"]: q["text_fr"] for q in first["questions"]}["csat"] == "Êtes-vous satisfait ?"
    second = api("GET", "/surveys/barometre/versions/2").json()
    assert not second["frozen"] and second["responses"] == 0
    assert api("GET", "/surveys/barometre/versions/3").status_code == 404
    # The same text again changes nothing.
    api("PATCH", "/surveys/barometre/questions/csat", {"text_fr": "Globalement satisfait ?"})
    assert barometer.versions.count() == 2


def test_it_moves_and_deletes_questions(api, barometer):
    moved = api("POST", "/surveys/barometre/questions/comment/move",
                {"position": 1, "section": 1})
    assert moved.status_code == 200
    assert (moved.json()["section"], moved.json()["position"]) == (1, 1)
    refused = api("POST", "/surveys/barometre/questions/why_low/move", {"position": 1})
    assert refused.status_code == 422 and "position" in details(refused)
    depended_on = api("DELETE", "/surveys/barometre/questions/nps")
    assert depended_on.status_code == 422 and "code" in details(depended_on)
    assert api("DELETE", "/surveys/barometre/questions/comment").status_code == 204
    assert api("DELETE", "/surveys/barometre/questions/comment").status_code == 404
    assert api("PATCH", "/surveys/barometre/questions/nowhere", {}).status_code == 404


def test_empty_sections_are_deleted(api, barometer):
    api("POST", "/surveys/barometre/sections", {})
    assert api("DELETE", "/surveys/barometre/sections/2").status_code == 422
    assert api("DELETE", "/surveys/barometre/sections/3").status_code == 204
    assert barometer.current_version().sections.count() == 2


def test_other_roles_are_refused(client, personas, barometer):
    _token, raw = token_create(user=personas["owner"], name="api")
    response = client.get("/api/v1/surveys/barometre", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_null_is_refused_where_a_value_is_needed(api, barometer):
    response = api("PATCH", "/surveys/barometre", {"min_group_size": None, "service": None})
    assert response.status_code == 422
    assert set(details(response)) == {"min_group_size"}
    question = api("PATCH", "/surveys/barometre/questions/csat",
                   {"text_en": None, "condition": None})
    assert question.status_code == 422 and set(details(question)) == {"text_en"}


def test_question_settings_are_written_read_and_refused_by_field(api, barometer):
    response = api("POST", "/surveys/barometre/questions", {
        "code": "hours", "type": "numeric", "text_fr": "Heures par semaine ?",
        "settings": {"min": 0, "max": 80, "decimals": 1}})
    assert response.status_code == 201, response.json()
    assert response.json()["settings"] == {"min": 0, "max": 80, "decimals": 1}
    dual = api("POST", "/surveys/barometre/questions", {
        "code": "dual", "type": "dualscale", "text_fr": "Importance et satisfaction",
        "options": [{"code": "accueil", "label_fr": "Accueil"}],
        "settings": {"scales": [
            {"code": "imp", "label_fr": "Importance", "choices": [
                {"code": "low", "label_fr": "Faible"}, {"code": "high", "label_fr": "Forte"}]},
            {"code": "sat", "label_fr": "Satisfaction", "choices": [
                {"code": "no", "label_fr": "Non"}, {"code": "yes", "label_fr": "Oui"}]}]}})
    assert dual.status_code == 201, dual.json()
    detail = api("GET", "/surveys/barometre").json()
    listed = {q["code"]: q for q in detail["current"]["questions"]}
    assert listed["hours"]["settings"] == {"min": 0, "max": 80, "decimals": 1}
    assert [s["code"] for s in listed["dual"]["settings"]["scales"]] == ["imp", "sat"]
    assert listed["csat"]["settings"] == {}
    changed = api("PATCH", "/surveys/barometre/questions/hours", {"settings": {"max": 60}})
    assert changed.status_code == 200 and changed.json()["settings"] == {"max": 60}
    refused = api("PATCH", "/surveys/barometre/questions/hours",
                  {"settings": {"min": 10, "max": 5}})
    assert refused.status_code == 422
    assert any(field.startswith("settings") for field in details(refused))
    assert api("PATCH", "/surveys/barometre/questions/hours",
               {"settings": None}).status_code == 422
    # Settings given to a type that has none would be kept and never read: refused.
    for path, body in (("/surveys/barometre/questions",
                        {"code": "why", "type": "text", "text_fr": "?", "settings": {"max": 3}}),
                       ("/surveys/barometre/questions/csat", {"settings": {"max": 3}})):
        refused = api("POST" if path.endswith("questions") else "PATCH", path, body)
        assert refused.status_code == 422 and set(details(refused)) == {"settings"}
