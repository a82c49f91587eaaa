"""The one mail sender against a real SMTP server: batching, headers, retries, the failure
policy and the record of every send."""

from __future__ import annotations

import pytest

from phare.core.models import SentMail
from phare.lib import mail
from phare.lib.mail import MailServerDown, Message, Status, send_batch

pytestmark = pytest.mark.django_db


def message(n: int = 1, **fields) -> Message:
    values = {"to": f"person{n}@example.org", "subject": f"Hello {n}", "text": f"Body {n}",
              "kind": "test_kind", "language": "fr", "reference": str(n)}
    return Message(**{**values, **fields})


def test_a_batch_sends_every_message_over_one_connection(inbox):
    outcomes = send_batch(message(n) for n in range(5))
    assert [(o.status, o.attempts) for o in outcomes] == [(Status.SENT, 1)] * 5
    assert sorted(m["To"] for m in inbox.messages) == [f"person{n}@example.org"
                                                       for n in range(5)]
    assert inbox.connections == 1


def test_the_headers_arrive_as_given(inbox, settings):
    send_batch([message(1, language="en", html="<p>Body 1</p>",
                        unsubscribe="http://localhost:8000/s/optout/abc/",
                        headers={"X-Phare-Test": "yes"}),
                message(2)])
    first, second = sorted(inbox.messages, key=lambda m: m["To"])
    assert first["From"] == settings.DEFAULT_FROM_EMAIL
    assert first["Subject"] == "Hello 1"
    assert first["Content-Language"] == "en"
    assert first["Auto-Submitted"] == "auto-generated"
    assert first["List-Unsubscribe"] == "<http://localhost:8000/s/optout/abc/>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first["X-Phare-Test"] == "yes"
    assert first.get_body(("plain",)).get_content().strip() == "Body 1"
    assert first.get_body(("html",)).get_content().strip() == "<p>Body 1</p>"
    # Without a link, no unsubscribe headers; the others are always there.
    assert second["List-Unsubscribe"] is None and second["List-Unsubscribe-Post"] is None
    assert second["Content-Language"] == "fr"
    assert second["Auto-Submitted"] == "auto-generated"
    assert second.get_body(("html",)) is None


