from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.lib import privacy


class ContactConfig(AppConfig):
    name = "phare.contact"
    verbose_name = _("Contact pressure")

    def ready(self) -> None:
        # Personal data (lib/privacy.py): the ledger stays on the pseudonymised record (the
        # counts of solicitations stay right); opt-outs go with the person.
        privacy.declare("contact.Solicitation", "person", by="person", erase=privacy.KEEP,
                        section="solicitations")
        privacy.declare("contact.OptOut", "person", by="person", erase=privacy.DELETE,
                        section="contact_opt_outs")
