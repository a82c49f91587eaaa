"""The login page's sign-on buttons and password note, for every template (``sign_on``).

Computed only when a template reads it (the login page), so other pages pay nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from phare.signon import policy, providers


class SignOn:
    """What the login page shows besides the password form."""

    def __init__(self) -> None:
        self.providers = providers.configured()
        self.password_note = policy.password_note()


def sign_on(request: HttpRequest) -> dict[str, Any]:
    return {"sign_on": SimpleLazyObject(SignOn)}
