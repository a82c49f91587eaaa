from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.lib import navigation, periodic, privacy


class ReportsConfig(AppConfig):
    name = "phare.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # jobs registers the generation job's handler.
        from phare.reports import jobs, policy, services  # noqa: F401

        navigation.register(_("Reports"), "reports:home", policy.READERS, position=57)
        # Schedules whose period is over get the report of that period, by email.
        periodic.register("reports_schedules", services.schedules_step)
        # Personal data (lib/privacy.py): the address leaves the schedules' recipients
        # (phare.privacy); reports stay with the stripped account.
        privacy.declare("reports.Schedule", "recipients", by="email", erase=privacy.CUSTOM,
                        section="report_schedules")
        for model in ("reports.Schedule", "reports.Report"):
            privacy.declare(model, "created_by", by="user", erase=privacy.KEEP,
                            section="work_records", export=False)
