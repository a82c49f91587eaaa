"""Who may do what with reports: readers (admin, marketing, executive) read and download them;
managers (admin, marketing) generate reports and set schedules. Templates receive
``can_manage`` and only loop over what they are given."""

from __future__ import annotations

from typing import Any

from phare.accounts.policy import has_role
from phare.accounts.roles import INSIGHTS_READERS, Role

#: Those who read and download reports.
READERS: frozenset[Role] = INSIGHTS_READERS
#: Those who generate reports and schedule their delivery by email.
MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})


def can_manage(user: Any) -> bool:
    return has_role(user, MANAGERS)
