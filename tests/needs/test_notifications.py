"""Digest emails through a real SMTP server on loopback, in each person's language."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from phare.core.models import SentMail
from phare.directory.models import Person
from phare.lib import mail
from phare.needs import notifications, services
from phare.needs.models import Need, Notification
from phare.needs.notifications import send_need_digests
from tests.needs.factories import make_need


@pytest.fixture(autouse=True)
def _no_wait_between_attempts(settings):
    settings.PHARE_MAIL_RETRY_SECONDS = 0


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_several_changes_make_one_digest_per_person(personas, people, need, smtp_server):
    other = make_need(people["employee"], "Wifi dans l'atelier de Lyon")
    services.follow_set(person=people["owner"], need=need, follow=True)
    lead = personas["marketing"]
    services.need_set_status(user=lead, need=need, to=Need.Status.QUALIFIED)
    services.need_set_status(user=lead, need=other, to=Need.Status.DECLINED,
                             reason="Couvert par le projet Wifi 2025.")
    assert send_need_digests() == 2
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert set(by_recipient) == {people["employee"].email, people["owner"].email}
    digest = smtp_server.body(by_recipient[people["employee"].email])
    assert need.title in digest and other.title in digest
    assert "Couvert par le projet Wifi 2025." in digest
    assert f"/needs/{need.pk}/" in digest and f"/needs/{other.pk}/" in digest
    single = by_recipient[people["owner"].email]
    assert need.title in single["Subject"] and other.title not in smtp_server.body(single)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    # Nothing is sent twice.
    assert send_need_digests() == 0 and len(smtp_server.messages) == 2


def test_each_person_reads_in_their_language(personas, people, need, smtp_server):
    Person.objects.filter(pk=people["employee"].pk).update(language="en")
    services.follow_set(person=people["owner"], need=need, follow=True)  # French
    services.need_set_status(user=personas["marketing"], need=need, to=Need.Status.DECLINED,
                             reason="Hors périmètre")
    send_need_digests()
    by_recipient = {m["To"]: smtp_server.body(m) for m in smtp_server.messages}
    english, french = by_recipient[people["employee"].email], by_recipient[people["owner"].email]
    assert _in("en", "Declined") in english and _in("fr", "Declined") in french
    assert _in("en", "Here is the news of the needs you raised, follow or voted for.") in english
    assert _in("fr", "Here is the news of the needs you raised, follow or voted for.") in french


def test_news_queued_after_now_waits_and_inactive_people_get_nothing(personas, people, need,
                                                                     smtp_server):
    services.need_set_status(user=personas["marketing"], need=need, to=Need.Status.QUALIFIED)
    earlier = timezone.now() - dt.timedelta(hours=1)
    assert send_need_digests(now=earlier) == 0
    Person.objects.filter(pk=people["employee"].pk).update(active=False)
    assert send_need_digests() == 0
    assert smtp_server.messages == []
    assert Notification.objects.get().sent_at is not None


def test_a_refused_email_stays_pending_for_the_next_tick(personas, people, need, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    services.need_set_status(user=personas["marketing"], need=need, to=Need.Status.QUALIFIED)
    assert send_need_digests() == 0
    assert Notification.objects.get().sent_at is None


def test_the_command_sends_the_digests(personas, need, smtp_server, capsys):
    services.need_set_status(user=personas["marketing"], need=need, to=Need.Status.QUALIFIED)
    call_command("need_digests")
    assert len(smtp_server.messages) == 1
    assert "1" in capsys.readouterr().out


def test_a_digest_says_its_language_and_is_recorded(personas, people, need, smtp_server):
    Person.objects.filter(pk=people["employee"].pk).update(language="en")
    services.need_set_status(user=personas["marketing"], need=need, to=Need.Status.QUALIFIED)
    assert send_need_digests() == 1
    [message] = smtp_server.messages
    assert message["Content-Language"] == "en"
    assert message["Auto-Submitted"] == "auto-generated"
    row = SentMail.objects.get()
    assert (row.kind, row.reference, row.recipient, row.status) == (
        "need_digest", str(people["employee"].pk), people["employee"].email, "sent")


def _news_for_many(need, n: int) -> list[Person]:
    unit = need.business_unit
    crowd = Person.objects.bulk_create(
        Person(employee_id=f"N{i:03d}", first_name=f"Prénom{i}", last_name=f"Nom{i}",
               email=f"n{i}@example.com", business_unit=unit) for i in range(n))
    notifications.queue(people=[p.pk for p in crowd], need=need,
                        kind=Notification.Kind.STATUS, payload={"from": "new", "to": "qualified"})
    return crowd


def test_a_refused_recipient_waits_and_the_others_get_theirs(need, smtp_server):
    crowd = _news_for_many(need, 3)
    refused = crowd[1]

    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if address == refused.email:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = handle_rcpt
    assert send_need_digests() == 2
    assert {m["To"] for m in smtp_server.messages} == {crowd[0].email, crowd[2].email}
    pending = Notification.objects.filter(sent_at__isnull=True)
    assert [row.person_id for row in pending] == [refused.pk]
    assert SentMail.objects.get(status="refused").recipient == refused.email


def test_when_the_mail_server_is_down_the_digests_stop_and_all_wait(need, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed
    _news_for_many(need, mail.MAX_FAILURES_IN_A_ROW + 3)
    assert send_need_digests() == 0
    assert not Notification.objects.filter(sent_at__isnull=False).exists()
    # The run stopped: the people after the last failure were not even tried.
    assert SentMail.objects.filter(status="failed").count() == mail.MAX_FAILURES_IN_A_ROW
    assert SentMail.objects.count() == mail.MAX_FAILURES_IN_A_ROW
