"""Retention periods: data older than its kind's period removed by the periodic tick, once a
day, each run reported (a :class:`~phare.privacy.models.RetentionRun` and an audit entry).

The kinds and their settings (days; 0 keeps everything):

- survey responses (``PHARE_RETENTION_RESPONSES_DAYS``), by the day they were answered;
- ticket records (``PHARE_RETENTION_TICKETS_DAYS``), by their resolution;
- raw usage events (``PHARE_USAGE_RETENTION_DAYS``, the usage app's own period): months past
  it folded into aggregates that name no one (``usage.services.apply_retention``);
- emails sent (``PHARE_RETENTION_EMAILS_DAYS``): the outcome of each email and the need news
  already sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phare.audit import services as audit
from phare.audit.actions import Action
from phare.core.models import SentMail
from phare.listening.models import Response
from phare.needs.models import Notification
from phare.privacy.models import RetentionRun
from phare.tickets.models import Ticket
from phare.usage.services import apply_retention as usage_retention

#: The tick runs often; retention runs once within this time.
EVERY = dt.timedelta(hours=23)


def periods() -> dict[str, int]:
    """The periods in force, by kind (days; 0 keeps everything)."""
    return {"responses": settings.PHARE_RETENTION_RESPONSES_DAYS,
            "tickets": settings.PHARE_RETENTION_TICKETS_DAYS,
            "usage": settings.PHARE_USAGE_RETENTION_DAYS,
            "emails": settings.PHARE_RETENTION_EMAILS_DAYS}


def _deleted(queryset: Any) -> int:
    count = queryset.count()
    if count:
        queryset.delete()
    return count


@transaction.atomic
def apply(*, now: dt.datetime | None = None) -> RetentionRun:
    """Remove what is past its period, record the run and audit it (with the counts)."""
    now = min(now or timezone.now(), timezone.now())
    today = timezone.localdate(now)
    days = periods()
    removed: dict[str, int] = {"responses": 0, "tickets": 0, "usage_files": 0, "emails": 0,
                               "need_news": 0}
    if days["responses"]:
        removed["responses"] = _deleted(Response.objects.filter(
            submitted_on__lt=today - dt.timedelta(days=days["responses"])))
    if days["tickets"]:
        removed["tickets"] = _deleted(Ticket.objects.filter(
            resolved_at__lt=now - dt.timedelta(days=days["tickets"])))
    if days["emails"]:
        cutoff = now - dt.timedelta(days=days["emails"])
        removed["emails"] = _deleted(SentMail.objects.filter(at__lt=cutoff))
        removed["need_news"] = _deleted(Notification.objects.filter(sent_at__lt=cutoff))
    removed["usage_files"] = usage_retention(today=today)
    run = RetentionRun(at=now, periods=days, removed=removed)
    run.full_clean()
    run.save()
    audit.record(action=Action.RETENTION, actor=None, request=None,
                 target=("privacy.retention", run.pk, "Retention"),
                 details={"periods": days, "removed": removed})
    return run


def step(now: dt.datetime) -> dict[str, Any] | None:
    """The periodic step: :func:`apply` when the last run is a day old (None otherwise)."""
    last = RetentionRun.objects.order_by("-at").values_list("at", flat=True).first()
    if last is not None and now - last < EVERY:
        return None
    run = apply(now=now)
    return {"run": run.pk, **run.removed}
