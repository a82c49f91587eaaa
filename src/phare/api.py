"""The JSON API under ``/api/v1/``: the NinjaAPI, its error handlers and every app's router.

Every error answers ``{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}``
(shapes in ``lib/api.py``). Endpoints declare who may call them with ``auth=roles(...)``
(``accounts/apiauth.py``); a token (``Authorization: Bearer``) or the browser session (with its
CSRF token) identifies the caller. Apps never import this module: it imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from phare.accounts.api import router as accounts_router
from phare.accounts.apiauth import TokenExpiredError
from phare.catalog.api import router as catalog_router
from phare.comms.api import actions as comms_actions
from phare.comms.api import audiences as comms_audiences
from phare.comms.api import calendar as comms_calendar
from phare.comms.api import channels as comms_channels
from phare.comms.api import plans as comms_plans
from phare.directory.api import router as directory_router
from phare.insights.api import router as insights_router
from phare.jobs.api import router as jobs_router
from phare.lib import jsontext
from phare.lib.api import ErrorOut, JsonParser, error_response
from phare.listening.api import imports, surveys, transfer, waves
from phare.needs.api import router as needs_router
from phare.positioning.api import outputs as positioning_outputs
from phare.positioning.api import results as positioning_results
from phare.positioning.api import studies as positioning_studies
from phare.privacy.api import router as privacy_router
from phare.reports.api import router as reports_router
from phare.tickets.api import router as tickets_router
from phare.usage.api import router as usage_router

logger = logging.getLogger(__name__)


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
    api.add_router("/", accounts_router)
    api.add_router("/", directory_router)
    api.add_router("/", jobs_router)
    api.add_router("/", catalog_router)
    # imports first: its /surveys/imports must come before the surveys' /surveys/{slug}.
    for module in (imports, surveys, waves):
        api.add_router("/", module.router)
    api.add_router("/", tickets_router)
    api.add_router("/", transfer.router)
    api.add_router("/", needs_router)
    api.add_router("/", usage_router)
    api.add_router("/", insights_router)
    for comms in (comms_plans, comms_actions, comms_audiences, comms_channels, comms_calendar):
        api.add_router("/", comms.router)
    for positioning in (positioning_studies, positioning_results, positioning_outputs):
        api.add_router("/", positioning.router)
    api.add_router("/", reports_router)
    api.add_router("/", privacy_router)


register_routers()
