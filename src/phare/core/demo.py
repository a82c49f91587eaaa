"""The demo organisation: a deterministic generator that each app extends.

Each installed Phare app may have a ``demo`` module with a ``build(ctx: DemoContext)`` function;
``phare demo`` calls them in ``INSTALLED_APPS`` order inside one transaction, so a later module
(catalogue, listening…) finds the people and units made before it in ``ctx``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction

from phare.accounts.models import User
from phare.directory.models import Person
from phare.lib.demo import DEMO_PASSWORD, DemoContext

__all__ = ["DEMO_PASSWORD", "DemoContext", "build_demo", "database_is_empty", "demo_steps"]


def demo_steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("phare."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "build"):
            steps.append((config.label, module.build))
    return steps


def database_is_empty() -> bool:
    """No user and no person yet: the demo may be loaded without overwriting anything."""
    return not User.objects.exists() and not Person.objects.exists()


@transaction.atomic
def build_demo(*, seed: int, employees: int, say: Callable[[str], None] = print,
               options: dict[str, Any] | None = None) -> DemoContext:
    """Fill an empty database with the demo organisation; all or nothing."""
    ctx = DemoContext(seed=seed, employees=employees, rng=random.Random(seed), say=say,
                      options=options or {})
    for label, build in demo_steps():
        say(f"demo: {label}…")
        build(ctx)
    return ctx
