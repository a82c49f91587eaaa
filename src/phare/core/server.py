"""Running Phare's processes: gunicorn for the web, the task worker beside it when asked.

Each outside program sits behind this one module; commands call :func:`run_web`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver
from gunicorn.app.base import BaseApplication

from phare.env import address_of_bind


class PhareGunicorn(BaseApplication):
    """gunicorn serving Phare's WSGI application with options given in Python."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        # Phare's WSGI application (phare.wsgi), built now that gunicorn starts and not when
        # this module is imported: whitenoise lists STATIC_ROOT once, as the application is
        # built, and `serve` and `demo` run collectstatic after importing this module — built
        # earlier, the new hashed stylesheets would answer 404.
        application = get_wsgi_application()
        # Each worker imports the URLconf (every app's views and the API) and fills the
        # reverse lookups now, before it accepts a connection: else its first requests wait
        # for that (0.7 s of CPU on a 2-core machine).
        get_resolver().reverse_dict  # noqa: B018 - reading it fills it
        return application


def start_worker() -> subprocess.Popen[bytes]:
    """The task worker as a child process (``phare worker``), whose emails link to the same
    ``PHARE_BASE_URL`` as the web server's."""
    environ = {**os.environ, "PHARE_BASE_URL": settings.PHARE_BASE_URL}
    return subprocess.Popen([sys.executable, "-m", "phare", "worker"], env=environ)


def run_web(*, bind: str, workers: int, with_worker: bool, threads: int | None = None) -> None:
    """gunicorn with ``workers`` processes of ``threads`` threads each (default
    ``PHARE_WEB_THREADS``, 1: gunicorn's sync worker). Phare's requests are mostly Python
    work: on 2 idle cores, 20 clients submitting answers got 349 responses/s (p99 77 ms) from
    2 sync workers and 208/s (p99 192 ms) from 2 × 4 threads (bench/ingest.py, PostgreSQL,
    2026-12-06). Threads help where requests wait on a slow database or network."""
    threads = threads or settings.PHARE_WEB_THREADS
    if not settings.PHARE_BASE_URL_GIVEN:
        # Emails link to where this server listens (pages to where their request came).
        settings.PHARE_BASE_URL = address_of_bind(bind)
    worker = start_worker() if with_worker else None
    # Closed before gunicorn forks its workers: a connection this process opened (`serve`'s
    # migrations, `demo`'s data) would be inherited by every worker — one socket, or one SQLite
    # handle, used by several processes at once, whose answers then cross (seen on PostgreSQL
    # as "TableInfo.__new__() missing 2 required positional arguments" and similar errors in
    # the first requests after a start).
    connections.close_all()
    try:
        PhareGunicorn({
            "bind": bind,
            "workers": workers,
            "worker_class": "gthread" if threads > 1 else "sync",
            "threads": threads,
            "accesslog": "-",
            "errorlog": "-",
            "timeout": 120,
            "proc_name": "phare",
        }).run()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
