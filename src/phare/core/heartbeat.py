"""The worker's heartbeat and the readiness checks that ``/readyz`` reports.

``phare worker`` writes the time into the shared cache every third of
``PHARE_WORKER_STALE_SECONDS`` (:func:`start_beating`); :func:`readiness` says, part by part,
whether this web process can serve: the database answers, no migration is pending, the cache
gives back what was put in it, and a worker reported recently (when jobs go to a worker).
Only states and ages are reported, never addresses, names or errors' texts (the answer is
public).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

#: The cache key of the last heartbeat: the time (seconds since the epoch) a worker last wrote.
HEARTBEAT_KEY = "phare:worker:heartbeat"
#: The heartbeat outlives its staleness by far, so that "stale" can be told from "never seen".
HEARTBEAT_KEEP_SECONDS = 7 * 24 * 3600

_migrations_applied = False


def beat(now: float | None = None) -> None:
    """Record that a worker is alive now."""
    caches["default"].set(HEARTBEAT_KEY, time.time() if now is None else now,
                          HEARTBEAT_KEEP_SECONDS)


def beat_forever(interval: float, stop: threading.Event) -> None:
    while True:
        try:
            beat()
        except Exception:  # the cache is down: readiness says so; keep trying
            logger.warning("worker heartbeat: the cache cannot be written", exc_info=True)
        if stop.wait(interval):
            return


def start_beating() -> tuple[threading.Thread, threading.Event]:
    """The heartbeat in a daemon thread of the worker (it ends with the process)."""
    stop = threading.Event()
    interval = settings.PHARE_WORKER_STALE_SECONDS / 3
    thread = threading.Thread(target=beat_forever, args=(interval, stop),
                              name="phare-heartbeat", daemon=True)
    thread.start()
    return thread, stop


def heartbeat_age() -> float | None:
    """Seconds since a worker last beat; ``None`` if none ever did (as far as the cache
    remembers)."""
    last = caches["default"].get(HEARTBEAT_KEY)
    return None if last is None else max(0.0, time.time() - float(last))


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _migrations() -> str:
    """``ok`` when every migration this code has is applied. Once true it stays true for the
    life of the process (the code cannot change under it), so the graph is read only until
    then."""
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    if plan:
        return "pending"
    _migrations_applied = True
    return "ok"


def _cache() -> str:
    cache = caches["default"]
    key, value = f"phare:readiness:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, 30)
        back = cache.get(key)
        cache.delete(key)
    except Exception:  # any backend's failure (Redis down, disk full) is "unreachable"
        logger.warning("readiness: the cache failed", exc_info=True)
        return "unreachable"
    return "ok" if back == value else "not shared"


def _worker() -> tuple[str, float | None]:
    if settings.TASK_BACKEND != "database":
        return "not used", None
    try:
        age = heartbeat_age()
    except Exception:
        return "unknown", None
    if age is None:
        return "never seen", None
    return ("ok" if age <= settings.PHARE_WORKER_STALE_SECONDS else "stale"), round(age, 1)


def readiness() -> tuple[bool, dict[str, Any]]:
    """(ready, the state of each part)."""
    database = _database()
    parts: dict[str, Any] = {
        "database": database,
        "migrations": _migrations() if database == "ok" else "unknown",
        "cache": _cache(),
    }
    worker, age = _worker()
    parts["worker"] = worker
    if age is not None:
        parts["worker_heartbeat_seconds"] = age
    ready = (database == "ok" and parts["migrations"] == "ok" and parts["cache"] == "ok"
             and worker in ("ok", "not used"))
    return ready, {"status": "ok" if ready else "unavailable", **parts}
