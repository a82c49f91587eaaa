"""The ticket feedback demo: a year of tickets decided upon as the survey's rules would, the
answers linked to ticket, invitation and requester, the patterns analyses will look for,
determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from statistics import mean

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F

from phare.core.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening import questions
from phare.listening.models import Invitation, OptOut, Response, Survey
from phare.listening.queries import version_questions
from phare.tickets.models import Ticket
from tests.core.factories import build_demo_through
from tests.tickets.factories import DEMO_EMPLOYEES, DEMO_TICKETS, ticket_demo

pytestmark = pytest.mark.slow

EMPLOYEES, TICKETS = DEMO_EMPLOYEES, DEMO_TICKETS


def digest(seed: int) -> str:
    """What a build answered to tickets (no random keys, no tokens), then rolled back."""
    with transaction.atomic():
        build_demo_through("tickets", seed=seed, employees=150, options={"tickets": 400})
        rows = list(Response.objects.filter(survey__slug=D.TICKET_SLUG).order_by(
            "submitted_on", "unit_code", "answers",
        ).values_list("submitted_on", "unit_code", "site_code", "language",
                      "invitation__ticket__external_id", "answers"))
        transaction.set_rollback(True)
    assert len(rows) > 20
    lines = sorted(json.dumps(row, default=str, sort_keys=True) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def responses(slug: str) -> list[Response]:
    return list(Response.objects.filter(survey__slug=slug).select_related("invitation__ticket"))


class TestTheTicketDemo:
    @pytest.fixture
    def demo(self, demo_through) -> DemoContext:
        return ticket_demo(demo_through)

    def test_it_publishes_the_ticket_survey_for_later_steps(self, demo):
        survey = Survey.objects.get(slug=D.TICKET_SLUG)
        assert demo.shared["surveys"][D.TICKET_SLUG] == survey
        assert demo.shared["waves"][D.TICKET_SLUG] == []
        assert D.BAROMETER_SLUG in demo.shared["surveys"]

    def test_it_gives_every_ticket_answer_the_shape_of_its_questions(self, demo):
        rows = Response.objects.filter(survey__slug=D.TICKET_SLUG).select_related("version")
        assert rows.exists()
        for response in rows:
            asked = version_questions(response.version)
            assert questions.clean_answers(asked, response.answers) == response.answers

    def test_it_writes_ticket_comments_in_the_requesters_language(self, demo):
        texts = {"fr": [], "en": []}
        for response in Response.objects.filter(survey__slug=D.TICKET_SLUG):
            if "comment" in response.answers:
                texts[response.language].append(response.answers["comment"])
        assert texts["fr"] and texts["en"]
        english = {p for theme in D.THEME_PHRASES.values() for p in theme["en"]}
        assert not any(t in english for t in texts["fr"])

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
                "invitation__ticket"):
            assert response.channel == Response.Channel.TICKET
            ticket = response.invitation.ticket
            assert ticket.decision == Ticket.Decision.INVITED
            assert response.respondent_id == ticket.requester_id
            assert response.invitation.responded_on == response.submitted_on
            assert response.submitted_at > ticket.resolved_at


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


    def test_it_asks_the_ticket_questionnaire_of_the_tickets_app(self, demo):
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
            moved = response.invitation.ticket.reassignment_count > 0
            ratings[moved].append(response.answers["rating"])
        assert mean(ratings[True]) + 0.8 < mean(ratings[False])
        slow = {True: [], False: []}
        for response in rows:
            answers = response.answers
            if answers["rating"] <= 6 and "reasons_low" in answers:
                ticket = response.invitation.ticket
                long = ticket.resolved_at - ticket.opened_at > dt.timedelta(
                    hours=D.LONG_RESOLUTION_HOURS)
                slow[long].append("slow" in answers["reasons_low"])
        assert slow[True] and slow[False]
        assert mean(slow[True]) > mean(slow[False]) + 0.2
        walk_in = [r.answers["rating"] for r in rows if r.invitation.ticket.channel == "walk_in"]
        email = [r.answers["rating"] for r in rows if r.invitation.ticket.channel == "email"]
        assert mean(walk_in) > mean(email)


    def test_it_leaves_the_id_sequences_past_the_rows_it_wrote(self, demo):
        # The demo gives ids itself: a row made afterwards must still get a new one.
        survey = Survey.objects.get(slug=D.TICKET_SLUG)
        invitation = Invitation.objects.create(survey=survey, version=survey.current_version())
        assert invitation.pk > max(Invitation.objects.exclude(pk=invitation.pk)
                                   .values_list("pk", flat=True))
        ticket = Ticket.objects.create(
            external_id="INC-AFTER-DEMO", opened_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
            resolved_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC), invitation=invitation)
        assert ticket.pk > max(Ticket.objects.exclude(pk=ticket.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_it_gives_the_same_answers_for_the_same_seed():
    first = digest(11)
    assert digest(11) == first
    assert digest(12) != first


def test_it_refuses_a_negative_number_of_tickets():
    with pytest.raises(CommandError, match="--tickets"):
        call_command("demo", "--no-serve", "--tickets", "-1")
