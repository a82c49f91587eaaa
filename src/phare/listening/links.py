"""Absolute links (``PHARE_BASE_URL`` followed by a reversed path) and the pages of other
modules a survey links to, named and never imported (insights is above listening)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from phare.lib import links
from phare.listening.models import Survey


def absolute(url_name: str, *args: Any, **kwargs: Any) -> str:
    """For emails."""
    return links.absolute(reverse(url_name, args=args or None, kwargs=kwargs or None))


def shown(request: HttpRequest, url_name: str, *args: Any) -> str:
    """For a page: the address its request came to when ``PHARE_BASE_URL`` was not given."""
    return links.absolute(reverse(url_name, args=args or None), request)


def results(survey: Survey) -> str | None:
    """The page where a survey's results are read, if it has one: a barometer's dashboard,
    the ticket experience for ticket feedback."""
    if survey.kind == Survey.Kind.BAROMETER:
        return reverse("insights:barometer", args=[survey.slug])
    if survey.kind == Survey.Kind.TRANSACTIONAL:
        return reverse("insights:tickets")
    return None
