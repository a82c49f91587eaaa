from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phare.accounts.services import token_create
from phare.audit.actions import Action as AuditAction
from phare.audit.models import Entry
from phare.directory.models import Person
from phare.privacy import usage_events
from phare.privacy.queries import held
from phare.privacy.services import retention
from phare.privacy.services.erasure import erase, pseudonym_label
from phare.usage import store as usage_store
from tests.privacy.factories import make_world

ERIC = "E0005"
ENDPOINTS = [("GET", f"/privacy/people/{ERIC}/holdings"),
             ("GET", f"/privacy/people/{ERIC}/export"),
             ("POST", f"/privacy/people/{ERIC}/erasure"),
             ("GET", "/privacy/retention")]


class _Undo(Exception):
    """Raised to roll a block back."""


def _zip(content: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def _comparable(files: dict[str, bytes]) -> dict[str, Any]:
    """An archive's files without the moment it was made (README's first line, the JSON's
    ``generated_at``)."""
    found: dict[str, Any] = dict(files)
    found["README.txt"] = files["README.txt"].decode().split("\n", 1)[1]
    document = json.loads(files["person.json"])
    assert document.pop("generated_at")
    found["person.json"] = document
    return found


def _state() -> dict[str, list[str]]:
    """Every row of every table, but what differs between two runs by nature: automatic ids
    of new rows, times, the random password hash, the request's address and browser."""
    state: dict[str, list[str]] = {}
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields
                 if not isinstance(f, models.DateTimeField | models.AutoField)
                 and f.name not in ("password", "ip", "user_agent")]
        rows = model._base_manager.values_list(*names)
        state[model._meta.label] = sorted(repr(row) for row in rows)
    return state


# -- who may call ------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["marketing", "owner", "executive", "employee"])
def test_it_is_for_administrators_only(api, personas, persona):
    for method, path in ENDPOINTS:
        response = api(persona, method, path, {"confirm": ERIC} if method == "POST" else None)
        assert response.status_code == 403, f"{persona} {method} {path}"
        assert response.json()["error"]["code"] == "forbidden"
    assert Person.objects.get(employee_id=ERIC).active
    assert not Entry.objects.filter(action__in=[AuditAction.EXPORT,
                                                AuditAction.ERASURE]).exists()


def test_it_answers_401_without_a_token(client, personas):
    for method, path in ENDPOINTS:
        response = client.generic(method, "/api/v1" + path, json.dumps({"confirm": ERIC}),
                                  content_type="application/json")
        assert response.status_code == 401, f"{method} {path}"
        assert response.json()["error"]["code"] == "not_authenticated"
    assert Person.objects.get(employee_id=ERIC).active


def test_it_answers_404_naming_the_unknown_id(api, personas, english):
    for employee_id in ["E9999", "%00", "x" * 41]:
        for method, path in ENDPOINTS[:3]:
            path = path.replace(ERIC, employee_id)
            response = api("admin", method, path,
                           {"confirm": employee_id} if method == "POST" else None)
            assert response.status_code == 404, f"{method} {path}"
            error = response.json()["error"]
            assert error["code"] == "not_found"
            assert error["details"][0]["field"] == "employee_id"
    assert "“E9999”" in api("admin", "GET", "/privacy/people/E9999/holdings"
                             ).json()["error"]["message"]


# -- holdings ----------------------------------------------------------------------------------

def test_it_shows_what_is_held_as_the_page_does(api, personas, org):
    w = make_world(org, personas)
    response = api("admin", "GET", f"/privacy/people/{ERIC}/holdings")
    assert response.status_code == 200
    body = response.json()
    assert body["employee_id"] == ERIC and body["name"] == "Eric Martin"
    assert body["active"] and not body["erased"]
    assert body["sections"] == [{"section": h.section, "count": h.count} for h in held(w.person)]
    sections = {row["section"]: row["count"] for row in body["sections"]}
    assert sections["needs_submitted"] == 2 and sections["usage_events"] > 0


# -- export ------------------------------------------------------------------------------------

