"""Sending an action: the job to a real SMTP server, the control group, the pressure policy,
resumption after a crash, nothing sent twice, a mail server down, bounces, the test email and
the actions due at their time."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone, translation
from icalendar import Calendar

import phare.comms.jobs  # noqa: F401  (registers the comms.send job handler)
from phare.comms.models import Action, ActionChange, Bounce, Delivery, Link
from phare.comms.services import sending
from phare.comms.services.sending import SendRefused
from phare.contact.models import OptOut, Solicitation
from phare.directory.models import BusinessUnit
from phare.jobs.models import Job
from phare.jobs.services import job_run
from phare.lib import mail
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(org) -> BusinessUnit:
    return BusinessUnit.objects.create(code="MKT", name="Marketing")


@pytest.fixture
def audience(unit):
    return make_audience({"units": ["MKT"]}, name="Marketing")


def approved(personas, audience, **extra) -> Action:
    values = {"status": Action.Status.APPROVED, "audience": audience,
              "owner": personas["marketing"]}
    values.update(extra)
    return make_action(make_plan(), **values)


def refuse(server, addresses: set[str]) -> None:
    """Make the test SMTP server answer 550 to these recipients."""
    async def handle_rcpt(server_, session, envelope, address, rcpt_options):
        if address in addresses:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    server.handle_RCPT = handle_rcpt


def run(action: Action, user) -> Job:
    job = sending.send_start(action=action, user=user)
    return job_run(job)


def test_it_sends_an_approved_campaign_to_its_audience(smtp_server, org, unit, audience,
                                                        personas):
    french = make_people(org, 3, unit=unit)
    english = make_people(org, 2, prefix="E", unit=unit, language="en")
    action = approved(personas, audience)
    job = sending.send_start(action=action, user=personas["marketing"])
    action.refresh_from_db()
    assert (job.kind, job.params["action_id"], action.status) == (
        "comms.send", action.pk, Action.Status.SENDING)
    job = job_run(job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"sent": 5, "skipped": 0, "refused": 0, "failed": 0, "uncertain": 0,
                          "queued": 0, "control": 0}
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        p.email for p in french + english)
    by_address = {m["To"]: m for m in smtp_server.messages}
    first = by_address[french[0].email]
    assert first["Subject"] == "Bonjour First1"
    assert first["Content-Language"] == "fr"
    delivery = Delivery.objects.get(action=action, person=french[0])
    assert first["List-Unsubscribe"] == f"<http://localhost:8000/m/u/{delivery.token}/>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = Link.objects.get(action=action)
    assert f"/m/c/{delivery.token}/{link.pk}/" in smtp_server.body(first)
    assert by_address[english[0].email]["Subject"] == "Hello First1"
    assert "Discover the portal" in smtp_server.body(by_address[english[0].email])
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.sent_at is not None
    assert list(action.history.values_list("from_status", "to_status")) == [
        ("approved", "sending"), ("sending", "done")]
    assert set(Delivery.objects.filter(action=action).values_list("status", flat=True)) == {
        "sent"}
    assert Solicitation.objects.filter(source="comms.action", reference=str(action.pk),
                                       category="newsletter").count() == 5


def test_it_sends_an_event_invitation_with_its_calendar_file(smtp_server, org, unit,
                                                              audience, personas):
    [person] = make_people(org, 1, unit=unit)
    starts = timezone.now() + dt.timedelta(days=10)
    action = approved(personas, audience, kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
                      category="event", starts_at=starts, location="Auditorium")
    assert run(action, personas["marketing"]).status == Job.Status.SUCCEEDED
    [received] = smtp_server.messages
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    [event] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(event["location"]) == "Auditorium"
    token = Delivery.objects.get(action=action, person=person).token
    assert f"/m/r/{token}/" in smtp_server.body(received)


def test_it_refuses_to_send_what_is_not_approved(org, audience, personas):
    action = approved(personas, audience, status=Action.Status.READY)
    with pytest.raises(SendRefused) as refused:
        sending.send_start(action=action, user=personas["marketing"])
    assert refused.value.field == "status"
    assert not Job.objects.exists()
    action.refresh_from_db()
    assert action.status == Action.Status.READY


def test_it_needs_an_executives_approval_to_email_everyone(org, audience, personas):
    action = approved(personas, None, everyone=True, approved_by=personas["marketing"])
    with pytest.raises(SendRefused) as refused:
        sending.send_start(action=action, user=personas["marketing"])
    assert refused.value.field == "approved_by"
    action.approved_by = personas["executive"]
    action.save()
    assert sending.send_start(action=action, user=personas["marketing"]).kind == "comms.send"


def test_it_holds_out_the_same_random_control_group(smtp_server, org, unit, audience,
                                                    personas):
    people = make_people(org, 20, unit=unit)
    action = approved(personas, audience, holdout_percent=25)
    job = run(action, personas["marketing"])
    assert (job.result["sent"], job.result["control"]) == (15, 5)
    control = set(Delivery.objects.filter(action=action, group="control")
                  .values_list("person_id", flat=True))
    assert control == set(random.Random(action.pk).sample(sorted(p.pk for p in people), 5))
    assert not {m["To"] for m in smtp_server.messages} & {
        p.email for p in people if p.pk in control}
    assert set(Delivery.objects.filter(action=action, group="control")
               .values_list("status", flat=True)) == {"none"}


def test_it_skips_the_people_the_pressure_policy_refuses_and_suppressed_addresses(
        smtp_server, org, unit, audience, personas):
    opted, tired, bounced, fine = make_people(org, 4, unit=unit)
    OptOut.objects.create(person=opted, category="newsletter")
    for n in range(3):
        Solicitation.objects.create(person=tired, category="survey", source="test",
                                    reference=str(n), at=timezone.now() - dt.timedelta(days=1))
    Bounce.objects.create(email=bounced.email.upper(), count=2, suppressed=True)
    job = run(approved(personas, audience), personas["marketing"])
    assert (job.result["sent"], job.result["skipped"]) == (1, 3)
    assert [m["To"] for m in smtp_server.messages] == [fine.email]
    reasons = dict(Delivery.objects.filter(group="skipped").values_list("person_id", "reason"))
    assert reasons == {opted.pk: "opted_out", tired.pk: "contact_cap",
                       bounced.pk: "suppressed"}


def test_it_never_sends_twice(smtp_server, org, unit, audience, personas):
    make_people(org, 3, unit=unit)
    action = approved(personas, audience)
    run(action, personas["marketing"])
    # Run again (a job repeated by hand): nothing left to send, nothing drawn again.
    Action.objects.filter(pk=action.pk).update(status=Action.Status.SENDING)
    report = sending.send_action(action.pk)
    assert report["sent"] == 3 and len(smtp_server.messages) == 3
    assert Delivery.objects.filter(action=action).count() == 3
    # Once done, a job of the same action does nothing.
    assert sending.send_action(action.pk)["sent"] == 3
    assert len(smtp_server.messages) == 3


def test_it_resumes_after_a_crash_without_sending_again(smtp_server, org, unit, audience,
                                                        personas, monkeypatch):
    make_people(org, 5, unit=unit)
    action = approved(personas, audience)
    real_send = mail.Batch.send
    calls = []

    def crash_on_the_third(self, message):
        calls.append(message.to)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the worker killed while this email was going
        return real_send(self, message)

    monkeypatch.setattr(mail.Batch, "send", crash_on_the_third)
    sending.send_start(action=action, user=personas["marketing"])
    with pytest.raises(KeyboardInterrupt):
        sending.send_action(action.pk)
    statuses = list(Delivery.objects.filter(action=action).order_by("pk")
                    .values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sending", "queued", "queued"]
    monkeypatch.setattr(mail.Batch, "send", real_send)
    report = sending.send_action(action.pk)
    assert (report["sent"], report["uncertain"], report["queued"]) == (4, 1, 0)
    statuses = list(Delivery.objects.filter(action=action).order_by("pk")
                    .values_list("status", flat=True))
    assert statuses == ["sent", "sent", "uncertain", "sent", "sent"]
    # The one interrupted is never sent again: four emails reached the server.
    assert len(smtp_server.messages) == 4
    assert calls[2] not in [m["To"] for m in smtp_server.messages]
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_it_stops_when_the_mail_server_is_down_and_leaves_the_rest_queued(
        org, unit, audience, personas, settings, monkeypatch, smtp_server):
    make_people(org, 5, unit=unit)
    action = approved(personas, audience)
    port = settings.EMAIL_PORT
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # nobody listens there
    settings.PHARE_MAIL_RETRIES, settings.PHARE_MAIL_RETRY_SECONDS = 1, 0
    monkeypatch.setattr(mail, "MAX_FAILURES_IN_A_ROW", 3)
    job = run(action, personas["marketing"])
    assert job.status == Job.Status.FAILED
    assert "3" in job.error and "PHARE_EMAIL_URL" in job.error
    assert set(Delivery.objects.filter(action=action).values_list("status", flat=True)) == {
        "queued"}
    assert not Solicitation.objects.filter(reference=str(action.pk)).exists()
    action.refresh_from_db()
    assert action.status == Action.Status.SENDING
    # The server is back: sending again sends everything, once.
    settings.EMAIL_PORT = port
    job = run(action, personas["marketing"])
    assert job.status == Job.Status.SUCCEEDED and job.result["sent"] == 5
    assert len(smtp_server.messages) == 5


def test_it_counts_refusals_and_suppresses_an_address_at_the_limit(smtp_server, org, unit,
                                                                   audience, personas):
    gone, fine = make_people(org, 2, unit=unit)
    refuse(smtp_server, {gone.email})
    job = run(approved(personas, audience, title="Un"), personas["marketing"])
    assert (job.result["sent"], job.result["refused"]) == (1, 1)
    refused = Delivery.objects.get(person=gone)
    assert refused.status == "refused" and "550" in refused.error
    # Its claim is given back: the refusal does not count against the person's budget.
    assert not Solicitation.objects.filter(person=gone).exists()
    bounce = Bounce.objects.get(email=gone.email)
    assert (bounce.count, bounce.suppressed) == (1, False)
    run(approved(personas, audience, title="Deux"), personas["marketing"])
    bounce.refresh_from_db()
    assert (bounce.count, bounce.suppressed) == (2, True)
    # Not even a mandatory notice goes to an address that keeps being refused.
    job = run(approved(personas, audience, title="Trois", category="notice", mandatory=True),
              personas["marketing"])
    assert (job.result["sent"], job.result["skipped"], job.result["refused"]) == (1, 1, 0)
    assert Delivery.objects.get(action__title="Trois", person=gone).reason == "suppressed"


def test_it_emails_a_test_to_oneself_and_records_no_delivery(smtp_server, org, audience,
                                                             personas):
    action = approved(personas, audience, status=Action.Status.READY)
    outcome = sending.deliver_test(action=action, user=personas["marketing"], language="en")
    assert outcome.sent
    [received] = smtp_server.messages
    assert received["To"] == personas["marketing"].email
    assert received["Subject"] == "[TEST] Hello Mathilde"
    assert received["List-Unsubscribe"] is None
    assert "https://intranet.example.com/" in smtp_server.body(received)
    assert not Delivery.objects.exists() and not Link.objects.exists()
    assert not Solicitation.objects.exists()
    with pytest.raises(SendRefused) as refused:
        sending.deliver_test(action=action, user=personas["marketing"], language="de")
    assert refused.value.field == "language"


def test_it_starts_the_actions_due_once(org, audience, personas):
    now = timezone.now()
    due = approved(personas, audience, title="Due", send_at=now - dt.timedelta(minutes=5))
    later = approved(personas, audience, title="Later", send_at=now + dt.timedelta(hours=1))
    news = approved(personas, None, title="News", channel=Action.Channel.PORTAL,
                    send_at=now - dt.timedelta(minutes=1))
    started = sending.send_due(now)
    assert [a.pk for a in started] == [due.pk, news.pk]
    due.refresh_from_db()
    news.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, news.status, later.status) == ("sending", "done", "approved")
    assert Job.objects.filter(kind="comms.send").count() == 1
    # The next tick starts nothing again.
    assert sending.send_due(now + dt.timedelta(minutes=1)) == []
    assert Job.objects.filter(kind="comms.send").count() == 1
    assert sending.send_due_step(now + dt.timedelta(hours=2)) == {"started": [later.pk]}


def test_it_notes_once_why_a_due_action_could_not_start(org, personas):
    action = approved(personas, None, send_at=timezone.now() - dt.timedelta(minutes=1))
    with translation.override("en"):
        assert sending.send_due() == [] and sending.send_due() == []
    [note] = ActionChange.objects.filter(action=action)
    assert "audience" in note.comment
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED


def test_it_publishes_portal_news_and_refuses_to_send_it(org, personas):
    news = approved(personas, None, channel=Action.Channel.PORTAL)
    with pytest.raises(SendRefused):
        sending.send_start(action=news, user=personas["marketing"])
    sending.publish(action=news, user=personas["marketing"])
    news.refresh_from_db()
    assert news.status == Action.Status.DONE and news.sent_at is not None
    with pytest.raises(SendRefused):
        sending.publish(action=news, user=personas["marketing"])