def test_a_busy_server_is_tried_again_with_a_doubling_wait(inbox, settings, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(mail, "sleep", waits.append)
    settings.PHARE_MAIL_RETRIES, settings.PHARE_MAIL_RETRY_SECONDS = 4, 2
    inbox.busy = 3  # 451 three times, then accepted
    [outcome] = send_batch([message()])
    assert (outcome.status, outcome.attempts) == (Status.SENT, 4)
    assert waits == [2, 4, 8]
    assert len(inbox.messages) == 1


def test_a_transient_failure_after_every_attempt_is_failed(inbox, settings):
    settings.PHARE_MAIL_RETRIES = 2
    inbox.busy = 2
    first, second = send_batch([message(1), message(2)])
    assert (first.status, first.attempts) == (Status.FAILED, 2)
    assert "451" in first.error
    assert (second.status, second.attempts) == (Status.SENT, 1)


def test_a_dropped_connection_is_opened_again(inbox):
    inbox.drops = 1
    outcomes = send_batch([message(1), message(2), message(3)])
    assert [(o.status, o.attempts) for o in outcomes] == [(Status.SENT, 2), (Status.SENT, 1),
                                                          (Status.SENT, 1)]
    assert len(inbox.messages) == 3
    assert inbox.connections == 2  # the one dropped, then one for all the rest


def test_a_refused_recipient_is_not_tried_again_and_the_others_go(inbox):
    inbox.refuse = {"person2@example.org"}
    outcomes = send_batch([message(1), message(2), message(3)])
    assert [(o.status, o.attempts) for o in outcomes] == [(Status.SENT, 1),
                                                          (Status.REFUSED, 1),
                                                          (Status.SENT, 1)]
    assert "550" in outcomes[1].error
    assert sorted(m["To"] for m in inbox.messages) == ["person1@example.org",
                                                       "person3@example.org"]
    assert inbox.connections == 1  # a refusal keeps the connection


def test_refusals_in_a_row_do_not_mean_the_server_is_down(inbox):
    count = mail.MAX_FAILURES_IN_A_ROW + 2
    inbox.refuse = {f"person{n}@example.org" for n in range(count)}
    outcomes = send_batch(message(n) for n in range(count))
    assert [o.status for o in outcomes] == [Status.REFUSED] * count


def test_the_batch_stops_after_failures_in_a_row(inbox):
    inbox.busy = 10_000
    tried: list[int] = []

    def messages():
        for n in range(mail.MAX_FAILURES_IN_A_ROW + 5):
            tried.append(n)
            yield message(n)

    with pytest.raises(MailServerDown) as stopped:
        send_batch(messages())
    assert len(tried) == mail.MAX_FAILURES_IN_A_ROW  # the ones after were not tried
    assert [(o.status, o.attempts) for o in stopped.value.outcomes] == \
        [(Status.FAILED, 3)] * mail.MAX_FAILURES_IN_A_ROW
    assert inbox.messages == []


def test_a_message_sent_starts_the_count_again(inbox, settings):
    settings.PHARE_MAIL_RETRIES = 1
    short = mail.MAX_FAILURES_IN_A_ROW - 1

    def messages():
        inbox.busy = short  # one short of the limit…
        yield from (message(n) for n in range(short + 1))  # …then one sent
        inbox.busy = short  # and as many again
        yield from (message(n) for n in range(short + 1, 2 * short + 1))

    outcomes = send_batch(messages())
    assert [o.status for o in outcomes] == [Status.FAILED] * short + [Status.SENT] + \
        [Status.FAILED] * short


def test_an_unreachable_server_fails_every_message_then_stops(settings, inbox, closed_port):
    settings.EMAIL_PORT = closed_port
    with pytest.raises(MailServerDown) as stopped:
        send_batch(message(n) for n in range(mail.MAX_FAILURES_IN_A_ROW))
    outcomes = stopped.value.outcomes
    assert [(o.status, o.attempts) for o in outcomes] == \
        [(Status.FAILED, 3)] * mail.MAX_FAILURES_IN_A_ROW
    assert all(o.error for o in outcomes)


def test_every_outcome_is_recorded(inbox, settings):
    settings.PHARE_MAIL_RETRIES = 2
    inbox.refuse = {"person2@example.org"}
    inbox.busy = 0
    send_batch([message(1, kind="wave_invitation")])
    inbox.busy = 2
    send_batch([message(3, kind="need_digest"), message(2, kind="ticket_invitation")])
    rows = {row.reference: row for row in SentMail.objects.all()}
    assert set(rows) == {"1", "2", "3"}
    sent, refused, failed = rows["1"], rows["2"], rows["3"]
    assert (sent.kind, sent.recipient, sent.status, sent.attempts, sent.error) == \
        ("wave_invitation", "person1@example.org", "sent", 1, "")
    assert (refused.kind, refused.status, refused.attempts) == ("ticket_invitation",
                                                                "refused", 1)
    assert "550" in refused.error
    assert (failed.kind, failed.recipient, failed.status, failed.attempts) == \
        ("need_digest", "person3@example.org", "failed", 2)
    assert "451" in failed.error
    assert all(row.at is not None for row in rows.values())


def test_a_stopped_batch_records_its_last_failure_too(inbox):
    inbox.busy = 10_000
    with pytest.raises(MailServerDown):
        send_batch(message(n) for n in range(mail.MAX_FAILURES_IN_A_ROW))
    assert SentMail.objects.filter(status="failed").count() == mail.MAX_FAILURES_IN_A_ROW


def test_it_attaches_files_with_their_mimetype(inbox):
    invitation = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    send_batch([message(1, html="<p>Body 1</p>",
                        attachments=(("invite.ics", invitation,
                                      "text/calendar; method=REQUEST"),
                                     ("notes.bin", b"\x00\x01", "application/octet-stream")))])
    [received] = inbox.messages
    assert received.get_body(("plain",)).get_content().strip() == "Body 1"
    calendar, binary = list(received.iter_attachments())
    assert calendar.get_filename() == "invite.ics"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content().splitlines() == ["BEGIN:VCALENDAR", "METHOD:REQUEST",
                                                   "END:VCALENDAR"]
    assert (binary.get_filename(), binary.get_content()) == ("notes.bin", b"\x00\x01")