def test_it_exports_the_commands_archive(api, personas, org, tmp_path):
    make_world(org, personas)
    target = tmp_path / "eric.zip"
    # The command's export, rolled back: its audit entry is not in the API's archive.
    with pytest.raises(_Undo), transaction.atomic():
        call_command("privacy_export", ERIC, "-o", str(target))
        raise _Undo
    response = api("admin", "GET", f"/privacy/people/{ERIC}/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    eric = Person.objects.get(employee_id=ERIC)
    assert re.fullmatch(rf'attachment; filename="phare-personal-data-{eric.pk}-'
                        r'\d{4}-\d\d-\d\d\.zip"', response["Content-Disposition"])
    ours, theirs = _zip(response.content), _zip(target.read_bytes())
    assert sorted(ours) == sorted(theirs) and "usage_events.csv" in ours
    assert _comparable(ours) == _comparable(theirs)


def test_it_audits_the_export_as_the_page_does(api, login, personas, org):
    make_world(org, personas)
    fields = ["action", "actor_id", "actor_name", "target_type", "target_id", "target_label",
              "details"]
    exports = Entry.objects.filter(action=AuditAction.EXPORT, target_type="directory.person")
    before = exports.count()
    with pytest.raises(_Undo), transaction.atomic():
        assert login("admin").get(f"/privacy/export.zip?person={ERIC}").status_code == 200
        page = exports.order_by("-id").values(*fields).first()
        raise _Undo
    assert api("admin", "GET", f"/privacy/people/{ERIC}/export").status_code == 200
    assert exports.count() == before + 1
    entry = exports.order_by("-id").first()
    assert entry is not None
    assert {name: getattr(entry, name) for name in fields} == page
    assert entry.actor_name == "admin" and entry.details["format"] == "privacy-archive"
    assert entry.details["sections"]["needs_submitted"] == 2
    assert entry.ip == "127.0.0.1"


# -- erasure -----------------------------------------------------------------------------------

def test_it_erases_as_the_service_does(api, personas, org, tmp_path):
    w = make_world(org, personas)
    admin = personas["admin"]
    _token, raw = token_create(user=admin, name="erasure")
    store = usage_store.root()
    kept = tmp_path / "usage"
    shutil.copytree(store, kept)
    with pytest.raises(_Undo), transaction.atomic():
        by_service = erase(w.person, actor=admin)
        expected = _state()
        raise _Undo
    # The usage store is files, outside the transaction: put back as it was.
    shutil.rmtree(store)
    shutil.copytree(kept, store)
    assert _state() != expected

    response = Client().post(f"/api/v1/privacy/people/{ERIC}/erasure",
                             json.dumps({"confirm": f" {ERIC} "}),
                             content_type="application/json",
                             headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200, response.content
    assert _state() == expected
    body = response.json()
    label = pseudonym_label(w.person)
    assert body["pseudonym"] == label
    assert body["employee_id"] == f"erased-{label.split('#')[1]}"
    assert {row["section"]: row["count"] for row in body["sections"]} == {
        section: count for section, count in by_service.items() if count}
    treatment = {row["section"]: row["treatment"] for row in body["sections"]}
    assert treatment["api_tokens"] == ["deleted"]
    assert treatment["invitations"] == ["detached", "pseudonymised"]
    assert treatment["usage_events"] == ["pseudonymised"]
    assert treatment["needs_submitted"] == ["custom"]
    assert by_service["usage_events"] > 0
    assert usage_events.events(w.person.pk) == []


def test_it_audits_the_erasure_under_the_pseudonym(api, personas, org):
    w = make_world(org, personas)
    assert api("admin", "POST", f"/privacy/people/{ERIC}/erasure",
               {"confirm": ERIC}).status_code == 200
    entry = Entry.objects.get(action=AuditAction.ERASURE)
    label = pseudonym_label(w.person)
    assert (entry.actor_name, entry.target_type, entry.target_id, entry.target_label) == (
        "admin", "directory.person", str(w.person.pk), label)
    assert entry.details["pseudonym"] == label and entry.ip == "127.0.0.1"
    assert "Eric" not in json.dumps(entry.details) and "Martin" not in entry.target_label


def test_it_refuses_a_wrong_confirmation(api, personas, english):
    for body in [{"confirm": "E0004"}, {"confirm": ""}, {"confirm": "e0005"}]:
        response = api("admin", "POST", f"/privacy/people/{ERIC}/erasure", body)
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["code"] == "bad_request" and "confirm" in error["message"]
        assert error["details"] == [{"field": "confirm", "reason": "This is not the employee "
                                                                   "id of the person chosen."}]
    missing = api("admin", "POST", f"/privacy/people/{ERIC}/erasure", {})
    assert missing.status_code == 422
    assert "confirm" in missing.json()["error"]["details"][0]["field"]
    assert Person.objects.get(employee_id=ERIC).active
    assert not Entry.objects.filter(action=AuditAction.ERASURE).exists()


def test_it_erases_once_then_answers_409_or_404(api, personas, english):
    first = api("admin", "POST", f"/privacy/people/{ERIC}/erasure", {"confirm": ERIC})
    assert first.status_code == 200
    erased = first.json()["employee_id"]
    # The old id names no one any more; the record's new id cannot be erased again.
    again = api("admin", "POST", f"/privacy/people/{ERIC}/erasure", {"confirm": ERIC})
    assert again.status_code == 404 and ERIC in again.json()["error"]["message"]
    twice = api("admin", "POST", f"/privacy/people/{erased}/erasure", {"confirm": erased})
    assert twice.status_code == 409
    assert twice.json()["error"] == {
        "status": 409, "code": "conflict", "message": "This person was already erased.",
        "details": [{"field": "employee_id", "reason": "This person was already erased."}]}
    assert Entry.objects.filter(action=AuditAction.ERASURE).count() == 1
    holdings = api("admin", "GET", f"/privacy/people/{erased}/holdings").json()
    assert holdings["erased"] and not holdings["active"]
    assert holdings["name"] == pseudonym_label(personas["employee"].person)


# -- retention ---------------------------------------------------------------------------------

def test_it_shows_the_retention_periods_and_runs(api, personas, settings):
    settings.PHARE_RETENTION_RESPONSES_DAYS = 730
    empty = api("admin", "GET", "/privacy/retention")
    assert empty.status_code == 200
    assert empty.json() == {"periods": {"responses": 730, "tickets": 0,
                                        "usage": settings.PHARE_USAGE_RETENTION_DAYS,
                                        "emails": 0}, "runs": []}
    first, second = retention.apply(), retention.apply()
    runs = api("admin", "GET", "/privacy/retention").json()["runs"]
    assert [run["id"] for run in runs] == [second.pk, first.pk]
    assert runs[0]["periods"]["responses"] == 730
    assert runs[0]["removed"] == second.removed and runs[0]["total"] == 0
    latest = api("admin", "GET", "/privacy/retention?limit=1").json()["runs"]
    assert [run["id"] for run in latest] == [second.pk]
    for limit in ("0", "1001", "x"):
        refused = api("admin", "GET", f"/privacy/retention?limit={limit}")
        assert refused.status_code == 422
        assert refused.json()["error"]["details"][0]["field"].endswith("limit")


def test_it_reads_the_runs_in_a_bounded_number_of_queries(api, personas):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api("admin", "GET", "/privacy/retention").status_code == 200
        return len(captured)

    retention.apply()
    one = queries()
    for _ in range(4):
        retention.apply()
    assert queries() == one
