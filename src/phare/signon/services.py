"""Signing in someone a provider vouched for, and recording what went wrong.

Every protocol's callback ends here: :func:`sign_in` with the :class:`Identity` it was told,
or :func:`record_failure` when the provider's answer could not be used. Both leave their mark
in the audit trail: a success through Django's ``user_logged_in`` (``signin.success``, naming
the backend, so the protocol), a refusal or a failure as ``signin.failure`` with the provider
and the reason in its details — also when the person signed in but their groups could not be
read (``groups_unavailable``: the role was left as it was). :func:`saml_sessions_end` ends
the sessions a SAML identity provider's single logout names.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.core.cache import cache
from django.http import HttpRequest

from phare.accounts.models import User
from phare.audit.actions import Action
from phare.audit.services import record
from phare.signon import logout
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
    if identity.groups_unavailable:
        # Signed in, but the role could not follow the groups: kept, and said so.
        record(action=Action.SIGNIN_FAILED, actor=user, request=request, target=user,
               details={"provider": identity.provider, "reason": "groups_unavailable",
                        "detail": identity.groups_unavailable[:500], "role_kept": user.role,
                        **_who(identity)})
    return user


def record_failure(request: HttpRequest, *, provider: str, reason: str,
                   details: dict[str, Any] | None = None) -> None:
    """A failed sign-in through ``provider`` in the audit trail, with why."""
    record(action=Action.SIGNIN_FAILED, actor=None, request=request,
           details={"provider": provider, "reason": reason, **(details or {})})


def _who(identity: Identity) -> dict[str, Any]:
    return {"subject": identity.subject[:200], "email": identity.email[:254],
            "employee_id": identity.employee_id[:64]}


def saml_sessions_end(*, idp: str, name_id: str, session_indexes: list[str]) -> int:
    """End Phare's sessions ``idp`` opened for ``name_id`` (only those of ``session_indexes``,
    when given), as its single logout asks; how many were ended."""
    key = logout.saml_index(idp, name_id)
    sessions = cache.get(key, [])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended, kept = 0, []
    for session_key, session_index in sessions:
        if session_indexes and session_index not in session_indexes:
            kept.append([session_key, session_index])
            continue
        session = store(session_key=session_key)
        if session.exists(session_key):
            session.delete(session_key)
            ended += 1
    if kept:
        cache.set(key, kept, timeout=settings.SESSION_COOKIE_AGE)
    else:
        cache.delete(key)
    return ended
