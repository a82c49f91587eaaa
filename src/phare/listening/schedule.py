"""The periodic tick: the listening work that is due at a time rather than on a click.

:func:`tick` closes the waves whose closing day has passed, sends the reminders due, and sends
the ticket surveys due (when that part of Phare is installed). ``phare worker`` runs it every
``PHARE_TICK_SECONDS``; ``phare tick`` runs it once (for cron). Each step is independent: one
failing is logged and reported, the others still run. Running it twice at once sends nothing
twice (see :mod:`.mailing`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from typing import Any

from django.utils import timezone

from phare.listening import mailing, waves

logger = logging.getLogger(__name__)


def _ticket_step() -> Any:
    """``phare.listening.tickets.send_due_ticket_invitations``, or None where it is missing."""
    if importlib.util.find_spec("phare.listening.tickets") is None:
        return None
    return getattr(importlib.import_module("phare.listening.tickets"),
                   "send_due_ticket_invitations", None)


def tick(now: dt.datetime | None = None) -> dict[str, Any]:
    """Run the due work once; what was done, and the steps that failed (``errors``)."""
    now = now or timezone.now()
    done: dict[str, Any] = {"waves_closed": 0, "reminders_sent": 0, "reminders_failed": 0,
                            "ticket_invitations": None, "errors": []}
    try:
        done["waves_closed"] = waves.close_past_waves(now)
    except Exception:
        logger.exception("tick: closing the waves failed")
        done["errors"].append("waves_closed")
    try:
        report = mailing.send_reminders(waves.due_reminders(now), now=now)
        done["reminders_sent"], done["reminders_failed"] = report["sent"], report["failed"]
        if report["stopped"]:
            done["errors"].append("reminders")
    except Exception:
        logger.exception("tick: sending the reminders failed")
        done["errors"].append("reminders")
    try:
        step = _ticket_step()
        if step is not None:
            done["ticket_invitations"] = step(now=now)
    except Exception:
        logger.exception("tick: sending the ticket surveys failed")
        done["errors"].append("ticket_invitations")
    return done
