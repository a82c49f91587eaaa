"""Bad input never makes the API answer 500: bounded pages, body size, nesting, body shape,
and an OpenAPI document whose schema names are unique."""

from __future__ import annotations

import json

import pytest

from phare.accounts.services import token_create

#: Every paginated list of the API.
LISTS = ["/api/v1/services", "/api/v1/people", "/api/v1/needs", "/api/v1/surveys",
         "/api/v1/tickets", "/api/v1/business-units", "/api/v1/sites", "/api/v1/job-families",
         "/api/v1/need-campaigns"]


@pytest.fixture
def api(client, personas):
    _token, raw = token_create(user=personas["admin"], name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method: str, path: str, data=None, **extra):
        return getattr(client, method)(path, data, **headers, **extra)

    return call


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    error = response.json()["error"]
    assert error["status"] == status
    return error


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(("query", "field"), [
    ({"offset": 2**63}, "offset"), ({"offset": 10**9 + 1}, "offset"),
    ({"offset": -1}, "offset"), ({"limit": 0}, "limit"), ({"limit": 1001}, "limit"),
    ({"limit": 2**64}, "limit"), ({"limit": "many"}, "limit"),
])
def test_it_refuses_a_page_out_of_bounds_naming_the_parameter(api, path, query, field):
    error = _error(api("get", path, query), 422)
    assert [d["field"] for d in error["details"]] == [f"query.{field}"]


@pytest.mark.parametrize("path", LISTS)
def test_it_serves_pages_within_the_bounds(api, path):
    assert api("get", path, {"limit": 1000, "offset": 10**9}).json()["items"] == []
    assert api("get", path).status_code == 200


def test_it_documents_the_bounds(api):
    document = api("get", "/api/v1/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/people"]["get"][
        "parameters"]}
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 1000)
    assert parameters["limit"]["default"] == 100
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 10**9)


def test_a_body_over_the_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000, "description": "y"})
    error = _error(api("post", "/api/v1/needs", body, content_type="application/json"), 413)
    assert error["code"] == "too_large" and "1000" in error["message"]
    # An endpoint that reads the body itself says the same.
    error = _error(api("post", "/api/v1/tickets", body, content_type="application/json"), 413)
    assert error["code"] == "too_large"


def test_an_import_file_keeps_its_own_larger_limit(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    content = b"\n".join([b"code;name"] + [b"X%05d;Unit" % i for i in range(200)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.lss", content * 2)
    response = api("post", "/api/v1/surveys/imports", {"file": upload})
    # Checked as a survey file (422 for its content), not refused for its size.
    assert response.status_code == 422, response.content[:300]
    assert response.json()["error"]["code"] == "validation_error"


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/needs", DEEP),
    ("/api/v1/needs", '{"title": ' + "[" * 200 + "]" * 200 + "}"),
    ("/api/v1/tickets", DEEP),
    ("/api/v1/tickets", '{"tickets": ' + "[" * 5000 + "]" * 5000 + "}"),
])
def test_deeply_nested_json_is_refused_clearly(api, path, body):
    error = _error(api("post", path, body, content_type="application/json"), 400)
    assert any(text in error["message"] for text in _too_deep()), error
    assert error["details"][0]["field"] == "body"


def _too_deep() -> list[str]:
    """How "nested too deeply" reads in each language (API errors speak the caller's)."""
    from django.utils import translation

    texts = []
    for language in ("en", "fr"):
        with translation.override(language):
            texts.append(translation.gettext("not valid JSON (nested too deeply: more than "
                                             "%(limit)d levels)").split("(")[1].split(":")[0])
    return texts


def test_a_qualtrics_file_nested_too_deeply_is_refused_clearly(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("deep.qsf", DEEP.encode())
    error = _error(api("post", "/api/v1/surveys/imports", {"file": upload}), 422)
    assert any(text in d["reason"] for d in error["details"] for text in _too_deep()), error


def test_bad_json_says_where(api):
    error = _error(api("post", "/api/v1/needs", '{"title": ', content_type="application/json"),
                   400)
    assert "line 1" in error["message"]


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "42", "null", "true"])
@pytest.mark.parametrize("path", ["/api/v1/needs", "/api/v1/tickets", "/api/v1/surveys",
                                  "/api/v1/need-campaigns"])
