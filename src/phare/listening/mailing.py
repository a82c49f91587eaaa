"""Survey invitation and reminder emails of waves: rendered in each person's language, sent
through :mod:`phare.lib.mail` (one connection per run, retries, its failure policy).

Every email is claimed before it goes (``sent_at`` or ``reminders_sent`` changed by a
conditional update), so two runs at the same time never send the same one twice, and a run
repeated after a failure sends only what was not sent: an email refused or failed gives its
claim back and is counted in ``failed``; when the mail server looks down
(:class:`~phare.lib.mail.MailServerDown`) the run stops, ``stopped`` in its report.

Reminders also ask the one contact-pressure budget (:mod:`phare.contact`): each is a
solicitation of category ``survey``, claimed in the ledger (:func:`phare.contact.services.claim`,
source :data:`REMINDER_SOURCE`, the reference naming the wave and the reminder's number, so a
person's k-th reminder of a wave is claimed once) before it goes, and given back when it is not
sent. Those the budget refuses (opted out of surveys, in a quiet period, over the budget) are
held: their reminder stays due and is tried again at the next run, counted in ``held`` by
reason. The budget is asked once per chunk of invitations, not once per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phare.contact import services as contact
from phare.contact.models import Category
from phare.lib import mail
from phare.listening import links, pressure
from phare.listening.models import Invitation, OptOut, Survey, Wave

Progress = Callable[[int, int, str], None]
CHUNK = 500
#: The sender of reminders in the contact-pressure ledger (``contact.Solicitation.source``).
REMINDER_SOURCE = "listening.reminder"


def answer_link(token: str) -> str:
    return links.absolute("answer:respond", token)


def opt_out_link(token: str) -> str:
    return links.absolute("answer:opt_out", token)


def render_email(invitation: Invitation, *, reminder: bool = False) -> mail.Message:
    """The invitation (or reminder) email, in the invitation's language."""
    survey, wave = invitation.survey, invitation.wave
    language = invitation.language or settings.LANGUAGE_CODE
    opt_out = opt_out_link(invitation.token)
    with translation.override(language):
        context = {
            "invitation": invitation, "survey": survey, "wave": wave, "reminder": reminder,
            "first_name": invitation.person.first_name if invitation.person else "",
            "title": survey.title, "intro": survey.intro,
            "closes_on": wave.closes_on if wave is not None else None,
            "answer_url": answer_link(invitation.token),
            "opt_out_url": opt_out,
            "anonymous": survey.anonymity == Survey.Anonymity.ANONYMOUS,
            "named": survey.anonymity == Survey.Anonymity.NAMED,
        }
        subject = (_("Reminder: %(title)s") if reminder else _("Your opinion: %(title)s")) % {
            "title": survey.title}
        text = render_to_string("listening/waves/email.txt", context)
        html = render_to_string("listening/waves/email.html", context)
    return mail.Message(
        to=invitation.email, subject=subject, text=text, html=html, language=language,
        kind="wave_reminder" if reminder else "wave_invitation", reference=str(invitation.pk),
        # Mail programs show their own "unsubscribe" button with it, and opt out with one
        # POST to the link (RFC 8058) instead of opening the page.
        unsubscribe=opt_out)


def _chunks(ids: list[int]) -> Iterable[list[Invitation]]:
    for start in range(0, len(ids), CHUNK):
        yield list(Invitation.objects.filter(pk__in=ids[start:start + CHUNK])
                   .select_related("survey", "wave", "person").order_by("pk"))


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


def _send_each(ids: list[int], *, reminder: bool, claim: Callable[[Invitation], bool],
               give_back: Callable[[Invitation], None], progress: Progress | None,
               hold: Callable[[list[Invitation]], dict[int, str]] | None = None,
               release: Callable[[Invitation], None] | None = None) -> dict[str, Any]:
    """Render, claim and send each invitation's email; give the claim back when it is not
    sent.

    ``hold``, when given, is asked once per chunk: it claims the contact budget of the chunk's
    emails and answers those it refuses (``{invitation id: reason}``), which are skipped and
    counted in ``held`` by reason; ``release`` then gives back the budget of every other email
    of the chunk that was not sent (refused or failed, the run stopped, or an error).
    """
    progress = progress or _quiet
    report: dict[str, Any] = {"sent": 0, "failed": 0, "stopped": False}
    held = dict.fromkeys(pressure.REASONS, 0)
    if hold is not None:
        report["held"] = held
    done = 0
    progress(0, len(ids), "")
    with mail.Batch() as batch:
        for chunk in _chunks(ids):
            refused = hold(chunk) if hold is not None else {}
            # Budget claimed, email not sent (yet): given back whatever ends the chunk.
            unsent = {invitation.pk: invitation for invitation in chunk
                      if invitation.pk not in refused}
            try:
                for invitation in chunk:
                    if invitation.pk in refused:
                        held[refused[invitation.pk]] += 1
                    else:
                        message = render_email(invitation, reminder=reminder)
                        if claim(invitation):
                            try:
                                outcome = batch.send(message)
                            except mail.MailServerDown:
                                give_back(invitation)
                                report["failed"] += 1
                                report["stopped"] = True
                                return report
                            if outcome.sent:
                                report["sent"] += 1
                                del unsent[invitation.pk]
                            else:
                                give_back(invitation)
                                report["failed"] += 1
                    done += 1
                    progress(done, len(ids), "")
            finally:
                if release is not None:
                    for invitation in unsent.values():
                        release(invitation)
    return report


