from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.lib import navigation, periodic


class ReportsConfig(AppConfig):
    name = "phare.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # jobs registers the generation job's handler.
        from phare.reports import jobs, policy, services  # noqa: F401

        navigation.register(_("Reports"), "reports:home", policy.READERS, position=57)
        # Schedules whose period is over get the report of that period, by email.
        periodic.register("reports_schedules", services.schedules_step)
