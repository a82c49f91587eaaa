"""Invitation emails through a real SMTP server: language, links, once each, failures."""

from __future__ import annotations

import socket

import pytest
from django.utils import translation

from phare.contact.models import Solicitation
from phare.core.models import SentMail
from phare.jobs.models import Job
from phare.jobs.services import job_run
from phare.lib import mail
from phare.listening import mailing, services
from phare.listening.models import Invitation, Wave
from tests.listening.factories import make_barometer, make_crowd, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_dns_lookup(monkeypatch):
    # Django names itself to the SMTP server with socket.getfqdn(), seconds where DNS is slow.
    from django.core.mail.utils import DNS_NAME

    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)


@pytest.fixture(autouse=True)
def _no_wait_between_attempts(settings):
    settings.PHARE_MAIL_RETRY_SECONDS = 0


@pytest.fixture
def launched(org) -> Wave:
    make_crowd(org, n=12)
    wave = plan(make_barometer())
    services.wave_launch(wave)
    return wave


def _by_recipient(messages) -> dict:
    return {message["To"]: message for message in messages}


def test_each_person_gets_the_email_in_their_language_with_their_links(launched, smtp_server):
    job = Job.objects.get(kind="listening.send_invitations")
    job_run(job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"sent": 12, "failed": 0, "opted_out": 0}
    received = _by_recipient(smtp_server.messages)
    assert len(received) == 12
    for invitation in Invitation.objects.filter(wave=launched):
        message = received[invitation.email]
        title = "IT satisfaction barometer" if invitation.language == "en" \
            else "Baromètre de satisfaction IT"
        assert title in message["Subject"]
        body, html = smtp_server.body(message), smtp_server.html(message)
        answer = f"http://localhost:8000/s/{invitation.token}/"
        opt_out = f"http://localhost:8000/s/optout/{invitation.token}/"
        for part in (body, html):
            assert answer in part and opt_out in part
        assert message["List-Unsubscribe"].strip() == f"<{opt_out}>"
        # RFC 8058: the mail program may opt out with one POST, without opening the page.
        assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
        assert invitation.sent_at is not None
    english = next(i for i in Invitation.objects.filter(wave=launched, language="en"))
    french = next(i for i in Invitation.objects.filter(wave=launched, language="fr"))
    with translation.override("en"):
        hello_en = translation.gettext("Answer the survey")
    with translation.override("fr"):
        hello_fr = translation.gettext("Answer the survey")
    assert hello_en in smtp_server.html(received[english.email])
    assert hello_fr in smtp_server.html(received[french.email])


def test_running_again_sends_nothing_twice(launched, mailoutbox):
    first = mailing.send_invitations(launched)
    assert first == {"sent": 12, "failed": 0, "opted_out": 0, "stopped": False}
    again = mailing.send_invitations(launched)
    assert again["sent"] == 0
    assert len(mailoutbox) == 12
    assert len({m.to[0] for m in mailoutbox}) == 12


def test_a_person_who_opted_out_after_the_launch_is_not_sent_the_email(launched, mailoutbox):
    person_id = Invitation.objects.filter(wave=launched).first().person_id
    services.opt_out_record(person_id=person_id)
    report = mailing.send_invitations(launched)
    assert (report["sent"], report["opted_out"]) == (11, 1)
    assert Invitation.objects.get(wave=launched, person_id=person_id).sent_at is None


def test_a_refused_recipient_is_counted_and_the_others_still_get_theirs(launched, smtp_server):
    refused = Invitation.objects.filter(wave=launched).order_by("pk")[3]

    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if address == refused.email:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = handle_rcpt  # aiosmtpd reads the hooks at each connection
    report = mailing.send_invitations(launched)
    assert (report["sent"], report["failed"], report["stopped"]) == (11, 1, False)
    assert len(smtp_server.messages) == 11
    refused.refresh_from_db()
    assert refused.sent_at is None  # given back: a later run tries it again
    del smtp_server.handle_RCPT
    assert mailing.send_invitations(launched)["sent"] == 1


