"""Shared fixtures: the personas every test speaks of, a small organisation, and the demo
organisation built once per test session (``demo_through``)."""

from __future__ import annotations

import gc
import itertools
import json
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import translation

from phare.accounts.models import User
from phare.accounts.services import token_create
from phare.core.demo import DemoContext
from phare.lib import charts
from tests.accounts.factories import make_personas
from tests.core.factories import FAST_HASHERS, quiet, steps_through
from tests.directory.factories import make_org

#: Fixtures shared by several folders: the test SMTP server (``smtp_server``).
pytest_plugins = ["tests.smtp"]

@pytest.fixture(autouse=True)
def _no_sign_in_wait(settings):
    # The wait between failed sign-ins has its own tests (tests/accounts/test_login_throttling.py).
    settings.PHARE_LOGIN_DELAY_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # Each test starts in the default language (French): a request leaves the language of its
    # reader active in the thread, which would otherwise leak into the next test.
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers cost ~0.25 s per user; tests of hashing itself live with Django.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _charts_checked_against_vega_lite() -> Iterator[None]:
    # Pages build charts without checking them against the Vega-Lite schema (it costs more
    # than building them); every chart a test builds is checked.
    charts.VALIDATE = True
    yield
    charts.VALIDATE = False


@pytest.fixture(autouse=True)
def _no_computed_dashboards_from_another_test() -> None:
    # Cache keys follow the data, but two tests may build the same data with the same ids.
    caches["insights"].clear()


@pytest.fixture
def postgresql_only() -> None:
    """Skips a test about PostgreSQL itself on the suite's SQLite run."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with PHARE_TEST_DATABASE_URL=postgres://…")


@pytest.fixture(scope="session")
def _usage_stores(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("usage-stores")


@pytest.fixture(autouse=True)
def _own_usage_store(settings, _usage_stores: Path) -> None:
    # Each test's usage events in its own folder: the store lives in files, not in the
    # database that pytest-django rolls back. The folder is named, not made (the store makes
    # it on its first write): ``tmp_path`` would scan its parent's growing list of folders
    # for every test of the run.
    settings.PHARE_USAGE_DIR = str(_usage_stores / f"t{next(_store_numbers)}")


_store_numbers = itertools.count()


@pytest.fixture
def org(db) -> dict[str, object]:
    """A tiny organisation: two units (one a sub-unit), two sites, two job families."""
    return make_org()


@pytest.fixture
def personas(org) -> dict[str, User]:
    """One user per role, each linked to a person of the organisation."""
    return make_personas(org)


@pytest.fixture
def english(client: Client, settings) -> Iterator[None]:
    """English: pages by the reader's language cookie (as the header's switch sets it),
    messages and services by the active language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def api(client: Client, personas: dict[str, User]):
    """``api(persona, method, path, data=None)``: the answer of ``/api/v1<path>`` to a request
    with a token of that persona (``data`` sent as JSON). A test module that calls the API
    another way defines its own ``api``."""

    def call(persona: str, method: str, path: str, data: Any = None):
        _token, raw = token_create(user=personas[persona], name="test")
        return client.generic(method, "/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json",
                              data="" if data is None else json.dumps(data))

    return call


@pytest.fixture
def login(client: Client, personas: dict[str, User]):
    """``login("marketing")`` signs the test client in as that persona and returns it."""

    def sign_in(name: str) -> Client:
        client.force_login(personas[name])
        return client

    return sign_in


# The demo organisation, built once per test session (per xdist worker), up to the step a test
# needs. A build is held in one open transaction with a savepoint after each app's step; a test
# runs inside it in its own savepoint (pytest-django's ``db``), so it starts from the built demo
# and its changes are rolled back. Asking for fewer steps rolls back to that step's savepoint;
# asking for other sizes rolls everything back and builds again. Any test that does not use the
# demo first rolls it all back, so it sees an empty database as before. This works alike on
# SQLite and PostgreSQL, and with ``-n 2`` (each worker has its own database and build).


@dataclass
class _Step:
    label: str
    block: transaction.Atomic
    rng_state: object
    shared: dict[str, Any]


