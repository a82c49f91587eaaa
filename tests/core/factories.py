"""Building the demo organisation in tests: up to the app a test is about, not every step."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from phare.core.demo import DemoContext, demo_steps

#: The demo hashes five passwords per build; the default hasher would make that seconds.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def quiet(_line: str) -> None:
    """A ``say`` for the demo that prints nothing."""


def steps_through(last_app: str) -> list[tuple[str, Callable[[DemoContext], None]]]:
    """The demo's steps, in the order ``build_demo`` runs them, up to ``last_app``'s."""
    steps = demo_steps()
    labels = [label for label, _step in steps]
    if last_app not in labels:
        raise ValueError(f"no demo step for {last_app!r}; the steps are {labels}")
    return steps[:labels.index(last_app) + 1]


def build_demo_through(last_app: str, *, seed: int, employees: int,
                       options: dict[str, Any] | None = None) -> DemoContext:
    """The demo's steps up to and including ``last_app``'s, as ``build_demo`` runs them.

    Unlike ``build_demo`` it opens no transaction of its own: the caller rolls back (a test's
    transaction, or ``transaction.atomic`` around a determinism check).
    """
    ctx = DemoContext(seed=seed, employees=employees, rng=random.Random(seed), say=quiet,
                      options=dict(options or {}))
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for _label, step in steps_through(last_app):
            step(ctx)
    return ctx


def migrate_to(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    """Migrate the test database to ``targets``; an executor whose loader sees what is applied
    now (for a migration's test, with ``django_db(transaction=True)``)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest_migrations() -> list[tuple[str, str]]:
    """Every app's last migration: where a migration's test brings the database back."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
