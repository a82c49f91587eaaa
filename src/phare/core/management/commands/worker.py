"""``phare worker``: run background jobs (imports, emails, analyses) as they are queued."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background job worker (the django-tasks database backend)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true",
                            help="run the jobs waiting now, then stop")

    def handle(self, *args, **options) -> None:
        if settings.TASK_BACKEND != "database":
            raise CommandError("PHARE_TASK_BACKEND is 'immediate': jobs run inline, "
                               "there is nothing for a worker to do.")
        call_command("db_worker", batch=options["batch"], interval=1.0, verbosity=1,
                     stdout=self.stdout, stderr=self.stderr)
