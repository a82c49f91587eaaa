"""Building the demo organisation in tests: up to the app a test is about, not every step; and
running ``phare`` as a person does, in a process of its own on a home of its own."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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


#: The secret of the homes these tests build (restoring a backup needs the same one).
SECRET_KEY = "backup-test-secret-key-0123456789-abcdefghijklmnop"


def phare_env(home: Path, *, secret_key: str | None = SECRET_KEY,
              **extra_env: str) -> dict[str, str]:
    """This process's environment without its ``PHARE_*`` settings, pointed at ``home`` with
    ``secret_key`` (None: none, as a home before its first ``migrate``), and ``extra_env``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PHARE_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ["PHARE_HOME"] = str(home)
    if secret_key is not None:
        environ["PHARE_SECRET_KEY"] = secret_key
    environ.update(extra_env)
    return environ


def run_phare(*args: str, home: Path, secret_key: str | None = None, timeout: float = 300,
              **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``phare <args>`` run to its end in a process of its own, on ``home``: by default as a
    person runs it on a new home (no secret key given)."""
    return subprocess.run([sys.executable, "-m", "phare", *args],
                          env=phare_env(home, secret_key=secret_key, **extra_env),
                          capture_output=True, text=True, timeout=timeout)


def phare(*args: str, home: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``phare <args>`` with the tests' secret key, speaking English and running its jobs at
    once (no worker)."""
    return run_phare(*args, home=home, secret_key=SECRET_KEY, timeout=600, PHARE_LANGUAGE="en",
                     PHARE_TASK_BACKEND="immediate", **extra_env)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@dataclass(frozen=True)
class DemoHome:
    """A home ``phare demo --no-serve`` prepared, and what the command printed."""

    home: Path
    stdout: str

    def copy(self, target: Path) -> Path:
        """A copy of the home at ``target`` (tests change their copy, never the original)."""
        shutil.copytree(self.home, target)
        return target
