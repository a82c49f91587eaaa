from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "phare.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # Registers the "directory.import" background job handler.
        from phare.directory import jobs  # noqa: F401