def send_invitations(wave: Wave, *, progress: Progress | None = None,
                     now: dt.datetime | None = None) -> dict[str, Any]:
    """Send the wave's invitations not sent yet: ``sent``, ``failed``, ``opted_out`` (skipped:
    opted out since the launch) and ``stopped`` (the mail server looked down)."""
    pending = Invitation.objects.filter(wave=wave, sent_at__isnull=True)
    opted_out = OptOut.objects.values("person_id")
    skipped = pending.filter(person_id__in=opted_out).count()
    ids = list(pending.exclude(person_id__in=opted_out).order_by("pk")
               .values_list("pk", flat=True))
    stamps: dict[int, dt.datetime] = {}

    def claim(invitation: Invitation) -> bool:
        # A concurrent run finds it claimed; a failure gives it back.
        stamps[invitation.pk] = now or timezone.now()
        return bool(Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True)
                    .update(sent_at=stamps[invitation.pk]))

    def give_back(invitation: Invitation) -> None:
        Invitation.objects.filter(pk=invitation.pk, sent_at=stamps[invitation.pk]) \
            .update(sent_at=None)

    report = _send_each(ids, reminder=False, claim=claim, give_back=give_back,
                        progress=progress)
    return {**report, "opted_out": skipped}


def reminder_reference(invitation: Invitation, number: int) -> str:
    """The reference of an invitation's ``number``-th reminder in the contact ledger: the
    wave and the number (a person has one invitation per wave), so that it is claimed once."""
    if invitation.wave_id is not None:
        return f"wave:{invitation.wave_id}:reminder:{number}"
    return f"invitation:{invitation.pk}:reminder:{number}"


def send_reminders(invitations: QuerySet[Invitation] | Iterable[Invitation], *,
                   progress: Progress | None = None,
                   now: dt.datetime | None = None) -> dict[str, Any]:
    """Send a reminder to each of ``invitations`` (chosen by :mod:`.waves`), counted as their
    next reminder: ``sent``, ``failed``, ``stopped`` and ``held`` (by reason: those the contact
    budget refuses now, whose reminder stays due).

    Each is claimed on the reminder count it had when chosen: a twin run that chose the same
    invitations finds them claimed and skips them. Before it goes, each reminder is claimed in
    the contact-pressure ledger as a ``survey`` solicitation (one claim per chunk and reminder
    of a wave), and given back when it is not sent.
    """
    now = now or timezone.now()
    if isinstance(invitations, QuerySet):
        counts = dict(invitations.values_list("pk", "reminders_sent"))
    else:
        counts = {invitation.pk: invitation.reminders_sent for invitation in invitations}
    before: dict[int, dt.datetime | None] = {}

    def hold(chunk: list[Invitation]) -> dict[int, str]:
        # Listening's own opt-out first (the reminders chosen by .queries leave it out already),
        # then the one budget, claimed for each reminder of a wave at once.
        people = [invitation.person_id for invitation in chunk
                  if invitation.person_id is not None]
        opted = set(OptOut.objects.filter(person_id__in=people)
                    .values_list("person_id", flat=True))
        refused: dict[int, str] = {}
        # {reference: {person id: invitation id}}: one claim per reminder of a wave.
        asking: dict[str, dict[int, int]] = {}
        for invitation in chunk:
            if invitation.person_id is None:
                continue  # nobody to count it for
            if invitation.person_id in opted:
                refused[invitation.pk] = pressure.OPTED_OUT
                continue
            reference = reminder_reference(invitation, counts[invitation.pk] + 1)
            asking.setdefault(reference, {})[invitation.person_id] = invitation.pk
        for reference, group in asking.items():
            no = contact.claim(person_ids=list(group), category=Category.SURVEY,
                               mandatory=False, source=REMINDER_SOURCE, reference=reference,
                               now=now)
            refused.update({group[person_id]: reason for person_id, reason in no.items()
                            if person_id in group})
        return refused

    def release(invitation: Invitation) -> None:
        if invitation.person_id is None:
            return
        number = counts[invitation.pk] + 1
        if Invitation.objects.filter(pk=invitation.pk, reminders_sent=number).exists():
            return  # a twin run took this reminder: the claim is the one it sends under
        contact.unclaim(person_id=invitation.person_id, source=REMINDER_SOURCE,
                        reference=reminder_reference(invitation, number))

    def claim(invitation: Invitation) -> bool:
        before[invitation.pk] = invitation.last_reminded_at
        return bool(Invitation.objects.filter(
            pk=invitation.pk, reminders_sent=counts[invitation.pk], responded_on__isnull=True,
        ).update(reminders_sent=counts[invitation.pk] + 1, last_reminded_at=now))

    def give_back(invitation: Invitation) -> None:
        Invitation.objects.filter(pk=invitation.pk, reminders_sent=counts[invitation.pk] + 1) \
            .update(reminders_sent=counts[invitation.pk],
                    last_reminded_at=before[invitation.pk])

    return _send_each(sorted(counts), reminder=True, claim=claim, give_back=give_back,
                      progress=progress, hold=hold, release=release)
