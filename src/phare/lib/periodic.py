"""Work that is due at a time rather than on a click, registered by each app.

An app registers a step in its ``AppConfig.ready()`` with :func:`register`; ``phare worker``
runs :func:`run_due` every ``PHARE_TICK_SECONDS`` and ``phare tick`` runs it once (for cron).
Each step receives the current time and returns what it did (a JSON-able value). Steps are
independent: one that fails is logged and reported, the others still run. That is the whole
failure policy, in one place: :func:`run_due` never raises for a step, so its callers (the
worker's loop, ``phare tick``) wrap it in nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

Step = Callable[[dt.datetime], Any]
_STEPS: dict[str, Step] = {}


def register(name: str, step: Step) -> None:
    """Run ``step(now)`` at every tick, reported under ``name``."""
    _STEPS[name] = step


def steps() -> dict[str, Step]:
    return dict(_STEPS)


def run_due(now: dt.datetime | None = None) -> dict[str, Any]:
    """Run every registered step once: ``{name: result}``, and ``errors`` naming those that
    raised (logged with their traceback, never raised again)."""
    now = now or timezone.now()
    done: dict[str, Any] = {"errors": []}
    for name, step in _STEPS.items():
        try:
            done[name] = step(now)
        except Exception:
            logger.exception("periodic step %s failed", name)
            done["errors"].append(name)
    return done
