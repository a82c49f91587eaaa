from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import POSITIONING_READERS
from phare.lib import navigation


class PositioningConfig(AppConfig):
    name = "phare.positioning"
    verbose_name = _("Positioning")

    def ready(self) -> None:
        navigation.register(_("Positioning"), "positioning:home", POSITIONING_READERS,
                            position=58)
