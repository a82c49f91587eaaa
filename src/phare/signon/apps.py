from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignonConfig(AppConfig):
    name = "phare.signon"
    verbose_name = _("Sign-on")
