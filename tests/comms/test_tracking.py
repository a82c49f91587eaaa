"""Clicks (unique per person, or in total only), opt-outs of a category, registrations within
the seats, the open pixel and the mail server's refusals of an address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phare.comms.models import Action, Bounce, Click, Delivery, Link, Open, Registration
from phare.comms.services import tracking
from phare.comms.services.tracking import TrackingError
from phare.contact.models import OptOut
from tests.comms.factories import make_action, make_people, make_plan

pytestmark = pytest.mark.django_db


def delivered(action: Action, people) -> list[Delivery]:
    return [Delivery.objects.create(action=action, person=person, group="reached",
                                    status="sent") for person in people]


@pytest.fixture
def scene(org):
    action = make_action(make_plan())
    people = make_people(org, 2)
    link = Link.objects.create(action=action, url="https://intranet.example.com/")
    return action, delivered(action, people), link


def test_it_counts_the_first_click_of_each_person_on_each_link(scene):
    action, (first, second), link = scene
    assert tracking.click(token=first.token, link_id=link.pk) == link.url
    assert tracking.click(token=first.token, link_id=link.pk) == link.url
    assert Click.objects.filter(link=link).count() == 1
    tracking.click(token=second.token, link_id=link.pk)
    assert set(Click.objects.values_list("delivery_id", flat=True)) == {first.pk, second.pk}
    link.refresh_from_db()
    assert link.clicks == 0
    # A HEAD request (a link checker) only looks the address up.
    other = Link.objects.create(action=action, url="https://docs.example.com/")
    assert tracking.click(token=first.token, link_id=other.pk, count=False) == other.url
    assert not Click.objects.filter(link=other).exists()


def test_it_counts_only_the_total_without_individual_tracking(scene, settings):
    settings.PHARE_COMMS_INDIVIDUAL_TRACKING = False
    _action, (first, _second), link = scene
    tracking.click(token=first.token, link_id=link.pk)
    tracking.click(token=first.token, link_id=link.pk)
    tracking.click_anonymous(link_id=link.pk)
    link.refresh_from_db()
    assert link.clicks == 3
    assert not Click.objects.exists()


def test_it_knows_no_token_or_link_of_another_action(scene, org):
    _action, (first, _second), link = scene
    other = make_action(make_plan(name="Autre"))
    foreign = Link.objects.create(action=other, url="https://elsewhere.example.com/")
    assert tracking.click(token=first.token, link_id=foreign.pk) is None
    assert tracking.click(token="nobody", link_id=link.pk) is None
    assert tracking.click(token=first.token, link_id=foreign.pk + 100) is None
    assert tracking.click_anonymous(link_id=foreign.pk + 100) is None
    assert not Click.objects.exists()


def test_it_records_the_links_of_a_message_once(scene):
    action, _deliveries, link = scene
    ids = tracking.link_ids(action=action, urls=[link.url, "https://new.example.com/",
                                                 link.url])
    assert ids[link.url] == link.pk
    assert set(ids) == {link.url, "https://new.example.com/"}
    assert tracking.link_ids(action=action, urls=list(ids)) == ids


def test_it_unsubscribes_from_the_actions_category_and_back(scene):
    _action, (first, _second), _link = scene
    tracking.unsubscribe(token=first.token)
    assert list(OptOut.objects.values_list("person_id", "category")) == [
        (first.person_id, "newsletter")]
    tracking.unsubscribe(token=first.token)  # twice is once
    assert OptOut.objects.count() == 1
    tracking.resubscribe(token=first.token)
    assert not OptOut.objects.exists()
    with pytest.raises(TrackingError) as refused:
        tracking.unsubscribe(token="nobody")
    assert refused.value.code == "unknown"


def test_it_never_unsubscribes_from_a_mandatory_notice(org):
    action = make_action(make_plan(), category="notice", mandatory=True)
    [delivery] = delivered(action, make_people(org, 1))
    with pytest.raises(TrackingError) as refused:
        tracking.unsubscribe(token=delivery.token)
    assert refused.value.code == "mandatory"
    assert not OptOut.objects.exists()


def event(**extra) -> Action:
    values = {"kind": Action.Kind.EVENT, "channel": Action.Channel.EVENT, "category": "event",
              "starts_at": timezone.now() + dt.timedelta(days=7), "capacity": 1}
    values.update(extra)
    return make_action(make_plan(), **values)


def test_it_registers_within_the_seats_and_frees_a_seat_on_cancelling(org):
    action = event()
    first, second = make_people(org, 2)
    registration = tracking.register(action=action, person=first)
    assert tracking.register(action=action, person=first) == registration  # twice is once
    with pytest.raises(TrackingError) as refused:
        tracking.register(action=action, person=second)
    assert refused.value.code == "full"
    assert tracking.cancel_registration(action=action, person=first) is not None
    assert tracking.cancel_registration(action=action, person=first) is None
    tracking.register(action=action, person=second)
    with pytest.raises(TrackingError):
        tracking.register(action=action, person=first)
    assert list(Registration.objects.filter(cancelled_at__isnull=True)
                .values_list("person_id", flat=True)) == [second.pk]


def test_it_refuses_registrations_to_what_is_not_an_open_event(org):
    [person] = make_people(org, 1)
    with pytest.raises(TrackingError) as refused:
        tracking.register(action=make_action(make_plan()), person=person)
    assert refused.value.code == "not_event"
    with pytest.raises(TrackingError) as refused:
        tracking.register(action=event(starts_at=timezone.now() - dt.timedelta(hours=1)),
                          person=person)
    assert refused.value.code == "past"
    with pytest.raises(TrackingError) as refused:
        tracking.register(action=event(status=Action.Status.CANCELLED), person=person)
    assert refused.value.code == "cancelled"
    assert not Registration.objects.exists()


def test_it_counts_opens_only_when_the_pixel_is_on(scene, settings):
    _action, (first, _second), _link = scene
    assert tracking.record_open(token=first.token) is False
    settings.PHARE_COMMS_OPEN_PIXEL = True
    assert tracking.record_open(token=first.token) is True
    assert tracking.record_open(token=first.token) is True
    assert Open.objects.count() == 1


def test_it_suppresses_an_address_refused_up_to_the_limit(settings):
    settings.PHARE_COMMS_BOUNCE_LIMIT = 3
    for n in range(1, 4):
        bounce = tracking.record_refusal(email=" Gone@Example.com ", error=f"550 try {n}")
        assert (bounce.email, bounce.count, bounce.suppressed) == ("gone@example.com", n,
                                                                   n == 3)
    assert bounce.last_error == "550 try 3" and bounce.last_at is not None
    assert tracking.suppressed(["GONE@example.com", "fine@example.com"]) == {"gone@example.com"}
    assert Bounce.objects.count() == 1
    with pytest.raises(TrackingError):
        tracking.record_refusal(email="  ", error="550")


def test_it_records_attendance_from_the_events_day_for_registered_people_only(org):
    action = event(capacity=None, starts_at=timezone.now() + dt.timedelta(days=2))
    came, absent, cancelled, stranger = make_people(org, 4)
    for person in (came, absent, cancelled):
        tracking.register(action=action, person=person)
    tracking.cancel_registration(action=action, person=cancelled)
    with pytest.raises(TrackingError) as refused:
        tracking.attendance_set(action=action, person=came, attended=True)
    assert refused.value.code == "not_yet"
    on_the_day = timezone.localdate(action.starts_at)
    registration = tracking.attendance_set(action=action, person=came, attended=True,
                                           today=on_the_day)
    assert registration.attended is True
    tracking.attendance_set(action=action, person=absent, attended=False, today=on_the_day)
    for person, code in ((stranger, "not_registered"), (cancelled, "cancelled_registration")):
        with pytest.raises(TrackingError) as refused:
            tracking.attendance_set(action=action, person=person, attended=True,
                                    today=on_the_day)
        assert refused.value.code == code
    assert dict(Registration.objects.values_list("person_id", "attended")) == {
        came.pk: True, absent.pk: False, cancelled.pk: None}
    # Back to unknown.
    tracking.attendance_set(action=action, person=came, attended=None, today=on_the_day)
    assert Registration.objects.get(person=came).attended is None


def test_it_records_a_whole_list_of_attendance_or_nothing(org):
    action = event(capacity=None, starts_at=timezone.now() - dt.timedelta(hours=1))
    Action.objects.filter(pk=action.pk).update(starts_at=None)
    action.refresh_from_db()
    first, second, stranger = make_people(org, 3)
    for person in (first, second):
        tracking.register(action=action, person=person)
    with pytest.raises(TrackingError) as refused:
        tracking.attendance_record(action=action, attended={first.pk: True,
                                                            stranger.pk: True})
    assert refused.value.code == "not_registered"
    assert not Registration.objects.filter(attended__isnull=False).exists()
    rows = tracking.attendance_record(action=action, attended={second.pk: False,
                                                               first.pk: True})
    assert [(r.person_id, r.attended) for r in rows] == [(second.pk, False), (first.pk, True)]
    with pytest.raises(TrackingError) as refused:
        tracking.attendance_record(action=make_action(make_plan()), attended={first.pk: True})
    assert refused.value.code == "not_event"
