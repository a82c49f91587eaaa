"""``/readyz``: the database, its migrations, the shared cache and the worker's heartbeat."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import DatabaseError

from phare.core import heartbeat


@pytest.fixture(autouse=True)
def _fresh(settings):
    # Each test starts from nothing: no heartbeat, migrations not yet checked by this process.
    caches["default"].delete(heartbeat.HEARTBEAT_KEY)
    heartbeat._migrations_applied = False
    settings.TASK_BACKEND = "database"
    settings.PHARE_WORKER_STALE_SECONDS = 60
    yield
    caches["default"].delete(heartbeat.HEARTBEAT_KEY)
    heartbeat._migrations_applied = False


def test_ready_when_every_part_answers(client, db):
    heartbeat.beat()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {k: body[k] for k in ("database", "migrations", "cache", "worker")} == {
        "database": "ok", "migrations": "ok", "cache": "ok", "worker": "ok"}
    assert 0 <= body["worker_heartbeat_seconds"] < 5
    assert "no-cache" in response["Cache-Control"]


def test_public_and_never_shows_a_secret(client, db, settings):
    heartbeat.beat()
    text = client.get("/readyz").content.decode()
    assert settings.SECRET_KEY not in text
    assert str(settings.DATABASES["default"]["NAME"]) not in text


def test_no_worker_ever_seen_is_not_ready(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["worker"] == "never seen"


def test_a_stale_heartbeat_is_not_ready(client, db, settings):
    settings.PHARE_WORKER_STALE_SECONDS = 30
    heartbeat.beat(time.time() - 31)
    body = client.get("/readyz")
    assert body.status_code == 503
    assert body.json()["worker"] == "stale"
    assert body.json()["worker_heartbeat_seconds"] >= 31
    heartbeat.beat(time.time() - 29)
    assert client.get("/readyz").status_code == 200


def test_without_a_worker_backend_the_worker_is_not_asked_for(client, db, settings):
    settings.TASK_BACKEND = "immediate"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["worker"] == "not used"


def test_the_database_unreachable(client, db):
    heartbeat.beat()
    with mock.patch("phare.core.heartbeat.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["migrations"] == "unknown"
    assert "down" not in response.content.decode()


def test_pending_migrations(client, db):
    heartbeat.beat()
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan",
                    return_value=[("a migration", False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    # Once applied, the answer is remembered by the process: the graph is not read again.
    assert client.get("/readyz").json()["migrations"] == "ok"
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan",
                    side_effect=AssertionError("read again")):
        assert client.get("/readyz").status_code == 200


def test_the_cache_failing(client, db):
    heartbeat.beat()
    cache = caches["default"]
    with mock.patch.object(type(cache), "set", side_effect=OSError("disk full")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"
    assert "disk full" not in response.content.decode()


def test_the_cache_giving_back_nothing(client, db):
    heartbeat.beat()
    cache = caches["default"]
    real_get = type(cache).get

    def forgetful(self, key, *args, **kwargs):
        return None if key.startswith("phare:readiness:") else real_get(self, key, *args, **kwargs)

    with mock.patch.object(type(cache), "get", forgetful):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "not shared"


def test_the_worker_beats_until_stopped(settings):
    settings.PHARE_WORKER_STALE_SECONDS = 0.3  # a beat every 0.1 s
    thread, stop = heartbeat.start_beating()
    try:
        deadline = time.monotonic() + 5
        while heartbeat.heartbeat_age() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        first = caches["default"].get(heartbeat.HEARTBEAT_KEY)
        assert first is not None
        deadline = time.monotonic() + 5
        while caches["default"].get(heartbeat.HEARTBEAT_KEY) == first \
                and time.monotonic() < deadline:
            time.sleep(0.02)
        assert caches["default"].get(heartbeat.HEARTBEAT_KEY) > first  # beats again
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_a_cache_down_does_not_stop_the_heartbeat():
    stop = threading.Event()
    calls = []

    def failing(now=None):
        calls.append(now)
        if len(calls) >= 2:
            stop.set()
        raise ConnectionError("redis down")

    with mock.patch.object(heartbeat, "beat", failing):
        heartbeat.beat_forever(0.01, stop)
    assert len(calls) == 2


def test_the_worker_command_beats_unless_it_runs_one_batch(db):
    import io

    from django.core.management import call_command

    from phare.core.management.commands import worker

    for args, beats in ((["--no-tick"], 1), (["--batch", "--no-tick"], 0)):
        with mock.patch.object(worker, "start_beating") as start, \
                mock.patch.object(worker, "call_command") as db_worker:
            call_command("worker", *args, stdout=io.StringIO())
        assert start.call_count == beats
        assert db_worker.call_args[0] == ("db_worker",)
