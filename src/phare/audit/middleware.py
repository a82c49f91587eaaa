"""The request being answered, so that an audit entry written deep in a service knows where
the action came from (address and browser) without every service taking the request."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("phare_audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread is answering, or None (a job, a command, the worker's tick)."""
    return _current.get()


class RequestContextMiddleware:
    """Keeps the request in a context variable while it is answered, and forgets it after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
