"""The actions the audit trail records, each with its name per language.

The code is what is stored (stable across languages); the label is what the page shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGNIN = "signin.success", _("Sign-in")
    SIGNIN_FAILED = "signin.failure", _("Failed sign-in")
    SIGNIN_LOCKED = "signin.locked", _("Sign-in locked")
    ACCOUNT_CREATED = "account.created", _("Account created")
    ROLE_CHANGED = "account.role_changed", _("Role or access changed")
    TOKEN_CREATED = "token.created", _("API token created")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    PUBLICATION = "publication", _("Publication")
    SENDING = "sending", _("Sending")
    DECISION = "decision", _("Decision")
    ARBITRATION = "arbitration", _("Arbitration run")
    REPORT_GENERATED = "report.generated", _("Report generated")
    THRESHOLD_CHANGED = "threshold.changed", _("Disclosure threshold changed")
    CONFIGURATION_CHANGED = "configuration.changed", _("Configuration changed")
    PURGED = "audit.purged", _("Audit trail purged")
    ERASURE = "privacy.erasure", _("Personal data erased")
    RETENTION = "privacy.retention", _("Retention applied")
