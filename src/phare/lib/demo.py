"""The demo organisation's shared pieces: each app's ``demo.build(ctx)`` receives a DemoContext.

``phare demo`` (``core/demo.py``) calls the apps' builders in ``INSTALLED_APPS`` order inside one
transaction, so a later module (catalogue, listening…) finds in ``ctx`` what earlier ones made.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "phare-demo"


@dataclass
class DemoContext:
    """What a demo step needs: the seed's random generator, the size, what earlier steps made."""

    seed: int
    employees: int
    rng: random.Random
    say: Callable[[str], None] = print
    #: Sizes of later modules' demo data (e.g. ``{"services": 5000}``); absent means default.
    options: dict[str, Any] = field(default_factory=dict)
    #: Objects earlier steps publish for later ones, e.g. ``ctx.shared["people"]``.
    shared: dict[str, Any] = field(default_factory=dict)
