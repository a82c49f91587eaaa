"""``phare migrate``: Django's migrate, after making the data folder and the secret key.

Every way a database is made ready goes through this command (``phare demo`` and
``phare serve`` call it, and so does the test runner), so it is the one place where Phare's
data folder is prepared (:mod:`phare.core.management.home`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from phare.core.management.home import prepare_home


class Command(migrate.Command):
    help = migrate.Command.help + " First makes PHARE_HOME and, if missing, its secret key."

    def execute(self, *args: Any, **options: Any) -> str | None:
        # Before Django's own execute(): its system checks already open the database, whose
        # SQLite file lives in the folder made here.
        prepare_home()
        return super().execute(*args, **options)
