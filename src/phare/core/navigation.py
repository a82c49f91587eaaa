"""The main navigation: the entries the apps registered (``lib/navigation.py``) that the
signed-in user's role may open, the current page's entry marked."""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from phare.accounts.policy import has_role
from phare.lib import navigation


class NavItem(TypedDict):
    label: str | Promise
    url: str
    current: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [NavItem(label=entry.label, url=reverse(entry.url_name), current=False)
             for entry in navigation.entries() if has_role(user, entry.roles)]
    # The current entry is the longest link the page's path starts with.
    matches = [item for item in items
               if request.path == item["url"] or (item["url"] != "/"
                                                   and request.path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
