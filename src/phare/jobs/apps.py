from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import JOB_USERS
from phare.lib import navigation, privacy


class JobsConfig(AppConfig):
    name = "phare.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        navigation.register(_("Jobs"), "jobs:list", JOB_USERS, position=100)
        # Personal data (lib/privacy.py): jobs stay with the stripped account that started them.
        privacy.declare("jobs.Job", "created_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
