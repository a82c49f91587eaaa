"""The listening demo: volumes and rates, anonymity, valid answers, the patterns analyses will
look for, the ticket survey's rules, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import defaultdict
from statistics import correlation, mean

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from phare.core.demo import DemoContext, demo_steps
from phare.listening import demo_data as D
from phare.listening import questions
from phare.listening.models import Invitation, OptOut, Response, Survey, Ticket, Wave
from phare.listening.services import version_questions

pytestmark = pytest.mark.slow

EMPLOYEES, TICKETS = 300, 2000
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build(seed: int, employees: int = EMPLOYEES, tickets: int = TICKETS) -> DemoContext:
    """The demo up to and including the listening step (later apps' steps are not ours)."""
    ctx = DemoContext(seed=seed, employees=employees, rng=random.Random(seed),
                      say=lambda _line: None, options={"tickets": tickets})
    for label, step in demo_steps():
        step(ctx)
        if label == "listening":
            return ctx
    raise AssertionError("no listening demo step")


def digest(seed: int) -> str:
    """What a build answered (no random keys, no tokens), then rolled back."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHING), transaction.atomic():
        build(seed, employees=150, tickets=400)
        rows = list(Response.objects.order_by(
            "survey__slug", "wave__number", "submitted_on", "unit_code", "answers",
        ).values_list("survey__slug", "wave__number", "submitted_on", "unit_code", "site_code",
                      "language", "ticket__external_id", "answers"))
        transaction.set_rollback(True)
    assert len(rows) > 100
    lines = sorted(json.dumps(row, default=str, sort_keys=True) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """The demo, built once for the class below and rolled back after it."""
    with (django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING),
          transaction.atomic()):
        yield build(7)
        transaction.set_rollback(True)


def responses(slug: str) -> list[Response]:
    return list(Response.objects.filter(survey__slug=slug).select_related("ticket"))


class TestTheListeningDemo:
    @pytest.fixture
    def demo(self, built, db) -> DemoContext:
        return built

    def test_it_makes_four_closed_barometer_waves_and_a_planned_one(self, demo):
        barometer = Survey.objects.get(slug=D.BAROMETER_SLUG)
        assert barometer.kind == Survey.Kind.BAROMETER and barometer.is_anonymous
        waves = list(barometer.waves.order_by("number"))
        assert [w.status for w in waves] == [Wave.Status.CLOSED] * 4 + [Wave.Status.PLANNED]
        assert all(w.closes_on < dt.date(2026, 11, 29) for w in waves[:4])
        assert waves[4].opens_on > dt.date(2026, 11, 29) and not waves[4].invitations.exists()
        # The questionnaire gained a question in 2026: earlier waves keep their version.
        assert [w.version.number for w in waves] == [1, 1, 2, 2, 2]
        assert demo.shared["surveys"][D.BAROMETER_SLUG] == barometer
        assert [w.number for w in demo.shared["waves"][D.BAROMETER_SLUG]] == [1, 2, 3, 4, 5]

    def test_it_gets_about_thirty_percent_of_the_barometer_invited_to_answer(self, demo):
        for wave in Wave.objects.filter(survey__slug=D.BAROMETER_SLUG, status=Wave.Status.CLOSED):
            invited = wave.invitations.count()
            answered = wave.invitations.exclude(responded_on=None).count()
            assert 0.35 * EMPLOYEES <= invited <= 0.6 * EMPLOYEES
            assert 0.2 <= answered / invited <= 0.42, wave.name
            assert wave.responses.count() == answered
            assert wave.invitations.filter(unit_code="").count() == 0
            days = set(wave.responses.values_list("submitted_on", flat=True))
            assert min(days) >= wave.opens_on and max(days) <= wave.closes_on

    def test_it_keeps_barometer_responses_anonymous(self, demo):
        rows = Response.objects.filter(survey__slug=D.BAROMETER_SLUG)
        assert rows.count() > 100
        assert not rows.exclude(respondent=None).exists()
        assert not rows.exclude(invitation=None).exists()
        assert not rows.exclude(ticket=None).exists()
        assert not rows.exclude(submitted_at=None).exists()
        assert not rows.exclude(submission_id=None).exists()
        assert not rows.filter(unit_code="").exists()

    def test_it_gives_every_answer_the_shape_of_its_questions(self, demo):
        by_version = defaultdict(list)
        for response in Response.objects.select_related("version"):
            by_version[response.version].append(response)
        assert {v.survey.slug for v in by_version} == {
            D.BAROMETER_SLUG, D.PULSE_SLUG, D.SERVICE_SLUG, D.TICKET_SLUG}
        for version, rows in by_version.items():
            asked = version_questions(version)
            for response in rows:
                # Stored answers are already in the cleaned form: cleaning changes nothing.
                assert questions.clean_answers(asked, response.answers) == response.answers

    def test_it_writes_comments_in_the_respondents_language(self, demo):
        texts = {"fr": [], "en": []}
        for response in Response.objects.filter(survey__slug__in=[D.BAROMETER_SLUG,
                                                                  D.TICKET_SLUG]):
            for code in ("comment", "why_low"):
                if code in response.answers:
                    texts[response.language].append(response.answers[code])
        assert texts["fr"] and texts["en"]
        english = {p for theme in D.THEME_PHRASES.values() for p in theme["en"]}
        assert not any(t in english for t in texts["fr"])
        assert len(set(texts["fr"])) > 0.6 * len(texts["fr"])  # composed, not all the same
        commented = sum(1 for r in responses(D.BAROMETER_SLUG)
                        if {"comment", "why_low"} & set(r.answers))
        total = Response.objects.filter(survey__slug=D.BAROMETER_SLUG).count()
        assert 0.3 <= commented / total <= 0.55

    def test_it_lets_resolution_times_drive_the_barometer(self, demo):
        rows = [r.answers for r in responses(D.BAROMETER_SLUG)]
        nps = [a["nps"] for a in rows]

        def satisfaction(code: str) -> list[int]:
            return [a["grid"][code]["satisfaction"] for a in rows]

        assert correlation(satisfaction("delais"), nps) > correlation(satisfaction("securite"),
                                                                      nps)
        assert correlation(satisfaction("competence"), nps) > correlation(
            satisfaction("accompagnement"), nps)
        by_wave = defaultdict(list)
        for response in responses(D.BAROMETER_SLUG):
            by_wave[response.wave.number].append(
                response.answers["grid"]["communication"]["satisfaction"])
        assert mean(by_wave[4]) > mean(by_wave[1])

    def test_it_makes_a_year_of_tickets_about_fifteen_percent_answered(self, demo):
        assert Ticket.objects.count() == TICKETS
        answered = Response.objects.filter(survey__slug=D.TICKET_SLUG).count()
        assert 0.10 <= answered / TICKETS <= 0.20
        first, last = (Ticket.objects.order_by(order).values_list("resolved_at", flat=True)[0]
                       for order in ("resolved_at", "-resolved_at"))
        assert (last - first).days >= 330 and last.date() <= D.TICKETS_END
        assert Ticket.objects.filter(decision=Ticket.Decision.INVITED).count() == \
            Invitation.objects.filter(survey__slug=D.TICKET_SLUG).count()
        decisions = set(Ticket.objects.values_list("decision", flat=True))
        assert {Ticket.Decision.INVITED, Ticket.Decision.NOT_SAMPLED} <= decisions
        assert Ticket.Decision.PENDING not in decisions
        assert Ticket.objects.exclude(service=None).count() > 0.9 * TICKETS
        assert Ticket.objects.filter(reassignment_count=0).count() > 0.6 * TICKETS
        assert Ticket.objects.filter(reassignment_count__gte=2).exists()
        assert not Ticket.objects.filter(opened_at__gte=F("resolved_at")).exists()

    def test_it_links_ticket_answers_to_ticket_invitation_and_requester(self, demo):
        for response in Response.objects.filter(survey__slug=D.TICKET_SLUG).select_related(
                "ticket", "invitation"):
            assert response.channel == Response.Channel.TICKET
            assert response.invitation.ticket_id == response.ticket_id
            assert response.respondent_id == response.ticket.requester_id
            assert response.invitation.responded_on == response.submitted_on
            assert response.submitted_at > response.ticket.resolved_at

    def test_it_follows_the_ticket_surveys_rules(self, demo):
        survey = Survey.objects.get(slug=D.TICKET_SLUG)
        assert survey.anonymity == Survey.Anonymity.CONFIDENTIAL
        sent = defaultdict(list)
        for person, when in Invitation.objects.filter(survey=survey).values_list("person",
                                                                               "sent_at"):
            sent[person].append(when)
        fatigue = dt.timedelta(days=survey.fatigue_days)
        for times in sent.values():
            times.sort()
            assert all(b - a >= fatigue for a, b in zip(times, times[1:], strict=False))
        opted_out = set(OptOut.objects.values_list("person", flat=True))
        assert opted_out and not Invitation.objects.filter(person__in=opted_out).exists()
        # Invitations were made when sent, in the past: the contact cap reads them so.
        assert not Invitation.objects.exclude(created_at=F("sent_at")).exists()

    def test_it_asks_the_ticket_questionnaire_of_listening_tickets(self, demo):
        survey = Survey.objects.get(slug=D.TICKET_SLUG)
        asked = {q.code: q for q in version_questions(survey.current_version())}
        assert list(asked) == ["rating", "reasons_low", "reasons_mid", "reasons_high", "lost_time",
                               "comment"]
        assert asked["rating"].type == "nps" and asked["rating"].required
        for code, low, high, options in (("reasons_low", 0, 6, ["slow", "repeat", "not_solved",
                                                                "communication", "chase",
                                                                "not_informed"]),
                                         ("reasons_mid", 7, 8, ["bit_long", "partly_solved",
                                                                "had_to_explain", "ok_but"]),
                                         ("reasons_high", 9, 10, ["fast", "friendly", "first_time",
                                                                  "clear", "informed"])):
            assert asked[code].type == "multiple"
            assert asked[code].condition == {"question": "rating", "op": "between", "min": low,
                                             "max": high}
            assert questions.option_codes(asked[code]) == options
        assert questions.option_codes(asked["lost_time"]) == ["none", "lt_1h", "1_4h", "day",
                                                              "more"]
        assert asked["comment"].type == "text"

    def test_it_rates_reassigned_and_slow_tickets_lower(self, demo):
        rows = responses(D.TICKET_SLUG)
        ratings = defaultdict(list)
        for response in rows:
            ratings[response.ticket.reassignment_count > 0].append(response.answers["rating"])
        assert mean(ratings[True]) + 0.8 < mean(ratings[False])
        slow = {True: [], False: []}
        for response in rows:
            answers = response.answers
            if answers["rating"] <= 6 and "reasons_low" in answers:
                ticket = response.ticket
                long = ticket.resolved_at - ticket.opened_at > dt.timedelta(
                    hours=D.LONG_RESOLUTION_HOURS)
                slow[long].append("slow" in answers["reasons_low"])
        assert slow[True] and slow[False]
        assert mean(slow[True]) > mean(slow[False]) + 0.2
        walk_in = [r.answers["rating"] for r in rows if r.ticket.channel == "walk_in"]
        email = [r.answers["rating"] for r in rows if r.ticket.channel == "email"]
        assert mean(walk_in) > mean(email)

    def test_it_makes_a_pulse_and_a_service_survey(self, demo):
        pulse = Survey.objects.get(slug=D.PULSE_SLUG)
        assert pulse.kind == Survey.Kind.PULSE and pulse.responses.count() >= 30
        service = Survey.objects.get(slug=D.SERVICE_SLUG)
        assert service.kind == Survey.Kind.SERVICE
        assert service.service.slug == D.SERVICE_OF_SURVEY
        link = service.responses.filter(channel=Response.Channel.OPEN_LINK)
        assert link.count() == D.SERVICE_OPEN_LINK_RESPONSES
        assert not link.filter(submission_id=None).exists()
        assert service.responses.filter(channel=Response.Channel.INVITATION).exclude(
            respondent=None).exists()

    def test_it_leaves_the_id_sequences_past_the_rows_it_wrote(self, demo):
        # The demo gives ids itself: a row made afterwards must still get a new one.
        ticket = Ticket.objects.create(
            external_id="INC-AFTER-DEMO", opened_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
            resolved_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC))
        assert ticket.pk > max(Ticket.objects.exclude(pk=ticket.pk).values_list("pk", flat=True))
        survey = Survey.objects.get(slug=D.TICKET_SLUG)
        invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                               ticket=ticket)
        assert invitation.pk > 0


@pytest.mark.django_db
def test_it_gives_the_same_answers_for_the_same_seed():
    first = digest(11)
    assert digest(11) == first
    assert digest(12) != first


def test_it_refuses_a_negative_number_of_tickets():
    with pytest.raises(CommandError, match="--tickets"):
        call_command("demo", "--no-serve", "--tickets", "-1")
