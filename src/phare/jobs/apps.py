from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import JOB_USERS
from phare.lib import navigation


class JobsConfig(AppConfig):
    name = "phare.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        navigation.register(_("Jobs"), "jobs:list", JOB_USERS, position=100)
