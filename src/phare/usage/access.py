"""Who sees which service's usage: one rule for the pages, the API and the value card.

- The marketing lead, executives and administrators read every service's usage.
- A service owner reads the usage of the services they own or back up, and nothing else.
- Importing usage and setting products, seats and deployments is for the marketing lead and
  administrators (``USAGE_MANAGERS``).

No one, whatever the role, reads one person's usage: every figure is about groups (the
disclosure rules in ``docs/PRIVACY.md``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from phare.accounts.roles import INSIGHTS_READERS, USAGE_MANAGERS, Role
from phare.catalog.access import services_managed_by
from phare.catalog.models import Service


def reads_everything(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in INSIGHTS_READERS)


def visible_services(user: Any) -> QuerySet[Service]:
    """The services whose usage the user may read."""
    if reads_everything(user):
        return Service.objects.all()
    if user.is_authenticated and user.role == Role.OWNER:
        return services_managed_by(user)
    return Service.objects.none()


def may_manage(user: Any) -> bool:
    """Whether the user imports usage and sets products, seats and deployments."""
    return bool(user.is_authenticated and user.role in USAGE_MANAGERS)
