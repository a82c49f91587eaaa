from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE
from phare.lib import navigation


class CoreConfig(AppConfig):
    name = "phare.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        navigation.register(_("Home"), "core:home", EVERYONE, position=0)
