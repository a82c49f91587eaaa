"""Sending an approved action: its deliveries, its emails through lib.mail in a background job
(``comms.send``), its Teams or Slack post, the publication of what has nothing to send, the
test email to oneself, and the actions due at their time (:func:`send_due`).

A send is a job that may be run again: its first run draws the audience once (one
:class:`~phare.comms.models.Delivery` per person, the control group held out at random, the
same draw each time), and every run sends only the deliveries still ``queued``. A delivery is
``sending`` from just before its email goes to just after; a run that finds one left so (a
crash in between) marks it ``uncertain`` and never sends it again. Each email is claimed in
the contact-pressure ledger first (``contact.services.claim``): who is refused is skipped with
the reason; an email refused or failed gives its claim back. When the mail server looks down
(:class:`~phare.lib.mail.MailServerDown`) the run stops and what was not sent stays queued.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.roles import Role
from phare.audit.actions import Action as AuditAction
from phare.audit.services import record as audit_record
from phare.comms import audiences, emails, webhooks
from phare.comms.models import Action, ActionChange, Delivery
from phare.comms.services import tracking
from phare.contact import services as contact_services
from phare.directory.models import Person
from phare.jobs.models import Job
from phare.jobs.services import job_start
from phare.lib import mail

SEND = "comms.send"
#: The contact-pressure ledger's name for an action's emails (its reference: the action's id).
SOURCE = "comms.action"
CHUNK = 500
LOOKUP = 5000
#: Channels that send one email per person; a webhook posts once; the others publish.
EMAIL_CHANNELS = frozenset({Action.Channel.EMAIL, Action.Channel.EVENT})
PUBLISHED_CHANNELS = frozenset({Action.Channel.PORTAL, Action.Channel.PRINT})

Progress = Callable[[int, int, str], None]


class SendRefused(Exception):
    """An action that cannot be sent (or published, or tested) now, and why in words."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


def _move(action: Action, to: str, *, user: Any = None, comment: str = "",
          **fields: Any) -> None:
    """Change ``action``'s status (and ``fields``) and record the step on its history."""
    before = action.status
    action.status = to
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=["status", "updated_at", *fields])
    ActionChange.objects.create(action=action, from_status=before, to_status=to,
                                comment=comment[:2000], by=user)


def _note(action: Action, comment: str, *, user: Any = None) -> None:
    """Record ``comment`` on the action's history (its status unchanged)."""
    ActionChange.objects.create(action=action, from_status=action.status,
                                to_status=action.status, comment=comment[:2000], by=user)


