"""The SCIM endpoints under ``/scim/v2/``: parse, call one service or query, answer
``application/scim+json``.

Authentication: ``Authorization: Bearer phare_…``, a Phare API token (``accounts``'
:func:`~phare.accounts.services.token_authenticate`) of an active account with the
administrator role. Not a dedicated setting: the token is then hashed in the database,
expires (``PHARE_TOKEN_DAYS``), is revoked from the "API tokens" page, and its creation and
every call it makes name an account in the audit trail — a shared secret in the environment
would have none of that, and would need a restart to rotate. Organisations create an
administrator account for the provisioning app (say ``scim-entra``) and one token for it.
No token, an unknown, revoked or expired one: 401; a token of another role: 403.

The endpoints take no session and no CSRF token (the bearer token is the credential; a
browser's cookie never is). Every authenticated call is recorded in the audit trail (action
"import": operation, resource id, status), a write in its own transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from phare.accounts.roles import Role
from phare.accounts.services import TokenExpired, token_authenticate
from phare.lib.jsontext import loads
from phare.signon.scim import queries, services
from phare.signon.scim.errors import ScimError
from phare.signon.scim.resources import (
    group_resource,
    list_response,
    only,
    resource_types,
    schemas,
    service_provider_config,
    user_resource,
)

CONTENT_TYPE = "application/scim+json"
#: Who may call: the role of the token's account.
ALLOWED = frozenset({Role.ADMIN})

Answer = tuple[int, Any, str]  # status, body (None: no content), resource id for the audit


def _json(status: int, body: Any, **headers: str) -> HttpResponse:
    content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    response = HttpResponse(content, status=status,
                            content_type=CONTENT_TYPE if body is not None else None)
    for name, value in headers.items():
        response[name] = value
    return response


def _caller(request: HttpRequest) -> Any:
    scheme, _sep, raw = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ScimError(401, _("send a Phare API token as 'Authorization: Bearer phare_…'"))
    try:
        user = token_authenticate(raw.strip())
    except TokenExpired as exc:
        raise ScimError(401, str(exc)) from None
    if user is None:
        raise ScimError(401, _("this API token is unknown, revoked, or its account is disabled"))
    if user.role not in ALLOWED:
        raise ScimError(403, _("this API token's account is not an administrator"))
    return user


def body_of(request: HttpRequest) -> Any:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ScimError(413, _("the body is over PHARE_MAX_REQUEST_BYTES"), "tooLarge") from None
    try:
        return loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ScimError(400, _("the body is not JSON: %(reason)s") % {"reason": exc},
                        "invalidSyntax") from None


def endpoint(methods: set[str]) -> Callable[[Callable[..., Answer]], Callable[..., Any]]:
    """A SCIM endpoint: bearer token of an administrator, SCIM errors, audit of every call."""

    def decorate(handler: Callable[..., Answer]) -> Callable[..., Any]:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            operation = f"{request.method} {request.path.split('/v2', 1)[-1]}"
            try:
                user = _caller(request)
            except ScimError as refused:
                return _json(refused.status, refused.as_dict(),
                             **({"WWW-Authenticate": 'Bearer realm="phare"'}
                                if refused.status == 401 else {}))
            request.user = user
            resource = kwargs.get("scim_id", "")
            try:
                if request.method not in methods:
                    raise ScimError(405, _("%(method)s is not allowed here; use %(allowed)s")
                                    % {"method": request.method,
                                       "allowed": ", ".join(sorted(methods))})
                try:
                    with transaction.atomic():
                        status, body, resource = handler(request, *args, **kwargs)
                        services.audit(actor=user, operation=operation, resource=resource,
                                       status=status)
                except IntegrityError:
                    # Two calls creating the same user or group at once (Entra ID runs
                    # several): the second one loses at the unique index.
                    raise ScimError(409, _("another request has just written the same "
                                           "userName, employeeNumber or displayName; "
                                           "try again"), "uniqueness") from None
            except ScimError as refused:
                services.audit(actor=user, operation=operation, resource=resource,
                               status=refused.status,
                               details={"scimType": refused.scim_type, "detail": refused.detail})
                return _json(refused.status, refused.as_dict())
            headers = {}
            if status == 201 and isinstance(body, dict):
                headers["Location"] = body["meta"]["location"]
            return _json(status, body, **headers)

        view.phare_access = ALLOWED  # type: ignore[attr-defined]
        return view

    return decorate


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim:users")).removesuffix("/Users")


def _list_query(request: HttpRequest) -> tuple[str | None, queries.Paging, list[str], list[str]]:
    def names(key: str) -> list[str]:
        return [n.strip() for n in request.GET.get(key, "").split(",") if n.strip()]

    return (request.GET.get("filter"), queries.paging(request.GET.get("startIndex"),
                                                      request.GET.get("count")),
            names("attributes"), names("excludedAttributes"))


def _user_answer(request: HttpRequest, scim: Any, status: int = 200) -> Answer:
    groups = queries.groups_of(scim.person)
    return status, user_resource(scim, base_url(request), groups), str(scim.person_id)


def _group_answer(request: HttpRequest, group: Any, status: int = 200,
                  members: bool = True) -> Answer:
    people = queries.members_of(group) if members else None
    return status, group_resource(group, base_url(request), people), str(group.pk)


# --- discovery ----------------------------------------------------------------------------------

@endpoint({"GET"})
def service_provider_config_view(request: HttpRequest) -> Answer:
    return 200, service_provider_config(base_url(request), queries.MAX_RESULTS), ""


@endpoint({"GET"})
def resource_types_view(request: HttpRequest, name: str | None = None) -> Answer:
    return _one_or_list(resource_types(base_url(request)), name,
                        _("no resource type is named '%(name)s'"))


@endpoint({"GET"})
def schemas_view(request: HttpRequest, name: str | None = None) -> Answer:
    return _one_or_list(schemas(base_url(request)), name, _("no schema is named '%(name)s'"))


def _one_or_list(items: list[dict[str, Any]], name: str | None, missing: str) -> Answer:
    if name is None:
        return 200, list_response(items, len(items), 1), ""
    for item in items:
        if item["id"].lower() == name.lower():
            return 200, item, name
    raise ScimError(404, missing % {"name": name})


# --- users --------------------------------------------------------------------------------------

@endpoint({"GET", "POST"})
def users_view(request: HttpRequest) -> Answer:
    if request.method == "POST":
        return _user_answer(request, services.user_create(body=body_of(request)), 201)
    text, page, attributes, excluded = _list_query(request)
    rows, total = queries.users(text, page)
    groups = queries.groups_of_people([row.person_id for row in rows])
    base = base_url(request)
    resources = [only(user_resource(row, base, groups[row.person_id]), attributes, excluded)
                 for row in rows]
    return 200, list_response(resources, total, page.start), ""


@endpoint({"GET", "PUT", "PATCH", "DELETE"})
def user_view(request: HttpRequest, scim_id: str) -> Answer:
    scim = queries.user(scim_id)
    if request.method == "PUT":
        return _user_answer(request, services.user_replace(scim=scim, body=body_of(request)))
    if request.method == "PATCH":
        return _user_answer(request, services.user_patch(scim=scim, body=body_of(request)))
    if request.method == "DELETE":
        services.user_delete(scim=scim)
        return 204, None, scim_id
    _status, resource, _id = _user_answer(request, scim)
    attributes, excluded = _list_query(request)[2:]
    return 200, only(resource, attributes, excluded), scim_id


# --- groups -------------------------------------------------------------------------------------

@endpoint({"GET", "POST"})
def groups_view(request: HttpRequest) -> Answer:
    if request.method == "POST":
        return _group_answer(request, services.group_create(body=body_of(request)), 201)
    text, page, attributes, excluded = _list_query(request)
    rows, total = queries.groups(text, page)
    with_members = "members" not in {n.lower() for n in excluded} and (
        not attributes or "members" in {n.lower() for n in attributes})
    base = base_url(request)
    resources = [only(group_resource(row, base, queries.members_of(row) if with_members
                                     else None), attributes, excluded) for row in rows]
    return 200, list_response(resources, total, page.start), ""


@endpoint({"GET", "PUT", "PATCH", "DELETE"})
def group_view(request: HttpRequest, scim_id: str) -> Answer:
    group = queries.group(scim_id)
    if request.method == "PUT":
        return _group_answer(request, services.group_replace(group=group, body=body_of(request)))
    if request.method == "PATCH":
        # Entra ID and Okta read nothing back from a group's PATCH: 204, as RFC 7644 allows.
        services.group_patch(group=group, body=body_of(request))
        return 204, None, scim_id
    if request.method == "DELETE":
        services.group_delete(group=group)
        return 204, None, scim_id
    attributes, excluded = _list_query(request)[2:]
    members = "members" not in {n.lower() for n in excluded}
    _status, resource, _id = _group_answer(request, group, members=members)
    return 200, only(resource, attributes, excluded), scim_id
