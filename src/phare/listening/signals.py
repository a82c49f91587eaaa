"""Signals of the listening app, for the apps above it.

``answers_changed`` is sent, once the transaction commits, when answers that may already be
released change (``survey_ids``: the surveys concerned): an amended ticket rating today. The
insights app listens to bring its analytical store up to date. A new submission does not send
it: it lands in an open wave or the current month, which dashboards do not show until the wave
closes or the month ends (the worker's tick brings those in).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

answers_changed = Signal()


def send_answers_changed(survey_ids: Iterable[int]) -> None:
    """Send :data:`answers_changed` for these surveys when the current transaction commits."""
    ids = sorted(set(survey_ids))
    transaction.on_commit(lambda: answers_changed.send(sender=None, survey_ids=ids))