def _running_job(action: Action) -> Job | None:
    return (Job.objects.filter(kind=SEND, params__action_id=action.pk,
                               status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first())


def _check_sendable(action: Action) -> None:
    if action.channel in PUBLISHED_CHANNELS:
        raise SendRefused(_("Portal news and printed material have nothing to send: publish "
                            "them."), "channel")
    if action.channel == Action.Channel.WEBHOOK and action.webhook_id is None:
        raise SendRefused(_("webhook: choose the Teams or Slack channel to post to."), "webhook")
    if action.channel in EMAIL_CHANNELS:
        if not in_any_language(action, "subject"):
            raise SendRefused(_("subject: the email needs a subject."), "subject_fr")
        if action.everyone and (action.approved_by is None
                                or action.approved_by.role != Role.EXECUTIVE):
            raise SendRefused(_("An email to everyone needs an executive's approval before it "
                                "is sent."), "approved_by")
        if not action.everyone and action.audience_id is None:
            raise SendRefused(_("audience: choose who receives the email (or everyone)."),
                              "audience")


def in_any_language(action: Action, field: str) -> bool:
    return any(getattr(action, f"{field}_{code}", "") for code in ("fr", "en"))


def send_start(*, action: Action, user: Any) -> Job:
    """Start sending the approved ``action`` (its status becomes ``sending``) in a background
    job; an action left ``sending`` by an interrupted job is taken up again."""
    with transaction.atomic():
        action = Action.objects.select_for_update(of=("self",)).select_related("approved_by").get(
            pk=action.pk)
        if action.status == Action.Status.SENDING:
            if _running_job(action) is not None:
                raise SendRefused(_("This action is already being sent."), "status")
        elif action.status != Action.Status.APPROVED:
            raise SendRefused(_("Only an approved action can be sent (this one is “%(status)s”).")
                              % {"status": action.get_status_display()}, "status")
        _check_sendable(action)
        if action.status == Action.Status.APPROVED:
            _move(action, Action.Status.SENDING, user=user)
        job = job_start(kind=SEND, title=_("Sending: %(title)s") % {"title": action.title},
                        user=user, params={"action_id": action.pk})
        audit_record(action=AuditAction.SENDING, actor=user, target=action,
                     details={"channel": action.channel, "job": job.pk})
        return job


@transaction.atomic
def publish(*, action: Action, user: Any, now: dt.datetime | None = None) -> Action:
    """Publish approved portal news or printed material: nothing to send, the action is
    done."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.channel not in PUBLISHED_CHANNELS:
        raise SendRefused(_("Only portal news and printed material are published; this action "
                            "is sent."), "channel")
    if action.status != Action.Status.APPROVED:
        raise SendRefused(_("Only an approved action can be published (this one is "
                            "“%(status)s”).") % {"status": action.get_status_display()},
                          "status")
    _move(action, Action.Status.DONE, user=user, sent_at=now or timezone.now())
    audit_record(action=AuditAction.PUBLICATION, actor=user, target=action,
                 details={"channel": action.channel})
    return action


def deliver_test(*, action: Action, user: Any, language: str) -> mail.Outcome:
    """Email the action as written to ``user``'s own address, its subject marked [TEST]:
    no delivery, no claim, no link counted."""
    if language not in ("fr", "en"):
        raise SendRefused(_("language: choose French or English."), "language")
    if action.channel not in EMAIL_CHANNELS:
        raise SendRefused(_("Only emails and event invitations can be tested by email."),
                          "channel")
    person: Person | None = getattr(user, "person", None)
    address = (getattr(user, "email", "") or (person.email if person else "")).strip()
    if not address:
        raise SendRefused(_("Your account has no email address to send the test to."),
                          "email")
    message = emails.Composer(action, test=True).test_message(to=address, language=language,
                                                               person=person)
    try:
        [outcome] = mail.send_batch([message])
    except mail.MailServerDown as exc:
        outcome = exc.outcomes[-1]
    if not outcome.sent:
        raise SendRefused(_("The test email was not sent: %(error)s") % {"error": outcome.error},
                          "email")
    return outcome


def send_due(now: dt.datetime | None = None) -> list[Action]:
    """Start every approved action whose ``send_at`` has come (portal news and printed
    material are published); an action already sending is not started again."""
    now = now or timezone.now()
    started: list[Action] = []
    due = (Action.objects.filter(status=Action.Status.APPROVED, send_at__lte=now)
           .order_by("send_at", "pk"))
    for action in due:
        try:
            if action.channel in PUBLISHED_CHANNELS:
                publish(action=action, user=None, now=now)
            else:
                send_start(action=action, user=None)
        except SendRefused as exc:
            note = _("Not sent at its time: %(reason)s") % {"reason": exc.message}
            with transaction.atomic():
                locked = Action.objects.select_for_update().get(pk=action.pk)
                if locked.status == Action.Status.APPROVED and not locked.history.filter(
                        comment=note, at__gte=timezone.now() - dt.timedelta(days=1)).exists():
                    _note(locked, note)  # said once a day, not at every tick
            continue
        action.refresh_from_db()
        started.append(action)
    return started


def send_due_step(now: dt.datetime) -> dict[str, Any]:
    """:func:`send_due` as a periodic step (``lib.periodic``): the actions started."""
    return {"started": [action.pk for action in send_due(now)]}


# --- The job ----------------------------------------------------------------------------------

def _draw(action: Action) -> None:
    """The first run's audience: one delivery per person, the control group held out."""
    members = sorted(set(audiences.action_members(action)))
    people: dict[int, str] = {}
    emails_of: dict[int, str] = {}
    for start in range(0, len(members), LOOKUP):  # an IN (…) of bounded size (SQLite's limit)
        for pk, language, email in Person.objects.filter(
                pk__in=members[start:start + LOOKUP]).values_list("pk", "language", "email"):
            people[pk], emails_of[pk] = language, email
    held = round(len(members) * action.holdout_percent / 100)
    # The same draw every time for the same action (and its audience).
    control = set(random.Random(action.pk).sample(members, held)) if held else set()
    languages = [code for code in (action.languages or []) if code in ("fr", "en")]
    first = languages[0] if languages else "fr"
    rows = []
    for person_id in members:
        if person_id not in people:
            continue
        language = people[person_id] if people[person_id] in languages else first
        if person_id in control:
            rows.append(Delivery(action=action, person_id=person_id, language=language,
                                 group=Delivery.Group.CONTROL, status=Delivery.Status.NONE))
        elif not (emails_of.get(person_id) or "").strip():
            rows.append(Delivery(action=action, person_id=person_id, language=language,
                                 group=Delivery.Group.SKIPPED, reason="no_email",
                                 status=Delivery.Status.NONE))
        else:
            rows.append(Delivery(action=action, person_id=person_id, language=language,
                                 group=Delivery.Group.REACHED))
    for start in range(0, len(rows), CHUNK):
        # Unique per action and person: a row drawn twice stays one.
        Delivery.objects.bulk_create(rows[start:start + CHUNK], ignore_conflicts=True)


def _prepare(action_id: int) -> Action:
    """Draw the deliveries on the first run; mark those left ``sending`` ``uncertain``."""
    try:
        with transaction.atomic():
            action = Action.objects.select_for_update().get(pk=action_id)
            if action.channel in EMAIL_CHANNELS and not action.deliveries.exists():
                _draw(action)
            Delivery.objects.filter(action=action, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.UNCERTAIN,
                error=_("Interrupted while sending: not sent again."))
    except audiences.AudienceInvalid as exc:
        error = _("The audience is no longer valid (%(details)s): nothing was sent.") % {
            "details": "; ".join(f"{name}: {reason}" for name, reason in exc.details)}
        with transaction.atomic():
            # Sent to nobody: the action waits, approved, for its audience to be mended.
            action = Action.objects.select_for_update().get(pk=action_id)
            if action.status == Action.Status.SENDING:
                _move(action, Action.Status.APPROVED, comment=error)
        raise SendRefused(error, "audience") from None
    return action


def _skip(reasons: dict[int, str]) -> None:
    """Skip the queued deliveries ``{delivery id: reason}``."""
    by_reason: dict[str, list[int]] = {}
    for delivery_id, reason in reasons.items():
        by_reason.setdefault(reason[:20], []).append(delivery_id)
    for reason, ids in by_reason.items():
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            group=Delivery.Group.SKIPPED, reason=reason, status=Delivery.Status.NONE)


