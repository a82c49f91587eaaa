"""The browser tests' live server serves one request at a time (the in-memory SQLite
connection it shares with the test must not be used from two threads at once)."""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from tests.browser.factories import (
    DATABASE_LOCK,
    SerialWSGIServer,
    locked_statements,
    serialised,
)


def test_requests_are_served_one_at_a_time():
    inside, most = [0], [0]
    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    def application(environ, start_response):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        inside[0] -= 1
        start_response("200 OK", [])
        return Body([b"a", b"b"])

    serve = serialised(application)
    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda _: serve({}, lambda *a: None), range(16)))
    assert most[0] == 1
    assert bodies == [[b"a", b"b"]] * 16
    assert len(closed) == 16


def test_the_test_threads_statements_wait_for_a_request_being_served(live_server):
    assert isinstance(live_server.thread.httpd, SerialWSGIServer)
    assert locked_statements in connection.execute_wrappers
    held, release, ran = threading.Event(), threading.Event(), []

    def serving():  # as the server's thread does while it serves a request
        with DATABASE_LOCK:
            held.set()
            release.wait(5)
            ran.append("request served")

    server = threading.Thread(target=serving)
    server.start()
    held.wait(5)
    threading.Timer(0.2, release.set).start()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    ran.append("test's statement")
    server.join(5)
    assert ran == ["request served", "test's statement"]


def test_concurrent_requests_all_answer(live_server):
    def fetch(_):
        with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=20) as answer:
            return answer.status

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(fetch, range(24))) == {200}
