"""Authentication backends: Phare's own passwords, and the sessions sign-on opened.

- :class:`LocalPasswordBackend` is Django's ModelBackend (username and password), refused to
  whom :func:`phare.signon.policy.local_password_allowed` refuses (``PHARE_LOCAL_PASSWORDS``).
- :class:`ProviderBackend` checks no credentials at all: a provider's view has already been
  told who signed in and calls ``django.contrib.auth.login(request, user, backend=...)`` with
  its subclass (:class:`OIDCBackend`), which then keeps the session. The backend's path is what
  the audit trail's sign-in entry names, so each protocol has its own subclass.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from phare.signon.policy import local_password_allowed


class LocalPasswordBackend(ModelBackend):
    """Phare's own passwords, for whom ``PHARE_LOCAL_PASSWORDS`` lets use them."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if user is not None and local_password_allowed(user) else None


class ProviderBackend(ModelBackend):
    """Keeps the session an identity provider opened; never accepts a password."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        return None


class OIDCBackend(ProviderBackend):
    """Signed in through OpenID Connect (:mod:`phare.signon.oidc`)."""


#: What the OpenID Connect views sign in with.
OIDC_BACKEND = f"{OIDCBackend.__module__}.{OIDCBackend.__qualname__}"


class SAMLBackend(ProviderBackend):
    """Signed in through SAML 2.0 (:mod:`phare.signon.saml`)."""


#: What the SAML views sign in with.
SAML_BACKEND = f"{SAMLBackend.__module__}.{SAMLBackend.__qualname__}"
