from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext_lazy as _

from phare.accounts.signals import audited
from phare.lib import navigation, periodic, privacy


class AuditConfig(AppConfig):
    name = "phare.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # These touch models (django-axes' too), which exist only once the apps are ready.
        from axes.signals import user_locked_out

        from phare.audit import services, signals
        from phare.audit.policy import READERS

        navigation.register(_("Audit trail"), "audit:entries", READERS, position=115)
        periodic.register("audit", services.tick)
        # Personal data (lib/privacy.py): entries are pseudonymised by an erasure through
        # services.pseudonymise, the one sanctioned change of an entry.
        privacy.declare("audit.Entry", "actor_id", by="user", erase=privacy.CUSTOM,
                        section="audit_entries")
        user_logged_in.connect(signals.on_signed_in, dispatch_uid="phare-audit-signin",
                               weak=False)
        user_login_failed.connect(signals.on_failed, dispatch_uid="phare-audit-signin-failed",
                                  weak=False)
        user_locked_out.connect(signals.on_locked, dispatch_uid="phare-audit-signin-locked",
                                weak=False)
        audited.connect(signals.on_accounts_action, dispatch_uid="phare-audit-accounts",
                        weak=False)
