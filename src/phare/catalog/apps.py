from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import CATALOG_EDITORS, EVERYONE
from phare.lib import navigation, privacy


class CatalogConfig(AppConfig):
    name = "phare.catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        navigation.register(_("Catalogue"), "catalog:home", EVERYONE, position=10)
        navigation.register(_("Manage the catalogue"), "catalog:manage", CATALOG_EDITORS,
                            position=20)
        # Registers the "catalog.import" background job handler.
        from phare.catalog import jobs  # noqa: F401

        # Personal data (lib/privacy.py): a former employee owns no service any more.
        for field in ("owner", "deputy"):
            privacy.declare("catalog.Service", field, by="person", erase=privacy.DETACH,
                            section="services_owned")
        privacy.declare("catalog.Service", "pending_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
        privacy.declare("catalog.Revision", "by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
