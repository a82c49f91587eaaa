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

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.contact.services import lock_people
from phare.directory.models import Person
from phare.jobs.services import Progress
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
from phare.tickets.models import Ticket
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
            category=item.category,
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

def import_tickets(data: bytes, *, now: dt.datetime | None = None,
                   progress: Progress | Callable[[int, int, str], None] | None = None
                   ) -> imports.ImportReport:
    """Check a ticket export, then receive its tickets as the API does; raises
    :class:`~phare.tickets.imports.TicketImportError` listing every error, in which case
    nothing is written."""
    report_progress = progress or (lambda done, total, message: None)
    export = imports.read_export(data)
    report_progress(0, len(export.rows), "")
    imports.check_export(export)
    try:
        result = tickets_receive(export.rows, now=now)
    except TicketErrors as exc:  # checked above; only a concurrent change gets here
        raise imports.TicketImportError([
            RowError(export.lines[e.index], export.origins[e.index].get(e.field, ""), e.reason)
            for e in exc.errors]) from None
    report_progress(len(export.rows), len(export.rows), "")
    return imports.ImportReport(format=export.format, tickets=len(export.rows),
                                counts=result.counts())
