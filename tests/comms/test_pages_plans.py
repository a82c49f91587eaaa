"""The plan pages: the list of plans, a plan with its objectives measured live and its board,
the plan and objective forms — for the marketing lead, a contributor named on a plan, and an
employee named on none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phare.comms.models import Action, Objective, Plan
from tests.comms.factories import make_action, make_audience, make_objective, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages in English (the reader's choice, as the header's switch sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

S = Action.Status


@pytest.fixture
def plan(personas):
    plan = make_plan(personas["marketing"], name="Plan 2027")
    objective = make_objective(plan, "Faire connaître le catalogue", target=60, baseline=20)
    audience = make_audience({"units": ["DSI"]}, name="Toute la DSI")
    make_action(plan, "Lettre du catalogue", status=S.PLANNED, objective=objective,
                audience=audience, owner=personas["marketing"])
    make_action(plan, "Actualité du portail", channel=Action.Channel.PORTAL, status=S.IDEA)
    make_action(plan, "Message à tous", everyone=True, status=S.READY)
    return plan


def test_it_lists_the_plans_with_their_objectives_and_actions_by_status(login, plan):
    response = login("marketing").get(reverse("comms:home"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.plan, r.objectives, r.actions) for r in rows] == [(plan, 1, 3)]
    assert [(status, n) for status, _label, n in rows[0].by_status] == [
        ("idea", 1), ("planned", 1), ("ready", 1)]
    html = response.content.decode()
    assert "Plan 2027" in html and reverse("comms:plan_new") in html


def test_it_shows_a_contributor_only_the_plans_they_are_named_on(login, personas, plan):
    other = make_plan(name="Plan secret")
    plan.contributors.add(personas["employee"])
    client = login("employee")
    response = client.get(reverse("comms:home"))
    assert [r.plan for r in response.context["rows"]] == [plan]
    assert reverse("comms:plan_new") not in response.content.decode()
    assert client.get(reverse("comms:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("comms:plan", args=[other.pk])).status_code == 404
    assert client.get(reverse("comms:plan_new")).status_code == 403
    assert client.get(reverse("comms:plan_edit", args=[plan.pk])).status_code == 403
    assert client.get(reverse("comms:objective_new", args=[plan.pk])).status_code == 403


def test_it_hides_every_plan_from_an_employee_named_on_none(login, plan):
    client = login("owner")
    response = client.get(reverse("comms:home"))
    assert response.status_code == 200 and response.context["rows"] == []
    for name in ("comms:plan", "comms:plan_edit", "comms:objective_new", "comms:action_new"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name
    objective = plan.objectives.get()
    assert client.get(reverse("comms:objective_edit", args=[objective.pk])).status_code == 404
    assert client.post(reverse("comms:objective_delete", args=[objective.pk])).status_code == 404
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_it_shows_each_objective_live_and_the_board_by_status(login, plan):
    make_objective(plan, "Mieux écouter", metric=Objective.Metric.NONE)
    response = login("marketing").get(reverse("comms:plan", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    cards = {c.objective.title: c for c in response.context["objectives"]}
    assert cards["Mieux écouter"].live.status == "not_measured"
    assert cards["Faire connaître le catalogue"].live.status == "not_measured"
    assert "Not measured by Phare" in html
    columns = {c.status: [a.title for a in c.actions] for c in response.context["board"]}
    assert list(columns) == ["idea", "planned", "ready", "approved", "sending", "done",
                             "measured"]
    assert columns["planned"] == ["Lettre du catalogue"]
    assert "Needs an executive&#x27;s approval" in html or "Needs an executive's approval" in html
    assert "Company-wide" in html and "Toute la DSI" in html


def test_it_draws_a_figures_progress_from_its_baseline_to_its_target():
    from types import SimpleNamespace

    from phare.comms import figures

    live = SimpleNamespace(value=40.0, target=60.0, baseline=20.0, expected=30.0, scale=None,
                           unit="%")
    bar = figures.progress(live)
    assert (bar.percent, bar.expected) == (50.0, 25.0)
    assert figures.progress(SimpleNamespace(value=None, target=60.0, baseline=20.0,
                                            expected=None, scale=None, unit="%")) is None
    over = figures.progress(SimpleNamespace(value=80.0, target=60.0, baseline=None,
                                            expected=None, scale=None, unit="%"))
    assert over.percent == 100.0 and over.start == 0.0


def test_it_filters_the_board_and_answers_htmx_with_the_board_alone(login, plan):
    client = login("marketing")
    url = reverse("comms:plan", args=[plan.pk])
    response = client.get(url, {"channel": "portal"})
    titles = [a.title for c in response.context["board"] for a in c.actions]
    assert titles == ["Actualité du portail"]
    objective = plan.objectives.get()
    response = client.get(url, {"objective": objective.pk}, headers={
        "HX-Request": "true", "HX-Target": "board"})
    html = response.content.decode()
    assert "Lettre du catalogue" in html and "Message à tous" not in html
    assert "<h1>" not in html
    response = client.get(url, {"channel": "nonsense"})
    assert len([a for c in response.context["board"] for a in c.actions]) == 3


def test_it_creates_and_edits_a_plan(login, personas):
    client = login("marketing")
    response = client.post(reverse("comms:plan_new"), {
        "name": "Plan 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "description": "L'année du catalogue.", "contributors": [personas["employee"].pk]})
    plan = Plan.objects.get(name="Plan 2028")
    assert response.status_code == 302 and response["Location"] == reverse("comms:plan",
                                                                           args=[plan.pk])
    assert list(plan.contributors.all()) == [personas["employee"]]
    response = client.post(reverse("comms:plan_edit", args=[plan.pk]), {
        "name": "Plan 2028 révisé", "starts_on": "2028-01-01", "ends_on": "2028-06-30"})
    plan.refresh_from_db()
    assert response.status_code == 302
    assert (plan.name, plan.ends_on) == ("Plan 2028 révisé", dt.date(2028, 6, 30))


def test_it_refuses_a_plan_that_ends_before_it_starts_and_writes_nothing(login):
    response = login("marketing").post(reverse("comms:plan_new"), {
        "name": "", "starts_on": "2028-12-31", "ends_on": "2028-01-01"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    assert form.errors["ends_on"] == ["The plan ends before it starts."]
    assert "The plan ends before it starts." in response.content.decode()
    assert not Plan.objects.exists()


def test_it_adds_edits_and_deletes_an_objective(login, plan):
    client = login("marketing")
    response = client.post(reverse("comms:objective_new", args=[plan.pk]), {
        "title": "Répondre aux besoins", "metric": "needs_answered", "baseline": "30",
        "target": "70", "due_on": "2027-12-31"})
    assert response.status_code == 302
    objective = plan.objectives.get(title="Répondre aux besoins")
    assert (objective.metric, objective.target) == ("needs_answered", 70)
    response = client.post(reverse("comms:objective_edit", args=[objective.pk]), {
        "title": "Répondre à plus de besoins", "metric": "none", "target": "80"})
    objective.refresh_from_db()
    assert (objective.title, objective.metric, objective.target) == (
        "Répondre à plus de besoins", "none", 80)
    assert client.get(reverse("comms:objective_delete", args=[objective.pk])).status_code == 405
    response = client.post(reverse("comms:objective_delete", args=[objective.pk]))
    assert response.status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_it_refuses_an_objective_without_its_figures_parameters(login, plan):
    response = login("marketing").post(reverse("comms:objective_new", args=[plan.pk]), {
        "title": "Adoption de Teams", "metric": "adoption", "target": "abc"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "target" in form.errors
    response = login("marketing").post(reverse("comms:objective_new", args=[plan.pk]), {
        "title": "Adoption de Teams", "metric": "adoption"})
    assert "service" in response.context["form"].errors
    assert not plan.objectives.filter(title="Adoption de Teams").exists()
