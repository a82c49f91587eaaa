"""Who may sign in with a password of Phare's own (``PHARE_LOCAL_PASSWORDS``).

``everyone`` (the default): any active account that has a password. ``admins`` (break-glass,
once the organisation's identity provider is set up): only administrators; everyone else signs
in through the provider, and a right password of theirs is refused like a wrong one (the page
says so for everyone, without telling whether the password was right).

Only Phare's own passwords are concerned (:class:`phare.signon.backends.LocalPasswordBackend`,
Django's ModelBackend): a password checked against the directory server (LDAP) is the
provider's, and goes through whatever its backend decides.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from phare.accounts.roles import Role

EVERYONE = "everyone"
ADMINS = "admins"


def local_password_allowed(user: Any) -> bool:
    """May ``user`` sign in with a password Phare keeps? (The password is checked elsewhere.)"""
    if settings.PHARE_LOCAL_PASSWORDS == EVERYONE:
        return True
    return getattr(user, "role", None) == Role.ADMIN


def password_note() -> str:
    """What the login page says above the password form ("" when there is nothing to say)."""
    if settings.PHARE_LOCAL_PASSWORDS == EVERYONE:
        return ""
    if settings.PHARE_LDAP_URL:
        # The form also takes the directory server's passwords (phare.signon.ldap).
        return _("Sign in with your organisation account's name and password. Passwords of "
                 "Phare's own are for administrators only.")
    return _("Signing in with a Phare password is for administrators only. Everyone else "
             "signs in with the organisation's account, with the button above.")
