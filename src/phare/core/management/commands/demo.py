"""``phare demo``: a working Phare with a realistic organisation, in one command."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from phare.accounts.demo import DEMO_ACCOUNTS
from phare.core.demo import DEMO_PASSWORD, build_demo, database_is_empty
from phare.core.server import run_web
from phare.lib.assets import collect_static

MIN_EMPLOYEES, MAX_EMPLOYEES = 100, 200_000
MAX_TICKETS = 50_000_000


class Command(BaseCommand):
    help = ("Prepare the demo (data folder, database, demo organisation) and serve it on "
            "http://127.0.0.1:8000 with the background worker.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="prepare only; do not serve")
        parser.add_argument("--employees", type=int, default=5000,
                            help=f"size of the organisation ({MIN_EMPLOYEES}–{MAX_EMPLOYEES}, "
                                 "default 5000)")
        parser.add_argument("--seed", type=int, default=42,
                            help="random seed: the same seed gives the same data (default 42)")
        parser.add_argument("--services", type=int, default=None,
                            help="number of catalogue services (default: the ~50 of the demo "
                                 "catalogue; more, up to 10000, for benchmarks)")
        parser.add_argument("--tickets", type=int, default=None,
                            help="IT tickets over the last 12 months, about 15%% of them "
                                 "answered (default: 10 per employee, 50000 for 5000; "
                                 "millions for benchmarks)")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
        parser.add_argument("--reset", action="store_true",
                            help="erase every row of the database and load the demo again")

    def handle(self, *args, **options) -> None:
        employees, port = options["employees"], options["port"]
        if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
            raise CommandError(f"--employees: expected {MIN_EMPLOYEES} to {MAX_EMPLOYEES}, "
                               f"got {employees}")
        if options["services"] is not None and not 1 <= options["services"] <= 10_000:
            raise CommandError(f"--services: expected 1 to 10000, got {options['services']}")
        if options["tickets"] is not None and not 0 <= options["tickets"] <= MAX_TICKETS:
            raise CommandError(f"--tickets: expected 0 to {MAX_TICKETS}, got {options['tickets']}")
        if not 1 <= port <= 65535:
            raise CommandError(f"--port: expected 1 to 65535, got {port}")
        self.stdout.write(f"Data folder: {settings.PHARE_HOME}")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Database emptied (--reset).")
        if database_is_empty():
            started = time.monotonic()
            sizes = {"services": options["services"]} if options["services"] else {}
            if options["tickets"] is not None:
                sizes["tickets"] = options["tickets"]
            build_demo(seed=options["seed"], employees=employees, say=self.stdout.write,
                       options=sizes)
            self.stdout.write(f"Demo organisation loaded in {time.monotonic() - started:.1f} s "
                              f"(seed {options['seed']}).")
        else:
            self.stdout.write("The database already holds data: kept as it is "
                              "(use --reset to load the demo again).")
        self.print_accounts(port)
        if options["no_serve"]:
            return

        collect_static()
        run_web(bind=f"127.0.0.1:{port}", workers=2, with_worker=True)

    def print_accounts(self, port: int) -> None:

        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, _role, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {description}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Phare: http://127.0.0.1:{port}/"))
