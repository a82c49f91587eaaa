"""Ticket feedback services: the standard survey, intake decisions (sampling, fatigue,
pressure, quiet periods, delay, re-delivery) and sending the invitation email (under the
people's locks every sender takes)."""

from __future__ import annotations

import datetime as dt
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from phare.contact import services as contact
from phare.contact.models import Category
from phare.listening import services
from phare.listening.models import Invitation, Survey
from phare.listening.queries import version_questions
from phare.tickets import intake, queries
from phare.tickets import services as tickets
from phare.tickets.jobs import RESULT_LABELS
from phare.tickets.models import Ticket
from tests.contact.factories import hold_then
from tests.directory.factories import make_person
from tests.listening.factories import make_barometer
from tests.tickets.factories import open_ticket_survey, results_of, ticket_row

D = Ticket.Decision


def decisions(result) -> dict[str, str]:
    return {o["external_id"]: o["decision"] for o in result.outcomes}


def test_it_builds_the_standard_ticket_survey(db):
    survey = tickets.ticket_survey_create()
    assert survey.kind == Survey.Kind.TRANSACTIONAL
    assert survey.anonymity == Survey.Anonymity.CONFIDENTIAL
    assert survey.slug == "ticket-feedback"  # "tickets" is a page of /surveys/
    questions = {q.code: q for q in version_questions(survey.current_version())}
    assert list(questions) == ["rating", "reasons_low", "reasons_mid", "reasons_high",
                               "lost_time", "comment"]
    assert questions["rating"].type == "nps" and questions["rating"].required
    assert questions["reasons_low"].condition == {"question": "rating", "op": "between",
                                                  "min": 0, "max": 6}
    assert questions["reasons_mid"].condition["min"] == 7
    assert questions["reasons_high"].condition["max"] == 10
    assert [o["code"] for o in questions["lost_time"].options] == [
        "none", "lt_1h", "1_4h", "day", "more"]
    assert questions["lost_time"].options[2]["label_fr"] == "1 à 4 heures"
    assert all(o["label_fr"] and o["label_en"] for q in questions.values() for o in q.options)
    assert questions["rating"].text_en == "How would you rate how your request was resolved?"


def test_it_takes_the_most_recent_open_ticket_survey(db):
    assert queries.active_ticket_survey() is None
    first = open_ticket_survey("first")
    second = open_ticket_survey("second")
    assert queries.active_ticket_survey() == second
    services.survey_set_status(second, Survey.Status.CLOSED)
    assert queries.active_ticket_survey() == first


def test_sampling_is_stable_and_near_the_percentage():
    ids = [f"INC{n:07d}" for n in range(1000)]
    chosen = [i for i in ids if tickets.ticket_sampled(i, 30)]
    assert 250 <= len(chosen) <= 350
    assert chosen == [i for i in ids if tickets.ticket_sampled(i, 30)]
    assert all(tickets.ticket_sampled(i, 100) for i in ids)
    assert not any(tickets.ticket_sampled(i, 0) for i in ids)
    # A larger sample contains the smaller one: raising the rate never drops a ticket.
    assert set(chosen) <= {i for i in ids if tickets.ticket_sampled(i, 60)}


def test_intake_decides_sampling_by_ticket_id(personas):
    open_ticket_survey(sample_percent=30, fatigue_days=0)
    rows = [ticket_row(f"INC{n:07d}") for n in range(60)]
    result = tickets.tickets_receive(rows)
    expected = {r["external_id"]: D.PENDING if tickets.ticket_sampled(r["external_id"], 30)
                else D.NOT_SAMPLED for r in rows}
    assert decisions(result) == expected
    assert result.counts()["invited_later"] == list(expected.values()).count(D.PENDING)


def test_a_ticket_received_twice_is_left_as_it_was(personas):
    open_ticket_survey()
    first = tickets.tickets_receive([ticket_row("INC1")])
    assert decisions(first) == {"INC1": D.PENDING}
    again = tickets.tickets_receive([ticket_row("INC1", category="Changed"), ticket_row("INC2",
                                                                                    "E0004")])
    assert decisions(again) == {"INC1": "already_received", "INC2": D.PENDING}
    assert again.counts()["already_received"] == 1 and again.counts()["received"] == 1
    assert Ticket.objects.get(external_id="INC1").category == "Poste de travail"
    assert Ticket.objects.count() == 2


