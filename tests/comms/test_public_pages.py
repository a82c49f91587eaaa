"""The pages a campaign email's links open, for anyone (no sign-in): the click's redirect, the
unsubscribe page (a GET records nothing; the mail program's one-click POST works without a
CSRF token), event registration and the open pixel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from phare.comms.models import Action, Click, Delivery, Link, Open, Registration
from phare.contact.models import OptOut
from tests.comms.factories import make_action, make_people, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    """A browser without a session that checks CSRF tokens as a real one would."""
    return Client(enforce_csrf_checks=True)


def delivery_of(org, **extra) -> Delivery:
    action = make_action(make_plan(), **extra)
    [person] = make_people(org, 1, language="en")
    return Delivery.objects.create(action=action, person=person, group="reached",
                                   status="sent", language="en")


def csrf_post(client: Client, url: str, data: dict[str, str]):
    """POST the page's own form: its CSRF token first taken from a GET."""
    client.get(url)
    token = client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_it_redirects_a_click_to_the_links_address_and_counts_it_once(org, visitor):
    delivery = delivery_of(org)
    link = Link.objects.create(action=delivery.action, url="https://intranet.example.com/a?b=1")
    url = reverse("comms_public:click", args=[delivery.token, link.pk])
    assert url == f"/m/c/{delivery.token}/{link.pk}/"
    for _n in range(2):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"] == "https://intranet.example.com/a?b=1"
    assert Click.objects.filter(link=link, delivery=delivery).count() == 1
    assert visitor.head(url).status_code == 302


def test_it_answers_an_unknown_link_with_a_404_page(org, visitor):
    delivery = delivery_of(org)
    for url in (f"/m/c/{delivery.token}/999/", "/m/c/nobody/1/", "/m/u/nobody/",
                "/m/r/nobody/", "/m/l/999/"):
        response = visitor.get(url)
        assert response.status_code == 404, url
        assert b"<html" in response.content


def test_it_counts_a_link_in_total_only(org, visitor, settings):
    settings.PHARE_COMMS_INDIVIDUAL_TRACKING = False
    delivery = delivery_of(org)
    link = Link.objects.create(action=delivery.action, url="https://intranet.example.com/")
    assert visitor.get(f"/m/l/{link.pk}/")["Location"] == link.url
    assert visitor.get(f"/m/c/{delivery.token}/{link.pk}/")["Location"] == link.url
    link.refresh_from_db()
    assert link.clicks == 2 and not Click.objects.exists()


def test_it_only_asks_on_a_get_of_the_unsubscribe_link(org, visitor):
    delivery = delivery_of(org)
    url = f"/m/u/{delivery.token}/"
    for _n in range(2):
        response = visitor.get(url)
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert b'name="action" value="unsubscribe"' in response.content
    assert visitor.head(url).status_code == 200
    assert not OptOut.objects.exists()


def test_it_unsubscribes_on_the_pages_post_and_offers_to_undo(org, visitor):
    delivery = delivery_of(org)
    url = f"/m/u/{delivery.token}/"
    response = csrf_post(visitor, url, {"action": "unsubscribe"})
    assert response.status_code == 200
    assert b'value="undo"' in response.content
    assert OptOut.objects.filter(person=delivery.person, category="newsletter").exists()
    response = csrf_post(visitor, url, {"action": "undo"})
    assert response.status_code == 200
    assert not OptOut.objects.exists()


def test_it_refuses_the_pages_post_without_its_csrf_token(org, visitor):
    delivery = delivery_of(org)
    response = visitor.post(f"/m/u/{delivery.token}/", {"action": "unsubscribe"})
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_it_takes_the_one_click_post_of_a_mail_program_without_csrf(org, visitor):
    delivery = delivery_of(org, category="event")
    response = visitor.post(f"/m/u/{delivery.token}/",
                            "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    with translation.override("en"):
        assert response.content.decode() == "You are unsubscribed."
    assert list(OptOut.objects.values_list("person_id", "category")) == [
        (delivery.person_id, "event")]
    assert visitor.post("/m/u/nobody/", "List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded").status_code == 404


def test_it_says_a_mandatory_notice_cannot_be_unsubscribed_from(org, visitor):
    delivery = delivery_of(org, category="notice", mandatory=True)
    url = f"/m/u/{delivery.token}/"
    response = visitor.get(url)
    assert response.status_code == 200
    assert b'value="unsubscribe"' not in response.content
    response = visitor.post(url, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not OptOut.objects.exists()


def test_it_registers_on_the_post_only_and_cancels(org, visitor):
    delivery = delivery_of(org, kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
                           category="event", capacity=1, location="Auditorium",
                           starts_at=timezone.now() + dt.timedelta(days=3))
    url = f"/m/r/{delivery.token}/"
    response = visitor.get(url)
    assert response.status_code == 200 and b'value="register"' in response.content
    assert b"Auditorium" in response.content
    assert not Registration.objects.exists()
    response = csrf_post(visitor, url, {"action": "register"})
    assert response.status_code == 200 and b'value="cancel"' in response.content
    assert Registration.objects.filter(person=delivery.person, cancelled_at=None).exists()
    # The only seat is taken: someone else is told so.
    [other] = make_people(org, 1, prefix="O")
    late = Delivery.objects.create(action=delivery.action, person=other, group="reached",
                                   language="en")
    response = visitor.get(f"/m/r/{late.token}/")
    assert b'value="register"' not in response.content
    response = csrf_post(visitor, f"/m/r/{late.token}/", {"action": "register"})
    assert response.status_code == 409
    response = csrf_post(visitor, url, {"action": "cancel"})
    assert response.status_code == 200
    assert not Registration.objects.filter(cancelled_at=None).exists()


def test_it_serves_the_open_pixel_and_counts_it_only_when_on(org, visitor, settings):
    delivery = delivery_of(org)
    url = f"/m/o/{delivery.token}.gif"
    response = visitor.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert not Open.objects.exists()
    settings.PHARE_COMMS_OPEN_PIXEL = True
    visitor.get(url)
    assert Open.objects.filter(delivery=delivery).exists()
