"""The API's shared shapes: pagination, the one error shape, the body parser (model-free).

Every error answers ``{"error": {"status", "code", "message", "details": [{"field", "reason"}]}}``.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

from phare.lib import jsontext

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


def resolve_annotations(function: Any) -> Any:
    """Evaluate a view's annotations in its own module (under ``@paginate``, which wraps the
    function, ninja would look names such as ``Literal`` up in the pagination module)."""
    function.__annotations__ = typing.get_type_hints(function, include_extras=True)
    return function


class JsonParser(Parser):
    """Bodies parsed by :func:`phare.lib.jsontext.loads` (nesting checked before parsing)."""

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


def error_response(
    request: HttpRequest, status: int, code: str, message: str,
    details: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return HttpResponse(json.dumps(body), status=status,
                        content_type="application/json; charset=utf-8")


class Refusal(HttpError):
    """An endpoint's refusal naming the fields it concerns (``[{"field", "reason"}]``): the
    API's error handler answers them as the error's ``details``."""

    def __init__(self, status_code: int, message: str,
                 details: list[dict[str, str]] | None = None) -> None:
        super().__init__(status_code, message)
        self.details = details or []


def json_body(request: HttpRequest) -> Any:
    """The body of an endpoint that reads it itself (one object or a batch, errors by path),
    parsed by :func:`phare.lib.jsontext.loads`: too deep or holding NUL is a 400, not JSON a
    422 — as :class:`Refusal`, which the API answers in its error shape."""
    try:
        return jsontext.loads(request.body or b"null")
    except jsontext.JSONTooDeep as exc:
        raise Refusal(400, str(exc), [{"field": "body", "reason": str(exc)}]) from None
    except jsontext.NulCharacter as exc:
        raise Refusal(400, str(exc), [{"field": exc.path or "body",
                                       "reason": "NUL character"}]) from None
    except ValueError:
        raise Refusal(422, "The body is not JSON.",
                      [{"field": "", "reason": "not JSON"}]) from None
