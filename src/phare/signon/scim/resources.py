"""What a SCIM user and group look like (RFC 7643), read from a request and shown; and the
discovery documents (``ServiceProviderConfig``, ``ResourceTypes``, ``Schemas``).

Attribute names are case-blind, as RFC 7643 §2.1 says: the resource is read with explicit code
rather than with generated models, so every refusal names the attribute at fault. A user maps
onto the directory's person as follows (the CSV import's columns in brackets):

- ``userName`` and ``externalId``: kept beside the person (:class:`~phare.signon.models.ScimUser`);
- ``name.givenName`` (first_name), ``name.familyName`` (last_name), the primary or work
  ``emails`` value (email), ``active`` (active), ``preferredLanguage`` or ``locale`` (language:
  fr or en; another language leaves it as it is);
- the enterprise extension's ``employeeNumber`` (employee_id, required), ``department``
  (business_unit, by code: an unknown one is created), ``manager.value`` (the manager's SCIM id);
- Phare's extension ``urn:ietf:params:scim:schemas:extension:phare:2.0:User``: ``site`` and
  ``jobFamily`` (site, job_family codes, created when unknown), for attributes an identity
  system maps there (Entra ID's ``physicalDeliveryOfficeName``, say).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from phare.directory.models import Person
from phare.signon.models import ScimGroup, ScimUser
from phare.signon.scim.errors import ScimError, invalid_value
from phare.signon.scim.filters import Field, get

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PHARE = "urn:ietf:params:scim:schemas:extension:phare:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER_EXTENSIONS = (ENTERPRISE, PHARE)
#: The attributes a client may not write: the server's own (PATCH leaves them as they are).
READ_ONLY = ("id", "meta", "groups", "schemas")

#: The directory import's columns, and the SCIM attribute each comes from (errors name it).
ATTRIBUTE_OF_COLUMN = {
    "employee_id": f"{ENTERPRISE}:employeeNumber", "first_name": "name.givenName",
    "last_name": "name.familyName", "email": "emails", "language": "preferredLanguage",
    "business_unit": f"{ENTERPRISE}:department", "site": f"{PHARE}:site",
    "job_family": f"{PHARE}:jobFamily", "manager_id": f"{ENTERPRISE}:manager",
    "active": "active",
}
#: Columns a user resource may leave out: a PUT then leaves the field as it is; a PATCH that
#: removes the attribute empties the field.
OPTIONAL_COLUMNS = ("language", "business_unit", "site", "job_family", "manager_id")

#: Filterable attributes of users (keys as filters.Path.key) and of groups.
USER_FIELDS = {
    "id": Field("person_id", kind="id"),
    "username": Field("user_name"),
    "externalid": Field("external_id", case_exact=True),
    "displayname": Field("person__last_name"),
    "name.givenname": Field("person__first_name"),
    "name.familyname": Field("person__last_name"),
    "emails.value": Field("person__email"),
    "emails.type": Field(constant="work"),
    "emails.primary": Field(constant=True, kind="boolean"),
    "active": Field("person__active", kind="boolean"),
    "meta.created": Field("created_at", kind="datetime"),
    "meta.lastmodified": Field("person__updated_at", kind="datetime"),
    f"{ENTERPRISE.lower()}:employeenumber": Field("person__employee_id", case_exact=True),
    f"{ENTERPRISE.lower()}:department": Field("person__business_unit__code"),
    f"{ENTERPRISE.lower()}:manager.value": Field("person__manager_id", kind="id"),
    f"{ENTERPRISE.lower()}:manager": Field("person__manager_id", kind="id"),
    "groups.value": Field("person__scim_groups__id", kind="id"),
}
GROUP_FIELDS = {
    "id": Field("id", kind="id"),
    "displayname": Field("display_name"),
    "externalid": Field("external_id", case_exact=True),
    "members.value": Field("members__id", kind="id"),
    "meta.created": Field("created_at", kind="datetime"),
    "meta.lastmodified": Field("updated_at", kind="datetime"),
}


@dataclass
class UserInput:
    """A user resource as the directory import reads it: ``columns`` for ``upsert_people``."""

    user_name: str
    external_id: str
    columns: dict[str, str]


@dataclass
class GroupInput:
    display_name: str
    external_id: str
    #: The members' SCIM ids (person ids), in order, without repeats.
    members: list[int]


def _text(value: Any, attribute: str, *, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise invalid_value(_("%(attribute)s is required") % {"attribute": attribute})
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid_value(_("%(attribute)s must be a string") % {"attribute": attribute})
    text = str(value).strip()
    if required and not text:
        raise invalid_value(_("%(attribute)s is required") % {"attribute": attribute})
    return text


def _object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ScimError(400, _("the body must be a JSON object"), "invalidSyntax")
    return body


def _extension(body: Mapping[str, Any], urn: str) -> Mapping[str, Any]:
    value = get(body, urn)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise invalid_value(_("%(attribute)s must be an object") % {"attribute": urn})
    return value


def parse_bool(value: Any, attribute: str) -> bool:
    """JSON's true/false, or Entra ID's "True"/"False" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise invalid_value(_("%(attribute)s must be true or false") % {"attribute": attribute})


