"""The listening work due at a time rather than on a click: two periodic steps.

:func:`close_waves` closes the waves whose closing day has passed and :func:`send_reminders`
sends the reminders due. ``apps.py`` registers each with :func:`phare.lib.periodic.register`
(``listening.waves`` before ``listening.reminders``: a wave closed at a tick reminds nobody at
that tick), so that they follow its one failure policy: a step that raises is logged and
reported, the other still runs. Running them twice at once sends nothing twice (see
:mod:`.mailing`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from phare.listening import mailing, queries, services

logger = logging.getLogger(__name__)


def close_waves(now: dt.datetime) -> int:
    """Close the waves whose closing day has passed before ``now``; how many."""
    return services.close_past_waves(now)


def send_reminders(now: dt.datetime) -> dict[str, Any]:
    """Send the reminders due at ``now``: ``sent``, ``failed`` and ``stopped`` (the mail server
    looked down, the run stopped: what was not sent waits for the next tick)."""
    report = mailing.send_reminders(queries.due_reminders(now), now=now)
    if report["stopped"]:
        logger.error("reminders: the mail server looks down after %d sent and %d failed; the "
                     "others wait for the next tick", report["sent"], report["failed"])
    return report
