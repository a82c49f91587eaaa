"""Signing in someone a provider vouched for, and recording what went wrong.

Every protocol's callback ends here: :func:`sign_in` with the :class:`Identity` it was told,
or :func:`record_failure` when the provider's answer could not be used. Both leave their mark
in the audit trail: a success through Django's ``user_logged_in`` (``signin.success``, naming
the backend, so the protocol), a refusal or a failure as ``signin.failure`` with the provider
and the reason in its details.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest

from phare.accounts.models import User
from phare.audit.actions import Action
from phare.audit.services import record
from phare.signon.identity import Identity, SignOnRefused, account_for


def sign_in(request: HttpRequest, identity: Identity, *, backend: str) -> User:
    """Sign ``identity``'s account in on ``request`` (created just in time), through
    ``backend`` (a :class:`phare.signon.backends.ProviderBackend`'s path); or, recorded,
    :class:`SignOnRefused` with nothing created and nobody signed in."""
    try:
        user = account_for(identity)
    except SignOnRefused as refused:
        record_failure(request, provider=identity.provider, reason=refused.reason,
                       details=_who(identity))
        raise
    user.backend = backend  # what the audit trail's sign-in entry names
    login(request, user, backend=backend)
    return user


def record_failure(request: HttpRequest, *, provider: str, reason: str,
                   details: dict[str, Any] | None = None) -> None:
    """A failed sign-in through ``provider`` in the audit trail, with why."""
    record(action=Action.SIGNIN_FAILED, actor=None, request=request,
           details={"provider": provider, "reason": reason, **(details or {})})


def _who(identity: Identity) -> dict[str, Any]:
    return {"subject": identity.subject[:200], "email": identity.email[:254],
            "employee_id": identity.employee_id[:64]}
