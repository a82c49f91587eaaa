from __future__ import annotations

import uuid

import pytest

from phare.listening import services
from phare.listening.models import Invitation, Response, Survey
from phare.listening.queries import version_questions
from phare.listening.questions import AnswerErrors
from tests.listening.factories import full_answers, make_barometer


def invite(survey, person):
    return Invitation.objects.create(survey=survey, version=survey.current_version(),
                                     person=person, email=person.email,
                                     **services.segment_of(person))


def test_a_new_survey_has_a_first_version_and_section(barometer):
    version = barometer.current_version()
    assert version.number == 1
    assert [s.position for s in version.sections.all()] == [1, 2]
    assert [q.code for q in version_questions(version)] == [
        "nps", "why_low", "csat", "ces", "scale", "grid", "tools", "site_pref", "comment"]


def test_editing_an_answered_survey_makes_a_new_version(barometer):
    first = barometer.current_version()
    # Unanswered: edits change the version in place.
    services.question_update(barometer, "csat", text_fr="Satisfait ?")
    assert barometer.current_version() == first
    response = services.response_submit(survey=barometer, answers=full_answers(),
                                        channel=Response.Channel.OPEN_LINK)
    services.question_update(barometer, "csat", text_fr="Globalement satisfait ?")
    second = barometer.current_version()
    assert second.number == 2
    assert second.questions.get(code="csat").text_fr == "Globalement satisfait ?"
    # The answered version keeps its exact questions.
    response.refresh_from_db()
    assert response.version == first
    assert first.questions.get(code="csat").text_fr == "Satisfait ?"
    assert first.questions.count() == second.questions.count() == 9
    # Further edits go to the new, unanswered version.
    services.question_delete(barometer, "comment")
    assert barometer.current_version() == second
    assert second.questions.count() == 8


def test_a_draft_freezes_its_version_too(barometer, personas):
    invitation = invite(barometer, personas["employee"].person)
    services.draft_save(invitation, {"nps": 4})
    services.question_add(barometer, code="extra", type="text", text_fr="Encore ?")
    assert barometer.current_version().number == 2
    assert invitation.version.number == 1


def test_question_codes_are_unique_and_conditions_point_backwards(barometer):
    from phare.listening.services import ListeningError

    with pytest.raises(ListeningError) as err:
        services.question_add(barometer, code="nps", type="nps", text_fr="Encore")
    assert err.value.field == "code"
    with pytest.raises(ListeningError) as err:
        services.question_delete(barometer, "nps")
    assert "why_low" in err.value.message
    with pytest.raises(ListeningError) as err:
        services.question_move(barometer, "why_low", position=1)
    assert err.value.field == "position"
    services.question_move(barometer, "comment", position=1, section=1)
    codes = [q.code for q in version_questions(barometer.current_version())]
    assert codes[0] == "comment"


def test_ticket_feedback_cannot_be_anonymous(db):
    with pytest.raises(services.ListeningError) as err:
        services.survey_create(slug="t", kind=Survey.Kind.TRANSACTIONAL, title_fr="Tickets",
                               anonymity=Survey.Anonymity.ANONYMOUS)
    assert err.value.field == "anonymity"
    survey = services.survey_create(slug="t", kind=Survey.Kind.TRANSACTIONAL, title_fr="T")
    assert survey.anonymity == Survey.Anonymity.CONFIDENTIAL


def test_thresholds_can_only_go_up(db):
    with pytest.raises(services.ListeningError) as err:
        services.survey_create(slug="s", kind=Survey.Kind.PULSE, title_fr="P", min_group_size=3)
    assert err.value.field == "min_group_size"
    with pytest.raises(services.ListeningError):
        services.survey_create(slug="s", kind=Survey.Kind.PULSE, title_fr="P",
                               min_verbatim_group_size=9)


def test_an_anonymous_response_keeps_no_link_to_its_respondent(barometer, personas):
    person = personas["employee"].person
    invitation = invite(barometer, person)
    services.draft_save(invitation, {"nps": 9})
    response = services.response_submit(survey=barometer, invitation=invitation,
                                        answers=full_answers(), channel="invitation",
                                        submission_id=uuid.uuid4())
    assert response.respondent is None and response.invitation is None
    assert response.submitted_at is None and response.submission_id is None
    assert (response.unit_code, response.site_code, response.job_family_code) == \
        ("VEN", "LYS", "COM")
    invitation.refresh_from_db()
    assert invitation.responded and invitation.draft == {}
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(survey=barometer, invitation=invitation,
                                 answers=full_answers(), channel="invitation")
    assert Response.objects.count() == 1


def test_a_confidential_response_is_linked_and_resubmission_returns_it(personas):
    survey = make_barometer("conf", anonymity=Survey.Anonymity.CONFIDENTIAL)
    invitation = invite(survey, personas["employee"].person)
    first = services.response_submit(survey=survey, invitation=invitation,
                                     answers=full_answers(3), channel="invitation")
    again = services.response_submit(survey=survey, invitation=invitation,
                                     answers=full_answers(3), channel="invitation")
    assert first == again and first.respondent == personas["employee"].person
    assert first.answers["why_low"] == "Trop lent"


def test_the_same_submission_id_never_makes_a_second_response(barometer):
    key = uuid.uuid4()
    one = services.response_submit(survey=barometer, answers=full_answers(),
                                   channel="open_link", submission_id=key)
    two = services.response_submit(survey=barometer, answers=full_answers(),
                                   channel="open_link", submission_id=str(key))
    assert one == two and Response.objects.count() == 1


def test_bad_answers_write_nothing(barometer):
    answers = full_answers()
    answers["csat"] = 9
    with pytest.raises(AnswerErrors) as err:
        services.response_submit(survey=barometer, answers=answers, channel="open_link")
    assert "csat" in err.value.errors
    assert Response.objects.count() == 0
