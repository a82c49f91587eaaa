"""The identity providers the login page offers a "Sign in with …" button for.

:func:`configured` lists them, in the order the buttons appear; the login page
(``accounts/login.html``) receives them as ``sign_on.providers`` through the context processor
:func:`phare.signon.context_processors.sign_on` (accounts sits below signon and cannot import
it). Adding a protocol takes one function here returning its :class:`Provider`, or None while
its settings leave it off, and one line in ``BUTTONS``:

    def _saml() -> Provider | None:
        if not saml.enabled():
            return None
        return Provider(key="saml", name=settings.PHARE_SAML_LABEL,
                        url=reverse("signon:saml_login"))

The page adds ``?next=…`` to ``url`` when the visitor was sent to sign in from another page;
the provider's view must check it with ``phare.lib.http.on_this_site`` (as
:func:`phare.signon.views.safe_next` does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from phare.signon import oidc, saml


@dataclass(frozen=True)
class Provider:
    """One button of the login page."""

    key: str  # "oidc", "saml": the button's id is signon-<key>
    name: str  # the provider as people know it ("Entra ID"); "" for a generic wording
    url: str  # where the button leads (starts the sign-in)

    @property
    def button(self) -> str:
        if self.name:
            return _("Sign in with %(provider)s") % {"provider": self.name}
        return _("Sign in with the organisation's account")


def _oidc() -> Provider | None:
    if not oidc.enabled():
        return None
    return Provider(key="oidc", name=settings.PHARE_OIDC_LABEL, url=reverse("signon:oidc_login"))


def _saml() -> Provider | None:
    if not saml.enabled():
        return None
    return Provider(key="saml", name=settings.PHARE_SAML_LABEL, url=reverse("signon:saml_login"))


#: One function per protocol: its button when configured, else None.
BUTTONS: list[Callable[[], Provider | None]] = [_oidc, _saml]


def configured() -> list[Provider]:
    """The buttons of the providers whose settings are complete, in order."""
    return [provider for provider in (build() for build in BUTTONS) if provider is not None]
