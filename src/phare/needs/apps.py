from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "phare.needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        from phare.core import periodic
        from phare.needs import jobs, notifications  # noqa: F401  (jobs registers handlers)

        # One email per person with their pending news about needs, at every tick.
        periodic.register("need_digests",
                          lambda now: notifications.send_need_digests(now=now))