def test_sending_stops_when_the_mail_server_is_down_and_resumes_later(launched, smtp_server,
                                                                      settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    working, settings.EMAIL_PORT = settings.EMAIL_PORT, closed
    job = Job.objects.get(kind="listening.send_invitations")
    job_run(job)
    assert job.status == Job.Status.FAILED
    assert "PHARE_EMAIL_URL" in job.error
    assert job.result["failed"] == mail.MAX_FAILURES_IN_A_ROW and job.result["sent"] == 0
    assert not Invitation.objects.filter(wave=launched, sent_at__isnull=False).exists()
    settings.EMAIL_PORT = working
    job = services.wave_send(launched)
    job_run(job)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["sent"] == 12 and len(smtp_server.messages) == 12


def test_a_reminder_says_so_and_counts(launched, mailoutbox):
    mailing.send_invitations(launched)
    invitation = Invitation.objects.filter(wave=launched).first()
    report = mailing.send_reminders(Invitation.objects.filter(pk=invitation.pk))
    assert report["sent"] == 1
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1 and invitation.last_reminded_at is not None
    reminder = mailoutbox[-1]
    assert reminder.to == [invitation.email]
    assert next(m for m in mailoutbox if m.to == reminder.to).subject != reminder.subject
    with translation.override(invitation.language):
        assert reminder.subject == translation.gettext("Reminder: %(title)s") % {
            "title": launched.survey.title_en if invitation.language == "en"
            else launched.survey.title_fr}
    assert invitation.token in reminder.body


def test_each_email_says_its_language_and_is_recorded(launched, smtp_server):
    mailing.send_invitations(launched)
    received = _by_recipient(smtp_server.messages)
    invitations = list(Invitation.objects.filter(wave=launched))
    for invitation in invitations:
        message = received[invitation.email]
        assert message["Content-Language"] == invitation.language
        assert message["Auto-Submitted"] == "auto-generated"
    rows = {row.reference: row for row in SentMail.objects.filter(kind="wave_invitation")}
    assert {(ref, row.recipient, row.status) for ref, row in rows.items()} == \
        {(str(i.pk), i.email, "sent") for i in invitations}
    mailing.send_reminders(Invitation.objects.filter(pk=invitations[0].pk))
    reminder = SentMail.objects.get(kind="wave_reminder")
    assert (reminder.reference, reminder.status) == (str(invitations[0].pk), "sent")


def test_a_busy_mail_server_is_asked_again(launched, smtp_server):
    busy = {"left": 2}

    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if busy["left"]:
            busy["left"] -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = handle_rcpt
    report = mailing.send_invitations(launched)
    assert (report["sent"], report["failed"]) == (12, 0)
    assert SentMail.objects.filter(attempts=3).count() == 1


def test_a_reminder_refused_by_the_mail_server_gives_its_contact_claim_back(launched,
                                                                            smtp_server):
    mailing.send_invitations(launched)
    refused = Invitation.objects.filter(wave=launched).order_by("pk")[3]

    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if address == refused.email:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = handle_rcpt
    chosen = Invitation.objects.filter(wave=launched)
    report = mailing.send_reminders(chosen)
    assert (report["sent"], report["failed"], report["held"]) == (
        11, 1, {"opted_out": 0, "quiet_period": 0, "contact_cap": 0})
    claims = Solicitation.objects.filter(source=mailing.REMINDER_SOURCE,
                                         reference=f"wave:{launched.pk}:reminder:1")
    assert claims.count() == 11
    assert not claims.filter(person_id=refused.person_id).exists()  # given back
    refused.refresh_from_db()
    assert refused.reminders_sent == 0
    del smtp_server.handle_RCPT
    assert mailing.send_reminders(Invitation.objects.filter(pk=refused.pk))["sent"] == 1
    assert claims.filter(person_id=refused.person_id).count() == 1
