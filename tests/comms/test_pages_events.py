"""An event's registrations page: for its organisers only (403 to other readers of the plan,
404 to those who do not see it), the people registered with their unit and cancellations, the
seats taken, attendance ticked after the event (bad input refused, nothing written) and shown
in the action's released results, and the list as CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phare.comms import results
from phare.comms.models import Action, Registration
from phare.comms.services import tracking
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_people, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.PHARE_USAGE_MIN_GROUP = 5


@pytest.fixture
def event(personas):
    """A workshop owned by the owner persona, the employee named on its plan only."""
    plan = make_plan(personas["marketing"])
    plan.contributors.set([personas["employee"]])
    return make_action(plan, "Atelier Teams", kind=Action.Kind.EVENT,
                       channel=Action.Channel.EVENT, category="event",
                       owner=personas["owner"], status=Action.Status.DONE,
                       starts_at=timezone.now() + dt.timedelta(days=3), location="Salle 3",
                       capacity=20)


@pytest.fixture
def people(org, event):
    unit = BusinessUnit.objects.create(code="FIN", name="Finance")
    found = make_people(org, 11, prefix="FIN", unit=unit)
    for person in found:
        tracking.register(action=event, person=person)
    tracking.cancel_registration(action=event, person=found[-1])
    return found


def held(event, days: int = -1) -> Action:
    """The event moved to ``days`` from now (yesterday: attendance may be recorded)."""
    Action.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=days))
    return Action.objects.get(pk=event.pk)


def path(event, suffix: str = "") -> str:
    return reverse("comms:registrations", args=[event.pk]) + suffix


def test_it_has_its_addresses():
    assert reverse("comms:registrations", args=[4]) == "/comms/actions/4/registrations/"
    assert reverse("comms:registrations_csv", args=[4]) == (
        "/comms/actions/4/registrations/export/")


@pytest.mark.parametrize(("who", "status"), [("marketing", 200), ("admin", 200),
                                             ("owner", 200), ("executive", 403),
                                             ("employee", 403)])
def test_it_opens_to_the_events_organisers_only(login, event, people, who, status):
    client = login(who)
    assert client.get(path(event)).status_code == status
    csv = client.get(reverse("comms:registrations_csv", args=[event.pk]))
    assert csv.status_code == status
    if status == 403:
        assert client.post(path(event), {"shown": [people[0].pk],
                                          "attended": [people[0].pk]}).status_code == 403
        assert not Registration.objects.filter(attended__isnull=False).exists()


def test_it_hides_an_event_of_a_plan_one_is_not_named_on(login, event, personas):
    event.plan.contributors.clear()
    assert login("employee").get(path(event)).status_code == 404


def test_it_has_no_registrations_page_for_what_is_not_an_event(login, personas):
    email = make_action(make_plan(), owner=personas["owner"])
    assert login("marketing").get(path(email)).status_code == 404
    assert login("marketing").get(reverse("comms:registrations_csv", args=[email.pk])
                                  ).status_code == 404


def test_it_lists_the_people_registered_with_the_seats_taken(login, event, people):
    html = login("owner").get(path(event)).content.decode()
    assert "First1 FINLast1" in html and "Finance" in html
    assert "10 of 20" in html  # the cancelled registration frees its seat
    cancelled = html[html.index(f'data-person="{people[-1].employee_id}"'):]
    cancelled = cancelled[:cancelled.index("</tr>")]
    assert 'name="attended"' not in cancelled and "muted" in html
    # Before the event's day the boxes cannot be ticked.
    assert "Attendance is recorded from the day of the event." in html
    assert "Save the attendance" not in html


def test_it_records_attendance_and_releases_it_in_the_results(login, event, people):
    event = held(event)
    client = login("owner")
    html = client.get(path(event)).content.decode()
    assert "Save the attendance" in html and "disabled" not in html
    came = [p.pk for p in people[:5]]
    response = client.post(path(event), {"shown": [p.pk for p in people[:10]],
                                         "attended": came})
    assert response.status_code == 302 and response["Location"] == path(event)
    marks = dict(Registration.objects.values_list("person_id", "attended"))
    assert [marks[p.pk] for p in people] == [True] * 5 + [False] * 5 + [None]
    assert results.reach(event)["registrations"] == {"registered": 10, "attended": 5,
                                                     "capacity": 20}
    page = client.get(path(event)).content.decode()
    assert 'id="attended">5<' in page
    # Sent again with one more box ticked: only that person changes; the four who did not
    # come are fewer than five, so the results no longer tell how many came.
    client.post(path(event), {"shown": [p.pk for p in people[:10]], "attended": came + [
        people[5].pk]})
    assert Registration.objects.filter(attended=True).count() == 6
    assert results.reach(event)["registrations"]["attended"] is None


def test_it_refuses_bad_attendance_and_writes_nothing(login, event, people, org):
    client = login("marketing")
    # Before the event's day: refused.
    response = client.post(path(event), {"shown": [people[0].pk],
                                         "attended": [people[0].pk]}, follow=True)
    assert "Attendance is recorded from the day of the event." in response.content.decode()
    event = held(event)
    [stranger] = make_people(org, 1, prefix="X")
    for data in ({"shown": [people[0].pk], "attended": [people[1].pk]},
                 {"shown": [stranger.pk], "attended": [stranger.pk]},
                 {"shown": [people[-1].pk]},  # cancelled: not on the list
                 {"shown": ["abc"]}, {}):
        response = client.post(path(event), data, follow=True)
        assert response.status_code == 200
        assert 'class="message error"' in response.content.decode(), data
    assert not Registration.objects.filter(attended__isnull=False).exists()


def test_it_exports_the_list_as_csv(login, event, people):
    event = held(event)
    tracking.attendance_set(action=event, person=people[0], attended=True)
    response = login("owner").get(reverse("comms:registrations_csv", args=[event.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="registrations-atelier-teams-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines[0] == "employee_id,last_name,first_name,unit,registered_at,cancelled_at,attended"
    assert len(lines) == 12
    first = lines[1].split(",")
    assert first[:4] == ["FIN00001", "FINLast1", "First1", "Finance"] and first[-1] == "yes"
    last = next(line for line in lines if line.startswith("FIN00011")).split(",")
    assert last[5] != "" and last[6] == ""


def test_it_guards_a_name_that_looks_like_a_formula(login, event, org):
    event = held(event, days=3)
    [person] = make_people(org, 1, prefix="Z")
    person.last_name = "=HYPERLINK(\"x\")"
    person.save()
    tracking.register(action=event, person=person)
    text = login("owner").get(reverse("comms:registrations_csv", args=[event.pk])
                              ).content.decode()
    assert "'=HYPERLINK" in text


def test_it_links_the_registrations_from_the_action_page_for_organisers(login, event, people):
    link = path(event)
    assert link in login("owner").get(reverse("comms:action", args=[event.pk])
                                      ).content.decode()
    page = login("employee").get(reverse("comms:action", args=[event.pk])).content.decode()
    assert link not in page and "First1 FINLast1" not in page


def test_it_lists_many_registrations_in_a_fixed_number_of_queries(
        login, event, org, django_assert_max_num_queries):
    Action.objects.filter(pk=event.pk).update(capacity=None)
    for person in make_people(org, 30, prefix="M"):
        tracking.register(action=event, person=person)
    client = login("owner")
    # The session and its user, the action (with its plan) and who may see and change it,
    # the registrations with their people and units.
    with django_assert_max_num_queries(10):
        assert client.get(path(event)).status_code == 200
