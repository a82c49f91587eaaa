"""``phare serve``: the production web server (gunicorn + whitenoise)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from phare.core.management.home import require_secret_key
from phare.core.server import run_web
from phare.lib.assets import collect_static


class Command(BaseCommand):
    help = "Serve Phare with gunicorn (static files by whitenoise), honouring PHARE_* settings."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=settings.PHARE_BIND,
                            help="address:port to listen on (default PHARE_BIND or 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=settings.PHARE_WEB_WORKERS,
                            help="number of web worker processes (default PHARE_WEB_WORKERS, else "
                                 "one per usable processor, from 2 to 12)")
        parser.add_argument("--threads", type=int, default=settings.PHARE_WEB_THREADS,
                            help="threads per worker process (default PHARE_WEB_THREADS or 1)")
        parser.add_argument("--with-worker", action="store_true",
                            help="also run the background job worker in a child process")
        parser.add_argument("--no-migrate", action="store_true",
                            help="do not apply pending database migrations first")

    def handle(self, *args, **options) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers: expected at least 1")
        if options["threads"] < 1:
            raise CommandError("--threads: expected at least 1")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)  # makes the secret key
        require_secret_key()

        collect_static()
        self.stdout.write(f"Phare on http://{options['bind']} (DEBUG={settings.DEBUG}, "
                          f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
        run_web(bind=options["bind"], workers=options["workers"], threads=options["threads"],
                with_worker=options["with_worker"])
