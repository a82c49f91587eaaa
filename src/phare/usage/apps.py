from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import USAGE_VIEWERS
from phare.lib import navigation, periodic, privacy


class UsageConfig(AppConfig):
    name = "phare.usage"
    verbose_name = _("Usage")

    def ready(self) -> None:
        # After the insights (what people say), before the surveys: what they do.
        navigation.register(_("Usage"), "usage:overview", USAGE_VIEWERS, position=35)
        from phare.usage import (
            jobs,  # noqa: F401  (registers the usage import's job handler)
            services,
        )

        # The store's directory dimension kept current, and raw events past
        # PHARE_USAGE_RETENTION_DAYS folded into monthly aggregates (cheap when nothing changed).
        periodic.register("usage", services.periodic_step)
        # Personal data (lib/privacy.py): licences stay on the pseudonymised record (seat
        # counts unchanged); the Parquet events are re-keyed by phare.privacy.
        privacy.declare("usage.Licence", "person", by="person", erase=privacy.KEEP,
                        section="licences")
        privacy.declare("usage.UsageImport", "created_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
