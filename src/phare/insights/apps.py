from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import INSIGHTS_VIEWERS
from phare.lib import navigation


class InsightsConfig(AppConfig):
    name = "phare.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        navigation.register(_("Insights"), "insights:home", INSIGHTS_VIEWERS, position=30)
