"""News about needs, by email: queued as rows, sent as one digest per person.

A status change, a merge or a published arbitration queues a :class:`Notification` per person
concerned, with the facts as data. :func:`send_need_digests` (run by the scheduler's tick and by
``phare need-digests``) sends each person one email with all their pending news, written in
their directory language, and marks the rows sent. A row is claimed before its email leaves and
released if it is not sent (refused, failed: :mod:`phare.lib.mail`'s policy), so two ticks at
once never send the same news twice and the next tick tries again; when the mail server looks
down the run stops and every person not reached yet waits for the next tick.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phare.directory.models import Person
from phare.lib import mail
from phare.lib.i18n import reader_language
from phare.needs.explaining import plain
from phare.needs.models import Need, Notification

logger = logging.getLogger(__name__)


def queue(*, people: Iterable[int | None], need: Need, kind: str, payload: dict[str, Any]) -> int:
    """One pending notification per person (ids; None ignored); returns how many."""
    rows = [Notification(person_id=pk, need=need, kind=kind, payload=payload)
            for pk in sorted({pk for pk in people if pk is not None})]
    Notification.objects.bulk_create(rows)
    return len(rows)


def link(need_id: int) -> str:
    """The need's page, as an absolute address for emails."""
    return settings.PHARE_BASE_URL + reverse("needs:detail", args=[need_id])


@dataclass(frozen=True)
class Item:
    """One piece of news as the email shows it."""

    title: str
    headline: str
    lines: list[str]
    url: str


def _status_label(code: str) -> str:
    return str(Need.Status(code).label) if code in Need.Status.values else code


def render_item(notification: Notification) -> Item:
    """A notification in the active language."""
    data, need = notification.payload, notification.need
    lines: list[str] = []
    if notification.kind == Notification.Kind.STATUS:
        headline = _("Status: %(before)s → %(after)s") % {
            "before": _status_label(data.get("from", "")), "after": _status_label(data["to"])}
        if data.get("reason"):
            lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
    elif notification.kind == Notification.Kind.MERGED:
        headline = _("Merged into “%(title)s”: its votes and followers were carried over.") % {
            "title": data.get("into_title", "")}
        if data.get("reason"):
            lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        lines.append(_("Follow it here: %(url)s") % {"url": link(data["into"])})
    else:
        # The campaign's name in the email's language (notifications queued before names
        # had two languages carry the French one only).
        names = data.get("campaign_names") or {}
        campaign = names.get(reader_language()) or data.get("campaign_name", "")
        if data.get("chosen"):
            headline = _("Selected in the arbitration “%(campaign)s”.") % {"campaign": campaign}
        else:
            headline = _("Not selected in the arbitration “%(campaign)s”.") % {
                "campaign": campaign}
        if data.get("reason"):
            lines.append(_("Why: %(reason)s") % {"reason": data["reason"]})
        if data.get("explanation"):
            lines.append(plain(data["explanation"], data.get("context", {})))
    return Item(title=need.title, headline=headline, lines=lines, url=link(need.pk))


def render_digest(person: Person, notifications: list[Notification]) -> tuple[str, str]:
    """The subject and plain-text body of one person's digest, in their language."""
    with translation.override(_language(person)):
        items = [render_item(n) for n in notifications]
        if len(items) == 1:
            subject = _("Phare — “%(title)s”: %(news)s") % {"title": items[0].title,
                                                             "news": items[0].headline}
        else:
            subject = ngettext("Phare — news of %(count)d need you follow",
                               "Phare — news of %(count)d needs you follow",
                               len({n.need_id for n in notifications})) % {
                "count": len({n.need_id for n in notifications})}
        body = render_to_string("needs/email/digest.txt",
                                {"person": person, "items": items,
                                 "list_url": settings.PHARE_BASE_URL + reverse("needs:list")})
    return subject[:200].replace("\n", " "), body


def _language(person: Person) -> str:
    return person.language or settings.LANGUAGE_CODE


def send_need_digests(now: datetime | None = None) -> int:
    """Send every person their pending news queued up to ``now``; returns the emails sent."""
    now = now or timezone.now()
    pending = (Notification.objects.filter(sent_at__isnull=True, created_at__lte=now)
               .select_related("person", "need").order_by("person_id", "created_at", "id"))
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for row in pending:
        by_person[row.person_id].append(row)
    sent = 0
    with mail.Batch() as batch:
        for rows in by_person.values():
            person = rows[0].person
            ids = [row.pk for row in rows]
            # Claim the rows: another tick running now finds nothing left to send.
            claimed = Notification.objects.filter(pk__in=ids, sent_at__isnull=True).update(
                sent_at=now)
            if claimed != len(ids):
                Notification.objects.filter(pk__in=ids, sent_at=now).update(sent_at=None)
                continue
            if not person.active or not person.email:
                continue  # nobody to write to: the news stays on the need's page
            subject, body = render_digest(person, rows)
            message = mail.Message(to=person.email, subject=subject, text=body,
                                   language=_language(person), kind="need_digest",
                                   reference=str(person.pk))
            try:
                outcome = batch.send(message)
            except mail.MailServerDown:
                Notification.objects.filter(pk__in=ids).update(sent_at=None)
                logger.error("need digests: the mail server looks down; the digests not "
                             "sent wait for the next tick")
                break
            if outcome.sent:
                sent += 1
            else:  # refused or failed: the next tick tries again
                Notification.objects.filter(pk__in=ids).update(sent_at=None)
    return sent
