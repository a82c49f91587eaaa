"""Writes of ticket feedback: the standard ticket survey, intake of closed tickets (sampling,
fatigue and pressure rules), the invitation emails, the rating and its follow-ups, the import of
ITSM exports.

A ticket's survey decision is taken once, when the ITSM first reports it, in this order: no open
ticket survey, unknown requester, not in the sample (a hash of the ticket id, so a re-run decides
the same), surveyed recently (fatigue), opted out or contact limit
(:mod:`phare.listening.pressure`); otherwise the ticket waits until
``resolved_at + send_delay_minutes`` and :func:`send_due_ticket_invitations` sends it, checking
pressure and fatigue again.

A quiet period only postpones: a ticket whose requester one holds back stays pending until the
day after it ends (periods that follow each other day after day count as one), if that day is
within the ticket's rating window (:data:`RATING_DAYS` after it was due); otherwise it is not
surveyed (``quiet_period``). Sending locks the requester's row as every sender does
(:func:`phare.contact.services.lock_people`): a campaign's claim and the invitation never both
take a person's last place in the contact budget.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import record
from phare.catalog.models import Service
from phare.contact.services import lock_people
from phare.directory.models import Person
from phare.jobs.models import Job
from phare.jobs.services import Progress, job_start
from phare.lib import mail
from phare.lib.imports import RowError
from phare.listening import pressure, services
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import Invitation, Response, Survey
from phare.listening.queries import version_questions
from phare.listening.signals import send_answers_changed
from phare.tickets import emails, imports, queries
from phare.tickets.intake import CheckedTicket, TicketErrors, chunks, tickets_check
from phare.tickets.models import ServiceAlias, Ticket, TicketMapping, TicketUpload
from phare.tickets.questionnaire import BANDS, LOST_TIME, RATING, REASON_TEXTS, REASONS

logger = logging.getLogger(__name__)

ALREADY_RECEIVED = "already_received"

#: A ticket's rating window: its requester is asked within this many days of the moment the
#: invitation was due (resolution + the survey's delay). A quiet period that ends within it
#: postpones the invitation to the day after; one that outlasts it means no invitation (asked
#: later, the requester would rate a ticket they hardly remember).
RATING_DAYS = 14

# --- the standard ticket survey ---------------------------------------------------------------

@transaction.atomic
def ticket_survey_create(*, slug: str = "ticket-feedback",
                         title_fr: str = "Votre avis sur votre demande informatique",
                         title_en: str = "Your feedback on your IT request",
                         created_by: Any = None) -> Survey:
    """The standard ticket survey (a draft): the 0–10 rating, reasons by band, lost time and a
    comment. Its lists are edited like any survey's questions."""
    survey = services.survey_create(
        slug=slug, kind=Survey.Kind.TRANSACTIONAL, title_fr=title_fr, title_en=title_en,
        anonymity=Survey.Anonymity.CONFIDENTIAL, created_by=created_by,
        thanks_fr="Merci ! Vos réponses aident le support informatique à s'améliorer.",
        thanks_en="Thank you! Your answers help the IT support team improve.")
    add = services.question_add
    add(survey, code=RATING, type="nps", required=True,
        text_fr="Comment évaluez-vous la résolution de votre demande ?",
        text_en="How would you rate how your request was resolved?",
        label_min_fr="Très insatisfait", label_min_en="Very dissatisfied",
        label_max_fr="Très satisfait", label_max_en="Very satisfied")
    for band, low, high in BANDS:
        text_fr, text_en = REASON_TEXTS[band]
        add(survey, code=f"reasons_{band}", type="multiple", options=REASONS[band],
            text_fr=text_fr, text_en=text_en,
            condition={"question": RATING, "op": "between", "min": low, "max": high})
    add(survey, code="lost_time", type="single", options=LOST_TIME,
        text_fr="Combien de temps de travail avez-vous perdu ?",
        text_en="How much work time did you lose?")
    add(survey, code="comment", type="text", text_fr="Un commentaire ?",
        text_en="Anything else to tell us?")
    return survey


