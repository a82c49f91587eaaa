"""SCIM 2.0 provisioning: the request sequences Entra ID and Okta send, each asserting the
directory afterwards; authentication, errors in SCIM's shape, paging, the CSV import's rules."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from phare.accounts.models import ApiToken, User
from phare.accounts.roles import Role
from phare.accounts.services import token_create
from phare.audit.models import Entry
from phare.directory.models import BusinessUnit, Person
from phare.signon.identity import Identity, account_for
from phare.signon.models import ScimGroup, ScimUser
from tests.directory.factories import make_person

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def token(personas) -> str:
    _token, raw = token_create(user=personas["admin"], name="Entra ID provisioning")
    return raw


@pytest.fixture
def scim(client: Client, token: str):
    """``scim(method, path, body=None, token=…)``: the answer of ``/scim/v2<path>``."""

    def call(method: str, path: str, body: Any = None, *, bearer: str | None = token):
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        return client.generic(method, "/scim/v2" + path,
                              "" if body is None else json.dumps(body),
                              content_type="application/scim+json", headers=headers)

    return call


def entra_user(user_name: str, employee_id: str, **extra: Any) -> dict[str, Any]:
    """A user as Entra ID's provisioning service creates it (Microsoft Learn's payload shape),
    with the enterprise extension mapped (employeeId → employeeNumber, department)."""
    body = {
        "schemas": [USER, ENTERPRISE],
        "externalId": f"ext-{employee_id}",
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Jeanne Martin", "familyName": "Martin", "givenName": "Jeanne"},
        "roles": [],
        ENTERPRISE: {"employeeNumber": employee_id, "department": "FIN"},
    }
    body.update(extra)
    return body


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def error_of(response) -> dict[str, Any]:
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(response.status_code)
    return body


# --- discovery and access -------------------------------------------------------------------

def test_it_describes_itself(scim):
    config = scim("GET", "/ServiceProviderConfig")
    assert config.status_code == 200 and config["Content-Type"] == "application/scim+json"
    assert config.json()["patch"] == {"supported": True}
    assert config.json()["filter"]["supported"] is True
    types = scim("GET", "/ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    assert types["totalResults"] == 2
    schemas = scim("GET", "/Schemas").json()
    assert ENTERPRISE in {s["id"] for s in schemas["Resources"]}
    assert scim("GET", f"/Schemas/{ENTERPRISE}").json()["name"] == "EnterpriseUser"
    assert scim("GET", "/Schemas/urn:nothing").status_code == 404


def test_it_answers_401_without_a_valid_token(scim, personas):
    _revoked, raw = token_create(user=personas["admin"], name="old")
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(days=1))
    for bearer in (None, "not-a-token", "phare_unknown", raw):
        response = scim("GET", "/Users", bearer=bearer)
        assert response.status_code == 401, bearer
        assert error_of(response)["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Entry.objects.filter(action="import").exists()


def test_it_answers_403_to_a_token_of_another_role(scim, personas):
    _token, raw = token_create(user=personas["marketing"], name="not admin")
    response = scim("POST", "/Users", entra_user("x@example.com", "X1"), bearer=raw)
    assert response.status_code == 403
    assert error_of(response)
    assert not Person.objects.filter(employee_id="X1").exists()


def test_it_needs_no_csrf_token(personas, token):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/scim/v2/Users", json.dumps(entra_user("a@example.com", "A1")),
                            content_type="application/scim+json",
                            headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 201


# --- Entra ID -------------------------------------------------------------------------------

def test_entra_id_creates_updates_and_disables_a_user(scim, personas):
    # "Test connection": a filter on a user name nobody has.
    probe = scim("GET", '/Users?filter=userName+eq+"c3ba8f2e-1d7a-4b5e-9a0a-5a8f1e0c2d11"')
    assert probe.status_code == 200
    assert probe.json()["totalResults"] == 0 and probe.json()["Resources"] == []

    # The manager first, then the user: is she there? No: create her.
    boss = scim("POST", "/Users", entra_user("boss@example.com", "B1",
                                             name={"givenName": "Bruno", "familyName": "Chef"}))
    assert boss.status_code == 201, boss.content
    boss_id = boss.json()["id"]
    assert scim("GET", '/Users?filter=userName eq "jeanne@example.com"').json()[
        "totalResults"] == 0
    body = entra_user("jeanne@example.com", "J1")
    body[ENTERPRISE]["manager"] = {"value": boss_id}
    created = scim("POST", "/Users", body)
    assert created.status_code == 201, created.content
    resource = created.json()
    assert created["Location"] == resource["meta"]["location"]
    assert created["Location"].endswith(f"/scim/v2/Users/{resource['id']}")
    assert resource["userName"] == "jeanne@example.com"
    assert resource[ENTERPRISE]["manager"]["value"] == boss_id
    jeanne = Person.objects.get(employee_id="J1")
    assert (jeanne.first_name, jeanne.last_name, jeanne.email, jeanne.active) == (
        "Jeanne", "Martin", "jeanne@example.com", True)
    assert jeanne.manager == Person.objects.get(employee_id="B1")
    assert jeanne.business_unit == BusinessUnit.objects.get(code="FIN")  # created as in CSV
    assert str(jeanne.pk) == resource["id"]

    # Matched again by userName, then by the work email (Entra ID's filters).
    found = scim("GET", '/Users?filter=userName eq "JEANNE@example.com"').json()
    assert [r["id"] for r in found["Resources"]] == [resource["id"]]
    by_email = scim("GET", '/Users?filter=emails[type eq "work"].value eq "jeanne@example.com"')
    assert by_email.json()["totalResults"] == 1
    by_external = scim("GET", '/Users?filter=externalId eq "ext-J1"').json()
    assert by_external["totalResults"] == 1

    # She signs in once: her account is created by the sign-on rule.
    account = account_for(Identity(provider="oidc", subject="s", employee_id="J1"))

    changed = scim("PATCH", f"/Users/{resource['id']}", patch(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "j.martin@example.com"},
        {"op": "Replace", "path": "name.familyName", "value": "Martin-Roux"},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "DSI"},
        {"op": "Remove", "path": f"{ENTERPRISE}:manager"},
    ))
    assert changed.status_code == 200, changed.content
    jeanne.refresh_from_db()
    assert (jeanne.email, jeanne.last_name, jeanne.business_unit.code, jeanne.manager) == (
        "j.martin@example.com", "Martin-Roux", "DSI", None)

    # Entra ID sends "False" as a string unless told otherwise; both are understood.
    disabled = scim("PATCH", f"/Users/{resource['id']}",
                    patch({"op": "Replace", "path": "active", "value": "False"}))
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    jeanne.refresh_from_db()
    account.refresh_from_db()
    assert not jeanne.active and not account.is_active

    entries = Entry.objects.filter(action="import", target_type="signon.scim")
    operations = [e.details["operation"] for e in entries.order_by("pk")]
    assert "POST /Users" in operations and f"PATCH /Users/{resource['id']}" in operations
    assert all(e.actor_name == "admin" for e in entries)
    assert entries.filter(details__resource=resource["id"], details__status=200).exists()


def test_entra_id_pushes_groups_and_their_members_give_roles(scim, personas, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {"marketing": ("Phare Comms",)}
    user_id = scim("POST", "/Users", entra_user("jeanne@example.com", "J1")).json()["id"]
    account = account_for(Identity(provider="oidc", subject="s", employee_id="J1"))
    assert account.role == Role.EMPLOYEE

    assert scim("GET", '/Groups?filter=displayName eq "Phare Comms"&excludedAttributes=members'
                ).json()["totalResults"] == 0
    created = scim("POST", "/Groups", {"schemas": [GROUP], "externalId": "g-1",
                                      "displayName": "Phare Comms",
                                      "meta": {"resourceType": "Group"}})
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]
    listed = scim("GET", '/Groups?filter=displayName eq "phare comms"&excludedAttributes=members')
    assert [g["id"] for g in listed.json()["Resources"]] == [group_id]
    assert "members" not in listed.json()["Resources"][0]

    added = scim("PATCH", f"/Groups/{group_id}", patch(
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": user_id}]}))
    assert added.status_code == 204, added.content
    account.refresh_from_db()
    assert account.role == Role.MARKETING
    assert Entry.objects.filter(action="account.role_changed", target_id=str(account.pk)).exists()
    member = scim("GET", f"/Users/{user_id}").json()
    assert member["groups"][0]["display"] == "Phare Comms"

    removed = scim("PATCH", f"/Groups/{group_id}", patch(
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": user_id}]}))
    assert removed.status_code == 204
    account.refresh_from_db()
    assert account.role == Role.EMPLOYEE
    assert not ScimGroup.objects.get(pk=group_id).members.exists()

    assert scim("DELETE", f"/Groups/{group_id}").status_code == 204
    assert scim("GET", f"/Groups/{group_id}").status_code == 404


# --- Okta -----------------------------------------------------------------------------------

def okta_user(login: str, employee_id: str) -> dict[str, Any]:
    """A user as Okta's SCIM 2.0 client creates it (Okta's protocol reference's shape)."""
    return {
        "schemas": [USER, ENTERPRISE], "userName": login,
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": True, "value": login, "type": "work"}],
        "displayName": "Test User", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [], "password": "1mz050nq", "active": True,
        ENTERPRISE: {"employeeNumber": employee_id},
    }


