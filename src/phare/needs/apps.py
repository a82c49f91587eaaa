from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE, NEEDS_MANAGERS
from phare.lib import navigation, periodic


class NeedsConfig(AppConfig):
    name = "phare.needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        navigation.register(_("Needs"), "needs:list", EVERYONE, position=60)
        navigation.register(_("Arbitration"), "needs:campaigns", NEEDS_MANAGERS, position=70)
        from phare.needs import jobs, notifications  # noqa: F401  (jobs registers handlers)

        # One email per person with their pending news about needs, at every tick.
        periodic.register("need_digests",
                          lambda now: notifications.send_need_digests(now=now))