def _claim_chunk(action: Action, chunk: list[Delivery]) -> list[Delivery]:
    """Skip the suppressed addresses and those the pressure policy refuses; the rest, each
    claimed in the ledger."""
    gone = tracking.suppressed([d.person.email for d in chunk])
    reasons = {d.pk: "suppressed" for d in chunk if d.person.email.strip().lower() in gone}
    asking = [d for d in chunk if d.pk not in reasons]
    refused = contact_services.claim(person_ids=[d.person_id for d in asking],
                                     category=action.category, mandatory=action.mandatory,
                                     source=SOURCE, reference=str(action.pk)) if asking else {}
    reasons.update({d.pk: refused[d.person_id] for d in asking if d.person_id in refused})
    _skip(reasons)
    return [d for d in chunk if d.pk not in reasons]


def _give_back(action: Action, delivery: Delivery) -> None:
    contact_services.unclaim(person_id=delivery.person_id, source=SOURCE,
                             reference=str(action.pk))


def report(action: Action) -> dict[str, int]:
    """The action's deliveries so far: sent, skipped, refused, failed, uncertain, queued and
    control."""
    counts = action.deliveries.aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        skipped=Count("pk", filter=Q(group=Delivery.Group.SKIPPED)),
        refused=Count("pk", filter=Q(status=Delivery.Status.REFUSED)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        uncertain=Count("pk", filter=Q(status=Delivery.Status.UNCERTAIN)),
        queued=Count("pk", filter=Q(group=Delivery.Group.REACHED,
                                    status=Delivery.Status.QUEUED)),
        control=Count("pk", filter=Q(group=Delivery.Group.CONTROL)),
    )
    return {key: value or 0 for key, value in counts.items()}


def _send_emails(action: Action, progress: Progress, now: dt.datetime) -> bool:
    """Send every queued delivery; False when the mail server looked down (run stopped)."""
    pending = list(action.deliveries.filter(group=Delivery.Group.REACHED,
                                            status=Delivery.Status.QUEUED)
                   .order_by("pk").values_list("pk", flat=True))
    total, done = len(pending), 0
    composer = emails.Composer(action, link_ids=lambda urls: tracking.link_ids(action=action,
                                                                                urls=urls))
    progress(0, total, "")
    streak: list[Delivery] = []  # failed in a row: given back when the server is down
    with mail.Batch() as batch:
        for start in range(0, total, CHUNK):
            chunk = list(Delivery.objects.filter(pk__in=pending[start:start + CHUNK],
                                                 status=Delivery.Status.QUEUED)
                         .select_related("person__business_unit").order_by("pk"))
            claimed = _claim_chunk(action, chunk)
            for position, delivery in enumerate(claimed):
                # A twin run that took it first sends it; this one leaves it.
                if not _take(delivery.pk):
                    continue
                try:
                    outcome = batch.send(composer.message(delivery, delivery.person))
                except mail.MailServerDown:
                    # The server, not these addresses: they stay queued for the next run.
                    Delivery.objects.filter(pk__in=[d.pk for d in [*streak, delivery]]).update(
                        status=Delivery.Status.QUEUED, error="")
                    for unsent in [*streak, *claimed[position:]]:
                        _give_back(action, unsent)
                    return False
                _record(action, delivery, outcome, now)
                streak = [*streak, delivery] if outcome.status == mail.Status.FAILED else []
            done = min(total, start + CHUNK)
            progress(done, total, _("%(done)s of %(total)s") % {"done": done, "total": total})
    return True


