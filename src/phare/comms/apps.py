from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE
from phare.lib import navigation, periodic, privacy


class CommsConfig(AppConfig):
    name = "phare.comms"
    verbose_name = _("Communication")

    def ready(self) -> None:
        # Every role: each sees the plans they are named on (an empty list otherwise), and
        # their own preferences from there.
        navigation.register(_("Communication"), "comms:home", EVERYONE, position=55)
        from phare.comms import jobs  # noqa: F401  (registers the send job's handler)
        from phare.comms.services import playbooks, sending

        # Approved actions whose time has come start sending; events in Phare propose drafts.
        periodic.register("comms_send_due", sending.send_due_step)
        periodic.register("comms_playbooks", playbooks.step)
        # Personal data (lib/privacy.py): deliveries, clicks, opens and registrations stay on
        # the pseudonymised record (reach and measured lift unchanged); the calendar secret and
        # the address's bounces go.
        privacy.declare("comms.Delivery", "person", by="person", erase=privacy.KEEP,
                        section="deliveries", clear={"error": ""}, hidden=("token",))
        privacy.declare("comms.Click", "delivery__person", by="person", erase=privacy.KEEP,
                        section="clicks")
        privacy.declare("comms.Open", "delivery__person", by="person", erase=privacy.KEEP,
                        section="opens")
        privacy.declare("comms.Registration", "person", by="person", erase=privacy.KEEP,
                        section="event_registrations")
        privacy.declare("comms.CalendarFeed", "user", by="user", erase=privacy.DELETE,
                        section="calendar_feed", hidden=("digest",))
        privacy.declare("comms.Bounce", "email", by="email", erase=privacy.DELETE,
                        section="bounces")
        for model, field in (("comms.Plan", "created_by"), ("comms.Plan", "contributors"),
                             ("comms.Audience", "created_by"), ("comms.Action", "owner"),
                             ("comms.Action", "approved_by"), ("comms.Action", "created_by"),
                             ("comms.Action", "contributors"), ("comms.ActionChange", "by"),
                             ("comms.Attachment", "uploaded_by")):
            privacy.declare(model, field, by="user", erase=privacy.KEEP,
                            section="work_records", export=False)