def test_okta_creates_replaces_deactivates_and_reactivates_a_user(scim, personas):
    assert scim("GET", '/Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100'
                ).json()["Resources"] == []
    created = scim("POST", "/Users", okta_user("test.user@okta.local", "O1"))
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    person = Person.objects.get(employee_id="O1")
    assert (person.language, person.business_unit) == ("en", None)
    account = account_for(Identity(provider="oidc", subject="s", email="test.user@okta.local"))

    body = okta_user("test.user@okta.local", "O1")
    body.update(id=user_id, name={"givenName": "Another", "familyName": "User"})
    replaced = scim("PUT", f"/Users/{user_id}", body)
    assert replaced.status_code == 200, replaced.content
    person.refresh_from_db()
    assert person.first_name == "Another"

    off = scim("PATCH", f"/Users/{user_id}",
               patch({"op": "replace", "value": {"active": False}}))
    assert off.status_code == 200, off.content
    person.refresh_from_db()
    account.refresh_from_db()
    assert not person.active and not account.is_active

    on = scim("PATCH", f"/Users/{user_id}", patch({"op": "replace", "value": {"active": True}}))
    assert on.status_code == 200
    person.refresh_from_db()
    account.refresh_from_db()
    assert person.active and account.is_active  # SCIM disabled it, SCIM gives it back


