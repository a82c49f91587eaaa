"""The listening demo: volumes and rates, anonymity, valid answers, the patterns analyses will
look for, determinism (ticket feedback's demo: tests/tickets/test_demo.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from statistics import correlation, mean

import pytest
from django.db import transaction

from phare.core.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening import questions
from phare.listening.models import Invitation, Response, Survey, Wave
from phare.listening.queries import version_questions
from phare.tickets.models import Ticket
from tests.core.factories import build_demo_through
from tests.tickets.factories import DEMO_EMPLOYEES, DEMO_TICKETS, ticket_demo

pytestmark = pytest.mark.slow

EMPLOYEES, TICKETS = DEMO_EMPLOYEES, DEMO_TICKETS


def digest(seed: int) -> str:
    """What a build answered (no random keys, no tokens), then rolled back."""
    with transaction.atomic():
        build_demo_through("listening", seed=seed, employees=150, options={"tickets": 400})
        rows = list(Response.objects.order_by(
            "survey__slug", "wave__number", "submitted_on", "unit_code", "answers",
        ).values_list("survey__slug", "wave__number", "submitted_on", "unit_code", "site_code",
                      "language", "answers"))
        transaction.set_rollback(True)
    assert len(rows) > 100
    lines = sorted(json.dumps(row, default=str, sort_keys=True) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def responses(slug: str) -> list[Response]:
    return list(Response.objects.filter(survey__slug=slug))


class TestTheListeningDemo:
    @pytest.fixture
    def demo(self, demo_through) -> DemoContext:
        # Up to the listening step: later apps' steps are not ours.
        return ticket_demo(demo_through, "listening")

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
        assert not Ticket.objects.filter(invitation__response__in=rows).exists()
        assert not rows.exclude(submitted_at=None).exists()
        assert not rows.exclude(submission_id=None).exists()
        assert not rows.filter(unit_code="").exists()

    def test_it_gives_every_answer_the_shape_of_its_questions(self, demo):
        by_version = defaultdict(list)
        for response in Response.objects.select_related("version"):
            by_version[response.version].append(response)
        assert {v.survey.slug for v in by_version} == {
            D.BAROMETER_SLUG, D.PULSE_SLUG, D.SERVICE_SLUG}
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
        survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
        invitation = Invitation.objects.create(survey=survey, version=survey.current_version())
        assert invitation.pk > max(Invitation.objects.exclude(pk=invitation.pk)
                                   .values_list("pk", flat=True))


@pytest.mark.django_db
def test_it_gives_the_same_answers_for_the_same_seed():
    first = digest(11)
    assert digest(11) == first
    assert digest(12) != first

