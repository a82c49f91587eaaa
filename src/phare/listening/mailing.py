"""Survey invitation and reminder emails of waves: rendered in each person's language, sent
through :mod:`phare.lib.mail` (one connection per run, retries, its failure policy).

Every email is claimed before it goes (``sent_at`` or ``reminders_sent`` changed by a
conditional update), so two runs at the same time never send the same one twice, and a run
repeated after a failure sends only what was not sent: an email refused or failed gives its
claim back and is counted in ``failed``; when the mail server looks down
(:class:`~phare.lib.mail.MailServerDown`) the run stops, ``stopped`` in its report.
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

from phare.lib import mail
from phare.listening import links
from phare.listening.models import Invitation, OptOut, Survey, Wave

Progress = Callable[[int, int, str], None]
CHUNK = 500


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
               give_back: Callable[[Invitation], None],
               progress: Progress | None) -> dict[str, Any]:
    """Render, claim and send each invitation's email; give the claim back when it is not
    sent."""
    progress = progress or _quiet
    report = {"sent": 0, "failed": 0, "stopped": False}
    done = 0
    progress(0, len(ids), "")
    with mail.Batch() as batch:
        for chunk in _chunks(ids):
            for invitation in chunk:
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
                    else:
                        give_back(invitation)
                        report["failed"] += 1
                done += 1
                progress(done, len(ids), "")
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