def test_an_account_an_administrator_disabled_stays_disabled(scim, personas):
    user_id = scim("POST", "/Users", okta_user("t@okta.local", "O1")).json()["id"]
    account = account_for(Identity(provider="oidc", subject="s", employee_id="O1"))
    User.objects.filter(pk=account.pk).update(is_active=False)
    scim("PATCH", f"/Users/{user_id}", patch({"op": "replace", "value": {"active": True}}))
    account.refresh_from_db()
    assert not account.is_active


def test_okta_manages_a_group_and_its_members(scim, personas, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {"executive": ("Execs",)}
    first = scim("POST", "/Users", okta_user("a@okta.local", "O1")).json()["id"]
    second = scim("POST", "/Users", okta_user("b@okta.local", "O2")).json()["id"]
    account = account_for(Identity(provider="oidc", subject="s", employee_id="O2"))
    created = scim("POST", "/Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2",
                                      "members": [{"value": first, "display": "a@okta.local"}]})
    assert created.status_code == 201
    group_id = created.json()["id"]
    assert [m["value"] for m in created.json()["members"]] == [first]

    renamed = scim("PATCH", f"/Groups/{group_id}", patch(
        {"op": "replace", "value": {"id": group_id, "displayName": "Execs"}}))
    assert renamed.status_code == 204
    added = scim("PATCH", f"/Groups/{group_id}", patch(
        {"op": "add", "path": "members", "value": [{"value": second, "display": "b"}]}))
    assert added.status_code == 204
    account.refresh_from_db()
    assert account.role == Role.EXECUTIVE
    removed = scim("PATCH", f"/Groups/{group_id}", patch(
        {"op": "remove", "path": f'members[value eq "{first}"]'}))
    assert removed.status_code == 204
    group = ScimGroup.objects.get(pk=group_id)
    assert group.display_name == "Execs"
    assert list(group.members.values_list("employee_id", flat=True)) == ["O2"]

    put = scim("PUT", f"/Groups/{group_id}", {"schemas": [GROUP], "displayName": "Execs",
                                             "members": []})
    assert put.status_code == 200 and put.json()["members"] == []
    account.refresh_from_db()
    assert account.role == Role.EMPLOYEE


