"""The audit trail's writes: :func:`record` is the one writer, :func:`purge` the one deleter.

Every app records its actions by calling :func:`record` inside the service that performs them,
so that the entry is written in the same transaction as the action (an action rolled back leaves
no entry). Sign-ins are recorded from Django's and django-axes' signals (:mod:`.signals`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from phare.audit.actions import Action
from phare.audit.middleware import current_request
from phare.audit.models import Entry
from phare.lib.clients import client_ip
from phare.lib.jsontext import loads as json_loads

#: A target given without a model: ``(type, id, label)``, e.g. ``("audit.log", "", "Audit trail")``.
Target = models.Model | tuple[str, object, str] | None

USER_AGENT_LENGTH = Entry._meta.get_field("user_agent").max_length or 400
LABEL_LENGTH = Entry._meta.get_field("target_label").max_length or 300
#: Settings whose values are never written to the trail, only whether they changed: names with
#: these words or endings (URLs may carry a password), except the public address.
SECRET_WORDS = ("SECRET", "PASSWORD")
SECRET_ENDINGS = ("_KEY", "_TOKEN", "_URL")
NOT_SECRET = {"PHARE_BASE_URL"}


def acting_user(request: HttpRequest | None = None) -> Any:
    """The signed-in user of ``request`` (or of the request being answered), else None: the
    actor of a service that is not told who calls it."""
    request = request if request is not None else current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _target(target: Target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:LABEL_LENGTH]
    kind, pk, label = target
    return str(kind), "" if pk is None else str(pk), str(label)[:LABEL_LENGTH]


def _jsonable(details: Mapping[str, Any] | None) -> dict[str, Any]:
    # Dates, decimals, lazy strings and UUIDs become text now, so that what is stored is what
    # the page and the export show.
    return json_loads(DjangoJSONEncoder().encode(dict(details or {})))


def record(
    *, action: Action | str, actor: Any, request: HttpRequest | None = None,
    target: Target = None, details: Mapping[str, Any] | None = None,
) -> Entry:
    """Write one audit entry: ``actor`` (a user, or None for the system or an unknown visitor)
    did ``action`` on ``target``; ``request`` (by default the one being answered) says from
    which address and browser."""
    action = Action(action)
    request = request if request is not None else current_request()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type, target_id, target_label = _target(target)
    entry = Entry(
        action=action.value,
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor.get_username() if actor is not None else "",
        ip=client_ip(request) if request is not None else None,
        user_agent=(str(request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_LENGTH]
                    if request is not None else ""),
        target_type=target_type, target_id=target_id, target_label=target_label,
        details=_jsonable(details),
    )
    entry.full_clean()
    entry.save()
    return entry


def purge_before(now: dt.datetime) -> dt.datetime:
    """Entries older than this are past ``PHARE_AUDIT_RETENTION_DAYS`` and go at the purge."""
    return now - dt.timedelta(days=settings.PHARE_AUDIT_RETENTION_DAYS)


@transaction.atomic
def purge(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Delete the entries past the retention period, and record that it was done.

    The only deleter of the trail. On PostgreSQL the table's trigger refuses every UPDATE and
    every DELETE, except a DELETE of rows older than the time this transaction declared in
    ``phare.audit_purge_before`` (a setting local to the transaction): even this function
    cannot delete a recent entry.
    """
    # Never a time ahead of the clock: a tick run "in the future" deletes nothing recent.
    now = min(now or timezone.now(), timezone.now())
    before = purge_before(now)
    table = connection.ops.quote_name(Entry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('phare.audit_purge_before', %s, true)",
                           [before.isoformat()])
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [before])  # noqa: S608
        deleted = cursor.rowcount
    if deleted:
        record(action=Action.PURGED, actor=None, request=None,
               details={"deleted": deleted, "before": before,
                        "retention_days": settings.PHARE_AUDIT_RETENTION_DAYS})
    return {"deleted": deleted, "before": before.isoformat()}


def _fingerprint(value: Any) -> str:
    # A keyed hash: whether a secret changed shows, the secret itself never does.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value!r}".encode()).hexdigest()
    return f"hidden ({digest[:10]})"


def configuration() -> dict[str, Any]:
    """Phare's settings (every ``PHARE_*``) as JSON-able values, secrets as fingerprints."""
    snapshot: dict[str, Any] = {}
    for name in sorted(dir(settings)):
        if not name.startswith("PHARE_"):
            continue
        value = getattr(settings, name)
        if name not in NOT_SECRET and (any(word in name for word in SECRET_WORDS)
                                       or name.endswith(SECRET_ENDINGS)):
            snapshot[name] = _fingerprint(value)
        elif isinstance(value, (str, int, float, bool)) or value is None:
            snapshot[name] = value
        else:
            snapshot[name] = json_loads(DjangoJSONEncoder().encode(
                list(value) if isinstance(value, (tuple, set, frozenset)) else str(value)))
    return snapshot


@transaction.atomic
def configuration_check(*, actor: Any = None) -> Entry | None:
    """Record the configuration when it differs from the last one recorded (settings come
    from the environment, so a change shows when a process starts with new values): the
    changed names with their old and new values. None when nothing changed."""
    snapshot = configuration()
    last = (Entry.objects.filter(action=Action.CONFIGURATION_CHANGED)
            .order_by("-at", "-id").values_list("details", flat=True).first())
    previous: dict[str, Any] = (last or {}).get("settings", {})
    if previous == snapshot:
        return None
    changed = {name: {"from": previous.get(name), "to": snapshot.get(name)}
               for name in sorted(set(previous) | set(snapshot))
               if previous.get(name) != snapshot.get(name)}
    return record(action=Action.CONFIGURATION_CHANGED, actor=actor,
                  target=("settings", "", "PHARE_*"),
                  details={"first": last is None, "changed": changed, "settings": snapshot})


def tick(now: dt.datetime) -> dict[str, Any]:
    """The periodic step: the configuration checked, the entries past retention purged."""
    changed = configuration_check()
    return {**purge(now=now), "configuration_changed": changed is not None}
