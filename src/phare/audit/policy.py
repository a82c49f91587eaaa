"""Who may read the audit trail: administrators only (the trail names people, addresses and
what they exported). Views open with ``@allow(READERS)`` from :mod:`phare.accounts.policy`."""

from __future__ import annotations

from typing import Any

from phare.accounts.policy import has_role
from phare.accounts.roles import ADMINS, Role

#: The roles that read, filter and export the trail.
READERS: frozenset[Role] = ADMINS


def can_read(user: Any) -> bool:
    return has_role(user, READERS)