def test_fatigue_counts_recent_invitations_and_tickets_of_the_same_batch(personas):
    survey = open_ticket_survey(fatigue_days=7)
    result = tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2"),
                                      ticket_row("INC3", "E0004")])
    assert decisions(result) == {"INC1": D.PENDING, "INC2": D.FATIGUE, "INC3": D.PENDING}
    # A pending ticket from an earlier batch counts too.
    assert decisions(tickets.tickets_receive([ticket_row("INC4")]))["INC4"] == D.FATIGUE
    tickets.send_due_ticket_invitations()
    assert decisions(tickets.tickets_receive([ticket_row("INC5")]))["INC5"] == D.FATIGUE
    # Eight days later the window has passed.
    Invitation.objects.filter(ticket__external_id="INC1").update(
        created_at=timezone.now() - dt.timedelta(days=8))
    assert decisions(tickets.tickets_receive([ticket_row("INC6")]))["INC6"] == D.PENDING
    # With no fatigue rule, every sampled ticket is surveyed.
    services.survey_update(survey, fatigue_days=0)
    assert decisions(tickets.tickets_receive([ticket_row("INC7"), ticket_row("INC8")])) == {
        "INC7": D.PENDING, "INC8": D.PENDING}


def test_unknown_requesters_closed_surveys_and_email_lookup(personas):
    assert decisions(tickets.tickets_receive([ticket_row("INC1")])) == {"INC1": D.NO_SURVEY}
    open_ticket_survey()
    result = tickets.tickets_receive([
        ticket_row("INC2", None), ticket_row("INC3", "E9999"),
        ticket_row("INC4", None, requester_email="ERIC.MARTIN@example.com")])
    assert decisions(result) == {"INC2": D.NO_REQUESTER, "INC3": D.NO_REQUESTER,
                                 "INC4": D.PENDING}
    assert Ticket.objects.get(external_id="INC4").requester == personas["employee"].person


def test_pressure_opt_out_and_contact_cap(personas, org, settings):
    open_ticket_survey()
    services.opt_out_record(person_id=personas["employee"].person.pk)
    busy = personas["executive"].person
    settings.PHARE_SURVEY_CONTACT_CAP = 2
    barometer = make_barometer()
    for _ in range(2):
        Invitation.objects.create(survey=barometer, version=barometer.current_version(),
                                  person=busy, email=busy.email)
    result = tickets.tickets_receive([ticket_row("INC1", "E0005"), ticket_row("INC2", "E0004"),
                                      ticket_row("INC3", "E0003")])
    assert decisions(result) == {"INC1": D.OPTED_OUT, "INC2": D.CONTACT_CAP, "INC3": D.PENDING}
    assert result.counts()["opted_out"] == result.counts()["contact_cap"] == 1


def test_validation_lists_every_error_and_writes_nothing(personas):
    open_ticket_survey()
    rows = [ticket_row("INC1"),
            ticket_row("", channel="fax"),
            ticket_row("INC3", resolved_at=timezone.now() - dt.timedelta(days=2),
                       opened_at=timezone.now().isoformat(), service="no-such-service"),
            ticket_row("INC4", reassignment_count=-1, requester_email="not-an-address"),
            {**ticket_row("INC5"), "resolved_at": "yesterday", "colour": "blue"},
            ticket_row("INC1")]
    with pytest.raises(intake.TicketErrors) as caught:
        tickets.tickets_receive(rows)
    found = {(e.index, e.field) for e in caught.value.errors}
    assert found == {(1, "external_id"), (1, "channel"), (2, "resolved_at"), (2, "service"),
                     (3, "reassignment_count"), (3, "requester_email"), (4, "resolved_at"),
                     (4, "colour"), (5, "external_id")}
    assert Ticket.objects.count() == 0


def test_the_delay_after_resolution_holds_the_email(personas):
    open_ticket_survey(send_delay_minutes=60)
    now = timezone.now()
    result = tickets.tickets_receive([
        ticket_row("INC1", resolved_at=now - dt.timedelta(minutes=10)),
        ticket_row("INC2", "E0004", resolved_at=now - dt.timedelta(days=3))], now=now)
    assert result.outcomes[0]["send_after"] == (now - dt.timedelta(minutes=10)
                                                + dt.timedelta(minutes=60))
    assert tickets.send_due_ticket_invitations(now=now) == 1  # only the old one
    assert [m.to for m in mail.outbox] == [["claire.dupont@example.com"]]
    assert Ticket.objects.get(external_id="INC1").decision == D.PENDING
    assert tickets.send_due_ticket_invitations(now=now + dt.timedelta(minutes=51)) == 1
    assert Ticket.objects.get(external_id="INC1").decision == D.INVITED
    assert tickets.send_due_ticket_invitations(now=now + dt.timedelta(days=1)) == 0


