from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.lib import navigation, periodic
from phare.privacy.policy import MANAGERS


class PrivacyConfig(AppConfig):
    name = "phare.privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from phare.privacy.services import retention

        navigation.register(_("Personal data"), "privacy:home", MANAGERS, position=117)
        # Once a day: the retention periods of PHARE_RETENTION_* applied, and reported.
        periodic.register("privacy.retention", retention.step)
