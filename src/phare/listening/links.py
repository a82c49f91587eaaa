"""Absolute links for emails: ``PHARE_BASE_URL`` followed by a reversed path."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute(url_name: str, *args: Any, **kwargs: Any) -> str:
    return settings.PHARE_BASE_URL + reverse(url_name, args=args or None, kwargs=kwargs or None)