# --- the CSV import's rules and SCIM's errors -----------------------------------------------

@pytest.mark.parametrize("text", [
    'userName eq jeanne', 'userName', 'userName xx "a"', 'nickName eq "a"',
    '(userName eq "a"', 'userName eq "a" and', 'emails[type eq "work"',
])
def test_a_bad_filter_answers_400_invalid_filter(scim, text):
    response = scim("GET", f"/Users?filter={text}")
    assert response.status_code == 400
    body = error_of(response)
    assert body["scimType"] == "invalidFilter" and body["detail"]


def test_a_user_name_is_unique_whatever_its_case(scim, personas):
    assert scim("POST", "/Users", entra_user("jeanne@example.com", "J1")).status_code == 201
    again = scim("POST", "/Users", entra_user("Jeanne@Example.com", "J2"))
    assert again.status_code == 409
    assert error_of(again)["scimType"] == "uniqueness"
    assert "userName" in again.json()["detail"]
    assert not Person.objects.filter(employee_id="J2").exists()
    same_number = scim("POST", "/Users", entra_user("other@example.com", "J1"))
    assert same_number.status_code == 409
    assert "employeeNumber" in same_number.json()["detail"]


def test_a_manager_cycle_is_refused_and_nothing_changes(scim, personas):
    boss = scim("POST", "/Users", entra_user("boss@example.com", "B1")).json()["id"]
    body = entra_user("jeanne@example.com", "J1")
    body[ENTERPRISE]["manager"] = {"value": boss}
    jeanne = scim("POST", "/Users", body).json()["id"]
    refused = scim("PATCH", f"/Users/{boss}", patch(
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": jeanne},
        {"op": "Replace", "path": "name.givenName", "value": "Changed"}))
    assert refused.status_code == 400
    detail = error_of(refused)["detail"]
    assert f"{ENTERPRISE}:manager" in detail and "B1" in detail and "J1" in detail
    boss_person = Person.objects.get(employee_id="B1")
    assert boss_person.manager is None and boss_person.first_name == "Jeanne"
    refusal = Entry.objects.filter(action="import", details__status=400).get()
    assert refusal.details["resource"] == boss