def _score_links(text: str) -> list[str]:
    return re.findall(r"http://testserver/s/t/[\w-]+/(\d+)/", text)


def test_the_email_arrives_in_the_requesters_language_with_eleven_links(
        personas, org, smtp_server, settings):
    settings.PHARE_BASE_URL = "http://testserver"
    open_ticket_survey()
    make_person(org, "E0100", "Emma", "Smith", language="en")
    tickets.tickets_receive([ticket_row("INC0012345", "E0005"),
                             ticket_row("INC0012346", "E0100")])
    assert tickets.send_due_ticket_invitations() == 2
    messages = {m["To"]: m for m in smtp_server.messages}
    french, english = messages["eric.martin@example.com"], messages["emma.smith@example.com"]
    with translation.override("fr"):
        subject_fr = gettext("Your request %(ticket)s: what did you think?") % {
            "ticket": "INC0012345"}
    with translation.override("en"):
        subject_en = gettext("Your request %(ticket)s: what did you think?") % {
            "ticket": "INC0012346"}
    # (A long encoded subject is folded onto its own line: its value starts with a space.)
    assert french["Subject"].strip() == subject_fr
    assert english["Subject"].strip() == subject_en
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert "Comment évaluez-vous la résolution de votre demande ?" in smtp_server.body(french)
    assert "How would you rate how your request was resolved?" in smtp_server.body(english)
    for message in (french, english):
        assert _score_links(smtp_server.body(message)) == [str(n) for n in range(11)]
        assert _score_links(smtp_server.html(message)) == [str(n) for n in range(11)]
    invitation = Invitation.objects.get(ticket__external_id="INC0012346")
    assert invitation.language == "en" and invitation.sent_at is not None
    assert invitation.unit_code == "DSI" and invitation.person.employee_id == "E0100"
    assert f"/s/t/{invitation.token}/10/" in smtp_server.html(english)
    opt_out = f"http://testserver/s/optout/{invitation.token}/"
    assert english["List-Unsubscribe"].strip() == f"<{opt_out}>"
    assert english["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    # Nothing was answered by sending.
    assert invitation.survey.responses.count() == 0


def test_a_failed_send_leaves_the_ticket_pending(personas, settings, caplog):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    assert tickets.send_due_ticket_invitations() == 0
    ticket = Ticket.objects.get()
    assert ticket.decision == D.PENDING and Invitation.objects.count() == 0
    assert "wait for the next round" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tickets.send_due_ticket_invitations() == 1
    assert Ticket.objects.get().decision == D.INVITED


class RefusingEric(locmem.EmailBackend):
    """The mail server refuses one mailbox (SMTP 550) and takes the others."""

    def send_messages(self, messages):
        for message in messages:
            if "eric.martin@example.com" in message.to:
                raise smtplib.SMTPRecipientsRefused(
                    {"eric.martin@example.com": (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_a_message_refused_midway_is_rolled_back_and_retried(personas, settings):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2", "E0004")])
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEric"
    assert tickets.send_due_ticket_invitations() == 1
    assert Ticket.objects.get(external_id="INC1").decision == D.PENDING
    assert not Invitation.objects.filter(ticket__external_id="INC1").exists()
    assert Ticket.objects.get(external_id="INC2").decision == D.INVITED


def test_pressure_is_checked_again_when_sending(personas):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2", "E0004")])
    services.opt_out_record(person_id=personas["employee"].person.pk)
    assert tickets.send_due_ticket_invitations() == 1
    assert Ticket.objects.get(external_id="INC1").decision == D.OPTED_OUT
    assert [m.to for m in mail.outbox] == [["claire.dupont@example.com"]]


def test_closing_the_survey_stops_pending_tickets(personas):
    survey = open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    services.survey_set_status(survey, Survey.Status.CLOSED)
    assert tickets.send_due_ticket_invitations() == 0
    assert Ticket.objects.get().decision == D.NO_SURVEY
    assert mail.outbox == []


# --- the management page ----------------------------------------------------------------------

def test_the_marketing_lead_creates_and_opens_the_ticket_survey(login):
    client = login("marketing")
    page = client.get("/surveys/tickets/")
    assert page.status_code == 200 and 'value="create"' in page.content.decode()
    answer = client.post("/surveys/tickets/", {"action": "create"})
    assert answer.status_code == 302
    survey = queries.active_ticket_survey()
    assert survey is not None and survey.slug == "ticket-feedback"
    assert survey.status == Survey.Status.OPEN
    html = client.get("/surveys/tickets/").content.decode()
    assert 'name="sample_percent"' in html and 'value="close"' in html
    client.post("/surveys/tickets/", {"action": "close"})
    assert queries.active_ticket_survey() is None


def test_the_rules_are_edited_and_checked(login):
    survey = open_ticket_survey()
    client = login("admin")
    client.post("/surveys/tickets/", {"action": "rules", "sample_percent": "40",
                                      "send_delay_minutes": "120", "fatigue_days": "14"})
    survey.refresh_from_db()
    assert (survey.sample_percent, survey.send_delay_minutes, survey.fatigue_days) == (
        40, 120, 14)
    refused = client.post("/surveys/tickets/", {"action": "rules", "sample_percent": "140",
                                                "send_delay_minutes": "0", "fatigue_days": "7"})
    assert refused.status_code == 200
    assert 'id="id_sample_percent"' in refused.content.decode()
    assert refused.context["form"].errors.keys() == {"sample_percent"}
    survey.refresh_from_db()
    assert survey.sample_percent == 40


def test_the_page_counts_decisions_and_shows_results(login, personas, org, own_store):
    survey = open_ticket_survey(fatigue_days=0)
    people = [make_person(org, f"E1{n:03d}", "Agent", f"N{n}") for n in range(6)]
    tickets.tickets_receive([ticket_row(f"INC{n}", p.employee_id) for n, p in enumerate(people)]
                            + [ticket_row("INC99", None)])
    tickets.send_due_ticket_invitations()
    for n, invitation in enumerate(Invitation.objects.order_by("pk")[:5]):
        response = tickets.ticket_rate(invitation, [2, 5, 8, 9, 10][n])
        if n < 2:
            tickets.ticket_response_amend(response, {"reasons_low": ["slow"]})
    # Results are released by whole months that are over: these answers are from last month.
    survey.responses.update(submitted_on=dt.date.today().replace(day=1) - dt.timedelta(days=3))
    client = login("marketing")
    page = client.get("/surveys/tickets/")
    context = page.context
    counts = {value: count for value, _label, count in context["decisions"]}
    assert counts["invited"] == 6 and counts["no_requester"] == 1
    rate = context["rate"]
    assert (rate["invited"], rate["sent"], rate["responded"]) == (6, 6, 5)
    assert round(rate["percent"]) == 83  # answered ÷ sent, as a wave's response rate
    # The results are the insights fragment the page loads (the analytical store's figures).
    results = results_of(client, page).context["data"]
    assert results.total and not results.total["suppressed"] and results.total["n"] == 5
    assert round(results.total["happiness"].value) == 0  # 2 promoters, 2 detractors of 5
    # Two people gave reasons for a low rating: fewer than 5, so not shown at all.
    assert all(q["code"] != "reasons_low" for q in results.questions)
    html = page.content.decode()
    assert "INC99" in html and "INC0" in html
    assert survey.responses.count() == 5


def test_results_wait_for_the_minimum_group(login, personas, own_store):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    tickets.send_due_ticket_invitations()
    tickets.ticket_rate(Invitation.objects.get(), 3)
    client = login("marketing")
    page = client.get("/surveys/tickets/")
    fragment = results_of(client, page)
    results = fragment.context["data"]
    assert results.total is None or results.total["n"] is None  # not even a count
    assert "1 answer" not in page.content.decode() + fragment.content.decode()


# --- quiet periods ----------------------------------------------------------------------------

def _quiet(first: dt.date, last: dt.date, units=()) -> None:
    contact.quiet_period_save(name="Clôture", starts_on=first, ends_on=last, units=list(units),
                              categories=[Category.SURVEY])


def _day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def test_a_quiet_period_keeps_the_ticket_waiting_until_the_day_after_it(personas, org):
    open_ticket_survey()
    today, day = timezone.localdate(), dt.timedelta(days=1)
    _quiet(today - day, today + 2 * day, units=[org["sales"]])  # the employee's unit
    _quiet(today + 3 * day, today + 4 * day)  # the day after, for everyone: one quiet run
    result = tickets.tickets_receive([ticket_row("INC1")])
    assert decisions(result) == {"INC1": D.PENDING}
    resume = _day_after(today + 4 * day)
    assert result.outcomes[0]["send_after"] == resume
    assert (result.counts()["invited_later"], result.counts()["quiet_period"]) == (1, 0)
    assert tickets.send_due_ticket_invitations() == 0
    assert tickets.send_due_ticket_invitations(now=resume) == 1
    ticket = Ticket.objects.get()
    assert ticket.decision == D.INVITED and ticket.invitation is not None
    assert [m.to for m in mail.outbox] == [["eric.martin@example.com"]]


def test_a_quiet_period_past_the_rating_window_means_no_survey(personas):
    open_ticket_survey()
    today = timezone.localdate()
    _quiet(today, today + dt.timedelta(days=tickets.RATING_DAYS + 1))
    result = tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2", None)])
    assert decisions(result) == {"INC1": D.QUIET_PERIOD, "INC2": D.NO_REQUESTER}
    assert (result.counts()["quiet_period"], result.counts()["invited_later"]) == (1, 0)
    ticket = Ticket.objects.get(external_id="INC1")
    ticket.full_clean()  # a decision among the choices
    with translation.override("en"):
        assert ticket.get_decision_display() == "Quiet period"
        assert str(RESULT_LABELS["quiet_period"]) == "Quiet period"
    assert tickets.send_due_ticket_invitations(now=timezone.now() + dt.timedelta(days=30)) == 0
    assert mail.outbox == []


def test_a_quiet_period_met_when_sending_postpones_the_invitation(personas, org):
    open_ticket_survey()
    now = timezone.now()
    tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2", "E0004")], now=now)
    today = timezone.localdate(now)
    _quiet(today, today + dt.timedelta(days=2), units=[org["sales"]])
    assert tickets.send_due_ticket_invitations(now=now) == 1  # INC2: its requester is in DG
    held = Ticket.objects.get(external_id="INC1")
    assert (held.decision, held.send_after, held.invitation) == (
        D.PENDING, _day_after(today + dt.timedelta(days=2)), None)
    assert tickets.send_due_ticket_invitations(
        now=held.send_after - dt.timedelta(minutes=1)) == 0
    assert tickets.send_due_ticket_invitations(now=held.send_after) == 1
    assert Ticket.objects.get(external_id="INC1").decision == D.INVITED


def test_a_quiet_period_met_too_late_in_the_rating_window_means_no_survey(personas):
    open_ticket_survey()
    now = timezone.now()
    resolved = now - dt.timedelta(days=tickets.RATING_DAYS - 1)
    tickets.tickets_receive([ticket_row("INC1", resolved_at=resolved)], now=resolved)
    today = timezone.localdate(now)
    _quiet(today, today + dt.timedelta(days=2))
    assert tickets.send_due_ticket_invitations(now=now) == 0
    ticket = Ticket.objects.get()
    assert (ticket.decision, ticket.send_after, ticket.invitation) == (
        D.QUIET_PERIOD, None, None)


# --- a ticket invitation and a campaign's claim for the same person (PostgreSQL) ---------------

@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_ticket_invitation_sent_during_a_claim_waits_and_gives_way(personas, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time (IMMEDIATE), so there is no "
                    "race to test: run with PHARE_TEST_DATABASE_URL=postgres://… to check it")
    settings.PHARE_CONTACT_CAP = 1
    settings.PHARE_CONTACT_RESERVE = 0
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    person = personas["employee"].person

    def claim() -> dict[int, str]:
        return contact.claim(person_ids=[person.pk], category=Category.NEWSLETTER,
                             mandatory=False, source="comms", reference="action-1")

    claimed, sent = hold_then(claim, tickets.send_due_ticket_invitations)
    assert (claimed, sent) == ({}, 0)
    ticket = Ticket.objects.get()
    assert (ticket.decision, ticket.invitation) == (D.CONTACT_CAP, None)
    assert mail.outbox == []
