"""Wave reminders under the one contact-pressure budget: each is a survey solicitation claimed
in the ledger before it goes (campaigns then see it), given back when not sent; those the
budget refuses (opted out, in a quiet period, over the budget) are held, stay due and go at a
later tick, never twice, never after the wave closes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone, translation

from phare.contact import policy
from phare.contact import services as contact
from phare.contact.models import Category, Solicitation
from phare.jobs.services import job_run
from phare.lib import periodic
from phare.listening import mailing, pressure, queries, services
from phare.listening.models import Invitation, Wave
from tests.listening.factories import make_barometer, make_crowd, plan

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
NONE_HELD = {"opted_out": 0, "quiet_period": 0, "contact_cap": 0}


@pytest.fixture(autouse=True)
def _budgets(settings):
    settings.PHARE_SURVEY_CONTACT_CAP = 4
    settings.PHARE_SURVEY_CONTACT_DAYS = 90
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_CONTACT_RESERVE = 1


@pytest.fixture
def sent(org) -> tuple[Wave, dt.datetime]:
    """A wave of 8 people (DG, DSI, VEN, VEN twice; reminders on days 7 and 14), its
    invitations sent at ``t0``."""
    make_crowd(org, n=8)
    wave = plan(make_barometer())
    services.wave_launch(wave)
    t0 = timezone.now()
    assert mailing.send_invitations(wave, now=t0)["sent"] == 8
    return wave, t0


def _tick(now: dt.datetime) -> dict[str, Any]:
    done = periodic.run_due(now)
    assert done["errors"] == []
    result: dict[str, Any] = done["listening.reminders"]
    return result


def _invitation(wave: Wave, index: int) -> Invitation:
    return Invitation.objects.filter(wave=wave).select_related("person").order_by("pk")[index]


def _solicit_at(person_id: int, at: dt.datetime, n: int) -> None:
    Solicitation.objects.bulk_create([
        Solicitation(person_id=person_id, category=Category.NEWSLETTER, source="test",
                     reference=f"r{i}", at=at) for i in range(n)])


def test_it_counts_a_reminder_in_the_budget_a_campaign_sees(sent):
    wave, t0 = sent
    reminded, answered = _invitation(wave, 0), _invitation(wave, 1)
    Invitation.objects.filter(pk=answered.pk).update(responded_on=dt.date.today())
    at = t0 + 7 * DAY
    assert _tick(at) == {"sent": 7, "failed": 0, "stopped": False, "held": NONE_HELD}
    claim = Solicitation.objects.get(person_id=reminded.person_id)
    assert (claim.category, claim.source, claim.reference, claim.at) == (
        Category.SURVEY, "listening.reminder", f"wave:{wave.pk}:reminder:1", at)
    start, end = policy.window(at)
    assert policy.load([reminded.person_id, answered.person_id], start=start, end=end) == {
        reminded.person_id: 1, answered.person_id: 0}
    # A campaign the same day, after one newsletter each: the reminder spent the place a
    # newsletter had left for the one who did not answer.
    for invitation in (reminded, answered):
        _solicit_at(invitation.person_id, at - DAY, 1)
    refused = contact.claim(person_ids=[reminded.person_id, answered.person_id],
                            category=Category.NEWSLETTER, mandatory=False, source="comms",
                            reference="action-1", now=at)
    assert refused == {reminded.person_id: policy.CONTACT_CAP}


def test_it_claims_the_second_reminder_apart_from_the_first(sent):
    wave, t0 = sent
    person_id = _invitation(wave, 0).person_id
    assert _tick(t0 + 7 * DAY)["sent"] == 8
    assert _tick(t0 + 14 * DAY)["sent"] == 8
    assert sorted(Solicitation.objects.filter(person_id=person_id)
                  .values_list("reference", flat=True)) == [
        f"wave:{wave.pk}:reminder:1", f"wave:{wave.pk}:reminder:2"]


def test_a_quiet_period_holds_a_reminder_back_and_it_goes_after(sent, org, mailoutbox):
    wave, t0 = sent
    day7 = timezone.localdate(t0 + 7 * DAY)
    contact.quiet_period_save(name="Clôture", starts_on=day7, ends_on=day7 + 2 * DAY,
                              units=[org["dg"]], categories=[Category.SURVEY])
    quiet = set(Invitation.objects.filter(wave=wave, unit_code__in=["DG", "DSI"])
                .values_list("email", flat=True))
    assert len(quiet) == 4  # DG and its sub-unit DSI
    mailoutbox.clear()
    assert _tick(t0 + 7 * DAY) == {"sent": 4, "failed": 0, "stopped": False,
                                   "held": {**NONE_HELD, "quiet_period": 4}}
    assert not quiet & {m.to[0] for m in mailoutbox}
    assert not Solicitation.objects.filter(person__email__in=quiet).exists()
    # Still due at each tick of the period, and held again.
    assert queries.due_reminders(t0 + 8 * DAY).count() == 4
    assert _tick(t0 + 9 * DAY)["held"]["quiet_period"] == 4
    # The day after the period, they go; once.
    mailoutbox.clear()
    assert _tick(t0 + 10 * DAY) == {"sent": 4, "failed": 0, "stopped": False,
                                    "held": NONE_HELD}
    assert {m.to[0] for m in mailoutbox} == quiet
    assert _tick(t0 + 11 * DAY)["sent"] == 0
    assert set(Invitation.objects.filter(wave=wave).values_list("reminders_sent",
                                                                flat=True)) == {1}


def test_an_opted_out_person_gets_no_reminder(sent, mailoutbox):
    wave, t0 = sent
    contact_out, listening_out = _invitation(wave, 0), _invitation(wave, 1)
    contact.opt_out(person=contact_out.person, category=Category.SURVEY)
    services.opt_out_record(person_id=listening_out.person_id)
    mailoutbox.clear()
    # Listening's own opt-out is left out of the reminders due; the survey category's is held.
    assert _tick(t0 + 7 * DAY)["held"] == {**NONE_HELD, "opted_out": 1}
    assert _tick(t0 + 14 * DAY)["held"] == {**NONE_HELD, "opted_out": 1}
    # Given the invitations themselves (as a twin run chose them before the opt-outs).
    chosen = list(Invitation.objects.filter(pk__in=[contact_out.pk, listening_out.pk]))
    report = mailing.send_reminders(chosen, now=t0 + 15 * DAY)
    assert (report["sent"], report["held"]) == (0, {**NONE_HELD, "opted_out": 2})
    sent_to = {m.to[0] for m in mailoutbox}
    assert not {contact_out.email, listening_out.email} & sent_to
    assert len(sent_to) == 6
    assert not Solicitation.objects.filter(
        person_id__in=[contact_out.person_id, listening_out.person_id]).exists()
    assert set(Invitation.objects.filter(pk__in=[contact_out.pk, listening_out.pk])
               .values_list("reminders_sent", flat=True)) == {0}


def test_it_holds_a_reminder_over_the_budget_until_there_is_room(sent, mailoutbox):
    wave, t0 = sent
    busy = _invitation(wave, 2)
    # Three campaign emails the day before the first reminder: the budget is spent until the
    # window of a week no longer holds them.
    _solicit_at(busy.person_id, t0 + 6 * DAY, 3)
    mailoutbox.clear()
    assert _tick(t0 + 7 * DAY) == {"sent": 7, "failed": 0, "stopped": False,
                                   "held": {**NONE_HELD, "contact_cap": 1}}
    assert busy.email not in {m.to[0] for m in mailoutbox}
    assert _tick(t0 + 12 * DAY)["held"]["contact_cap"] == 1
    assert _tick(t0 + 13 * DAY + dt.timedelta(hours=1))["sent"] == 1  # a week after them
    busy.refresh_from_db()
    assert busy.reminders_sent == 1
    assert [m.to[0] for m in mailoutbox].count(busy.email) == 1


def test_a_held_reminder_is_not_sent_after_the_wave_closes(sent, org, mailoutbox):
    wave, t0 = sent
    day7 = timezone.localdate(t0 + 7 * DAY)
    Wave.objects.filter(pk=wave.pk).update(closes_on=day7 + DAY)
    contact.quiet_period_save(name="Clôture", starts_on=day7, ends_on=day7 + 5 * DAY,
                              units=[], categories=[])  # everyone, every category
    mailoutbox.clear()
    assert _tick(t0 + 7 * DAY)["held"]["quiet_period"] == 8
    done = periodic.run_due(t0 + 13 * DAY)
    assert done["listening.waves"] == 1 and done["listening.reminders"]["sent"] == 0
    assert mailoutbox == []
    assert not Solicitation.objects.filter(source=mailing.REMINDER_SOURCE).exists()


def test_a_twin_run_keeps_one_claim_each(sent, mailoutbox):
    wave, t0 = sent
    at = t0 + 7 * DAY
    chosen_by_the_twin = list(queries.due_reminders(at))
    assert mailing.send_reminders(queries.due_reminders(at), now=at)["sent"] == 8
    twin = mailing.send_reminders(chosen_by_the_twin, now=at)
    assert (twin["sent"], twin["held"]) == (0, NONE_HELD)
    # The twin found each reminder taken: the claims it shares stay, one per person.
    assert Solicitation.objects.filter(source=mailing.REMINDER_SOURCE).count() == 8


def test_a_reminder_not_sent_because_the_person_answered_gives_its_claim_back(sent):
    wave, t0 = sent
    at = t0 + 7 * DAY
    chosen = list(queries.due_reminders(at))
    answered = chosen[0]
    Invitation.objects.filter(pk=answered.pk).update(responded_on=dt.date.today())
    assert mailing.send_reminders(chosen, now=at)["sent"] == 7
    assert not Solicitation.objects.filter(person_id=answered.person_id).exists()
    assert Solicitation.objects.filter(source=mailing.REMINDER_SOURCE).count() == 7


def test_it_asks_the_budget_once_per_chunk_and_reminder(sent, monkeypatch):
    wave, t0 = sent
    monkeypatch.setattr(mailing, "CHUNK", 3)
    with mock.patch.object(mailing.contact, "claim", wraps=contact.claim) as claim:
        assert _tick(t0 + 7 * DAY)["sent"] == 8
    assert claim.call_count == 3  # 8 reminders in chunks of 3
    assert [len(call.kwargs["person_ids"]) for call in claim.call_args_list] == [3, 3, 2]


def test_reminding_now_reports_those_held_in_the_jobs_result(sent, org):
    wave, t0 = sent
    today = timezone.localdate()
    contact.quiet_period_save(name="Clôture", starts_on=today, ends_on=today,
                              units=[org["sales"]], categories=[Category.SURVEY])
    Invitation.objects.filter(wave=wave).update(sent_at=t0 - 3 * DAY)
    job = services.wave_remind(wave)
    job_run(job)
    assert job.result == {"sent": 4, "failed": 0, "held": {**NONE_HELD, "quiet_period": 4},
                          "held_back": job.result["held_back"]}
    assert job.result["held_back"].endswith(": 4")  # the reason in the job's language
    with translation.override("en"):
        assert pressure.left_out(job.result["held"]) == "Quiet period: 4"
