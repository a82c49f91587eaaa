"""The one-click rating page: opening a link records nothing, confirming records once, the
follow-ups depend on the rating's band and amend the response."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phare.listening import services
from phare.listening.errors import ListeningError
from phare.listening.models import Invitation, Response, Survey
from phare.listening.questions import AnswerErrors
from phare.tickets import services as tickets
from tests.tickets.factories import open_ticket_survey, ticket_row


@pytest.fixture
def invitation(personas) -> Invitation:
    """Eric's invitation to rate INC0012345, as sent by email."""
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC0012345")])
    tickets.send_due_ticket_invitations()
    return Invitation.objects.get(ticket__external_id="INC0012345")


def rate_url(invitation: Invitation, score: int) -> str:
    return reverse("tickets:rate", args=[invitation.token, score])


def fieldset_tag(html: str, code: str) -> str:
    """The opening tag of the fieldset that asks the question ``code``."""
    before = html.split(f'name="asked" value="{code}"')[0]
    return "<fieldset" + before.rsplit("<fieldset", 1)[1].split(">", 1)[0] + ">"


def followups_url(invitation: Invitation) -> str:
    return reverse("tickets:followups", args=[invitation.token])


def test_opening_a_score_link_records_nothing(client, invitation):
    page = client.get(rate_url(invitation, 3))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="score" value="3" checked' in html
    assert html.count('name="score"') == 11
    assert "INC0012345" in html
    assert client.head(rate_url(invitation, 8)).status_code == 200
    # Scanners open every link, several times: still nothing.
    for score in range(11):
        client.get(rate_url(invitation, score))
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.responded_on is None
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_confirming_records_the_rating_exactly_once(client, invitation):
    answer = client.post(rate_url(invitation, 3), {"score": "3"})
    assert answer.status_code == 302 and answer["Location"] == followups_url(invitation)
    response = Response.objects.get()
    assert response.answers == {"rating": 3}
    assert response.channel == Response.Channel.TICKET
    assert response.invitation.ticket == invitation.ticket
    assert response.respondent == invitation.person
    # A replay (double click, back button, a script) keeps the first answer.
    client.post(rate_url(invitation, 3), {"score": "9"})
    client.post(rate_url(invitation, 9))
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"rating": 3}
    assert tickets.ticket_rate(invitation, 5).pk == response.pk


def test_a_script_posts_the_score_of_the_link(client, invitation):
    assert client.post(rate_url(invitation, 10)).status_code == 302
    assert Response.objects.get().answers == {"rating": 10}


def test_the_chosen_score_may_differ_from_the_clicked_one(client, invitation):
    client.post(rate_url(invitation, 3), {"score": "6"})
    assert Response.objects.get().answers == {"rating": 6}


def test_bad_scores_and_tokens(client, invitation):
    assert client.get(f"/s/t/{invitation.token}/11/").status_code == 404
    assert client.get(f"/s/t/{invitation.token}/-1/").status_code == 404
    assert client.get("/s/t/no-such-token-at-all/5/").status_code == 404
    assert client.post(rate_url(invitation, 5), {"score": "12"}).status_code == 400
    assert Response.objects.count() == 0


def test_a_closed_survey_answers_410(client, invitation):
    services.survey_set_status(invitation.survey, Survey.Status.CLOSED)
    assert client.get(rate_url(invitation, 5)).status_code == 410
    assert client.post(rate_url(invitation, 5)).status_code == 410
    assert Response.objects.count() == 0


@pytest.mark.parametrize(("score", "shown", "hidden"), [
    (3, "reasons_low", ("reasons_mid", "reasons_high")),
    (7, "reasons_mid", ("reasons_low", "reasons_high")),
    (10, "reasons_high", ("reasons_low", "reasons_mid")),
])
def test_the_reasons_shown_depend_on_the_band(client, invitation, score, shown, hidden):
    client.post(rate_url(invitation, score))
    html = client.get(followups_url(invitation)).content.decode()
    assert f'name="{shown}"' in html
    assert " hidden" not in fieldset_tag(html, shown)
    for code in hidden:
        assert " hidden disabled" in fieldset_tag(html, code)
    assert 'name="lost_time"' in html and 'name="comment"' in html
    # The score link opened again shows the recorded rating, and records nothing more.
    again = client.get(rate_url(invitation, 0)).content.decode()
    assert f'name="rating" value="{score}" checked' in again
    assert Response.objects.count() == 1


