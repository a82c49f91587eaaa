"""Calendar feed secrets (hashed, rotated, revoked) and the ICS feed's endpoint."""

from __future__ import annotations

import hashlib

import icalendar
import pytest
from django.test import Client
from django.utils import translation

from phare.comms.models import CalendarFeed
from phare.comms.services import feeds
from tests.comms.factories import make_action, make_plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/comms/calendar.ics"


def test_it_keeps_only_the_digest_of_a_feed_secret(personas):
    secret = feeds.feed_create(user=personas["marketing"])
    feed = CalendarFeed.objects.get(user=personas["marketing"])
    assert len(secret) >= 40
    assert feed.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in feed.digest
    assert feeds.feed_user(secret) == personas["marketing"]
    assert feeds.feed_exists(user=personas["marketing"])


def test_it_replaces_the_previous_secret_on_rotation(personas):
    first = feeds.feed_create(user=personas["marketing"])
    second = feeds.feed_create(user=personas["marketing"])
    assert first != second
    assert CalendarFeed.objects.filter(user=personas["marketing"]).count() == 1
    assert feeds.feed_user(first) is None
    assert feeds.feed_user(second) == personas["marketing"]


def test_it_revokes_and_refuses_unknown_or_inactive(personas):
    secret = feeds.feed_create(user=personas["owner"])
    assert feeds.feed_revoke(user=personas["owner"]) is True
    assert feeds.feed_revoke(user=personas["owner"]) is False
    assert feeds.feed_user(secret) is None
    assert not feeds.feed_exists(user=personas["owner"])
    assert feeds.feed_user("") is None
    assert feeds.feed_user("x" * 10_000) is None
    other = feeds.feed_create(user=personas["employee"])
    personas["employee"].is_active = False
    personas["employee"].save()
    assert feeds.feed_user(other) is None


def check_refused(response) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "not_authenticated"
    assert body["error"]["details"][0]["field"] == "token"


def test_it_answers_401_without_a_token_with_a_wrong_one_and_after_revocation(personas):
    client = Client()
    check_refused(client.get(URL))
    check_refused(client.get(URL, {"token": "not-a-secret"}))
    secret = feeds.feed_create(user=personas["marketing"])
    assert client.get(URL, {"token": secret}).status_code == 200
    feeds.feed_revoke(user=personas["marketing"])
    check_refused(client.get(URL, {"token": secret}))
    # An API token is not a feed secret, and a session is not taken either.
    client.force_login(personas["marketing"])
    check_refused(client.get(URL))


def test_it_answers_the_plans_the_user_may_see_as_icalendar(personas):
    seen = make_plan(personas["marketing"], name="Plan DSI")
    hidden = make_plan(personas["marketing"], name="Plan confidentiel")
    mine = make_action(seen, "Lancement de Copilot", owner=personas["employee"])
    other = make_action(hidden, "Réorganisation")
    client = Client()

    response = client.get(URL, {"token": feeds.feed_create(user=personas["marketing"])})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {f"comms-action-{mine.pk}@localhost", f"comms-action-{other.pk}@localhost"}

    # An employee sees only the plan where they own an action, in their language (French).
    response = client.get(URL, {"token": feeds.feed_create(user=personas["employee"])})
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"comms-action-{mine.pk}@localhost"
    with translation.override("fr"):
        assert str(cal["X-WR-CALNAME"]) == translation.gettext("Communication plan – Phare")