def test_a_body_that_is_not_an_object_is_refused(api, path, body):
    response = api("post", path, body, content_type="application/json")
    assert response.status_code in (400, 422), response.content[:300]
    assert response.json()["error"]["details"]


def test_the_openapi_document_has_unique_schema_names():
    from phare.api import api as ninja_api

    names: dict[str, list[str]] = {}
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in _models(operation):
                    names.setdefault(model.__name__, [])
                    qualified = f"{model.__module__}.{model.__qualname__}"
                    if qualified not in names[model.__name__]:
                        names[model.__name__].append(qualified)
    clashes = {name: where for name, where in names.items() if len(where) > 1}
    assert not clashes, clashes
    document = ninja_api.get_openapi_schema()
    assert "JobOut" in document["components"]["schemas"]


def _models(operation):
    """The pydantic models an operation answers with, and their nested models."""
    from pydantic import BaseModel

    seen, stack = [], []
    for model in (operation.response_models or {}).values():
        stack.append(model)
    while stack:
        model = stack.pop()
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
            for arg in getattr(model, "__args__", ()):
                stack.append(arg)
            continue
        seen.append(model)
        for field in model.model_fields.values():
            stack.append(field.annotation)
    return [m for m in seen if not m.__name__.startswith("Ninja")]


def _declared(document: dict, method: str, path: str) -> set[int]:
    return {int(code) for code in document["paths"][path][method]["responses"]}


def test_every_operation_documents_its_errors_in_the_one_shape(api):
    document = api("get", "/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            declared = _declared(document, method, path)
            if operation.get("security"):
                assert {401, 403} <= declared, (method, path)
            if "{" in path:
                assert 404 in declared, (method, path)
            if operation.get("requestBody"):
                assert {400, 413, 422} <= declared, (method, path)
            for code, answer in operation["responses"].items():
                if int(code) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def test_a_conflict_is_declared_where_it_can_happen(api, personas):
    document = api("get", "/api/v1/openapi.json").json()
    for method, path in [("post", "/api/v1/needs"), ("post", "/api/v1/needs/{need_id}/votes"),
                         ("delete", "/api/v1/needs/{need_id}/votes"),
                         ("put", "/api/v1/need-campaigns/{campaign_id}"),
                         ("post", "/api/v1/need-campaigns/{campaign_id}/arbitrations"),
                         ("post", "/api/v1/need-campaigns/{campaign_id}/decision"),
                         ("post", "/api/v1/need-campaigns/{campaign_id}/publish"),
                         ("post", "/api/v1/surveys/{slug}/waves"),
                         ("post", "/api/v1/surveys/{slug}/waves/{number}/launch"),
                         ("post", "/api/v1/surveys/{slug}/waves/{number}/remind")]:
        assert 409 in _declared(document, method, path), (method, path)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/needs", {"title": "a\u0000b", "description": "d", "business_unit": "DSI"},
     "body.title"),
    ("/api/v1/needs", {"title": "t", "services": ["ok", "\u0000x"]}, "body.services.1"),
    ("/api/v1/tickets", {"external_id": "INC\u00001"}, "external_id"),
])
def test_a_nul_character_in_a_body_is_refused_saying_where(api, path, body, field):
    # PostgreSQL refuses NUL in text and JSON: it is refused at the door on every database.
    error = _error(api("post", path, json.dumps(body), content_type="application/json"), 400)
    assert "NUL" in error["message"] and error["details"][0]["field"] == field


@pytest.mark.parametrize("path", ["/api/v1/tickets?service=%00", "/api/v1/needs?q=a%00b",
                                  "/api/v1/people?status=%00"])
def test_a_nul_character_in_a_query_is_refused(api, path):
    error = _error(api("get", path), 422)
    assert error["details"] and "NUL" in json.dumps(error)


def test_a_survey_answer_with_a_nul_character_is_refused(client, personas):
    from phare.listening import services
    from tests.listening.factories import make_barometer

    survey = services.survey_set_status(make_barometer("nul", open_link=True), "open")
    response = client.post(f"/s/open/{survey.open_token}/response.json",
                           json.dumps({"answers": {"comment": "oui\u0000non"}}),
                           content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.content.decode()
