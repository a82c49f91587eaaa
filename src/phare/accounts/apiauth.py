"""How the API knows its caller: a personal token or the browser session, and the role check.

Endpoints declare who may call them with ``auth=roles(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer

from phare.accounts.roles import Role
from phare.accounts.services import TokenExpired, token_authenticate


class _RoleCheck:
    roles: frozenset[Role]

    def check_role(self, user: Any) -> Any:
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.role not in self.roles:
            raise AuthorizationError(message="Your role does not give access to this resource.")
        return user


class TokenExpiredError(AuthenticationError):
    """401 for a genuine but expired token, with its own code and message."""

    code = "token_expired"


class TokenAuth(_RoleCheck, HttpBearer):
    """``Authorization: Bearer phare_…`` with a personal API token.

    With ``refusal`` set, the endpoint is for browser sessions only: a valid token answers 403
    with that message (an expired or unknown one still answers 401).
    """

    openapi_description = "A personal API token, created on the Phare page 'API tokens'."

    def __init__(self, roles: Iterable[Role], refusal: str | None = None) -> None:
        super().__init__()
        self.roles = frozenset(roles)
        self.refusal = refusal

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = token_authenticate(token)
        except TokenExpired as exc:
            raise TokenExpiredError(message=str(exc)) from None
        if user is not None:
            request.user = user
            if self.refusal:
                raise AuthorizationError(message=self.refusal)
        return self.check_role(user)


class SessionAuth(_RoleCheck, APIKeyCookie):
    """The browser's session cookie; unsafe methods need the CSRF token too."""

    param_name = "sessionid"

    def __init__(self, roles: Iterable[Role]) -> None:
        super().__init__(csrf=True)
        self.roles = frozenset(roles)

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: not a browser caller, so no CSRF check (a bad token answers 401).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return self.check_role(getattr(request, "user", None))


def roles(allowed: Iterable[Role], *, token_refusal: str | None = None) -> list[Any]:
    """The ``auth=`` of an endpoint open to ``allowed`` roles, by token or by session.

    ``token_refusal`` makes it a session-only endpoint: a token caller gets 403 with that message.
    """
    allowed = frozenset(allowed)
    return [TokenAuth(allowed, token_refusal), SessionAuth(allowed)]
