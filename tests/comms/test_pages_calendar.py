"""The calendar page: who opens it, the month grid and the timeline, filters, collisions, the
forecast pressure, and the personal ICS feed address (made, replaced, revoked)."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from phare.comms.models import Action, CalendarFeed
from phare.contact.models import Category, Solicitation
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db

URL = "/comms/calendar/"
MONDAY = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _budget(settings):
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_USAGE_MIN_GROUP = 5
    settings.PHARE_BASE_URL = "https://phare.example.com"
    settings.PHARE_BASE_URL_GIVEN = True  # else a page shows the address it was asked at


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_is_at_its_address():
    assert reverse("comms:calendar") == URL


@pytest.mark.parametrize(("who", "status"), [("marketing", 200), ("admin", 200),
                                             ("executive", 200), ("owner", 403),
                                             ("employee", 403)])
def test_it_opens_to_those_who_see_a_plan(login, personas, who, status):
    make_plan(personas["marketing"])
    assert login(who).get(URL).status_code == status


def test_it_opens_to_a_contributor_with_only_their_plans(login, personas):
    mine = make_plan(personas["marketing"], name="Mine")
    mine.contributors.add(personas["employee"])
    make_action(mine, "Visible", starts_on=dt.date(2027, 3, 3))
    other = make_plan(personas["marketing"], name="Other")
    make_action(other, "Caché", starts_on=dt.date(2027, 3, 4))
    page = login("employee").get(URL, {"year": 2027, "month": 3}).content.decode()
    assert "Visible" in page and "Caché" not in page


def test_it_sends_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def _day(page: str, day: dt.date) -> str:
    found = re.search(rf'<li class="day[^"]*" data-date="{day.isoformat()}">(.*?)</li>'
                      r'\s*<li class="day', page, re.S)
    assert found, day
    return found.group(1)


def test_it_lays_out_the_month_with_each_action_on_its_days(login, personas):
    plan = make_plan(personas["marketing"])
    launch = make_action(plan, "Lancement", starts_on=dt.date(2027, 3, 10),
                         ends_on=dt.date(2027, 3, 11))
    make_action(plan, "Atelier", channel="event", starts_on=dt.date(2027, 3, 11))
    make_action(plan, "Avril", starts_on=dt.date(2027, 4, 20))
    page = login("marketing").get(URL, {"year": 2027, "month": 3}).content.decode()
    assert "Mars 2027" in page
    assert "Lancement" in _day(page, dt.date(2027, 3, 10))
    eleventh = _day(page, dt.date(2027, 3, 11))
    assert "Lancement" in eleventh and "Atelier" in eleventh
    assert "chip channel-event" in eleventh and "chip channel-email" in eleventh
    assert "Avril" not in page
    # The grid runs Monday to Sunday; the days of the months around it are marked.
    assert 'class="day outside' in page and 'data-date="2027-04-04"' in page
    assert "?view=month&amp;year=2027&amp;month=2" in page
    assert "?view=month&amp;year=2027&amp;month=4" in page
    # Each chip links to its action's page (made by another module of the app: once it is).
    try:
        link = reverse("comms:action", args=[launch.pk])
    except NoReverseMatch:
        return
    assert f'href="{link}"' in _day(page, dt.date(2027, 3, 10))


def test_it_marks_today(login, personas):
    make_plan(personas["marketing"])
    page = login("marketing").get(URL).content.decode()
    today = timezone.localdate()
    assert re.search(rf'class="day[^"]* today[^"]*" data-date="{today.isoformat()}"', page)
    assert len(re.findall(r'class="day[^"]* today[ "]', page)) == 1


def test_it_shows_the_quarter_as_a_timeline_per_channel(login, personas):
    plan = make_plan(personas["marketing"])
    make_action(plan, "Campagne", starts_on=dt.date(2027, 4, 2), ends_on=dt.date(2027, 5, 30))
    make_action(plan, "Actu", channel="portal", starts_on=dt.date(2027, 6, 1))
    make_action(plan, "Juillet", starts_on=dt.date(2027, 7, 1))
    page = english(login("marketing")).get(
        URL, {"view": "timeline", "year": 2027, "quarter": 2}).content.decode()
    assert 'id="timeline"' in page
    assert all(f'data-channel="{c}"' in page for c in Action.Channel.values)
    assert "Campagne" in page and "Actu" in page and "Juillet" not in page
    # A bar from 2 April (day 1 of 91) over 59 days.
    assert "left: 1.099%; width: 64.835%" in page
    assert "quarter=1" in page and "quarter=3" in page


def test_it_filters_by_channel_and_plan(login, personas):
    plan = make_plan(personas["marketing"])
    other = make_plan(personas["marketing"], name="Autre")
    make_action(plan, "Courriel", starts_on=dt.date(2027, 3, 3))
    make_action(plan, "Portail", channel="portal", starts_on=dt.date(2027, 3, 3))
    make_action(other, "Ailleurs", starts_on=dt.date(2027, 3, 3))
    client = login("marketing")
    page = client.get(URL, {"year": 2027, "month": 3, "channel": "portal"}).content.decode()
    assert "Portail" in _day(page, dt.date(2027, 3, 3))
    assert "Courriel" not in page and "Ailleurs" not in page
    page = client.get(URL, {"year": 2027, "month": 3, "plan": other.pk}).content.decode()
    assert "Ailleurs" in page and "Courriel" not in page


def test_it_lists_the_collisions_of_the_month_above_the_grid(org, login, personas):
    plan = make_plan(personas["marketing"])
    BusinessUnit.objects.create(code="FIN", name="Finance")
    people = make_people(org, 6, prefix="FIN", unit=BusinessUnit.objects.get(code="FIN"))
    finance = make_audience({"units": ["FIN"]}, name="Finance")
    for i in range(3):
        make_action(plan, f"Relance {i}", audience=finance, starts_on=MONDAY + dt.timedelta(i))
    Solicitation.objects.bulk_create(
        Solicitation(person=p, category=Category.SURVEY, source="test", reference="x",
                     at=dt.datetime.combine(MONDAY, dt.time(10), tzinfo=dt.UTC)) for p in people)
    make_action(plan, "Autre mois", audience=finance, starts_on=dt.date(2027, 5, 3))
    page = english(login("marketing")).get(URL, {"year": 2027, "month": 3}).content.decode()
    section = page[page.index('id="collisions"'):page.index('id="month"')]
    assert "Week of 1 Mar to 7 Mar 2027" in section
    assert "6 people would receive more than 3 messages." in section
    assert all(f"Relance {i}" in section for i in range(3))
    assert "Autre mois" not in section
    empty = login("marketing").get(URL, {"year": 2027, "month": 5}).content.decode()
    assert 'class="card warn collision' not in empty


def test_it_forecasts_the_pressure_per_audience_for_eight_weeks(org, login, personas):
    plan = make_plan(personas["marketing"])
    unit = BusinessUnit.objects.create(code="FIN", name="Finance")
    make_people(org, 6, prefix="FIN", unit=unit)
    small = BusinessUnit.objects.create(code="RH", name="RH")
    make_people(org, 2, prefix="RH", unit=small)
    finance = make_audience({"units": ["FIN"]}, name="Finance")
    hr = make_audience({"units": ["RH"]}, name="Ressources humaines")
    today = timezone.localdate()
    for i in range(4):
        make_action(plan, f"F{i}", audience=finance, starts_on=today)
    make_action(plan, "RH", audience=hr, starts_on=today)
    make_action(plan, "Loin", audience=finance, starts_on=today + dt.timedelta(weeks=12))
    page = english(login("marketing")).get(URL).content.decode()
    table = page[page.index('id="forecast"'):page.index('id="feed"')]
    assert table.count("Week of") == 8
    finance_row = table[table.index("Finance"):table.index("</tr>", table.index("Finance"))]
    assert "6 people" in finance_row and "4.0" in finance_row
    assert "100 % over the budget" in finance_row
    hr_row = table[table.index("Ressources humaines"):]
    hr_row = hr_row[:hr_row.index("</tr>")]
    assert "too few people" in hr_row and "2 people" not in hr_row


def _secret(page: str) -> str:
    found = re.search(r'<code class="token" id="feed-address">([^<]+)</code>', page)
    assert found
    address = found.group(1).replace("&amp;", "&")
    assert address.startswith("https://phare.example.com/api/v1/comms/calendar.ics?token=")
    return address.split("token=", 1)[1]


def test_it_makes_rotates_and_revokes_the_feed_address(client, login, personas):
    plan = make_plan(personas["marketing"])
    make_action(plan, "Lancement", starts_on=dt.date(2027, 3, 10))
    lead = login("marketing")
    assert "feed-address" not in lead.get(URL).content.decode()
    response = lead.post("/comms/calendar/feed/", {"action": "create"})
    assert response.status_code == 200
    first = _secret(response.content.decode())
    # Shown once: the page no longer has it.
    assert first not in lead.get(URL).content.decode()
    feed = client.get("/api/v1/comms/calendar.ics", {"token": first})
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Lancement"]

    second = _secret(lead.post("/comms/calendar/feed/", {"action": "create"}).content.decode())
    assert second != first
    assert client.get("/api/v1/comms/calendar.ics", {"token": first}).status_code == 401
    assert client.get("/api/v1/comms/calendar.ics", {"token": second}).status_code == 200

    response = lead.post("/comms/calendar/feed/", {"action": "revoke"})
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()
    assert client.get("/api/v1/comms/calendar.ics", {"token": second}).status_code == 401


def test_it_refuses_the_feed_to_those_who_see_no_plan(login, personas):
    make_plan(personas["marketing"])
    assert login("employee").post("/comms/calendar/feed/", {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()
