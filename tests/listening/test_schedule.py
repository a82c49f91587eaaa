"""The periodic tick (listening's two steps, run by ``periodic.run_due``): waves closed on time,
reminders to non-respondents only, on their days."""

from __future__ import annotations

import datetime as dt
import io
import logging
import socket
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext

from phare.contact import services as contact
from phare.contact.models import Category, Solicitation
from phare.lib import mail, periodic
from phare.listening import mailing, queries, schedule, services
from phare.listening.models import Invitation, Survey, Wave
from tests.listening.factories import make_barometer, make_crowd, plan

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def sent(org) -> tuple[Wave, dt.datetime]:
    """A wave of 10 people (reminders on days 7 and 14), its invitations sent at ``t0``."""
    make_crowd(org, n=10)
    wave = plan(make_barometer())
    services.wave_launch(wave)
    t0 = timezone.now()
    assert mailing.send_invitations(wave, now=t0)["sent"] == 10
    return wave, t0


def _tick(now: dt.datetime) -> dict[str, Any]:
    """Every app's periodic steps once, as ``phare tick`` runs them."""
    return periodic.run_due(now)


def _reminded(now: dt.datetime) -> int:
    """The reminders the tick at ``now`` sent (none of its steps failing)."""
    done = _tick(now)
    assert done["errors"] == []
    return done["listening.reminders"]["sent"]


def _answer(wave: Wave, count: int) -> set[int]:
    ids = set(Invitation.objects.filter(wave=wave).order_by("pk")
              .values_list("pk", flat=True)[:count])
    Invitation.objects.filter(pk__in=ids).update(responded_on=dt.date.today())
    return ids


def test_reminders_go_to_non_respondents_on_their_days_and_no_more(sent, mailoutbox):
    wave, t0 = sent
    answered = _answer(wave, 4)
    mailoutbox.clear()
    assert _reminded(t0 + 7 * DAY - dt.timedelta(minutes=1)) == 0
    assert _reminded(t0 + 7 * DAY) == 6
    reminded = {m.to[0] for m in mailoutbox}
    expected = set(Invitation.objects.filter(wave=wave).exclude(pk__in=answered)
                   .values_list("email", flat=True))
    assert reminded == expected  # respondents never get one
    assert _reminded(t0 + 8 * DAY) == 0  # once per day in the list
    _answer(wave, 5)  # one more answers between the reminders
    assert _reminded(t0 + 14 * DAY) == 5
    assert _reminded(t0 + 21 * DAY) == 0  # at most two
    counts = dict(Invitation.objects.filter(wave=wave).values_list("pk", "reminders_sent"))
    assert sorted(counts.values()) == [0] * 4 + [1] + [2] * 5
    assert len(mailoutbox) == 11


def test_no_reminder_to_someone_who_opted_out_since(sent, mailoutbox):
    wave, t0 = sent
    quitter = Invitation.objects.filter(wave=wave).first()
    services.opt_out_record(person_id=quitter.person_id)
    assert _reminded(t0 + 7 * DAY) == 9
    assert quitter.email not in {m.to[0] for m in mailoutbox[10:]}


def test_the_tick_closes_waves_past_their_closing_day_and_stops_reminding(sent):
    wave, t0 = sent
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate(t0) + 3 * DAY)
    assert _tick(t0 + 3 * DAY)["listening.waves"] == 0
    done = _tick(t0 + 7 * DAY)
    assert (done["listening.waves"], done["listening.reminders"]["sent"]) == (1, 0)
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED
    assert not queries.due_reminders(t0 + 30 * DAY).exists()


def test_a_closed_survey_reminds_nobody(sent):
    wave, t0 = sent
    services.survey_set_status(wave.survey, Survey.Status.CLOSED)
    assert _reminded(t0 + 7 * DAY) == 0
    wave.refresh_from_db()
    assert not queries.reminders_now(wave, now=t0 + 3 * DAY).exists()
    with pytest.raises(services.WaveConflict):
        services.wave_remind(wave)


def test_reminding_now_counts_as_one_of_the_reminders(sent, mailoutbox):
    wave, t0 = sent
    _answer(wave, 2)
    assert not queries.reminders_now(wave, now=t0 + dt.timedelta(hours=2)).exists()  # just invited
    report = mailing.send_reminders(queries.reminders_now(wave, now=t0 + 3 * DAY), now=t0 + 3 * DAY)
    assert report["sent"] == 8
    assert not queries.reminders_now(wave, now=t0 + 3 * DAY + dt.timedelta(hours=5)).exists()
    # The day-7 reminder was that one: the next is on day 14.
    assert _reminded(t0 + 7 * DAY) == 0
    assert _reminded(t0 + 14 * DAY) == 8


def test_a_twin_run_sends_each_reminder_once(sent, mailoutbox):
    wave, t0 = sent
    chosen_by_the_twin = list(queries.due_reminders(t0 + 7 * DAY))  # chosen, not sent yet
    assert mailing.send_reminders(queries.due_reminders(t0 + 7 * DAY), now=t0 + 7 * DAY)[
        "sent"] == 10
    assert mailing.send_reminders(chosen_by_the_twin, now=t0 + 7 * DAY)["sent"] == 0
    assert len(mailoutbox) == 20
    assert set(Invitation.objects.filter(wave=wave).values_list("reminders_sent",
                                                                flat=True)) == {1}


