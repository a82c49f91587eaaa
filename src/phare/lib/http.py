"""What Phare's middleware adds to Django's ``HttpRequest``, spelled out for the type checker.

Views annotate ``request`` with these so that mypy knows ``request.htmx`` (django-htmx's
middleware runs on every request); a view behind ``accounts.policy.allow`` takes
``accounts.policy.SignedInRequest``, which also knows the user is a signed-in account.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request after ``django_htmx.middleware.HtmxMiddleware``: never instantiated, only
    named in annotations."""

    htmx: HtmxDetails


def on_this_site(request: HttpRequest, target: str | None) -> str | None:
    """``target`` when it is an address of this site (same host, and https when the request
    came by https), else None: where a ``next`` parameter may send the browser."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None
