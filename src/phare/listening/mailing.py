"""Survey invitation and reminder emails of waves: rendered in each person's language, sent one
by one through the configured mail server (``PHARE_EMAIL_URL``).

Every email is claimed before it goes (``sent_at`` or ``reminders_sent`` changed by a
conditional update), so two runs at the same time never send the same one twice, and a run
repeated after a failure sends only what was not sent. A refused recipient is counted and
skipped; after many failures in a row the mail server is taken to be down and sending stops.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phare.listening import links
from phare.listening.models import Invitation, OptOut, Survey, Wave

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
#: This many failures in a row means the mail server (not one address) is the problem.
MAX_FAILURES_IN_A_ROW = 10
CHUNK = 500


class MailServerDown(Exception):
    """Sending stopped: the mail server refused too many emails in a row."""


def answer_link(token: str) -> str:
    try:
        return links.absolute("answer:respond", token)
    except NoReverseMatch:  # the answering pages live at /s/<token>/
        return f"{settings.PHARE_BASE_URL}/s/{token}/"


def opt_out_link(token: str) -> str:
    return links.absolute("answer:opt_out", token)


def render_email(invitation: Invitation, *, reminder: bool = False) -> EmailMultiAlternatives:
    """The invitation (or reminder) email, in the invitation's language."""
    survey, wave = invitation.survey, invitation.wave
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation, "survey": survey, "wave": wave, "reminder": reminder,
            "first_name": invitation.person.first_name if invitation.person_id else "",
            "title": survey.title, "intro": survey.intro,
            "closes_on": wave.closes_on if wave is not None else None,
            "answer_url": answer_link(invitation.token),
            "opt_out_url": opt_out_link(invitation.token),
            "anonymous": survey.anonymity == Survey.Anonymity.ANONYMOUS,
            "named": survey.anonymity == Survey.Anonymity.NAMED,
        }
        subject = (_("Reminder: %(title)s") if reminder else _("Your opinion: %(title)s")) % {
            "title": survey.title}
        text = render_to_string("listening/waves/email.txt", context)
        html = render_to_string("listening/waves/email.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[invitation.email],
        # Mail programs show their own "unsubscribe" button with it, and opt out with one
        # POST to the link (RFC 8058) instead of opening the page.
        headers={"List-Unsubscribe": f"<{context['opt_out_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message.attach_alternative(html, "text/html")
    return message


class _Mailer:
    """One connection to the mail server, opened again after a failure closed it."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.failures_in_a_row = 0

    def send(self, message: EmailMultiAlternatives) -> bool:
        message.connection = self.connection
        try:
            self.connection.open()
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("survey email to %s not sent: %s", message.to, exc)
            self.connection.close()
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                raise MailServerDown(str(exc)) from exc
            return False
        self.failures_in_a_row = 0
        return True

    def close(self) -> None:
        self.connection.close()


def _chunks(ids: list[int]) -> Iterable[list[Invitation]]:
    for start in range(0, len(ids), CHUNK):
        yield list(Invitation.objects.filter(pk__in=ids[start:start + CHUNK])
                   .select_related("survey", "wave", "person").order_by("pk"))


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


def _send_each(ids: list[int], *, reminder: bool, claim: Callable[[Invitation], bool],
               give_back: Callable[[Invitation], None],
               progress: Progress | None) -> dict[str, Any]:
    """Render, claim and send each invitation's email; give the claim back when it fails."""
    progress = progress or _quiet
    report = {"sent": 0, "failed": 0, "stopped": False}
    mailer, done = _Mailer(), 0
    progress(0, len(ids), "")
    try:
        for chunk in _chunks(ids):
            for invitation in chunk:
                message = render_email(invitation, reminder=reminder)
                if claim(invitation):
                    try:
                        sent = mailer.send(message)
                    except MailServerDown:
                        give_back(invitation)
                        report["failed"] += 1
                        report["stopped"] = True
                        return report
                    if sent:
                        report["sent"] += 1
                    else:
                        give_back(invitation)
                        report["failed"] += 1
                done += 1
                progress(done, len(ids), "")
    finally:
        mailer.close()
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


def send_reminders(invitations: QuerySet[Invitation] | Iterable[Invitation], *,
                   progress: Progress | None = None,
                   now: dt.datetime | None = None) -> dict[str, Any]:
    """Send a reminder to each of ``invitations`` (chosen by :mod:`.waves`), counted as their
    next reminder: ``sent``, ``failed`` and ``stopped``.

    Each is claimed on the reminder count it had when chosen: a twin run that chose the same
    invitations finds them claimed and skips them.
    """
    if isinstance(invitations, QuerySet):
        counts = dict(invitations.values_list("pk", "reminders_sent"))
    else:
        counts = {invitation.pk: invitation.reminders_sent for invitation in invitations}
    before: dict[int, dt.datetime | None] = {}

    def claim(invitation: Invitation) -> bool:
        before[invitation.pk] = invitation.last_reminded_at
        return bool(Invitation.objects.filter(
            pk=invitation.pk, reminders_sent=counts[invitation.pk], responded_on__isnull=True,
        ).update(reminders_sent=counts[invitation.pk] + 1,
                 last_reminded_at=now or timezone.now()))

    def give_back(invitation: Invitation) -> None:
        Invitation.objects.filter(pk=invitation.pk, reminders_sent=counts[invitation.pk] + 1) \
            .update(reminders_sent=counts[invitation.pk],
                    last_reminded_at=before[invitation.pk])

    return _send_each(sorted(counts), reminder=True, claim=claim, give_back=give_back,
                      progress=progress)
