from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import INSIGHTS_VIEWERS
from phare.lib import navigation, periodic
from phare.listening import signals


class InsightsConfig(AppConfig):
    name = "phare.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        navigation.register(_("Insights"), "insights:home", INSIGHTS_VIEWERS, position=30)
        from phare.insights import freshness

        # After listening's step (apps run in INSTALLED_APPS order): waves it just closed are
        # in the store at the same tick.
        periodic.register("insights", freshness.tick)
        signals.answers_changed.connect(freshness.answers_changed,
                                        dispatch_uid="insights-store-refresh")
