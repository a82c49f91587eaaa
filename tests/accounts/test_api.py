from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from phare.accounts.models import ApiToken
from phare.accounts.services import token_create


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_answers_who_the_token_belongs_to(client, personas):
    _token, raw = token_create(user=personas["marketing"], name="t")
    body = client.get("/api/v1/me", **bearer(raw)).json()
    assert body == {"username": "marketing", "role": "marketing",
                    "display_name": "Mathilde Marchand", "employee_id": "E0002", "language": "fr"}


def test_the_session_works_for_reads_and_needs_csrf_for_writes(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["owner"])
    assert client.get("/api/v1/me").status_code == 200
    refused = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


def test_tokens_can_be_created_listed_and_revoked(client, personas):
    _token, raw = token_create(user=personas["employee"], name="first")
    client.force_login(personas["employee"])
    created = client.post("/api/v1/tokens", {"name": "second"}, content_type="application/json")
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("phare_")
    client.logout()
    listed = client.get("/api/v1/tokens", **bearer(raw)).json()
    assert {t["name"] for t in listed} == {"first", "second"}
    assert all("token" not in t for t in listed)
    first = next(t for t in listed if t["name"] == "first")
    assert first["last_used_at"] is not None  # this very call
    assert first["expires_at"] > first["created_at"]
    revoked = client.delete(f"/api/v1/tokens/{new['id']}", **bearer(raw))
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/api/v1/me", **bearer(new["token"])).status_code == 401


def test_validation_errors_list_the_field_and_reason(client, personas):
    client.force_login(personas["employee"])
    response = client.post("/api/v1/tokens", {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "body.payload.name"
    assert "at least 1 character" in error["details"][0]["reason"]


def test_unknown_objects_answer_404_in_the_error_shape(client, personas):
    _token, raw = token_create(user=personas["admin"], name="t")
    response = client.get("/api/v1/people/NOBODY", **bearer(raw))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_openapi_schema_documents_the_endpoints_and_bearer_auth(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Phare API"
    assert "/api/v1/people" in schema["paths"]
    assert "/api/v1/directory/imports" in schema["paths"]
    assert "TokenAuth" in schema["components"]["securitySchemes"]


def test_a_token_cannot_create_tokens(client, personas):
    _token, raw = token_create(user=personas["admin"], name="script")
    response = client.post("/api/v1/tokens", {"name": "more"}, content_type="application/json",
                           **bearer(raw))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert "API token cannot create tokens" in error["message"]
    assert ApiToken.objects.filter(user=personas["admin"]).count() == 1


def test_an_expired_token_answers_401_saying_so(client, personas):
    token, raw = token_create(user=personas["marketing"], name="old")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "token_expired"
    assert "expired" in error["message"]
    assert "old" in error["message"]