def _new_slug() -> str:
    # Not "tickets": that word is the management page's own address under /surveys/.
    slug, n = "ticket-feedback", 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"ticket-feedback-{n}"
    return slug


@transaction.atomic
def ticket_survey_start(*, created_by: Any = None) -> Survey:
    """The standard ticket survey, made and opened at once: closed tickets are surveyed from
    now on (the management page's first step)."""
    survey = ticket_survey_create(slug=_new_slug(), created_by=created_by)
    return services.survey_set_status(survey, Survey.Status.OPEN)


# --- intake -----------------------------------------------------------------------------------

@dataclass
class ReceiveResult:
    """What :func:`tickets_receive` decided, ticket by ticket, in the order received."""

    outcomes: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        by = Counter(o["decision"] for o in self.outcomes)
        return {
            "received": sum(n for d, n in by.items() if d != ALREADY_RECEIVED),
            "already_received": by[ALREADY_RECEIVED],
            "invited_later": by[Ticket.Decision.PENDING],
            **{d.value: by[d] for d in (Ticket.Decision.NOT_SAMPLED, Ticket.Decision.FATIGUE,
                                  Ticket.Decision.NO_REQUESTER, Ticket.Decision.OPTED_OUT,
                                  Ticket.Decision.QUIET_PERIOD, Ticket.Decision.CONTACT_CAP,
                                  Ticket.Decision.NO_SURVEY)},
        }


