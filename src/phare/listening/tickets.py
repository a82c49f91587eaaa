"""Ticket feedback: the standard ticket survey, intake of closed tickets, who is surveyed and
when, the invitation email, the one-click rating and its follow-up questions.

A ticket's survey decision is taken once, when the ITSM first reports it, in this order: no open
ticket survey, unknown requester, not in the sample (a hash of the ticket id, so a re-run decides
the same), surveyed recently (fatigue), opted out or contact limit (:mod:`pressure`); otherwise
the ticket waits until ``resolved_at + send_delay_minutes`` and
:func:`send_due_ticket_invitations` sends it, checking pressure and fatigue again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.directory.models import Person
from phare.lib.i18n import in_language
from phare.listening import links, pressure, services
from phare.listening import questions as qtypes
from phare.listening.models import Invitation, Response, Survey, Ticket
from phare.listening.services import ListeningError

logger = logging.getLogger(__name__)

RATING = "rating"
#: The rating's bands, as the follow-up reasons depend on them.
BANDS = (("low", 0, 6), ("mid", 7, 8), ("high", 9, 10))
#: How long after rating the follow-up answers may still be changed.
AMEND_DAYS = 7
ALREADY_RECEIVED = "already_received"


def _options(*items: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"code": code, "label_fr": fr, "label_en": en} for code, fr, en in items]


REASONS = {
    "low": _options(
        ("slow", "Résolution trop lente", "Resolution took too long"),
        ("repeat", "J'ai dû répéter ma demande", "I had to repeat myself"),
        ("not_solved", "Le problème n'est pas résolu", "The problem is not solved"),
        ("communication", "Communication insuffisante", "Poor communication"),
        ("chase", "J'ai dû relancer", "I had to chase"),
        ("not_informed", "Pas tenu informé de l'avancement", "Not kept informed"),
    ),
    "mid": _options(
        ("bit_long", "Un peu long", "Took a bit long"),
        ("partly_solved", "Partiellement résolu", "Only partly solved"),
        ("follow_up", "Une relance a été nécessaire", "I had to follow up once"),
        ("explanations", "Explications peu claires", "Explanations could be clearer"),
        ("reach", "Difficile de joindre le support", "Hard to reach support"),
    ),
    "high": _options(
        ("fast", "Rapide", "Fast"),
        ("friendly", "Technicien aimable", "Friendly technician"),
        ("first_time", "Résolu du premier coup", "Solved first time"),
        ("clear", "Explications claires", "Clear explanations"),
        ("informed", "Tenu informé", "Kept informed"),
    ),
}
REASON_TEXTS = {
    "low": ("Qu'est-ce qui n'a pas été ?", "What went wrong?"),
    "mid": ("Qu'est-ce qui aurait pu être mieux ?", "What could have been better?"),
    "high": ("Qu'avez-vous apprécié ?", "What did you appreciate?"),
}
LOST_TIME = _options(("none", "Aucun", "None"), ("lt_1h", "Moins d'une heure", "Less than an hour"),
                     ("1_4h", "1 à 4 heures", "1 to 4 hours"), ("day", "Une journée", "A day"),
                     ("more", "Plus", "More"))


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


def active_ticket_survey() -> Survey | None:
    """The survey tickets are surveyed with: the most recently created open ticket survey."""
    return (Survey.objects.filter(kind=Survey.Kind.TRANSACTIONAL, status=Survey.Status.OPEN)
            .order_by("-created_at", "-pk").first())


def band_of(score: int) -> str:
    return next(name for name, low, high in BANDS if low <= score <= high)


# --- intake -----------------------------------------------------------------------------------

ROW_FIELDS = ("external_id", "service", "category", "channel", "opened_at", "resolved_at",
              "assignment_group", "reassignment_count", "requester_employee_id",
              "requester_email")
MAX_LENGTHS = {"external_id": 80, "category": 120, "assignment_group": 120,
               "requester_employee_id": 40, "requester_email": 254}
MAX_REASSIGNMENTS = 32767


@dataclass(frozen=True, slots=True)
class TicketError:
    """One refused value: the row's position in the batch (from 0), the field and why."""

    index: int
    field: str
    reason: str