def test_reminders_a_quiet_period_holds_back_are_reported_and_go_later(sent, org, caplog):
    wave, t0 = sent
    day7 = timezone.localdate(t0 + 7 * DAY)
    contact.quiet_period_save(name="Clôture", starts_on=day7, ends_on=day7,
                              units=[org["sales"]], categories=[Category.SURVEY])
    with caplog.at_level(logging.INFO, logger="phare.listening.schedule"):
        done = _tick(t0 + 7 * DAY)
    assert done["listening.reminders"]["held"] == {
        "opted_out": 0, "quiet_period": 4, "contact_cap": 0}  # VEN: 4 of the 10
    assert done["listening.reminders"]["sent"] == 6
    assert "held back by contact pressure until a later tick: quiet_period 4" in caplog.text
    assert _reminded(t0 + 8 * DAY) == 4  # the day after the period
    assert _reminded(t0 + 9 * DAY) == 0


def test_the_listening_tick_knows_nothing_of_tickets(db):
    # Ticket surveys are the tickets app's own periodic step (tests/tickets/test_schedule.py).
    listening = {name for name in periodic.steps() if name.startswith("listening")}
    assert listening == {"listening.waves", "listening.reminders"}
    assert not any("ticket" in key for key in schedule.send_reminders(timezone.now()))


def test_a_failing_step_is_reported_and_the_others_still_run(sent, mailoutbox):
    wave, t0 = sent

    with mock.patch("phare.listening.services.close_past_waves", side_effect=RuntimeError):
        done = periodic.run_due(t0 + 7 * DAY)
    assert done["errors"] == ["listening.waves"]
    assert done["listening.reminders"]["sent"] == 10


def test_reminders_stopped_by_a_mail_server_down_are_a_failed_step(sent, settings):
    wave, t0 = sent
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed
    settings.PHARE_MAIL_RETRIES = 1
    assert mail.MAX_FAILURES_IN_A_ROW == 10  # the tenth of the wave's ten reminders stops it
    # Invited a week ago: the first reminders are due now, when `phare tick` runs.
    Invitation.objects.filter(wave=wave).update(sent_at=t0 - 7 * DAY)
    done = periodic.run_due()
    assert done["listening.reminders"] == {
        "sent": 0, "failed": 10, "stopped": True,
        "held": {"opted_out": 0, "quiet_period": 0, "contact_cap": 0}}
    assert not Invitation.objects.filter(wave=wave, reminders_sent__gt=0).exists()  # given back
    # Their places in the contact budget too.
    assert not Solicitation.objects.filter(source=mailing.REMINDER_SOURCE).exists()
    out = io.StringIO()
    with pytest.raises(CommandError, match="listening.reminders"):
        call_command("tick", stdout=out)
    assert gettext("Reminders sent: %(sent)s (failed: %(failed)s)") % {
        "sent": 0, "failed": 10} in out.getvalue()


def test_phare_tick_says_what_it_did(db):
    out = io.StringIO()
    call_command("tick", stdout=out)
    # Waves closed, reminders sent, ticket surveys sent, then the needs' digests: every app's
    # periodic step.
    assert out.getvalue().count("\n") == 4
    assert ": 0" in out.getvalue()


def test_the_worker_runs_one_tick_before_its_batch(db, settings):
    settings.TASK_BACKEND = "database"
    calls = []
    tick = mock.Mock(return_value=1)
    with mock.patch("phare.core.management.commands.worker.call_command",
                    side_effect=lambda *a, **k: calls.append((a, k))), \
            mock.patch.dict(periodic._STEPS, {"listening.waves": tick}):
        call_command("worker", "--batch", stdout=io.StringIO())
        assert tick.call_count == 1
        assert calls[0][0] == ("db_worker",) and calls[0][1]["batch"] is True
        call_command("worker", "--batch", "--no-tick", stdout=io.StringIO())
        assert tick.call_count == 1


def test_the_worker_keeps_ticking_when_a_tick_fails(db):
    import threading

    from phare.core.management.commands import worker

    stop, seen = threading.Event(), []

    def failing_tick(*args, **kwargs):
        seen.append(1)
        if len(seen) >= 3:
            stop.set()
        raise RuntimeError("boom")

    with mock.patch.dict(periodic._STEPS, {"listening.waves": failing_tick}), \
            mock.patch("phare.core.management.commands.worker.connections"):
        worker.tick_forever(0.01, stop)
    assert len(seen) == 3


def test_a_barometer_reaches_a_sample_of_the_directory_with_reminders(
        org, mailoutbox, django_capture_on_commit_callbacks):
    from tests.listening.factories import full_answers

    make_crowd(org, n=40)
    survey = make_barometer()
    wave = services.wave_create(survey, name="Baromètre 2025", opens_on=dt.date.today(),
                             closes_on=dt.date.today() + 30 * DAY,
                             audience={"sample": 16, "stratify_by": "business_unit", "seed": 9},
                             reminder_days=[7])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wave_launch(wave)["invited"] == 16
    assert len(mailoutbox) == 16
    invitations = list(Invitation.objects.filter(wave=wave).order_by("pk"))
    for invitation in invitations[:6]:  # six answer through their link
        services.response_submit(survey=survey, answers=full_answers(), channel="invitation",
                                 invitation=invitation)
    rates = queries.response_rates(wave)["overall"]
    assert (rates["sent"], rates["responded"]) == (16, 6)
    later = max(i.sent_at for i in invitations) + 7 * DAY
    assert _reminded(later) == 10
    reminded = {m.to[0] for m in mailoutbox[16:]}
    assert reminded == {i.email for i in invitations[6:]}
    assert _reminded(later + 7 * DAY) == 0
