from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import ADMINS, DIRECTORY_READERS
from phare.directory import search
from phare.lib import navigation, privacy


class DirectoryConfig(AppConfig):
    name = "phare.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        connection_created.connect(search.register_sqlite, dispatch_uid="phare.directory.fold")
        navigation.register(_("Directory"), "directory:people", DIRECTORY_READERS, position=80)
        navigation.register(_("Import"), "directory:import", ADMINS, position=90)
        # Personal data (lib/privacy.py): an erasure pseudonymises the record itself; the
        # people it managed keep pointing at the pseudonymised record.
        privacy.declare("directory.Person", "email", by="email", erase=privacy.CUSTOM,
                        section="person")
        # The search's copy of the address (generated from it by the database): the
        # pseudonymised record's empty address empties it too.
        privacy.declare("directory.Person", "email_key", by="email", erase=privacy.KEEP,
                        section="person", export=False)
        privacy.declare("directory.Person", "manager", by="person", erase=privacy.KEEP,
                        section="direct_reports", export=False)
        # Registers the "directory.import" background job handler.
        from phare.directory import jobs  # noqa: F401
