"""Who may open which page: one decorator per view, checked on the server.

Every view Phare serves carries ``phare_access``: the set of roles allowed, or ``PUBLIC``.
The role-matrix test walks the URL configuration and fails on any view without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from phare.accounts.roles import Role

PUBLIC = "public"


def has_role(user: Any, roles: Iterable[Role]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in set(roles))


def allow(roles: Iterable[Role]) -> Callable[[Callable[..., HttpResponse]], Callable[..., Any]]:
    """Open a view to signed-in users holding one of ``roles``: others get 403, visitors log in."""
    allowed = frozenset(roles)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.phare_access = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as open to anyone, signed in or not (login page, health check)."""
    view.phare_access = PUBLIC  # type: ignore[attr-defined]
    return view
