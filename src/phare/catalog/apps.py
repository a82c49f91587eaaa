from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "phare.catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        # Registers the "catalog.import" background job handler.
        from phare.catalog import jobs  # noqa: F401