def ticket_sampled(external_id: str, percent: int) -> bool:
    """Whether a ticket is in a ``percent`` % sample: the same answer every time it is asked."""
    digest = hashlib.sha256(external_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000 < percent * 100


def _busy_requesters(person_ids: Iterable[int], survey: Survey,
                     now: dt.datetime) -> set[int]:
    """Those who received a ticket invitation within the fatigue window, or will soon."""
    ids = set(person_ids)
    if not survey.fatigue_days or not ids:
        return set()
    since = now - dt.timedelta(days=survey.fatigue_days)
    busy: set[int] = set()
    for chunk in chunks(ids):
        busy.update(Invitation.objects.filter(
            person_id__in=chunk, ticket__isnull=False, created_at__gte=since,
        ).values_list("person_id", flat=True))
        busy.update(Ticket.objects.filter(
            requester_id__in=chunk, decision=Ticket.Decision.PENDING,
        ).values_list("requester_id", flat=True))
    return busy


def tickets_receive(rows: Sequence[Mapping[str, Any]], *,
                    now: dt.datetime | None = None) -> ReceiveResult:
    """Record closed tickets and decide for each whether and when its requester is surveyed.

    All or nothing: raises :class:`TicketErrors` listing every error. A ticket id received
    before is left as it was (reported as ``already_received``): re-delivery is harmless.
    """
    checked, errors = tickets_check(rows)
    if errors:
        raise TicketErrors(errors)
    now = now or timezone.now()
    try:
        return _record(checked, now)
    except IntegrityError:
        # A concurrent delivery recorded some of these tickets first: they are now known.
        return _record(checked, now)


@transaction.atomic
def _record(checked: list[CheckedTicket], now: dt.datetime) -> ReceiveResult:
    known = {external_id for chunk in chunks([t.external_id for t in checked])
             for external_id in Ticket.objects.filter(external_id__in=chunk)
             .values_list("external_id", flat=True)}
    new = [t for t in checked if t.external_id not in known]
    survey = queries.active_ticket_survey()
    people = {t.person.pk for t in new if t.person is not None}
    refused = pressure.refusals(people, now=now) if survey and people else {}
    held = _quiet_until([pk for pk, reason in refused.items()
                         if reason == pressure.QUIET_PERIOD], now)
    busy = _busy_requesters(people, survey, now) if survey else set()
    result = ReceiveResult()
    tickets = []
    for item in checked:
        if item.external_id in known:
            result.outcomes.append({"external_id": item.external_id,
                                    "decision": ALREADY_RECEIVED, "send_after": None})
            continue
        decision, send_after = _decide(item, survey, refused, held, busy)
        tickets.append(Ticket(
            external_id=item.external_id, subject=item.subject, service=item.service,
            service_label=item.service_label, category=item.category,
            channel=item.channel, opened_at=item.opened_at, resolved_at=item.resolved_at,
            assignment_group=item.assignment_group,
            reassignment_count=item.reassignment_count, requester=item.person,
            requester_email=item.requester_email or (item.person.email if item.person else ""),
            decision=decision, send_after=send_after))
        result.outcomes.append({"external_id": item.external_id, "decision": decision,
                                "send_after": send_after})
    Ticket.objects.bulk_create(tickets, batch_size=500)
    return result


def _due(resolved_at: dt.datetime, survey: Survey) -> dt.datetime:
    """When a ticket's invitation is first due: its resolution plus the survey's delay."""
    return resolved_at + dt.timedelta(minutes=survey.send_delay_minutes)


def _quiet_until(person_ids: list[int], now: dt.datetime) -> dict[int, dt.date]:
    """The last quiet day of each of these people a quiet period holds back (today, should it
    have ended meanwhile)."""
    if not person_ids:
        return {}
    until = pressure.quiet_until(person_ids, now=now)
    today = timezone.localdate(now)
    return {pk: until.get(pk, today) for pk in person_ids}


def _after_quiet(due: dt.datetime, last_quiet_day: dt.date) -> dt.datetime | None:
    """When to send an invitation due at ``due`` whose requester a quiet period holds back
    until ``last_quiet_day`` included: the day after it (midnight, Phare's time zone), or at
    ``due`` if later; None when that is past the rating window (:data:`RATING_DAYS`)."""
    free = timezone.make_aware(dt.datetime.combine(last_quiet_day + dt.timedelta(days=1),
                                                   dt.time()))
    when = max(due, free)
    return when if when <= due + dt.timedelta(days=RATING_DAYS) else None


def _decide(item: CheckedTicket, survey: Survey | None, refused: dict[int, str],
            held: dict[int, dt.date], busy: set[int]) -> tuple[str, dt.datetime | None]:
    if survey is None:
        return Ticket.Decision.NO_SURVEY, None
    if item.person is None:
        return Ticket.Decision.NO_REQUESTER, None
    if not ticket_sampled(item.external_id, survey.sample_percent):
        return Ticket.Decision.NOT_SAMPLED, None
    if item.person.pk in busy:
        return Ticket.Decision.FATIGUE, None
    due = _due(item.resolved_at, survey)
    send_after: dt.datetime | None = due
    if item.person.pk in refused:
        if refused[item.person.pk] != pressure.QUIET_PERIOD:
            return refused[item.person.pk], None
        send_after = _after_quiet(due, held[item.person.pk])
        if send_after is None:
            return Ticket.Decision.QUIET_PERIOD, None
    if survey.fatigue_days:
        busy.add(item.person.pk)  # a second ticket of theirs in this batch waits its turn
    return Ticket.Decision.PENDING, send_after


# --- sending ----------------------------------------------------------------------------------

def send_due_ticket_invitations(*, now: dt.datetime | None = None) -> int:
    """Invite the requester of every pending ticket whose delay has passed; the number sent.

    Each ticket is handled in its own transaction: an email that is not sent (refused, or
    failed after lib/mail's retries) leaves its ticket pending, tried again next time, with
    nothing written. When the mail server looks down (:class:`~phare.lib.mail.MailServerDown`)
    the round stops; the rest waits for the next one.
    """
    now = now or timezone.now()
    due = list(Ticket.objects.filter(decision=Ticket.Decision.PENDING, send_after__lte=now)
               .order_by("send_after", "pk").values_list("pk", flat=True))
    sent = unsent = 0
    with mail.Batch() as batch:
        for done, pk in enumerate(due, start=1):
            try:
                sent += _send_one(pk, now=now, batch=batch)
            except _NotSent:
                unsent += 1  # lib/mail logged and recorded why; the ticket stays pending
            except mail.MailServerDown:
                unsent += 1 + len(due) - done
                break
    if unsent:
        logger.error("%d ticket survey invitations could not be sent: they wait for the next "
                     "round.", unsent)
    return sent


class _NotSent(Exception):
    """The invitation email was not sent: undo the ticket's invitation."""


def _send_one(pk: int, *, now: dt.datetime, batch: mail.Batch) -> bool:
    with transaction.atomic():
        ticket = (Ticket.objects.select_for_update()
                  .filter(pk=pk, decision=Ticket.Decision.PENDING).first())
        if ticket is None:
            return False  # decided meanwhile (another sender)
        survey = queries.active_ticket_survey()
        if ticket.requester_id is not None:
            # Before the budget is counted, as every sender does (contact.services.claim).
            lock_people(person_ids=[ticket.requester_id])
        refusal = _refusal_at_send(ticket, survey, now)
        if refusal == Ticket.Decision.QUIET_PERIOD:
            assert survey is not None and ticket.requester_id is not None
            later = _after_quiet(_due(ticket.resolved_at, survey),
                                 _quiet_until([ticket.requester_id], now)[ticket.requester_id])
            if later is not None:  # still pending: asked once the quiet period is over
                ticket.send_after = later
                ticket.save(update_fields=["send_after"])
                return False
        if refusal:
            ticket.decision, ticket.send_after = refusal, None
            ticket.save(update_fields=["decision", "send_after"])
            return False
        # Neither can be missing here: that would have been a refusal just above.
        assert survey is not None and ticket.requester_id is not None
        person = (Person.objects.select_related("business_unit", "site", "job_family")
                  .get(pk=ticket.requester_id))
        invitation = Invitation.objects.create(
            survey=survey, version=survey.current_version(), person=person,
            email=person.email or ticket.requester_email, language=person.language or "fr",
            **services.segment_of(person))
        ticket.invitation = invitation
        ticket.save(update_fields=["invitation"])
        if not batch.send(emails.ticket_invitation_message(invitation)).sent:
            raise _NotSent  # rolls the invitation back
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        ticket.decision = Ticket.Decision.INVITED
        ticket.save(update_fields=["decision"])
    return True


def _refusal_at_send(ticket: Ticket, survey: Survey | None, now: dt.datetime) -> str | None:
    """Why a pending ticket may no longer be surveyed, or None."""
    if survey is None:
        return Ticket.Decision.NO_SURVEY
    if ticket.requester_id is None or not Person.objects.filter(
            pk=ticket.requester_id, active=True).exists():
        return Ticket.Decision.NO_REQUESTER
    if survey.fatigue_days and Invitation.objects.filter(
            person_id=ticket.requester_id, ticket__isnull=False,
            created_at__gte=now - dt.timedelta(days=survey.fatigue_days)).exists():
        return Ticket.Decision.FATIGUE
    return pressure.refusal(ticket.requester_id, now=now)


# --- rating and follow-ups --------------------------------------------------------------------

def ticket_rate(invitation: Invitation, score: int) -> Response:
    """Record the rating given through an email link, exactly once (a replay returns the
    response already recorded)."""
    if invitation.survey.status != Survey.Status.OPEN:
        raise ListeningError(_("This survey is closed."), field="token")
    return services.response_submit(survey=invitation.survey, answers={RATING: score},
                                    channel=Response.Channel.TICKET, invitation=invitation)


def ticket_response_amend(response: Response, answers: Mapping[str, Any], *,
                          now: dt.datetime | None = None) -> Response:
    """Add or change follow-up answers (or the rating itself) within
    :data:`~phare.tickets.queries.AMEND_DAYS`.

    The answers are merged into those recorded and checked again against the response's
    version: hidden questions' answers are dropped; raises ``AnswerErrors`` or
    :class:`ListeningError`, writing nothing.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("survey", "version").get(
            pk=response.pk)
        if not queries.ticket_response_amendable(locked, now=now):
            raise ListeningError(_("These answers can no longer be changed."), field="token")
        merged = {**locked.answers, **answers}
        cleaned = qtypes.clean_answers(version_questions(locked.version), merged)
        if cleaned != locked.answers:
            # ``revision`` tells the analytical snapshots that these answers changed.
            locked.answers, locked.revision = cleaned, locked.revision + 1
            locked.save(update_fields=["answers", "revision"])
            send_answers_changed([locked.survey_id])
    return locked


# --- imports of ITSM exports ------------------------------------------------------------------

#: How long an upload waits for its mapping before it is cleared away.
UPLOAD_HOURS = 24


def _remembered(signature: str) -> tuple[dict[str, str], str] | None:
    saved = queries.saved_mapping(signature)
    return (dict(saved.columns), saved.date_order) if saved is not None else None


def import_tickets(data: bytes, *, system: str = "auto", strict: bool = False,
                   date_order: str = "", columns: Mapping[str, str] | None = None,
                   now: dt.datetime | None = None, user: Any = None,
                   progress: Progress | Callable[[int, int, str], None] | None = None
                   ) -> imports.ImportReport:
    """Read a ticket export (CSV or .xlsx), then receive the tickets it holds as the API does.

    The same path for the web, the command line and the API. The file is refused — raises
    :class:`~phare.tickets.imports.TicketImportError` listing every reason, nothing written —
    when it cannot be used at all, or with ``strict`` on any problem; otherwise the report
    says what was imported and what was left out, by reason and line. ``columns`` (field →
    column name) overrides the mapping Phare proposes; without it, the one saved for a file
    of this shape applies. ``date_order`` (dmy, mdy) reads dates the file cannot tell.
    """
    report_progress = progress or (lambda done, total, message: None)
    export = imports.read_export(data, system=system, strict=strict, date_order=date_order,
                                 columns=columns, services=queries.service_index(),
                                 remembered=_remembered)
    report_progress(0, len(export.rows), "")
    try:
        result = tickets_receive(export.rows, now=now)
    except TicketErrors as exc:  # checked while reading; only a concurrent change gets here
        raise imports.TicketImportError([
            RowError(export.lines[e.index], export.origins[e.index].get(e.field, ""), e.reason)
            for e in exc.errors]) from None
    report_progress(len(export.rows), len(export.rows), "")
    report = imports.ImportReport(
        format=export.format, tickets=len(export.rows), counts=result.counts(),
        rows_read=export.rows_read, event_log=export.event_log,
        skipped={reason: n for reason, n in export.skipped.items() if n},
        unmapped=export.unmapped.most_common(), warnings=sorted(export.warnings,
                                                                key=lambda w: w.line),
        mapping=export.mapping, date_order=export.date_order)
    record(action=Action.IMPORT, actor=user, target=("tickets.ticket", "", "tickets"),
           details={"format": report.format, "tickets": report.tickets, **result.counts(),
                    "skipped": report.skipped, "unmapped": len(report.unmapped),
                    "warnings": len(report.warnings), "strict": strict})
    return report


def _import_job(*, name: str, user: Any, params: dict[str, Any], file: Any) -> Job:
    return job_start(kind=imports.JOB_KIND, title=_("Ticket import: %(name)s") % {"name": name},
                     user=user, params=params, input_file=file, input_name=name)


@transaction.atomic
def ticket_import_begin(*, file: Any, system: str = "auto", strict: bool = False,
                        review: bool = False, user: Any = None) -> Job | TicketUpload:
    """Start importing an export uploaded from the web: at once (a job) when Phare is sure of
    every column and of the date order, else — or when the person asked to ``review`` — keep
    the file (:class:`TicketUpload`) for the mapping step. Raises
    :class:`~phare.tickets.imports.TicketImportError` when the file is not a table at all."""
    data = file.read()
    file.seek(0)
    table = imports.read_table(data)
    proposal = imports.mapping_for(table, system=system)
    saved = _remembered(proposal.signature)
    if saved is not None:
        proposal = imports.mapping_for(table, system=system, columns=saved[0])
    _order, undecided = imports.date_order_of(table, proposal)
    if undecided and saved is not None and saved[1]:
        undecided = ""
    if review or not proposal.sure or undecided:
        return _upload_keep(file=file, system=system, strict=strict, user=user)
    return _import_job(name=file.name, user=user, file=file,
                       params={"system": system, "strict": strict})


def _upload_keep(*, file: Any, system: str, strict: bool, user: Any) -> TicketUpload:
    for old in TicketUpload.objects.filter(
            created_at__lt=timezone.now() - dt.timedelta(hours=UPLOAD_HOURS)):
        ticket_upload_discard(upload=old)
    upload = TicketUpload(name=file.name[:200], system=system, strict=strict, created_by=user)
    upload.file.save(file.name, file, save=False)
    upload.full_clean()
    upload.save()
    return upload


def ticket_upload_discard(*, upload: TicketUpload) -> None:
    """Forget an upload and its file."""
    upload.file.delete(save=False)
    upload.delete()


@transaction.atomic
def ticket_mapping_save(*, signature: str, system: str, columns: Mapping[str, str],
                        date_order: str = "", user: Any = None) -> TicketMapping:
    """Remember the columns chosen for a header of this shape (and its date order)."""
    mapping = TicketMapping.objects.filter(signature=signature).first() or TicketMapping(
        signature=signature)
    mapping.system, mapping.columns = system, {k: v for k, v in columns.items() if v}
    mapping.date_order, mapping.updated_by = date_order, user
    mapping.full_clean()
    mapping.save()
    return mapping


@transaction.atomic
def ticket_import_confirm(*, upload: TicketUpload, columns: Mapping[str, str],
                          date_order: str = "", user: Any = None) -> Job:
    """The mapping step confirmed: remember the columns for the next file of this shape, and
    import the kept file with them (a job); the upload is then forgotten."""
    with upload.file.open("rb") as stream:
        data = stream.read()
    header = imports.read_table(data).header
    ticket_mapping_save(signature=imports.propose_mapping(header).signature,
                        system=upload.system, columns=columns, date_order=date_order,
                        user=user)
    job = _import_job(name=upload.name, user=user, file=ContentFile(data), params={
        "system": upload.system, "strict": upload.strict, "columns": dict(columns),
        "date_order": date_order})
    ticket_upload_discard(upload=upload)
    return job


@transaction.atomic
def ticket_label_map(*, label: str, service: Service, user: Any = None) -> int:
    """Read the ITSM's ``label`` as ``service``: the tickets that carry it get the service,
    and the next imports read it so (a saved alias). The number of tickets changed."""
    key = imports.normalise(label)
    if not key:
        return 0
    alias = ServiceAlias.objects.filter(key=key).first() or ServiceAlias(key=key)
    alias.label, alias.service = label.strip()[:200], service
    alias.full_clean()
    alias.save()
    tickets = list(queries.tickets_labelled(label).values_list("pk", flat=True))
    changed = Ticket.objects.filter(pk__in=tickets).update(service=service)
    # The analytical store keeps each answer's ticket service: a new revision rewrites them.
    answered = Response.objects.filter(invitation__ticket__in=tickets)
    surveys = set(answered.values_list("survey_id", flat=True))
    answered.update(revision=F("revision") + 1)
    if surveys:
        send_answers_changed(surveys)
    return changed
