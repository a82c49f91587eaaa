"""Sign-ins and accounts' actions recorded from signals.

Sign-ins are Django's (``user_logged_in``, ``user_login_failed``) and django-axes' lock
(``user_locked_out``, sent when the failures reach ``PHARE_LOGIN_FAILURE_LIMIT``). Accounts
sits below the audit trail and may not import it, so its services send ``accounts.signals.
audited`` and :func:`on_accounts_action` records it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from phare.audit.actions import Action
from phare.audit.services import acting_user, record

#: How much of a typed account name a failed sign-in keeps (a password typed into the name
#: field stays short of being useful; the name is what an investigation needs).
NAME_LENGTH = 150


def on_signed_in(sender: object, request: HttpRequest | None = None, user: Any = None,
                 **kwargs: object) -> None:
    record(action=Action.SIGNIN, actor=user, request=request, target=user,
           details={"backend": getattr(user, "backend", "") or ""})


def on_failed(sender: object, credentials: dict[str, Any] | None = None,
              request: HttpRequest | None = None, **kwargs: object) -> None:
    username = str((credentials or {}).get("username") or "")[:NAME_LENGTH]
    record(action=Action.SIGNIN_FAILED, actor=None, request=request,
           details={"username": username})


def on_locked(sender: object, request: HttpRequest | None = None, username: str | None = None,
              ip_address: str | None = None, **kwargs: object) -> None:
    record(action=Action.SIGNIN_LOCKED, actor=None, request=request,
           details={"username": str(username or "")[:NAME_LENGTH]})


def on_accounts_action(sender: object, *, action: str, target: Any, actor: Any = None,
                       details: dict[str, Any] | None = None, **kwargs: object) -> None:
    record(action=action, actor=actor if actor is not None else acting_user(), target=target,
           details=details)
