"""Helpers the browser tests share: where screenshots go, the phone sizes, signing in on a
page of one's own, and data for a value card to draw."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django.urls import reverse

from phare.insights import store
from phare.listening import services
from phare.listening.models import Response, Survey
from tests.accounts.factories import PASSWORD
from tests.role_matrix_objects import World

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def tracked(page: Any) -> Any:
    """``page``, counting its requests in flight (for :func:`settle`); call it before the
    page's first request."""
    inflight = [0]

    def started(_request: Any) -> None:
        inflight[0] += 1

    def ended(_request: Any) -> None:
        inflight[0] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    page.phare_inflight = inflight
    return page


def settle(page: Any, *, quiet_ms: int = 100, timeout: float = 30) -> None:
    """Wait until the page has loaded and no request has been in flight for ``quiet_ms``
    (what it loads after it: htmx fragments, the charts' script). Playwright's "networkidle"
    waits 500 ms of silence after every page, which the many-page tests paid page after page.
    """
    page.wait_for_load_state("load")
    inflight = page.phare_inflight
    deadline = time.monotonic() + timeout
    calm_since: float | None = None
    while True:
        page.wait_for_timeout(20)  # lets Playwright deliver the request events
        now = time.monotonic()
        if inflight[0] > 0:
            calm_since = None
        elif calm_since is None:
            calm_since = now
        elif now - calm_since >= quiet_ms / 1000:
            return
        if now > deadline:
            raise TimeoutError(f"{page.url}: {inflight[0]} requests still in flight")


def sign_in_as(page: Any, username: str) -> None:
    """Sign in through the login form on ``page`` (a context of its own, for one role)."""
    page.goto(reverse("accounts:login"))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/")


def with_service_answers(world: World) -> None:
    """Six answers to a survey on the world's service, in a month over: its value card has
    figures and a chart."""
    survey = services.survey_create(slug="vpn-avis", kind=Survey.Kind.SERVICE, title_fr="VPN",
                                    service=world.service)
    services.question_add(survey, code="nps", type="nps", text_fr="Recommanderiez-vous ?")
    for i in range(6):
        response = services.response_submit(survey=survey, answers={"nps": 9 - i % 3},
                                            channel="open_link")
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2026, 5, 4))
    store.refresh(survey)


# The live server: pytest-django's thread, serving one request at a time.
#
# With the in-memory SQLite test database, Django hands the live server's threads the test's own
# connection (an in-memory database cannot be opened twice). Two requests served at once then use
# one ``sqlite3`` connection from two threads, which can deadlock: one thread inside
# ``sqlite3_step`` calls one of Django's SQL functions written in Python and waits for the GIL,
# while the other holds the GIL binding its parameters and waits for the connection's mutex (seen
# once in CI, py-spy showing both). Production is not concerned: each thread and process there
# has its own connection. So the browser tests' server takes one lock for each request, its body
# included (a streamed response reads the database while it is sent), and every cursor of that
# connection takes the same lock for each call (statements and fetches: SQLite runs Python
# functions in both), so the test's own thread waits for a request being served, and the other
# way round.

#: Held while the live server serves a request, and for each call of a cursor of the connection
#: the live server shares with the test.
DATABASE_LOCK = threading.RLock()


def serialised(application: Callable[..., Any]) -> Callable[..., Any]:
    """``application`` (WSGI) answering one request at a time, under :data:`DATABASE_LOCK`."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with DATABASE_LOCK:
            result = application(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # request_finished's receivers run here, under the lock too

    return serve


class SerialWSGIServer(ThreadedWSGIServer):
    """Django's live server, each connection on its thread as before, one request at a time."""

    def set_app(self, application: Callable[..., Any]) -> None:
        super().set_app(serialised(application))


class SerialLiveServerThread(LiveServerThread):
    server_class = SerialWSGIServer


class LockedCursor:
    """A DB-API cursor whose every call (``execute``, ``fetchmany``, iteration…) runs under
    :data:`DATABASE_LOCK`; its attributes are the cursor's."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._cursor, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with DATABASE_LOCK:
                return value(*args, **kwargs)

        return locked

    def __iter__(self) -> Any:
        while True:
            with DATABASE_LOCK:
                row = self._cursor.fetchone()
            if row is None:
                return
            yield row


def lock_cursors(database: Any) -> Callable[[], None]:
    """Make every new cursor of ``database`` (a Django connection) a :class:`LockedCursor`;
    returns the function that undoes it."""
    create = database.create_cursor

    def create_cursor(name: Any = None) -> LockedCursor:
        return LockedCursor(create(name))

    database.create_cursor = create_cursor
    return lambda: delattr(database, "create_cursor")
