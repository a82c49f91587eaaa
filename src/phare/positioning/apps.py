from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import POSITIONING_READERS
from phare.lib import navigation, privacy


class PositioningConfig(AppConfig):
    name = "phare.positioning"
    verbose_name = _("Positioning")

    def ready(self) -> None:
        navigation.register(_("Positioning"), "positioning:home", POSITIONING_READERS,
                            position=58)
        # Personal data (lib/privacy.py): studies stay with the stripped account.
        for model in ("positioning.Study", "positioning.Statement"):
            privacy.declare(model, "created_by", by="user", erase=privacy.KEEP,
                            section="work_records", export=False)
