"""Who may open which page: one decorator per view, checked on the server.

Every view Phare serves carries ``phare_access``: the set of roles allowed, or ``PUBLIC``.
The role-matrix test walks the URL configuration and fails on any view without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from phare.accounts.roles import Role
from phare.lib.http import HtmxRequest

if TYPE_CHECKING:
    from phare.accounts.models import User

PUBLIC = "public"


class SignedInRequest(HtmxRequest):
    """The request a view behind :func:`allow` receives: ``allow`` has turned visitors away,
    so its user is an account, never ``AnonymousUser``. Only named in annotations."""

    user: User


def has_role(user: Any, roles: Iterable[str]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in set(roles))


def allow(
    roles: Iterable[Role],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., Any]]:
    """Open a view to signed-in users holding one of ``roles``: others get 403, visitors log in."""
    allowed = frozenset(roles)

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