class TicketErrors(ValueError):
    """Tickets that cannot be received; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: Sequence[TicketError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.index}.{e.field}: {e.reason}" for e in self.errors))


@dataclass(slots=True)
class CheckedTicket:
    """A reported ticket whose every value was checked; ``person`` may be None (unknown)."""

    index: int
    external_id: str
    service: Service | None
    category: str
    channel: str
    opened_at: dt.datetime
    resolved_at: dt.datetime
    assignment_group: str
    reassignment_count: int
    requester_employee_id: str
    requester_email: str
    person: Person | None = None


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
                                  Ticket.Decision.CONTACT_CAP, Ticket.Decision.NO_SURVEY)},
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_("Expected text."))
    return str(value).strip()


def _when(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("Expected a date and time such as 2025-03-12T09:15:00+01:00."))
    else:
        raise ValueError(_("Expected a date and time such as 2025-03-12T09:15:00+01:00."))
    # A time without its offset is read in Phare's time zone (the ITSM's usually).
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _count(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(_("Expected a whole number."))
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(_("Expected a whole number."))
    if not 0 <= value <= MAX_REASSIGNMENTS:
        raise ValueError(_("Expected a number from 0 to %d.") % MAX_REASSIGNMENTS)
    return value


def _chunks(values: Iterable[Any], size: int = 5000) -> Iterable[list[Any]]:
    """Lists of at most ``size`` values: a query's parameters stay under SQLite's limit."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def tickets_check(rows: Sequence[Mapping[str, Any]]) -> tuple[list[CheckedTicket],
                                                               list[TicketError]]:
    """Check every row (no write): the tickets as they will be recorded, and every error."""
    errors: list[TicketError] = []
    values: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.append(TicketError(index, "", _("Expected an object.")))
            values.append({})
            continue
        for key in row:
            if key not in ROW_FIELDS:
                errors.append(TicketError(index, str(key), _("Unknown field; the fields are: "
                                                             "%s.") % ", ".join(ROW_FIELDS)))
        values.append(_check_values(index, row, errors))
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        external_id = value.get("external_id")
        if external_id in seen:
            errors.append(TicketError(index, "external_id", _(
                "This ticket is also at position %d of the batch.") % seen[external_id]))
        elif external_id:
            seen[external_id] = index
    slugs = {v["service"] for v in values if v.get("service")}
    found = {s.slug: s for s in Service.objects.filter(slug__in=slugs)}
    checked: list[CheckedTicket] = []
    for index, value in enumerate(values):
        slug = value.get("service")
        if slug and slug not in found:
            errors.append(TicketError(index, "service", _(
                "No catalogue service has the identifier “%s”.") % slug))
        if len(value) == len(ROW_FIELDS):
            checked.append(CheckedTicket(index=index, person=None, **{
                **value, "service": found.get(slug) if slug else None}))
    _find_requesters(checked)
    return checked, sorted(errors, key=lambda e: e.index)


def _check_values(index: int, row: Mapping[str, Any], errors: list[TicketError]) -> dict:
    out: dict[str, Any] = {}

    def read(name: str, convert) -> None:
        try:
            out[name] = convert(row.get(name))
        except ValueError as exc:
            errors.append(TicketError(index, name, str(exc)))

    for name in ("external_id", "service", "category", "channel", "assignment_group",
                 "requester_employee_id", "requester_email"):
        read(name, _text)
    read("opened_at", _when)
    read("resolved_at", _when)
    read("reassignment_count", _count)
    for name, limit in MAX_LENGTHS.items():
        if len(out.get(name) or "") > limit:
            errors.append(TicketError(index, name, _("At most %d characters.") % limit))
            out.pop(name)
    if "external_id" in out and not out["external_id"]:
        errors.append(TicketError(index, "external_id", _("The ticket id is required.")))
        out.pop("external_id")
    if out.get("channel") and out["channel"] not in Ticket.Channel.values:
        errors.append(TicketError(index, "channel", _("Unknown channel “%(value)s”: use one "
                                                      "of %(values)s.") % {
            "value": out.pop("channel"), "values": ", ".join(Ticket.Channel.values)}))
    if out.get("requester_email"):
        try:
            validate_email(out["requester_email"])
        except ValidationError:
            errors.append(TicketError(index, "requester_email", _("Not an email address.")))
            out.pop("requester_email")
    for name in ("opened_at", "resolved_at"):
        if name in out and out[name] is None:
            errors.append(TicketError(index, name, _("This date is required.")))
            out.pop(name)
    if out.get("opened_at") and out.get("resolved_at") and out["resolved_at"] < out["opened_at"]:
        errors.append(TicketError(index, "resolved_at", _(
            "The ticket is resolved before it was opened.")))
    return out


