from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib import navigation, periodic, privacy


class TicketsConfig(AppConfig):
    name = "phare.tickets"
    label = "tickets"
    verbose_name = _("Ticket feedback")

    def ready(self) -> None:
        navigation.register(_("Ticket feedback"), "tickets:manage", SURVEY_MANAGERS,
                            position=50)
        from phare.tickets import jobs, services  # noqa: F401  (jobs registers the CSV import)

        # The ticket surveys whose delay after closure has passed, at every tick.
        periodic.register("tickets",
                          lambda now: services.send_due_ticket_invitations(now=now))
        # Personal data (lib/privacy.py): tickets stay on the pseudonymised record (ratings and
        # the count of requesters unchanged), without the requester's address.
        privacy.declare("tickets.Ticket", "requester", by="person", erase=privacy.KEEP,
                        section="tickets", clear={"requester_email": ""})
        privacy.declare("tickets.Ticket", "requester_email", by="email", erase=privacy.DETACH,
                        section="tickets")
        privacy.declare("tickets.TicketMapping", "updated_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
        privacy.declare("tickets.TicketUpload", "created_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