def _email(emails: Any) -> str:
    if emails is None:
        return ""
    if not isinstance(emails, list) or not all(isinstance(e, Mapping) for e in emails):
        raise invalid_value(_("emails must be a list of objects with a value"))
    usable = [e for e in emails if get(e, "value")]
    chosen = (next((e for e in usable if get(e, "primary") in (True, "true", "True")), None)
              or next((e for e in usable if str(get(e, "type") or "").lower() == "work"), None)
              or (usable[0] if usable else None))
    return _text(get(chosen, "value"), "emails.value") if chosen else ""


def _language(body: Mapping[str, Any]) -> str | None:
    for name in ("preferredLanguage", "locale"):
        value = get(body, name)
        if isinstance(value, str) and value.strip():
            primary = value.strip().replace("_", "-").split("-")[0].split(",")[0].lower()
            if primary in {"fr", "en"}:
                return primary
    return None


def parse_user(body: Any, *, manager_employee_id: Callable[[str], str | None],
               complete: bool = False) -> UserInput:
    """The user resource ``body``; ``complete``: an attribute left out empties its field
    (after a PATCH), otherwise it leaves the field as it is (POST, PUT)."""
    body = _object(body)
    enterprise = _extension(body, ENTERPRISE)
    phare = _extension(body, PHARE)
    name = get(body, "name") or {}
    if not isinstance(name, Mapping):
        raise invalid_value(_("name must be an object"))
    columns: dict[str, str] = {
        "employee_id": _text(get(enterprise, "employeeNumber"),
                             f"{ENTERPRISE}:employeeNumber", required=True),
        "first_name": _text(get(name, "givenName"), "name.givenName", required=True),
        "last_name": _text(get(name, "familyName"), "name.familyName", required=True),
        "email": _email(get(body, "emails")),
    }
    if not columns["email"]:
        raise invalid_value(_("emails: a work email address is required"))
    active = get(body, "active")
    columns["active"] = "1" if active is None or parse_bool(active, "active") else "0"
    language = _language(body)
    if language is not None:
        columns["language"] = language
    for column, container, attribute in (("business_unit", enterprise, "department"),
                                         ("site", phare, "site"),
                                         ("job_family", phare, "jobFamily")):
        if any(k.lower() == attribute.lower() for k in container):
            columns[column] = _text(get(container, attribute), ATTRIBUTE_OF_COLUMN[column])
    if any(k.lower() == "manager" for k in enterprise):
        manager = get(enterprise, "manager")
        if isinstance(manager, list) and len(manager) <= 1:  # Entra ID: [{"value": …}]
            manager = manager[0] if manager else None
        if isinstance(manager, Mapping):
            manager = get(manager, "value")
        manager_id = _text(manager, f"{ENTERPRISE}:manager.value")
        if manager_id:
            employee_id = manager_employee_id(manager_id)
            if employee_id is None:
                raise invalid_value(_("%(attribute)s: no user has the id '%(value)s'") % {
                    "attribute": f"{ENTERPRISE}:manager.value", "value": manager_id})
            manager_id = employee_id
        columns["manager_id"] = manager_id
    if complete:
        for column in OPTIONAL_COLUMNS:
            columns.setdefault(column, "")
    return UserInput(
        user_name=_text(get(body, "userName"), "userName", required=True),
        external_id=_text(get(body, "externalId"), "externalId"),
        columns=columns,
    )


def parse_group(body: Any) -> GroupInput:
    body = _object(body)
    members: list[int] = []
    raw = get(body, "members") or []
    if not isinstance(raw, list):
        raise invalid_value(_("members must be a list"))
    for member in raw:
        value = get(member, "value") if isinstance(member, Mapping) else None
        text = _text(value, "members.value", required=True)
        if not text.isdigit() or len(text) > 18:
            raise invalid_value(_("members.value: no user has the id '%(value)s'")
                                % {"value": text})
        if int(text) not in members:
            members.append(int(text))
    return GroupInput(
        display_name=_text(get(body, "displayName"), "displayName", required=True),
        external_id=_text(get(body, "externalId"), "externalId"),
        members=members,
    )


# --- shown --------------------------------------------------------------------------------------

def _stamp(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


def user_resource(scim: ScimUser, base: str, groups: list[ScimGroup]) -> dict[str, Any]:
    person: Person = scim.person
    enterprise: dict[str, Any] = {"employeeNumber": person.employee_id}
    if person.business_unit_id:
        enterprise["department"] = person.business_unit.code  # type: ignore[union-attr]
    if person.manager_id:
        enterprise["manager"] = {"value": str(person.manager_id),
                                 "$ref": f"{base}/Users/{person.manager_id}"}
    phare = {}
    if person.site_id:
        phare["site"] = person.site.code  # type: ignore[union-attr]
    if person.job_family_id:
        phare["jobFamily"] = person.job_family.code  # type: ignore[union-attr]
    resource: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE, *([PHARE] if phare else [])],
        "id": str(person.pk),
        "userName": scim.user_name,
        "name": {"givenName": person.first_name, "familyName": person.last_name,
                 "formatted": person.full_name},
        "displayName": person.full_name,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "preferredLanguage": person.language,
        "active": person.active,
        "groups": [{"value": str(g.pk), "display": g.display_name,
                    "$ref": f"{base}/Groups/{g.pk}"} for g in groups],
        ENTERPRISE: enterprise,
        "meta": {"resourceType": "User", "created": _stamp(scim.created_at),
                 "lastModified": _stamp(person.updated_at),
                 "location": f"{base}/Users/{person.pk}"},
    }
    if scim.external_id:
        resource["externalId"] = scim.external_id
    if phare:
        resource[PHARE] = phare
    return resource


