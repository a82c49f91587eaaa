from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE
from phare.lib import mail, navigation, periodic, privacy


class CoreConfig(AppConfig):
    name = "phare.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from phare.core.cockpit import prepare
        from phare.core.models import SentMail

        # The homes of the readers of everything, computed by the worker, not their readers.
        periodic.register("core.cockpit", prepare.periodic_step)

        navigation.register(_("Home"), "core:home", EVERYONE, position=0)
        # Every email lib/mail sends (or fails to) leaves a row.
        mail.mail_outcome.connect(SentMail.record, dispatch_uid="phare.core.sent_mail")
        # Personal data (lib/privacy.py): the outcomes stay (counts), the address is replaced.
        privacy.declare("core.SentMail", "recipient", by="email", erase=privacy.KEEP,
                        section="emails_sent", clear={"recipient": privacy.PSEUDONYM})