def _find_requesters(checked: list[CheckedTicket]) -> None:
    """Each ticket's requester: an active person by employee id, else by email."""
    ids = {t.requester_employee_id for t in checked if t.requester_employee_id}
    emails = {t.requester_email.lower() for t in checked if t.requester_email}
    active = Person.objects.filter(active=True).select_related(
        "business_unit", "site", "job_family")
    by_id = {p.employee_id: p for chunk in _chunks(ids)
             for p in active.filter(employee_id__in=chunk)}
    by_email: dict[str, Person] = {}
    for chunk in _chunks(emails):
        for person in active.annotate(lower_email=Lower("email")).filter(
                lower_email__in=chunk).order_by("employee_id"):
            by_email.setdefault(person.lower_email, person)
    for ticket in checked:
        ticket.person = (by_id.get(ticket.requester_employee_id)
                         or by_email.get(ticket.requester_email.lower()))


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
    for chunk in _chunks(ids):
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
    known = {external_id for chunk in _chunks([t.external_id for t in checked])
             for external_id in Ticket.objects.filter(external_id__in=chunk)
             .values_list("external_id", flat=True)}
    new = [t for t in checked if t.external_id not in known]
    survey = active_ticket_survey()
    people = {t.person.pk for t in new if t.person is not None}
    refused = pressure.refusals(people, now=now) if survey and people else {}
    busy = _busy_requesters(people, survey, now) if survey else set()
    result = ReceiveResult()
    tickets = []
    for item in checked:
        if item.external_id in known:
            result.outcomes.append({"external_id": item.external_id,
                                    "decision": ALREADY_RECEIVED, "send_after": None})
            continue
        decision, send_after = _decide(item, survey, refused, busy)
        tickets.append(Ticket(
            external_id=item.external_id, service=item.service, category=item.category,
            channel=item.channel, opened_at=item.opened_at, resolved_at=item.resolved_at,
            assignment_group=item.assignment_group,
            reassignment_count=item.reassignment_count, requester=item.person,
            requester_email=item.requester_email or (item.person.email if item.person else ""),
            decision=decision, send_after=send_after))
        result.outcomes.append({"external_id": item.external_id, "decision": decision,
                                "send_after": send_after})
    Ticket.objects.bulk_create(tickets, batch_size=500)
    return result


def _decide(item: CheckedTicket, survey: Survey | None, refused: dict[int, str],
            busy: set[int]) -> tuple[str, dt.datetime | None]:
    if survey is None:
        return Ticket.Decision.NO_SURVEY, None
    if item.person is None:
        return Ticket.Decision.NO_REQUESTER, None
    if not ticket_sampled(item.external_id, survey.sample_percent):
        return Ticket.Decision.NOT_SAMPLED, None
    if item.person.pk in busy:
        return Ticket.Decision.FATIGUE, None
    if item.person.pk in refused:
        return refused[item.person.pk], None
    if survey.fatigue_days:
        busy.add(item.person.pk)  # a second ticket of theirs in this batch waits its turn
    return (Ticket.Decision.PENDING,
            item.resolved_at + dt.timedelta(minutes=survey.send_delay_minutes))


# --- sending ----------------------------------------------------------------------------------

#: Inline colours of the email's scale, by band: background, text (contrast ≥ 4.5:1).
BAND_COLOURS = {"low": ("#b71c1c", "#ffffff"), "mid": ("#f2b01e", "#1d2430"),
                "high": ("#1b5e20", "#ffffff")}


#: This many failures in a row means the mail server (not one address) is the problem.
MAX_FAILURES_IN_A_ROW = 10


def opt_out_url(invitation: Invitation) -> str:
    """The opt-out link, when that page exists."""
    try:
        return links.absolute("answer:opt_out", invitation.token)
    except NoReverseMatch:
        return ""


def rating_question(version) -> Any:
    return version.questions.filter(code=RATING).first()


