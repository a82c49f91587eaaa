"""The listening work due at a time rather than on a click: two periodic steps.

:func:`close_waves` closes the waves whose closing day has passed and :func:`send_reminders`
sends the reminders due. ``apps.py`` registers each with :func:`phare.lib.periodic.register`
(``listening.waves`` before ``listening.reminders``: a wave closed at a tick reminds nobody at
that tick), so that they follow its one failure policy: a step that raises is logged and
reported, the other still runs. Running them twice at once sends nothing twice (see
:mod:`.mailing`). Reminders ask the one contact-pressure budget (:mod:`phare.contact`): one it
refuses now (an opt-out of surveys, a quiet period, a spent budget) is held, reported in
``held``, and tried again at each later tick while the wave is open.
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
    """Send the reminders due at ``now``: ``sent``, ``failed``, ``stopped`` (the mail server
    looked down, the run stopped: what was not sent waits for the next tick) and ``held`` by
    reason (:data:`phare.listening.pressure.REASONS`: those the contact-pressure budget refuses
    now; their reminder stays due and is tried again at the next tick, until the wave closes)."""
    report = mailing.send_reminders(queries.due_reminders(now), now=now)
    if any(report["held"].values()):
        logger.info("reminders: %d sent; held back by contact pressure until a later tick: %s",
                    report["sent"], ", ".join(f"{reason} {n}" for reason, n
                                              in report["held"].items() if n))
    if report["stopped"]:
        logger.error("reminders: the mail server looks down after %d sent and %d failed; the "
                     "others wait for the next tick", report["sent"], report["failed"])
    return report
