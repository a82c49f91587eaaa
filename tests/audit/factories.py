"""Audit test data: entries written through the one writer, or dated in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.audit.services import record


def make_entry(*, action: Action | str = Action.EXPORT, actor: Any = None,
               target: Any = ("catalog.service", 7, "Messaging"),
               details: dict[str, Any] | None = None, at: dt.datetime | None = None) -> Entry:
    """One entry through :func:`record`, or — given ``at`` — one inserted with that time (as
    if :func:`record` had written it then; the trail takes inserts only)."""
    if at is None:
        return record(action=action, actor=actor, target=target, details=details)
    kind, pk, label = target
    return Entry.objects.create(
        at=at, action=Action(action).value, actor_id=actor.pk if actor else None,
        actor_name=actor.username if actor else "", target_type=kind, target_id=str(pk),
        target_label=label, details=details or {})


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
