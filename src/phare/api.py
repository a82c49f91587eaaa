"""The JSON API under ``/api/v1/``: authentication, role checks and the one error shape.

Every error answers ``{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}``.
Endpoints declare who may call them with ``auth=roles(...)``; a token (``Authorization: Bearer``)
or the browser session (with its CSRF token) identifies the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from phare.accounts.roles import Role

logger = logging.getLogger(__name__)


class _RoleCheck:
    roles: frozenset[Role]

    def check_role(self, user: Any) -> Any:
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.role not in self.roles:
            raise AuthorizationError(message="Your role does not give access to this resource.")
        return user


class TokenAuth(_RoleCheck, HttpBearer):
    """``Authorization: Bearer phare_…`` with a personal API token."""

    openapi_description = "A personal API token, created on the Phare page 'API tokens'."

    def __init__(self, roles: Iterable[Role]) -> None:
        super().__init__()
        self.roles = frozenset(roles)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from phare.accounts.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return self.check_role(user)


class SessionAuth(_RoleCheck, APIKeyCookie):
    """The browser's session cookie; unsafe methods need the CSRF token too."""

    param_name = "sessionid"

    def __init__(self, roles: Iterable[Role]) -> None:
        super().__init__(csrf=True)
        self.roles = frozenset(roles)

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: not a browser caller, so no CSRF check (a bad token answers 401).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return self.check_role(getattr(request, "user", None))


def roles(allowed: Iterable[Role]) -> list[Any]:
    """The ``auth=`` of an endpoint open to ``allowed`` roles, by token or by session."""
    allowed = frozenset(allowed)
    return [TokenAuth(allowed), SessionAuth(allowed)]


api = NinjaAPI(
    title="Phare API",
    version="1",
    description="Phare's JSON API. Authenticate with a personal token: "
    "`Authorization: Bearer phare_…`. Every error has the same shape: "
    '`{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}`.',
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str,
    details: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


def _field(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [{"field": _field(err.get("loc", ())), "reason": err.get("msg", "invalid")}
               for err in exc.errors]
    return error_response(request, 422, "validation_error", "The request is not valid.", details)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "not_authenticated",
                          "Authentication required: send a valid API token or sign in.")


@api.exception_handler(AuthorizationError)
def on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 422: "validation_error"}
    # Services' refusals carry the fields they concern (see ``details`` set by the endpoint).
    return error_response(request, exc.status_code, code.get(exc.status_code, "error"), str(exc),
                          getattr(exc, "details", None))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(request, 500, "server_error", "An unexpected error occurred.")


def register_routers() -> None:
    """Mount each app's router; apps add themselves here."""
    from phare.accounts.api import router as accounts_router
    from phare.catalog.api import router as catalog_router
    from phare.directory.api import router as directory_router
    from phare.jobs.api import router as jobs_router
    from phare.listening.api import imports, surveys, tickets, transfer, waves

    api.add_router("/", accounts_router)
    api.add_router("/", directory_router)
    api.add_router("/", jobs_router)
    api.add_router("/", catalog_router)
    # imports first: its /surveys/imports must come before the surveys' /surveys/{slug}.
    for module in (imports, surveys, waves, tickets, transfer):
        api.add_router("/", module.router)
    from phare.needs.api import router as needs_router

    api.add_router("/", needs_router)


register_routers()
