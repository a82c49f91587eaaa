"""The main navigation: each module adds its entries here with the roles that may open them.

Links are shown only to those who may follow them; the views still check on the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phare.accounts.policy import has_role
from phare.accounts.roles import (
    ADMINS,
    CATALOG_EDITORS,
    DIRECTORY_READERS,
    EVERYONE,
    INSIGHTS_VIEWERS,
    JOB_USERS,
    NEEDS_MANAGERS,
    SURVEY_MANAGERS,
    Role,
)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]


NAVIGATION: list[NavEntry] = [
    NavEntry(_("Home"), "core:home", EVERYONE),
    NavEntry(_("Catalogue"), "catalog:home", EVERYONE),
    NavEntry(_("Manage the catalogue"), "catalog:manage", CATALOG_EDITORS),
    NavEntry(_("Insights"), "insights:home", INSIGHTS_VIEWERS),
    NavEntry(_("Surveys"), "listening:surveys", SURVEY_MANAGERS),
    NavEntry(_("Ticket feedback"), "listening:tickets", SURVEY_MANAGERS),
    NavEntry(_("Needs"), "needs:list", EVERYONE),
    NavEntry(_("Arbitration"), "needs:campaigns", NEEDS_MANAGERS),
    NavEntry(_("Directory"), "directory:people", DIRECTORY_READERS),
    NavEntry(_("Import"), "directory:import", ADMINS),
    NavEntry(_("Jobs"), "jobs:list", JOB_USERS),
    NavEntry(_("Accounts"), "accounts:users", ADMINS),
    NavEntry(_("API tokens"), "accounts:tokens", EVERYONE),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [{"label": entry.label, "url": reverse(entry.url_name), "current": False}
             for entry in NAVIGATION if has_role(user, entry.roles)]
    # The current entry is the longest link the page's path starts with.
    matches = [item for item in items
               if request.path == item["url"] or (item["url"] != "/"
                                                   and request.path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