def group_resource(group: ScimGroup, base: str, members: list[Person] | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP], "id": str(group.pk), "displayName": group.display_name,
        "meta": {"resourceType": "Group", "created": _stamp(group.created_at),
                 "lastModified": _stamp(group.updated_at),
                 "location": f"{base}/Groups/{group.pk}"},
    }
    if group.external_id:
        resource["externalId"] = group.external_id
    if members is not None:
        resource["members"] = [{"value": str(p.pk), "display": p.full_name,
                                "$ref": f"{base}/Users/{p.pk}"} for p in members]
    return resource


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {"schemas": [LIST], "totalResults": total, "startIndex": start,
            "itemsPerPage": len(resources), "Resources": resources}


def only(resource: dict[str, Any], attributes: list[str], excluded: list[str]) -> dict[str, Any]:
    """``attributes``/``excludedAttributes`` (top-level names): id and schemas always stay."""
    keep = {"id", "schemas"}
    if attributes:
        wanted = {a.split(".")[0].lower() for a in attributes} | keep
        return {k: v for k, v in resource.items() if k.lower() in wanted}
    if excluded:
        dropped = {a.split(".")[0].lower() for a in excluded} - keep
        return {k: v for k, v in resource.items() if k.lower() not in dropped}
    return resource


# --- discovery ----------------------------------------------------------------------------------

def service_provider_config(base: str, max_results: int) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": True,
            "description": "A Phare API token of an administrator's account, sent as "
                           "'Authorization: Bearer phare_…'.",
        }],
        "meta": {"resourceType": "ServiceProviderConfig",
                 "location": f"{base}/ServiceProviderConfig"},
    }


def resource_types(base: str) -> list[dict[str, Any]]:
    return [
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User",
         "name": "User", "endpoint": "/Users", "description": "A person of the directory",
         "schema": USER,
         "schemaExtensions": [{"schema": ENTERPRISE, "required": True},
                              {"schema": PHARE, "required": False}],
         "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"}},
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group",
         "name": "Group", "endpoint": "/Groups", "description": "A group and its members",
         "schema": GROUP, "schemaExtensions": [],
         "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"}},
    ]


def _attr(name: str, kind: str = "string", *, required: bool = False, multi: bool = False,
          mutability: str = "readWrite", unique: str = "none", case_exact: bool = False,
          subs: list[dict[str, Any]] | None = None, description: str = "") -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "name": name, "type": kind, "multiValued": multi, "description": description,
        "required": required, "caseExact": case_exact, "mutability": mutability,
        "returned": "default", "uniqueness": unique,
    }
    if subs:
        attribute["subAttributes"] = subs
    return attribute


def schemas(base: str) -> list[dict[str, Any]]:
    def schema(urn: str, name: str, attributes: list[dict[str, Any]]) -> dict[str, Any]:
        return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": urn,
                "name": name, "description": name, "attributes": attributes,
                "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"}}

    value = _attr("value", required=True)
    return [
        schema(USER, "User", [
            _attr("userName", required=True, unique="server"),
            _attr("externalId", case_exact=True),
            _attr("name", "complex", required=True, subs=[
                _attr("givenName", required=True), _attr("familyName", required=True),
                _attr("formatted", mutability="readOnly")]),
            _attr("displayName", mutability="readOnly"),
            _attr("emails", "complex", multi=True, required=True, subs=[
                value, _attr("type"), _attr("primary", "boolean")]),
            _attr("preferredLanguage", description="fr or en"),
            _attr("active", "boolean"),
            _attr("groups", "complex", multi=True, mutability="readOnly", subs=[
                _attr("value", mutability="readOnly"), _attr("display", mutability="readOnly")]),
        ]),
        schema(ENTERPRISE, "EnterpriseUser", [
            _attr("employeeNumber", required=True, unique="server", case_exact=True),
            _attr("department", description="The business unit's code"),
            _attr("manager", "complex", subs=[_attr("value"), _attr("displayName",
                                                                    mutability="readOnly")]),
        ]),
        schema(PHARE, "PhareUser", [
            _attr("site", description="The site's code"),
            _attr("jobFamily", description="The job family's code"),
        ]),
        schema(GROUP, "Group", [
            _attr("displayName", required=True, unique="server"),
            _attr("externalId", case_exact=True),
            _attr("members", "complex", multi=True, subs=[value, _attr("display")]),
        ]),
    ]