def test_follow_ups_amend_the_response(client, invitation):
    client.post(rate_url(invitation, 4))
    sent = client.post(followups_url(invitation), {
        "asked": ["reasons_low", "reasons_mid", "lost_time", "comment", "rating"],
        "rating": "4", "reasons_low": ["slow", "chase"], "reasons_mid": ["bit_long"],
        "lost_time": "1_4h", "comment": "Trois relances avant une réponse."})
    assert sent.status_code == 302
    assert sent["Location"] == reverse("tickets:thanks", args=[invitation.token])
    response = Response.objects.get()
    # reasons_mid is not asked for a 4: dropped.
    assert response.answers == {"rating": 4, "reasons_low": ["slow", "chase"],
                                "lost_time": "1_4h",
                                "comment": "Trois relances avant une réponse."}
    assert response.revision == 1
    assert client.get(sent["Location"]).status_code == 200
    # Unticking every reason and changing the rating, on the same page.
    client.post(followups_url(invitation), {"asked": ["reasons_high", "rating", "comment"],
                                            "rating": "9", "reasons_high": ["fast"],
                                            "comment": ""})
    response.refresh_from_db()
    assert response.answers == {"rating": 9, "reasons_high": ["fast"], "lost_time": "1_4h"}
    assert Response.objects.count() == 1


def test_bad_follow_ups_are_refused_and_shown_again(client, invitation):
    client.post(rate_url(invitation, 2))
    page = client.post(followups_url(invitation), {"asked": ["reasons_low"],
                                                   "reasons_low": ["teleportation"]})
    assert page.status_code == 400
    assert 'id="reasons_low-error"' in page.content.decode()
    assert Response.objects.get().answers == {"rating": 2}


def test_follow_ups_can_be_changed_for_seven_days(invitation):
    response = tickets.ticket_rate(invitation, 8)
    later = response.submitted_at + dt.timedelta(days=6)
    tickets.ticket_response_amend(response, {"lost_time": "none"}, now=later)
    with pytest.raises(ListeningError):
        tickets.ticket_response_amend(response, {"lost_time": "day"},
                                      now=response.submitted_at + dt.timedelta(days=8))
    with pytest.raises(AnswerErrors) as caught:
        tickets.ticket_response_amend(response, {"rating": 11})
    assert set(caught.value.errors) == {"rating"}
    response.refresh_from_db()
    assert response.answers == {"rating": 8, "lost_time": "none"}


def test_after_seven_days_the_page_is_read_only(client, invitation):
    response = tickets.ticket_rate(invitation, 8)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=8))
    html = client.get(followups_url(invitation)).content.decode()
    assert 'name="lost_time"' not in html
    assert client.post(followups_url(invitation), {"lost_time": "day"}).status_code == 409


def test_the_page_speaks_the_invitations_language(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(language="en")
    html = client.get(rate_url(invitation, 5)).content.decode()
    assert "How would you rate how your request was resolved?" in html
    french = client.get(rate_url(invitation, 5) + "?lang=fr").content.decode()
    assert "Comment évaluez-vous la résolution de votre demande ?" in french


def test_the_bare_link_offers_the_scale_and_records_when_confirmed(client, invitation):
    html = client.get(followups_url(invitation)).content.decode()
    assert html.count('name="score"') == 11 and "checked" not in html
    assert Response.objects.count() == 0
    client.post(followups_url(invitation), {"score": "7"})
    assert Response.objects.get().answers == {"rating": 7}


def test_amended_answers_tell_the_dashboards_once_committed(
        client, invitation, django_capture_on_commit_callbacks):
    from phare.listening.signals import answers_changed

    told: list[list[int]] = []

    def receiver(sender, *, survey_ids, **kwargs):
        told.append(survey_ids)

    answers_changed.connect(receiver)
    try:
        client.post(rate_url(invitation, 4))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(followups_url(invitation), {"asked": ["lost_time"],
                                                    "lost_time": "day"})
            client.post(followups_url(invitation), {"asked": ["lost_time"],
                                                    "lost_time": "day"})  # no change
    finally:
        answers_changed.disconnect(receiver)
    assert told == [[invitation.survey_id]]
