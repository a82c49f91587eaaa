"""What Phare's middleware adds to Django's ``HttpRequest``, spelled out for the type checker.

Views annotate ``request`` with these so that mypy knows ``request.htmx`` (django-htmx's
middleware runs on every request); a view behind ``accounts.policy.allow`` takes
``accounts.policy.SignedInRequest``, which also knows the user is a signed-in account.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request after ``django_htmx.middleware.HtmxMiddleware``: never instantiated, only
    named in annotations."""

    htmx: HtmxDetails
