from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE
from phare.lib import navigation, periodic


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
