"""The audit trail's writes: :func:`record` is the one writer, :func:`purge` the one deleter.

Every app records its actions by calling :func:`record` inside the service that performs them,
so that the entry is written in the same transaction as the action (an action rolled back leaves
no entry). Sign-ins are recorded from Django's and django-axes' signals (:mod:`.signals`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.functions import Cast
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


#: Details whose value is a username: the only ones compared whole with ``exact`` below.
USERNAME_KEYS = frozenset({"username", "user", "login"})


def _scrubbed(value: Any, pattern: re.Pattern[str] | None, exact: frozenset[str],
              name: str, *, login: bool = False) -> Any:
    """``value`` (JSON) with its matches of ``pattern`` replaced by ``name``, and, where it
    holds a login (``login``, or a detail named in USERNAME_KEYS), a text equal to one of
    ``exact`` (case-blind)."""
    if isinstance(value, str):
        if login and value.strip().lower() in exact:
            return name
        return pattern.sub(name, value) if pattern is not None else value
    if isinstance(value, list):
        return [_scrubbed(item, pattern, exact, name, login=login) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern, exact, name,
                               login=login or str(key).lower() in USERNAME_KEYS)
                for key, item in value.items()}
    return value


@transaction.atomic
def pseudonymise(*, name: str, actor_id: int | None = None,
                 targets: Sequence[tuple[str, str]] = (), words: Sequence[str] = (),
                 exact: Sequence[str] = ()) -> int:
    """Replace who entries name by ``name``, for an erasure of personal data: the one
    sanctioned change of an entry (the number of entries and what each one records stay).

    Entries acted by ``actor_id`` lose their actor's name, address and browser; entries whose
    target is one of ``targets`` (``(type, id)``) get ``name`` as their label; each of
    ``words`` (names, addresses, an employee id: case-blind, as whole words) found in an
    actor's name, a label or the details is replaced by ``name``, and so is an actor's name or
    a detail named ``username`` (``user``, ``login``) that is exactly one of ``exact``
    (usernames, which may be common words elsewhere). On PostgreSQL the
    trigger lets these updates through only while this transaction declares
    ``phare.audit_pseudonymise``, and only when the entry's id, time, action, actor id and
    target stay as they were. Returns the number of entries changed.
    """
    words = sorted({w for w in (word.strip() for word in words) if len(w) >= 3},
                   key=len, reverse=True)
    exact_set = frozenset(w.strip().lower() for w in exact if w.strip())
    pattern = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                          re.IGNORECASE) if words else None)
    found = models.Q(pk__in=[])
    selection: Any = Entry.objects.annotate(details_text=Cast("details", models.TextField()))
    if actor_id is not None:
        found |= models.Q(actor_id=actor_id)
    for kind, pk in targets:
        found |= models.Q(target_type=kind, target_id=str(pk))
    for word in words:
        escaped = json.dumps(word)[1:-1]  # how an encoder that escapes accents writes it
        found |= (models.Q(actor_name__icontains=word) | models.Q(target_label__icontains=word)
                  | models.Q(details_text__icontains=word)
                  | models.Q(details_text__icontains=escaped))
    for word in exact_set:
        found |= (models.Q(actor_name__iexact=word)
                  | models.Q(details_text__icontains=json.dumps(word)))
    table = connection.ops.quote_name(Entry._meta.db_table)
    details_field = Entry._meta.get_field("details")
    target_keys = {(kind, str(pk)) for kind, pk in targets}
    changed = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('phare.audit_pseudonymise', 'on', true)")
        for entry in list(selection.filter(found).order_by("pk")):
            actor_name, ip, user_agent = entry.actor_name, entry.ip, entry.user_agent
            if actor_id is not None and entry.actor_id == actor_id:
                actor_name, ip, user_agent = name, None, ""
            label = name if (entry.target_type, entry.target_id) in target_keys \
                else entry.target_label
            actor_name = _scrubbed(actor_name, pattern, exact_set, name, login=True)[:150]
            label = _scrubbed(label, pattern, exact_set, name)[:LABEL_LENGTH]
            details = _scrubbed(entry.details, pattern, exact_set, name)
            if (actor_name, ip, user_agent, label, details) == (
                    entry.actor_name, entry.ip, entry.user_agent, entry.target_label,
                    entry.details):
                continue
            cursor.execute(
                f"UPDATE {table} SET actor_name = %s, ip = %s, user_agent = %s, "  # noqa: S608
                "target_label = %s, details = %s WHERE id = %s",
                [actor_name, ip, user_agent, label,
                 details_field.get_db_prep_save(details, connection), entry.pk])
            changed += 1
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('phare.audit_pseudonymise', '', true)")
    return changed


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