# The two writes made for every email, as plain SQL: the ORM would build the same UPDATE again
# for each email (about 0.3 ms of Python each, more than the database's own work on SQLite).

@functools.cache
def _update_sql(assignments: tuple[str, ...], conditions: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = {field.name: quote(str(field.column)) for field in Delivery._meta.concrete_fields}
    return (f"UPDATE {quote(Delivery._meta.db_table)} SET "
            + ", ".join(f"{columns[name]} = %s" for name in assignments)
            + " WHERE " + " AND ".join(f"{columns[name]} = %s" for name in conditions))


def _take(delivery_id: int) -> bool:
    """Mark the queued delivery ``sending`` just before its email goes; False when it is no
    longer queued (a twin run took it first)."""
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(("status",), ("id", "status")),
                       [Delivery.Status.SENDING.value, delivery_id,
                        Delivery.Status.QUEUED.value])
        return cursor.rowcount > 0


def _sent(delivery_id: int) -> None:
    """Mark the delivery ``sent``, now, without error.

    On PostgreSQL its commit does not wait for the disk (``synchronous_commit`` off for this
    transaction only): a crash of the database server may lose the last such marks, which
    leaves those deliveries ``sending`` — ``uncertain`` at the next run, never sent again —
    and saves a disk flush per email. The ``sending`` mark before each email stays durable.
    """
    sql = _update_sql(("status", "sent_at", "error"), ("id",))
    sent_at = Delivery._meta.get_field("sent_at").get_db_prep_value(timezone.now(), connection)
    params = [Delivery.Status.SENT.value, sent_at, "", delivery_id]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, params)


def _record(action: Action, delivery: Delivery, outcome: mail.Outcome,
            now: dt.datetime) -> None:
    if outcome.sent:
        _sent(delivery.pk)
        return
    status = (Delivery.Status.REFUSED if outcome.status == mail.Status.REFUSED
              else Delivery.Status.FAILED)
    Delivery.objects.filter(pk=delivery.pk).update(status=status, error=outcome.error[:300])
    _give_back(action, delivery)
    if status == Delivery.Status.REFUSED:
        tracking.record_refusal(email=delivery.person.email, error=outcome.error, now=now)


def _finish(action: Action, now: dt.datetime) -> None:
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status == Action.Status.SENDING:
            _move(locked, Action.Status.DONE, sent_at=now)


def _post(action: Action, now: dt.datetime) -> dict[str, Any]:
    """The webhook's one post: claimed by the status (``sending`` → ``done``) before it goes;
    when it fails, the action is ``approved`` again with the error on its history."""
    if not Action.objects.filter(pk=action.pk, status=Action.Status.SENDING).update(
            status=Action.Status.DONE, sent_at=now):
        return {"posted": 0}  # a twin run posted it
    posted = webhooks.post(action)
    with transaction.atomic():
        if posted.ok:
            ActionChange.objects.create(action=action, from_status=Action.Status.SENDING,
                                        to_status=Action.Status.DONE)
            return {"posted": 1}
        Action.objects.filter(pk=action.pk).update(status=Action.Status.APPROVED, sent_at=None,
                                                   updated_at=timezone.now())
        ActionChange.objects.create(action=action, from_status=Action.Status.SENDING,
                                    to_status=Action.Status.APPROVED, comment=posted.error)
    raise SendRefused(posted.error, "webhook")


def send_action(action_id: int, progress: Progress | None = None, *,
                now: dt.datetime | None = None) -> dict[str, Any]:
    """The job's work: send what is left of action ``action_id``. Its report: ``sent``,
    ``skipped``, ``refused``, ``failed``, ``uncertain``, ``control``, ``queued`` and ``stopped``
    (the mail server looked down); a webhook's: ``posted``."""
    progress = progress or _quiet
    now = now or timezone.now()
    action = Action.objects.select_related("webhook").filter(pk=action_id).first()
    if action is None:
        raise SendRefused(_("This action no longer exists."), "action")
    if action.status == Action.Status.DONE:
        return {**report(action), "stopped": False}
    if action.status != Action.Status.SENDING:
        raise SendRefused(_("This action is “%(status)s”: it is not being sent.")
                          % {"status": action.get_status_display()}, "status")
    if action.channel == Action.Channel.WEBHOOK:
        return _post(action, now)
    if action.channel not in EMAIL_CHANNELS:
        raise SendRefused(_("Portal news and printed material have nothing to send: publish "
                            "them."), "channel")
    action = _prepare(action.pk)
    finished = _send_emails(action, progress, now)
    if finished:
        _finish(action, now)
    return {**report(action), "stopped": not finished}
