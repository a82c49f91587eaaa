"""The number of queries of every dashboard and list page is pinned.

Each page is visited, as a role that may see it, on the demo organisation (150 people, 20
services, 120 needs, four surveys with their waves, a year of tickets) to which enough rows are
added that every list shows at least 30 of them: a query made once per row (N+1) would add 30
queries and break the bound. Each bound is the count measured when it was set plus a small
margin; the comment by each page says what its queries are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.catalog.models import Service
from phare.comms.models import Action, ActionChange, Plan
from phare.core.demo import DemoContext
from phare.directory.models import Person
from phare.jobs.models import Job
from phare.listening import demo_data as D
from phare.listening.models import Survey
from phare.listening.services import survey_create, survey_set_status, wave_create
from phare.needs.models import Campaign
from tests.comms.factories import make_action, make_audience, make_objective, make_plan
from tests.listening.factories import full_answers, make_barometer

ROWS = 30


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    # A store of its own: each insights page counts its refresh, whatever ran before.
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # The same build as tests/needs/test_demo.py: one build serves both.
    return demo_through("needs", seed=3, employees=150, needs=120, services=20)


@pytest.fixture
def many(demo) -> DemoContext:
    """The demo, with at least ROWS rows in the lists it has few of."""
    people = list(Person.objects.filter(user=None).order_by("employee_id")[:ROWS])
    for i, person in enumerate(people):
        user_create(username=f"user{i:02d}", password=None, role=Role.EMPLOYEE,
                    email=person.email, person=person)
    admin = User.objects.get(username="admin")
    Job.objects.bulk_create(Job(kind="directory.import", title=f"Import {i}", created_by=admin,
                                status=Job.Status.SUCCEEDED) for i in range(ROWS))
    marketing = User.objects.get(username="marketing")
    for i in range(ROWS):
        survey_create(slug=f"pulse-{i:02d}", kind=Survey.Kind.PULSE, title_fr=f"Pulse {i}",
                      created_by=marketing)
    barometer = Survey.objects.get(slug=D.BAROMETER_SLUG)
    start = dt.date(2027, 1, 4)
    for i in range(ROWS):
        opens = start + dt.timedelta(days=30 * i)
        wave_create(barometer, name=f"Vague {i}", opens_on=opens,
                    closes_on=opens + dt.timedelta(days=14))
    Campaign.objects.bulk_create(
        Campaign(name=f"Campagne {i}", budget_one_off=Decimal(100),
                 budget_recurring=Decimal(50)) for i in range(ROWS))
    return demo


def as_role(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


# Every page starts with the same three queries: the session, the signed-in user, the user's
# person (the menu and the language). The comments say what comes after them.
#: (page, who visits it, the most queries it may make: measured + a margin of two).
PAGES: list[tuple[str, str, int]] = [
    # The employee's home (the cockpit's portal first): their person and its unit, site, job
    # family, manager, the popular services, the news, open surveys, their needs and votes (8).
    ("/", "employee", 13),
    # The administrator's home: the directory summary (counts and the last import, 5).
    ("/", "admin", 10),
    # The portal: the person's unit (audience), the services they may see, the families,
    # featured and recent services, the news (6).
    ("/catalogue/", "employee", 11),
    # A search: the audience, the matching services, their families and FAQs (4).
    ("/catalogue/search/?q=vpn", "employee", 9),
    # The management list: the families of the filter, the count and page of services (4).
    ("/catalogue/manage/", "marketing", 9),
    # A service page: the service, commitments, FAQs, news, its audience (units, sites, job
    # families), related and replacing services (10).
    (f"/catalogue/{D.SERVICE_OF_SURVEY}/", "marketing", 15),
    # The value card: the service, its surveys, then a response/question pair per question of
    # the service survey (one loop over the questionnaire, not over rows: 35). Every dashboard
    # below also reads the rows its cache key is made of, by value (insights.memo.reference:
    # surveys, waves, invitations per wave, questions, units, sites, job families, people,
    # services — 9, whatever the number of rows). Then its usage, from the cache: the usage
    # figures' own reference rows, by value (usage.memo.reference: people, licences, units,
    # sites, job families, services and their audiences, seats, deployments — 11). Its own
    # page: the survey's CSAT question (its version and questions, 2), whether the reader may
    # open the service's catalogue page (1).
    (f"/insights/services/{D.SERVICE_OF_SURVEY}/card/", "marketing", 69),
    # The needs list: the viewer's unit, the page of needs with their vote counts, the
    # published decisions, the viewer's votes (4).
    ("/needs/", "employee", 9),
    ("/needs/", "marketing", 9),
    # The campaigns: one query for the list with its counts (1).
    ("/needs/campaigns/", "marketing", 6),
    # The surveys: the page of surveys with their versions, waves and response counts (2).
    ("/surveys/", "marketing", 7),
    # The waves of a survey: the survey, the invitation counts, the waves (3).
    (f"/surveys/{D.BAROMETER_SLUG}/waves/", "marketing", 8),
    # The people: the filters' units, sites and job families, the page of people and its
    # count, each with unit, site, job family and manager selected (10).
    ("/directory/", "admin", 15),
    # The jobs: the page of jobs with their starter and the starter's person, whatever the
    # number of jobs (4 in all; it was one more query per job before jobs_visible_to selected
    # the starter's person).
    ("/jobs/", "admin", 6),
    # The users: one query for the list with their people (1).
    ("/accounts/users/", "admin", 6),
    # The barometer: the survey, the filters, its waves, then per closed wave its responses and
    # questions, the units for each breakdown, the versions' questions (33; 34 with 30 more
    # planned waves: grows by one, not per row).
    # Then the cache key's 9 (the unit tree is now read once: 6 fewer).
    (f"/insights/barometer/{D.BAROMETER_SLUG}/", "marketing", 40),
    # Ticket experience: the ticket survey, then the analytical store's refresh (its responses
    # and questions for each month of the year: per month, not per row), the services and
    # units of the filters and of the owner scope, the questionnaire (33); the cache key's 9,
    # and the ticket surveys once more for the months' key.
    ("/insights/tickets/", "marketing", 46),
    # Verbatims: the surveys with their responses, the filters, the services, the store's
    # refresh of the surveys with comments (responses and questions), the comments (11); the
    # cache key's 9. The explorer opens on the barometer, whose store is built wave by wave
    # (a wave's responses and questions each: 4 more for this one's waves).
    ("/insights/verbatims/", "marketing", 28),
]


@pytest.mark.parametrize(("path", "username", "most"), PAGES)
def test_each_list_and_dashboard_page_makes_a_bounded_number_of_queries(
        many, client, django_assert_max_num_queries, path, username, most):
    as_role(client, username)
    with django_assert_max_num_queries(most):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


#: The pages that read every value card (computed together once per state of the data, the
#: first visit paying for it): (page, who visits it, the most queries of the next visit).
CARD_PAGES = [
    # The list: the services listed, the service surveys, the ticket surveys, the cards from
    # the cache (their key's reference rows, 9), the services with usage and their usage
    # from the cache (its reference rows, 11): none per service.
    pytest.param("/insights/cards/", "marketing", 28, id="cards"),
    # The overview: the same cards (the cards that changed most; the usage rows read once for
    # the whole page), the headline figures from the barometer's and the ticket experience's
    # caches (their keys' rows, 9 each, and the surveys), the needs answered (2 counts,
    # twice), the barometers and the latest waves (2).
    pytest.param("/insights/", "marketing", 59, id="insights-home"),
    # The cockpits: the headline figures and the value cards from their caches, the usage
    # figures' reference rows read once for the whole page (lib.cache.read_once).
    pytest.param("/", "cio", 49, id="cio-home"),
    pytest.param("/", "marketing", 77, id="marketing-home"),
]


@pytest.mark.parametrize(("path", "username", "most"), CARD_PAGES)
def test_the_pages_of_every_value_card_read_them_from_the_cache(
        many, client, django_assert_max_num_queries, path, username, most):
    as_role(client, username)
    assert client.get(path).status_code == 200  # computes and keeps every card
    with django_assert_max_num_queries(most):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


@pytest.fixture
def plan(many) -> Plan:
    """A plan of this month with ROWS actions of every channel and status (each with its
    audience among ROWS saved ones, an owner, a contributor, two services, a history), three
    objectives, and the employee named on it."""
    marketing = User.objects.get(username="marketing")
    employee = User.objects.get(username="employee")
    today = timezone.localdate()
    plan = make_plan(marketing, name="Plan du mois", starts_on=today.replace(day=1),
                     ends_on=today.replace(day=1) + dt.timedelta(days=90))
    plan.contributors.set([employee])
    objectives = [make_objective(plan, f"Objectif {i}") for i in range(3)]
    units = list(Person.objects.exclude(business_unit=None)
                 .values_list("business_unit__code", flat=True).distinct()[:3])
    audiences = [make_audience({"units": [units[i % len(units)]]}, name=f"Audience {i:02d}")
                 for i in range(ROWS)]
    services = list(Service.objects.order_by("pk")[:ROWS])
    channels, statuses = list(Action.Channel), list(Action.Status)
    for i in range(ROWS):
        action = make_action(plan, f"Action {i:02d}", objective=objectives[i % 3],
                             audience=audiences[i], owner=marketing, contributors=[employee],
                             services=services[i % len(services):i % len(services) + 2],
                             channel=channels[i % len(channels)],
                             status=statuses[i % len(statuses)],
                             starts_on=plan.starts_on + dt.timedelta(days=i % 28))
        ActionChange.objects.create(action=action, to_status=action.status, by=marketing)
    # The first action's history: ROWS comments, by three people in turn.
    first = plan.actions.order_by("pk").first()
    authors = [marketing, employee, User.objects.get(username="admin")]
    ActionChange.objects.bulk_create(
        ActionChange(action=first, from_status=first.status, to_status=first.status,
                     comment=f"Commentaire {i}", by=authors[i % 3]) for i in range(ROWS))
    return plan


# The communication plan's pages, on :func:`plan` (the same first three queries, then):
#: (page, who visits it, the most queries it may make), ``{plan}``/``{action}`` its ids.
COMMS_PAGES = [
    # The plans: the plans seen with their objectives counted, their actions by status (2).
    pytest.param("/comms/", "marketing", 7),
    # A plan: the plan, the filters' choices (objectives, audiences, owners, services), the
    # board's actions with their plan, objective, audience, owner and owner's person, their
    # contributors and services, the objectives with their live figures, the contributors.
    pytest.param("/comms/plans/{plan}/", "marketing", 20),
    pytest.param("/comms/plans/{plan}/", "employee", 20),
    # An action: the action with its plan, objective, audience, owner, contributors and
    # services, its history and attachments with their authors, its reach (deliveries, clicks),
    # its audience's size.
    pytest.param("/comms/actions/{action}/", "marketing", 18),
    # The calendar: the month's actions, the filters' choices, the collisions, then the
    # pressure forecast (73 in all). The forecast reads, for each audience reaching the coming
    # weeks, the unit tree, its members, their solicitations and their survey invitations (56
    # of the 73, reported: it grows with the audiences, not with the actions).
    pytest.param("/comms/calendar/", "marketing", 78),
    pytest.param("/comms/calendar/", "employee", 78),
    # The audiences with their use, each with its size (the unit tree and the people, once per
    # distinct criteria: 6) and its criteria in words, for which the unit tree is read again
    # for each audience (37 in all, reported: one query per audience until comms.audiences
    # describes a list with one lookup).
    pytest.param("/comms/audiences/", "marketing", 42),
]


@pytest.mark.parametrize(("path", "username", "most"), COMMS_PAGES)
def test_each_communication_plan_page_makes_a_bounded_number_of_queries(
        plan, client, django_assert_max_num_queries, path, username, most):
    action = plan.actions.order_by("pk").first()
    as_role(client, username)
    with django_assert_max_num_queries(most):
        response = client.get(path.format(plan=plan.pk, action=action.pk))
    assert response.status_code == 200, (path, response.status_code)


@pytest.mark.django_db
def test_an_open_link_submission_makes_a_bounded_number_of_queries(
        client, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    survey = survey_set_status(make_barometer("ouvert", open_link=True), Survey.Status.OPEN)
    path = f"/s/open/{survey.open_token}/response.json"

    def submit(key: str) -> int:
        body = {"submission_id": key, "answers": full_answers()}
        return client.post(path, body, content_type="application/json").status_code

    key = str(uuid.uuid4())
    # The first response to a version: the survey's newest version with the survey and its open
    # waves (one query), the savepoint, the version's questions, the insert, the release (5).
    with django_assert_max_num_queries(5), django_capture_on_commit_callbacks(execute=True):
        assert submit(key) == 201
    # Once a response is committed the version is frozen and its questions are kept by the
    # process: the open link, the savepoint, the insert, the release (4).
    with django_assert_max_num_queries(4):
        assert submit(str(uuid.uuid4())) == 201
    # A replay: the open link, the insert refused by the unique key inside its savepoint (4),
    # then the response it recorded first (6).
    with django_assert_max_num_queries(6):
        assert submit(key) == 200
