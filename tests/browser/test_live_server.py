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
    LockedCursor,
    SerialWSGIServer,
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


def _while_a_request_is_served(call):
    """Run ``call`` in this thread (the test's) while another thread holds the lock for 0.2 s, as
    the server's does while it serves a request: the order in which they finish."""
    held, release, done = threading.Event(), threading.Event(), []

    def serving():
        with DATABASE_LOCK:
            held.set()
            release.wait(5)
            done.append("request served")

    server = threading.Thread(target=serving)
    server.start()
    held.wait(5)
    threading.Timer(0.2, release.set).start()
    call()
    done.append("test's call")
    server.join(5)
    return done


def test_the_test_threads_statements_wait_for_a_request_being_served(live_server):
    assert isinstance(live_server.thread.httpd, SerialWSGIServer)
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, LockedCursor)
        assert _while_a_request_is_served(lambda: cursor.execute("SELECT 1")) == [
            "request served", "test's call"]


def test_the_test_threads_fetches_wait_for_a_request_being_served(live_server):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 UNION ALL SELECT 2")
        rows = []
        assert _while_a_request_is_served(lambda: rows.extend(cursor.fetchall())) == [
            "request served", "test's call"]
        assert rows == [(1,), (2,)]
        cursor.execute("SELECT 3 UNION ALL SELECT 4")
        assert list(cursor) == [(3,), (4,)]


def test_concurrent_requests_all_answer(live_server):
    def fetch(_):
        with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=20) as answer:
            return answer.status

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(fetch, range(24))) == {200}
