"""The JSON API under ``/api/v1/``: authentication, role checks and the one error shape.

Every error answers ``{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}``.
Endpoints declare who may call them with ``auth=roles(...)``; a token (``Authorization: Bearer``)
or the browser session (with its CSRF token) identifies the caller.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from phare.accounts.roles import Role
from phare.core import jsontext

logger = logging.getLogger(__name__)


class _RoleCheck:
    roles: frozenset[Role]

    def check_role(self, user: Any) -> Any:
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.role not in self.roles:
            raise AuthorizationError(message="Your role does not give access to this resource.")
        return user


class TokenExpiredError(AuthenticationError):
    """401 for a genuine but expired token, with its own code and message."""

    code = "token_expired"


class TokenAuth(_RoleCheck, HttpBearer):
    """``Authorization: Bearer phare_…`` with a personal API token.

    With ``refusal`` set, the endpoint is for browser sessions only: a valid token answers 403
    with that message (an expired or unknown one still answers 401).
    """

    openapi_description = "A personal API token, created on the Phare page 'API tokens'."

    def __init__(self, roles: Iterable[Role], refusal: str | None = None) -> None:
        super().__init__()
        self.roles = frozenset(roles)
        self.refusal = refusal

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from phare.accounts.services import TokenExpired, token_authenticate

        try:
            user = token_authenticate(token)
        except TokenExpired as exc:
            raise TokenExpiredError(message=str(exc)) from None
        if user is not None:
            request.user = user
            if self.refusal:
                raise AuthorizationError(message=self.refusal)
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


def roles(allowed: Iterable[Role], *, token_refusal: str | None = None) -> list[Any]:
    """The ``auth=`` of an endpoint open to ``allowed`` roles, by token or by session.

    ``token_refusal`` makes it a session-only endpoint: a token caller gets 403 with that message.
    """
    allowed = frozenset(allowed)
    return [TokenAuth(allowed, token_refusal), SessionAuth(allowed)]


#: An object's id as a body field: beyond what the database stores is refused (422), not a 500.
Id = typing.Annotated[int, Field(ge=1, le=2**63 - 1)]

#: Every list's page bounds: a larger page or offset is refused (422), never a slow or failed query.
MAX_LIMIT = 1000
MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    """The one pagination of the API's lists (``@paginate(Pagination)``): ``limit`` 1–1000
    (100 by default), ``offset`` 0–10⁹; the answer is ``{"items": [...], "count": n}``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Items per page (1–1000).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip (0–10⁹).")


class ErrorDetail(Schema):
    field: str = Field(description="Where: a parameter, `body`, or a path in the body.")
    reason: str


class ErrorBody(Schema):
    status: int
    code: str = Field(description="not_authenticated, forbidden, not_found, validation_error, "
                                  "bad_request, too_large, conflict, …")
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    """The one error shape of every endpoint."""

    error: ErrorBody


#: Answers any endpoint may give, by what it takes: documented on every operation concerned.
_ANSWERS = {400: "The body is not valid JSON (or nested too deeply).",
            401: "No valid token or session.", 403: "Your role does not give access.",
            404: "Not found.", 413: "The body is over PHARE_MAX_REQUEST_BYTES.",
            422: "A parameter or the body is not valid: details name each field."}


def _errors_of(path: str, operation: dict[str, Any]) -> list[int]:
    codes = [401, 403] if operation.get("security") else []
    if "{" in path:
        codes.append(404)
    if operation.get("requestBody"):
        codes += [400, 413, 422]
    elif operation.get("parameters"):
        codes.append(422)
    return codes


class PhareAPI(NinjaAPI):
    """The NinjaAPI whose document declares the errors every endpoint can answer."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        model = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(model.pop("$defs", {}))
        schemas["ErrorOut"] = model
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, methods in document["paths"].items():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for code in _errors_of(path, operation):
                    responses.setdefault(code, {"description": _ANSWERS[code], "content": error})
                # Declared error codes (409, …) answer the one error shape too.
                for code, answer in responses.items():
                    if int(code) >= 400 and "content" not in answer:
                        answer["content"] = error
        return document


def resolve_annotations(function: Any) -> Any:
    """Evaluate a view's annotations in its own module (under ``@paginate``, which wraps the
    function, ninja would look names such as ``Literal`` up in the pagination module)."""
    function.__annotations__ = typing.get_type_hints(function, include_extras=True)
    return function


class JsonParser(Parser):
    """Bodies parsed by :func:`phare.core.jsontext.loads` (nesting checked before parsing)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return jsontext.loads(request.body)

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        """Query and form parameters; one holding NUL (``%00``, which PostgreSQL refuses) is a
        422."""
        for key, values in data.lists():
            # Text only: uploaded files come through here too, and must not be read.
            if "\x00" in key or any(isinstance(value, str) and "\x00" in value
                                     for value in values):
                raise ValidationError([{"loc": ["query", key.replace("\x00", "")],
                                        "msg": "A NUL character is not allowed.",
                                        "type": "value_error"}])
        return super().parse_querydict(data, list_fields, request)


api = PhareAPI(
    title="Phare API",
    version="1",
    description="Phare's JSON API. Authenticate with a personal token: "
    "`Authorization: Bearer phare_…`. Every error has the same shape: "
    '`{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}`.',
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=JsonParser(),
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
    if isinstance(exc, TokenExpiredError):
        return error_response(request, 401, exc.code, str(exc.message))
    return error_response(request, 401, "not_authenticated",
                          "Authentication required: send a valid API token or sign in.")


@api.exception_handler(AuthorizationError)
def on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(request, 413, "too_large", f"The request body is larger than the limit "
                          f"of {limit} bytes (files sent as multipart have their own limit).",
                          [{"field": "body", "reason": f"more than {limit} bytes"}])


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _too_large(request)


def _unreadable_body(request: HttpRequest, cause: BaseException) -> HttpResponse | None:
    """The answer to a body ninja could not parse, saying why (ninja only says that it could
    not); ``None`` for a cause this does not know."""
    if isinstance(cause, RequestDataTooBig):
        return _too_large(request)
    if isinstance(cause, jsontext.NulCharacter):
        return error_response(request, 400, "bad_request", str(cause),
                              [{"field": f"body.{cause.path}" if cause.path else "body",
                                "reason": "NUL character"}])
    if isinstance(cause, jsontext.JSONTooDeep):
        reason = f"nested too deeply: more than {cause.limit} levels"
    elif isinstance(cause, jsontext.json.JSONDecodeError):
        reason = f"{cause.msg} at line {cause.lineno}, column {cause.colno}"
    elif isinstance(cause, UnicodeDecodeError):
        reason = f"not UTF-8 text (byte {cause.start})"
    else:
        return None
    return error_response(request, 400, "bad_request", f"The body is not valid JSON: {reason}.",
                          [{"field": "body", "reason": reason}])


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.__cause__ is not None:
        answer = _unreadable_body(request, exc.__cause__)
        if answer is not None:
            return answer
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
