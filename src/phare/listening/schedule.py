"""The periodic tick: the listening work that is due at a time rather than on a click.

:func:`tick` closes the waves whose closing day has passed and sends the reminders due.
``phare worker`` runs it every ``PHARE_TICK_SECONDS``; ``phare tick`` runs it once (for cron).
Each step is independent: one failing is logged and reported, the other still runs. Running it
twice at once sends nothing twice (see :mod:`.mailing`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from phare.listening import mailing, queries, services

logger = logging.getLogger(__name__)


def tick(now: dt.datetime | None = None) -> dict[str, Any]:
    """Run the due work once; what was done, and the steps that failed (``errors``)."""
    now = now or timezone.now()
    done: dict[str, Any] = {"waves_closed": 0, "reminders_sent": 0, "reminders_failed": 0,
                            "errors": []}
    try:
        done["waves_closed"] = services.close_past_waves(now)
    except Exception:
        logger.exception("tick: closing the waves failed")
        done["errors"].append("waves_closed")
    try:
        report = mailing.send_reminders(queries.due_reminders(now), now=now)
        done["reminders_sent"], done["reminders_failed"] = report["sent"], report["failed"]
        if report["stopped"]:
            done["errors"].append("reminders")
    except Exception:
        logger.exception("tick: sending the reminders failed")
        done["errors"].append("reminders")
    return done
