"""Keeping the analytical store current off the request path, and saying how current it is.

Pages never build the store. They read what is there (:mod:`phare.insights.store`), show the
time it was last checked against the database (:func:`data_time`), and when that is older than
``PHARE_ANALYTICS_MAX_AGE`` seconds — or the store was never built — they ask for a refresh
(:func:`ensure_fresh`). The refresh is a background task run by ``phare worker``
(:func:`phare.insights.tasks.refresh_store`), queued at most once per survey every
``PHARE_ANALYTICS_MAX_AGE`` seconds however many ask: a burst of views, or of amended
answers (:data:`phare.listening.signals.answers_changed`), queues one task. The worker's
periodic tick also checks every store that exists (:func:`tick`): waves that close and months
that end release answers without anyone asking.

With ``PHARE_TASK_BACKEND=immediate`` (tests, tiny installs without a worker) a task runs
inline when queued: the page then waits for the refresh, as there is no one else to do it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from phare.insights import store
from phare.insights.tasks import refresh_store
from phare.listening.models import Survey

_QUEUED = "phare:insights:store-refresh:"


def _inline() -> bool:
    return settings.TASK_BACKEND == "immediate"


def request_refresh(survey_id: int) -> bool:
    """Queue a refresh of the survey's store unless one was queued in the last
    ``PHARE_ANALYTICS_MAX_AGE`` seconds; True when this call queued it."""
    if _inline():
        refresh_store.call(survey_id)
        return True
    window = max(settings.PHARE_ANALYTICS_MAX_AGE, 1)
    if not cache.add(f"{_QUEUED}{survey_id}", 1, timeout=window):
        return False
    transaction.on_commit(lambda: refresh_store.enqueue(survey_id))
    return True


def answers_changed(sender: object, *, survey_ids: Sequence[int], **kwargs: Any) -> None:
    """Receiver of :data:`phare.listening.signals.answers_changed`: a refresh of each store
    that exists (a store nobody has read is built when someone first does)."""
    for survey in Survey.objects.filter(pk__in=survey_ids):
        if store.checked_at(survey) is not None:
            request_refresh(survey.pk)


def ensure_fresh(surveys: Sequence[Survey]) -> None:
    """Ask for a refresh of each store checked more than ``PHARE_ANALYTICS_MAX_AGE`` seconds
    ago, or never built; the caller goes on with what the store holds now."""
    now = time.time()
    for survey in surveys:
        checked = store.checked_at(survey)
        if checked is None or now - checked >= settings.PHARE_ANALYTICS_MAX_AGE:
            request_refresh(survey.pk)


def data_time(surveys: Sequence[Survey]) -> dt.datetime | None:
    """When the figures of these surveys were last brought up to date (the oldest of their
    stores), or None when one of them was never built (its figures are being prepared)."""
    times = [store.checked_at(survey) for survey in surveys]
    if not times or any(t is None for t in times):
        return None
    return dt.datetime.fromtimestamp(min(t for t in times if t is not None), tz=dt.UTC)


def tick(now: dt.datetime) -> dict[str, Any]:
    """The periodic step: bring every existing store up to date (new waves closed, months
    over); surveys never viewed have no store and are left alone."""
    del now  # what is released is decided by the store itself, from today's date
    rebuilt = 0
    for survey in Survey.objects.order_by("pk"):
        if store.checked_at(survey) is not None:
            rebuilt += store.refresh(survey)["rebuilt"]
    return {"rebuilt": rebuilt}