class DemoBuilds:
    """The one demo build a test session holds open, step by step."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.key: tuple[object, ...] | None = None
        self.steps: list[_Step] = []

    def through(self, last_app: str, *, seed: int, employees: int,
                options: dict[str, Any]) -> DemoContext:
        wanted = steps_through(last_app)
        key = (seed, employees, sorted(options.items()))
        with self.blocker.unblock():
            if len(connection.atomic_blocks) != len(self.steps):
                raise RuntimeError("the demo must be built before the test's transaction "
                                   "starts: ask for `demo_through` before `db` or any fixture "
                                   "that writes")
            if key != self.key:
                self._roll_back_to(0)
                self.key = key
            self._roll_back_to(len(wanted))
            ctx = DemoContext(seed=seed, employees=employees, rng=random.Random(seed), say=quiet,
                              options=dict(options))
            if self.steps:
                ctx.rng.setstate(self.steps[-1].rng_state)
                ctx.shared = dict(self.steps[-1].shared)
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                for label, step in wanted[len(self.steps):]:
                    block = transaction.atomic()
                    block.__enter__()
                    try:
                        step(ctx)
                    except BaseException:
                        transaction.set_rollback(True)
                        block.__exit__(None, None, None)
                        self._roll_back_to(0)
                        raise
                    self.steps.append(_Step(label, block, ctx.rng.getstate(), dict(ctx.shared)))
        # The test gets its own copy: what it adds to ``shared`` stays with it.
        ctx.rng = random.Random()
        ctx.rng.setstate(self.steps[-1].rng_state)
        ctx.shared = dict(self.steps[-1].shared)
        return ctx

    def release(self) -> None:
        """Roll the whole build back: the database is empty again."""
        if self.steps:
            with self.blocker.unblock():
                self._roll_back_to(0)
        self.key = None

    def _roll_back_to(self, depth: int) -> None:
        while len(self.steps) > depth:
            step = self.steps.pop()
            transaction.set_rollback(True)
            step.block.__exit__(None, None, None)


_builds: DemoBuilds | None = None


@pytest.fixture(scope="session")
def _demo_builds(django_db_setup, django_db_blocker) -> Iterator[DemoBuilds]:
    global _builds
    _builds = DemoBuilds(django_db_blocker)
    yield _builds
    _builds.release()
    _builds = None


def _builds_demo(item: pytest.Item) -> bool:
    return "demo_through" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The demo's tests go to one xdist group (the reasons are below, where they move to the
    # front), marked before xdist reads the groups in its own hook.
    for item in items:
        if _builds_demo(item):
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.hookimpl(specname="pytest_collection_modifyitems", trylast=True)
def pytest_collection_modifyitems_demo_first(config: pytest.Config,
                                              items: list[pytest.Item]) -> None:
    if os.environ.get("PHARE_TEST_DATABASE_URL"):
        _keep_what_reaches_the_database(config, items)
    # pytest-django creates the test database only if some test asks for ``db``, and runs the
    # tests that do first. The demo's tests ask for it only once the demo is built (see
    # ``demo_through``), so it did not see them: they stay where it put them, last and together
    # (one build serves a whole run of them), and ``db`` comes last in their fixtures, after
    # any fixture that builds the demo.
    #
    # They then move to the front of the run, in one xdist group: one worker builds each demo
    # once while the other runs the rest (split between workers, or behind tests that wanted
    # another build, each demo was built again and again).
    demo_items = [item for item in items if _builds_demo(item)]
    for item in demo_items:
        names: list[str] = getattr(item, "fixturenames", [])
        if "db" not in names:
            names.append("db")
    rank = {module: n for n, module in enumerate(DEMO_MODULES_BY_BUILD)}
    demo_items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
    # The modules running subprocesses come right after: the other worker starts them while the
    # first builds the demos, rather than last, alone, when the rest is done.
    early = [item for item in items if item.nodeid.split("::")[0] in EARLY_MODULES
             and item not in set(demo_items)]
    chosen = set(demo_items) | set(early)
    items[:] = demo_items + early + [item for item in items if item not in chosen]


def _keep_what_reaches_the_database(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that reach the database.

    The others (statistics, parsers, the architecture checks, ``phare`` run in subprocesses on
    SQLite homes of their own) do the same thing whatever the suite's database is: the SQLite
    pass runs them. A test that talks to the PostgreSQL server some other way asks for the
    ``postgresql`` fixture or carries the ``postgres`` marker."""
    kept, dropped = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if (names & (_DATABASE_FIXTURES | {"demo_through", "postgresql"})
                or item.get_closest_marker("django_db") or item.get_closest_marker("postgres")):
            kept.append(item)
        else:
            dropped.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


