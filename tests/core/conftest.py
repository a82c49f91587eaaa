"""One small demo home, built once by ``phare demo --no-serve`` for the tests of ``phare``'s own
commands (each copies it)."""

from __future__ import annotations

import pytest

from tests.core.factories import DemoHome, ok, phare


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> DemoHome:
    """The demo of 100 employees, prepared once for the session by ``phare demo --no-serve`` in
    a fresh home (the slowest thing these tests do). Tests that use it are in the ``backup``
    xdist group, so that one worker builds it once."""
    home = tmp_path_factory.mktemp("demo-home") / "home"
    result = ok(phare("demo", "--no-serve", "--employees", "100", "--seed", "3", home=home))
    return DemoHome(home=home, stdout=result.stdout)
