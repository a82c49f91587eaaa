"""Absolute links to Phare's pages: ``PHARE_BASE_URL`` followed by a path.

A page shows the address its own request came to when ``PHARE_BASE_URL`` was not given (the
host and port the server really answers on); emails, which have no request, always start with
``PHARE_BASE_URL`` (``phare serve`` sets it from the address it listens on).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute(path: str, request: HttpRequest | None = None) -> str:
    if request is not None and not settings.PHARE_BASE_URL_GIVEN:
        return request.build_absolute_uri(path)
    return settings.PHARE_BASE_URL + path