#: Modules whose tests run ``phare`` (or Python) in subprocesses, seconds each: first, beside the
#: demos, rather than last, where one of them keeps a worker busy while the other has finished
#: (pytest-django puts tests without a database at the end).
EARLY_MODULES = {"tests/core/test_backup.py", "tests/core/test_serve.py",
                 "tests/core/test_security.py", "tests/core/test_settings.py",
                 "tests/accounts/test_login_throttling.py", "tests/core/test_cache.py",
                 "tests/analysis/test_package.py"}


#: The modules that build a demo, those that build the same one side by side (a hint for
#: speed only: a module missing here runs after them).
DEMO_MODULES_BY_BUILD = [
    "tests/accounts/test_demo.py", "tests/directory/test_demo.py", "tests/core/test_cli.py",
    "tests/catalog/test_demo.py",
    "tests/comms/test_demo.py", "tests/positioning/test_demo.py",
    "tests/core/test_cockpit_queries.py", "tests/needs/test_demo.py", "tests/test_query_counts.py",
    "tests/listening/test_demo.py", "tests/tickets/test_demo.py",
    "tests/tickets/test_figures_agree.py", "tests/insights/test_dashboards.py",
    "tests/insights/test_agreement.py",
]


#: Fixtures through which a test reaches the database (pytest-django's).
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                      "django_db_serialized_rollback", "live_server", "_django_db_helper"}


def _group_lost(item: pytest.Item) -> bool:
    """xdist tells a worker of a test's group by appending ``@group`` to its node id; pytest
    9.2 builds node ids another way and xdist 3.8's suffix is silently lost (pytest-xdist
    issue 1386): every group's tests were then spread over both workers, each building the
    demos, the backup's demo and Spark's JVM. Such a test fails rather than run that way."""
    return (bool(os.environ.get("PYTEST_XDIST_WORKER"))
            and getattr(item.config.option, "loadgroup", False)
            and any(True for _ in item.iter_markers("xdist_group")) and "@" not in item.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # The process ends next. Its objects moved out of the collector's reach, Python's last
    # collection at exit has nothing to walk: each worker and the controller used to spend
    # 1-3 s after the last test going through the heap of everything the tests imported.
    gc.freeze()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _group_lost(item):
        pytest.fail("--dist loadgroup did not put this test in its xdist group: this pytest "
                    "and pytest-xdist do not work together (see the pins in pyproject.toml)")
    # A test that uses the database but not the demo must not find the demo in it. Tests that
    # cannot reach the database leave the build alone: pytest-django runs them last, among the
    # demo's tests (which it cannot tell use the database), so the build survives them.
    if _builds is None or not _builds.steps:
        return
    if _builds_demo(item):
        return
    if (set(getattr(item, "fixturenames", ())) & _DATABASE_FIXTURES
            or item.get_closest_marker("django_db")):
        _builds.release()


@pytest.fixture
def demo_through(request, _demo_builds: DemoBuilds) -> Callable[..., DemoContext]:
    """``demo_through("directory", seed=7, employees=150)``: the demo's steps up to that app's
    (in ``demo_steps()`` order), then the test's transaction (``db``) starts on it.

    Call it from a fixture (a test module's ``demo`` fixture usually), once per test: the
    test's transaction must not have started. Extra keyword arguments are the demo's
    ``options``.
    """

    def build(last_app: str, *, seed: int = 7, employees: int = 150,
              **options: Any) -> DemoContext:
        ctx = _demo_builds.through(last_app, seed=seed, employees=employees, options=options)
        request.getfixturevalue("db")
        return ctx

    return build