@pytest.mark.parametrize(("change", "attribute"), [
    ({"emails": [{"type": "work", "value": "not an email"}]}, "emails"),
    ({ENTERPRISE: {"department": "FIN"}}, f"{ENTERPRISE}:employeeNumber"),
    ({"name": {"givenName": "Jeanne"}}, "name.familyName"),
    ({ENTERPRISE: {"employeeNumber": "J1", "manager": {"value": "999999"}}},
     f"{ENTERPRISE}:manager.value"),
    ({"active": "maybe"}, "active"),
    ({ENTERPRISE: {"employeeNumber": "J1", "department": "D" * 41}},
     f"{ENTERPRISE}:department"),
])
def test_a_refused_user_answers_400_naming_the_attribute_and_writes_nothing(
        scim, personas, change, attribute):
    response = scim("POST", "/Users", entra_user("jeanne@example.com", "J1", **change))
    assert response.status_code == 400, response.content
    body = error_of(response)
    assert body["scimType"] == "invalidValue" and attribute in body["detail"]
    assert not Person.objects.filter(employee_id="J1").exists()
    assert not ScimUser.objects.exists() and not BusinessUnit.objects.filter(code="FIN").exists()


def test_an_email_of_another_active_person_is_refused(scim, org, personas):
    make_person(org, "E9", "Paul", "Other", email="shared@example.com")
    response = scim("POST", "/Users", entra_user("shared@example.com", "J1"))
    assert response.status_code == 400
    assert "E9" in error_of(response)["detail"]


def test_a_person_of_the_csv_import_is_linked_by_employee_number(scim, org, personas):
    known = make_person(org, "E42", "Jeanne", "Martin", email="jeanne@example.com")
    response = scim("POST", "/Users", entra_user("jeanne@example.com", "E42"))
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(known.pk)
    known.refresh_from_db()
    assert known.business_unit.code == "FIN" and known.site == org["paris"]  # site kept


def test_the_employee_number_cannot_change(scim, personas):
    user_id = scim("POST", "/Users", entra_user("jeanne@example.com", "J1")).json()["id"]
    response = scim("PATCH", f"/Users/{user_id}", patch(
        {"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "J2"}))
    assert response.status_code == 400 and error_of(response)["scimType"] == "mutability"


def test_delete_deactivates_the_person_and_forgets_the_link(scim, personas):
    user_id = scim("POST", "/Users", entra_user("jeanne@example.com", "J1")).json()["id"]
    account = account_for(Identity(provider="oidc", subject="s", employee_id="J1"))
    assert scim("DELETE", f"/Users/{user_id}").status_code == 204
    assert scim("GET", f"/Users/{user_id}").status_code == 404
    person = Person.objects.get(employee_id="J1")
    account.refresh_from_db()
    assert not person.active and not account.is_active
    again = scim("POST", "/Users", entra_user("jeanne@example.com", "J1"))
    assert again.status_code == 201 and again.json()["id"] == user_id
    person.refresh_from_db()
    assert person.active


def test_lists_are_paged(scim, personas):
    ids = [scim("POST", "/Users", entra_user(f"u{n}@example.com", f"U{n}")).json()["id"]
           for n in range(5)]
    page = scim("GET", "/Users?startIndex=2&count=2").json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert [r["id"] for r in page["Resources"]] == ids[1:3]
    last = scim("GET", "/Users?startIndex=5&count=10").json()
    assert [r["id"] for r in last["Resources"]] == ids[4:]
    assert scim("GET", "/Users?startIndex=0&count=-3").json()["itemsPerPage"] == 0
    filtered = scim("GET", '/Users?filter=userName sw "u" and not (userName eq "u0@example.com")'
                    '&count=1&attributes=userName').json()
    assert filtered["totalResults"] == 4
    assert set(filtered["Resources"][0]) == {"id", "schemas", "userName"}
    bad = scim("GET", "/Users?count=many")
    assert bad.status_code == 400 and error_of(bad)["scimType"] == "invalidValue"


def test_unknown_resources_and_methods_answer_in_scim_shape(scim, personas):
    assert error_of(scim("GET", "/Users/123456"))["status"] == "404"
    assert error_of(scim("GET", "/Users/abc"))["status"] == "404"
    assert scim("DELETE", "/Users").status_code == 405
    broken = scim("POST", "/Users", None)
    assert broken.status_code == 400 and error_of(broken)["scimType"] == "invalidSyntax"