def ticket_invitation_message(invitation: Invitation) -> mail.EmailMultiAlternatives:
    """The invitation email, in the invitation's language: text and HTML, 11 score links."""
    ticket = invitation.ticket
    with translation.override(invitation.language):
        question = rating_question(invitation.version)
        scores = [{"score": n, "url": links.absolute("answer:ticket_rate", invitation.token, n),
                   "background": BAND_COLOURS[band_of(n)][0],
                   "colour": BAND_COLOURS[band_of(n)][1]} for n in range(11)]
        context = {
            "ticket": ticket, "survey": invitation.survey, "person": invitation.person,
            "service": ticket.service.name if ticket.service else "",
            "question": question.text if question else "",
            "label_min": in_language(question, "label_min") if question else "",
            "label_max": in_language(question, "label_max") if question else "",
            "scores": scores, "opt_out_url": opt_out_url(invitation),
            "language": invitation.language,
        }
        subject = _("Your request %(ticket)s: what did you think?") % {
            "ticket": ticket.external_id}
        text = render_to_string("listening/tickets/email.txt", context)
        html = render_to_string("listening/tickets/email.html", context)
    headers = {"Auto-Submitted": "auto-generated", "Content-Language": invitation.language}
    if context["opt_out_url"]:
        headers["List-Unsubscribe"] = f"<{context['opt_out_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message = mail.EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email],
                                          headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def send_due_ticket_invitations(*, now: dt.datetime | None = None) -> int:
    """Invite the requester of every pending ticket whose delay has passed; the number sent.

    Each ticket is handled in its own transaction: an email that cannot be sent leaves its
    ticket pending (tried again next time), with nothing written.
    """
    now = now or timezone.now()
    due = list(Ticket.objects.filter(decision=Ticket.Decision.PENDING, send_after__lte=now)
               .order_by("send_after", "pk").values_list("pk", flat=True))
    if not due:
        return 0
    sent = 0
    connection = mail.get_connection()
    try:
        connection.open()  # one connection for the whole round
    except Exception:
        logger.exception("The mail server cannot be reached: %d ticket survey invitations "
                         "wait for the next round.", len(due))
        return 0
    failures = 0
    try:
        for pk in due:
            try:
                sent += _send_one(pk, now=now, connection=connection)
                failures = 0
            except Exception:
                logger.exception("Ticket %s: the survey invitation could not be sent; "
                                 "it will be tried again.", pk)
                failures += 1
                if failures >= MAX_FAILURES_IN_A_ROW:
                    logger.error("%d ticket survey invitations failed in a row: the mail "
                                 "server is taken to be down until the next round.", failures)
                    break
    finally:
        connection.close()
    return sent


def _send_one(pk: int, *, now: dt.datetime, connection: Any) -> bool:
    with transaction.atomic():
        ticket = (Ticket.objects.select_for_update()
                  .filter(pk=pk, decision=Ticket.Decision.PENDING).first())
        if ticket is None:
            return False  # decided meanwhile (another sender)
        survey = active_ticket_survey()
        refusal = _refusal_at_send(ticket, survey, now)
        if refusal:
            ticket.decision, ticket.send_after = refusal, None
            ticket.save(update_fields=["decision", "send_after"])
            return False
        person = (Person.objects.select_related("business_unit", "site", "job_family")
                  .get(pk=ticket.requester_id))
        invitation = Invitation.objects.create(
            survey=survey, version=survey.current_version(), ticket=ticket, person=person,
            email=person.email or ticket.requester_email, language=person.language or "fr",
            **services.segment_of(person))
        message = ticket_invitation_message(invitation)
        message.connection = connection
        message.send()
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

def ticket_invitation(token: str) -> Invitation | None:
    """The ticket invitation of an email link, or None."""
    return (Invitation.objects.select_related("survey", "version", "ticket__service")
            .filter(token=token, ticket__isnull=False).first())


def ticket_response(invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def ticket_rate(invitation: Invitation, score: int) -> Response:
    """Record the rating given through an email link, exactly once (a replay returns the
    response already recorded)."""
    if invitation.survey.status != Survey.Status.OPEN:
        raise ListeningError(_("This survey is closed."), field="token")
    return services.response_submit(survey=invitation.survey, answers={RATING: score},
                                    channel=Response.Channel.TICKET, invitation=invitation)


def amend_deadline(response: Response) -> dt.datetime:
    answered = response.submitted_at or timezone.make_aware(
        dt.datetime.combine(response.submitted_on, dt.time()))
    return answered + dt.timedelta(days=AMEND_DAYS)


def ticket_response_amendable(response: Response, *, now: dt.datetime | None = None) -> bool:
    return (response.survey.status == Survey.Status.OPEN
            and (now or timezone.now()) < amend_deadline(response))


def ticket_response_amend(response: Response, answers: Mapping[str, Any], *,
                          now: dt.datetime | None = None) -> Response:
    """Add or change follow-up answers (or the rating itself) within :data:`AMEND_DAYS`.

    The answers are merged into those recorded and checked again against the response's
    version: hidden questions' answers are dropped; raises ``AnswerErrors`` or
    :class:`ListeningError`, writing nothing.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("survey", "version").get(
            pk=response.pk)
        if not ticket_response_amendable(locked, now=now):
            raise ListeningError(_("These answers can no longer be changed."), field="token")
        merged = {**locked.answers, **answers}
        cleaned = qtypes.clean_answers(services.version_questions(locked.version), merged)
        if cleaned != locked.answers:
            # ``revision`` tells the analytical snapshots that these answers changed.
            locked.answers, locked.revision = cleaned, locked.revision + 1
            locked.save(update_fields=["answers", "revision"])
    return locked
