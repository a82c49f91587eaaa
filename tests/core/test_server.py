"""The web server's workers: what each prepares before it accepts a connection."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.db import connection, connections
from django.urls import clear_url_caches, get_resolver

from phare.core import server


def test_a_worker_imports_the_urlconf_and_fills_reverse_lookups_before_its_first_request():
    clear_url_caches()  # as in a worker that never answered a request
    assert not get_resolver()._populated
    application = server.PhareGunicorn({"bind": "127.0.0.1:0", "workers": 1}).load()
    assert callable(application)
    assert get_resolver()._populated


@pytest.mark.django_db(transaction=True)
def test_the_server_closes_its_database_connections_before_its_workers_fork(
        monkeypatch, settings):
    # `serve` migrates first and `demo` builds its data: the connection that opened must not
    # be inherited by the workers (each would use the same socket or SQLite handle).
    settings.PHARE_BASE_URL_GIVEN = True
    connection.ensure_connection()
    assert connection.connection is not None
    events: list = []
    close_all = connections.close_all
    monkeypatch.setattr(connections, "close_all",
                        lambda: (events.append("closed"), close_all()))
    monkeypatch.setattr(server.PhareGunicorn, "run", lambda self: events.append(
        ("forks", [handle.connection is None for handle in connections.all()])))
    server.run_web(bind="127.0.0.1:0", workers=2, with_worker=False)
    assert [event if event == "closed" else event[0] for event in events] == ["closed", "forks"]
    if connection.vendor != "sqlite":  # Django keeps SQLite's in-memory test database open
        assert all(events[1][1])


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_after_the_migrations_answer_from_their_own_connections(tmp_path):
    # The real server, as systemd starts it: `phare serve` migrating first, then two workers
    # under concurrent requests. With the master's connection inherited, both workers talked
    # through one PostgreSQL session: /readyz answered 500 ("TableInfo.__new__() missing 2
    # required positional arguments", "generator raised StopIteration") in every such run.
    # On SQLite (the suite's other run) the same server, each worker keeping its connection
    # between requests: no 500 either (a shared SQLite handle did not show there).
    url = os.environ.get("PHARE_TEST_DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    name = f"phare_fork_{secrets.token_hex(4)}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PHARE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"PHARE_HOME": str(tmp_path), "PHARE_SECRET_KEY": secrets.token_urlsafe(40),
                "PHARE_LOG_LEVEL": "warning"})
    if postgres:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["PHARE_DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        web = subprocess.Popen([sys.executable, "-m", "phare", "serve", "--workers", "2",
                                "--bind", f"127.0.0.1:{port}"], env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    backends = None
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.1)
        statuses: list[int] = []

        def client() -> None:
            with requests.Session() as session:
                for _ in range(30):
                    statuses.append(session.get(f"{base}/readyz", timeout=30).status_code)

        clients = [threading.Thread(target=client) for _ in range(10)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        if postgres:
            with psycopg.connect(admin, autocommit=True) as conn:
                backends = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                    [name]).fetchone()[0]
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
        if postgres:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # 503: no task worker runs, which /readyz reports; never a 500.
    assert sorted(set(statuses)) == [503], (statuses, log.read_text()[-3000:])
    assert "Internal Server Error" not in log.read_text()
    if postgres:
        assert backends >= 2  # one session per worker
