"""The roles a user can hold, and the groups of roles pages and endpoints are opened to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MARKETING = "marketing", _("Marketing & communication")
    OWNER = "owner", _("Service owner")
    EXECUTIVE = "executive", _("Executive")
    EMPLOYEE = "employee", _("Employee")


#: Every signed-in user, whatever the role.
EVERYONE: frozenset[Role] = frozenset(Role)
#: The people who run Phare's directory and settings.
ADMINS: frozenset[Role] = frozenset({Role.ADMIN})
#: Those who may read the organisation's directory.
DIRECTORY_READERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who start and follow background jobs (imports now; mailings and analyses later).
JOB_USERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who see and change every catalogue service.
CATALOG_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who open the catalogue management pages (owners see only their own services there).
CATALOG_EDITORS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING, Role.OWNER})
#: Those who build surveys, invite, follow collection and export answers.
SURVEY_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who read the results dashboards (service owners see their services' cards only).
INSIGHTS_READERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING, Role.EXECUTIVE})
#: Those who qualify needs, merge duplicates, score them and run arbitration campaigns.
NEEDS_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who open the insights pages: owners see the ticket experience of their services only.
INSIGHTS_VIEWERS: frozenset[Role] = INSIGHTS_READERS | {Role.OWNER}
#: Those who import usage data and set products, seats and deployments.
USAGE_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who open the usage pages: owners see their services' usage only.
USAGE_VIEWERS: frozenset[Role] = INSIGHTS_VIEWERS
#: Those who design positioning studies, name personas and write positioning statements.
POSITIONING_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who read positioning studies' results, personas and statements.
POSITIONING_READERS: frozenset[Role] = INSIGHTS_READERS
