"""``phare worker``: run background jobs (imports, emails, analyses) as they are queued, and the
periodic tick (waves closed, reminders and ticket surveys sent) every ``PHARE_TICK_SECONDS``."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from phare.core.heartbeat import start_beating
from phare.core.management.home import require_secret_key
from phare.lib.periodic import run_due

logger = logging.getLogger("phare.worker")


def tick_once() -> dict[str, Any]:
    """One tick of every app's periodic steps. A step that fails is logged and named in
    ``errors`` by :func:`~phare.lib.periodic.run_due`, which never raises: the worker keeps
    going."""
    done = run_due()
    logger.debug("tick: %s", done)
    return done


def tick_forever(interval: float, stop: threading.Event) -> None:
    while True:
        tick_once()
        # This thread's own database connections: closed, so none goes stale between ticks.
        connections.close_all()
        if stop.wait(interval):
            return


def start_ticking(interval: float) -> tuple[threading.Thread, threading.Event]:
    """The tick in a daemon thread beside the job worker (it ends with the process)."""
    stop = threading.Event()
    thread = threading.Thread(target=tick_forever, args=(interval, stop), name="phare-tick",
                              daemon=True)
    thread.start()
    return thread, stop


class Command(BaseCommand):
    help = ("Run the background job worker (the django-tasks database backend) and, every "
            "PHARE_TICK_SECONDS, the periodic tick (reminders, closing waves, ticket surveys).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true",
                            help="run one tick and the jobs waiting now, then stop")
        parser.add_argument("--no-tick", action="store_true",
                            help="do not run the periodic tick (run `phare tick` from cron "
                                 "instead, or in another worker)")

    def handle(self, *args, **options) -> None:
        require_secret_key()
        if settings.TASK_BACKEND != "database":
            raise CommandError("PHARE_TASK_BACKEND is 'immediate': jobs run inline, "
                               "there is nothing for a worker to do "
                               "(run `phare tick` from cron for reminders).")
        if not options["batch"]:
            start_beating()  # what /readyz reads: a worker is alive
        if not options["no_tick"]:
            if options["batch"]:
                done = tick_once()
                self.stdout.write(f"tick: {done}")
            # With autoreload (DEBUG), only the reloaded child ticks, not its watching parent.
            elif not settings.DEBUG or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                start_ticking(settings.PHARE_TICK_SECONDS)
        call_command("db_worker", batch=options["batch"], interval=1.0, verbosity=1,
                     stdout=self.stdout, stderr=self.stderr)
