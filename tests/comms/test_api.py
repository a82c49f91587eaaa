"""The communication plan's API: plans, objectives, actions and their workflow, sending,
results and audiences, under each role's view."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from phare.comms import jobs as _send_job_registered  # noqa: F401  (until apps.ready imports it)
from phare.comms.models import Action, ActionChange, Audience, Plan, Registration, Webhook
from phare.comms.services import tracking
from phare.jobs.models import Job
from tests.comms.factories import make_action, make_audience, make_objective, make_people, make_plan

S = Action.Status
pytestmark = pytest.mark.django_db




@pytest.fixture
def plan(personas):
    return make_plan(personas["marketing"])


def _fields(response) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


def test_it_creates_reads_changes_and_deletes_a_plan(api, personas):
    created = api("marketing", "POST", "/comms/plans", {
        "name": "Plan 2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31",
        "contributors": ["employee"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contributors"] == ["employee"] and body["can_edit"] is True
    assert body["by_status"]["idea"] == 0
    changed = api("marketing", "PATCH", f"/comms/plans/{body['id']}", {"name": "Plan 2028"})
    assert changed.status_code == 200 and changed.json()["name"] == "Plan 2028"
    assert changed.json()["contributors"] == ["employee"]
    assert api("employee", "GET", f"/comms/plans/{body['id']}").json()["can_edit"] is False
    assert api("marketing", "DELETE", f"/comms/plans/{body['id']}").status_code == 204
    assert not Plan.objects.exists()


def test_it_refuses_a_bad_plan_field_by_field(api):
    response = api("marketing", "POST", "/comms/plans", {
        "name": "Plan", "starts_on": "2027-06-01", "ends_on": "2027-01-01",
        "contributors": ["nobody"]})
    assert response.status_code == 422 and _fields(response) == {"contributors"}
    response = api("marketing", "POST", "/comms/plans", {
        "name": "Plan", "starts_on": "2027-06-01", "ends_on": "2027-01-01"})
    assert response.status_code == 422 and _fields(response) == {"ends_on"}
    assert not Plan.objects.exists()


def test_it_shows_each_role_only_the_plans_it_may_see(api, personas, plan):
    make_action(plan, "Mine", contributors=[personas["employee"]])
    other = make_plan(name="Secret")
    for who in ("admin", "marketing", "executive"):
        assert api(who, "GET", "/comms/plans").json()["count"] == 2
    assert [p["name"] for p in api("employee", "GET", "/comms/plans").json()["items"]] == [
        "Plan 2027"]
    assert api("employee", "GET", f"/comms/plans/{plan.pk}").status_code == 200
    assert api("employee", "GET", f"/comms/plans/{other.pk}").status_code == 404
    assert api("owner", "GET", f"/comms/plans/{plan.pk}").status_code == 404
    assert api("owner", "GET", "/comms/plans").json()["count"] == 0
    # Only managers create or change plans.
    assert api("employee", "PATCH", f"/comms/plans/{plan.pk}", {"name": "X"}).status_code == 403
    assert api("executive", "DELETE", f"/comms/plans/{plan.pk}").status_code == 403


def test_it_keeps_a_plan_whose_actions_were_sent(api, plan):
    make_action(plan, status=S.DONE)
    response = api("marketing", "DELETE", f"/comms/plans/{plan.pk}")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"


def test_it_lists_and_creates_objectives_with_their_live_figure(api, plan):
    make_objective(plan)
    created = api("marketing", "POST", f"/comms/plans/{plan.pk}/objectives",
                  {"title": "Adoption de Teams", "metric": "none", "target": "60"})
    assert created.status_code == 201, created.content
    assert created.json()["live"]["status"] == "not_measured"
    listed = api("executive", "GET", f"/comms/plans/{plan.pk}/objectives").json()
    assert [o["title"] for o in listed] == ["Faire connaître le catalogue", "Adoption de Teams"]
    bad = api("marketing", "POST", f"/comms/plans/{plan.pk}/objectives",
              {"title": "Adoption", "metric": "adoption", "params": {"colour": "red"}})
    assert bad.status_code == 422 and {"service", "colour"} <= _fields(bad)
    assert plan.objectives.count() == 2


def test_it_creates_an_action_and_moves_it_to_approval(api, personas, plan, org):
    make_people(org, 3)
    audience = make_audience({"units": ["DSI"]})
    created = api("marketing", "POST", "/comms/actions", {
        "plan": plan.pk, "title": "Teams", "starts_on": "2027-03-01", "audience": audience.pk,
        "languages": ["fr", "en"], "subject_fr": "Bonjour", "subject_en": "Hello",
        "body_fr": "Texte", "body_en": "Text", "owner": "owner", "services": []})
    assert created.status_code == 201, created.content
    action = created.json()
    assert (action["status"], action["owner"], action["transitions"]) == (
        "idea", "owner", ["planned", "cancelled"])
    path = f"/comms/actions/{action['id']}"
    for to in ("planned", "ready"):
        moved = api("owner", "POST", f"{path}/transition", {"to": to})
        assert moved.status_code == 200, moved.content
    refused = api("owner", "POST", f"{path}/transition", {"to": "approved"})
    assert refused.status_code == 403
    approved = api("marketing", "POST", f"{path}/transition", {"to": "approved",
                                                                "comment": "Go"})
    assert approved.status_code == 200
    body = approved.json()
    assert body["approved_by"] == "marketing" and body["can_send"] is True
    assert [h["to_status"] for h in body["history"]] == ["idea", "planned", "ready", "approved"]
    again = api("marketing", "POST", f"{path}/transition", {"to": "planned"})
    assert again.status_code == 409 and _fields(again) == {"to"}


def test_it_refuses_bad_action_fields_and_writes_nothing(api, plan):
    response = api("marketing", "POST", "/comms/actions", {
        "plan": plan.pk, "title": "Bad", "starts_on": "2027-03-01", "ends_on": "2027-01-01",
        "everyone": True, "audience": make_audience().pk, "languages": ["de"],
        "send_at": "2001-01-01T10:00:00"})
    assert response.status_code == 422
    assert _fields(response) == {"ends_on", "audience", "languages", "send_at"}
    missing = api("marketing", "POST", "/comms/actions", {
        "plan": plan.pk, "title": "Bad", "starts_on": "2027-03-01", "audience": 999999,
        "services": ["nowhere"], "holdout_percent": 90})
    assert missing.status_code == 422
    assert not Action.objects.exists()


def test_it_lets_contributors_change_their_actions_only(api, personas, plan):
    mine = make_action(plan, contributors=[personas["employee"]])
    other = make_action(plan, "Other")
    changed = api("employee", "PATCH", f"/comms/actions/{mine.pk}", {"title": "Relu"})
    assert changed.status_code == 200 and changed.json()["title"] == "Relu"
    assert api("employee", "PATCH", f"/comms/actions/{other.pk}",
               {"title": "No"}).status_code == 403
    assert api("owner", "GET", f"/comms/actions/{mine.pk}").status_code == 404
    assert api("employee", "POST", "/comms/actions", {
        "plan": plan.pk, "title": "New", "starts_on": "2027-03-01"}).status_code == 403
    listed = api("employee", "GET", f"/comms/actions?plan={plan.pk}").json()
    assert listed["count"] == 2
    assert api("employee", "GET", "/comms/actions?mine=true").json()["count"] == 1
    assert api("owner", "GET", "/comms/actions").json()["count"] == 0
    bad = api("marketing", "GET", "/comms/actions?status=nowhere&owner=ghost")
    assert bad.status_code == 422 and _fields(bad) == {"status", "owner"}


def test_it_sends_an_approved_action_back_to_ready_when_its_text_changes(api, personas, plan):
    action = make_action(plan, audience=make_audience(), status=S.APPROVED,
                         approved_by=personas["marketing"])
    response = api("marketing", "PATCH", f"/comms/actions/{action.pk}", {"body_fr": "Autre"})
    assert response.json()["status"] == "ready" and response.json()["approved_by"] is None
    sent = make_action(plan, audience=make_audience(name="B"), status=S.DONE)
    locked = api("marketing", "PATCH", f"/comms/actions/{sent.pk}", {"subject_fr": "X"})
    assert locked.status_code == 409 and _fields(locked) == {"subject_fr"}


def test_it_leaves_a_company_wide_email_to_an_executive(api, personas, plan):
    action = make_action(plan, everyone=True, status=S.READY)
    path = f"/comms/actions/{action.pk}"
    assert api("marketing", "GET", path).json()["needs_executive"] is True
    with translation.override("en"):
        refused = api("marketing", "POST", f"{path}/transition", {"to": "approved"})
    assert refused.status_code == 403
    assert api("marketing", "POST", f"{path}/send").status_code == 409
    approved = api("executive", "POST", f"{path}/transition", {"to": "approved"})
    assert approved.status_code == 200 and approved.json()["approved_by"] == "executive"
    assert ActionChange.objects.filter(action=action, to_status="approved",
                                       by=personas["executive"]).exists()


def test_it_starts_the_send_job_and_answers_the_results(api, personas, plan, org):
    make_people(org, 3)
    action = make_action(plan, audience=make_audience({"units": ["DSI"]}), status=S.APPROVED,
                         approved_by=personas["marketing"])
    assert api("employee", "POST", f"/comms/actions/{action.pk}/send").status_code == 404
    started = api("marketing", "POST", f"/comms/actions/{action.pk}/send")
    assert started.status_code == 202, started.content
    assert Job.objects.filter(pk=started.json()["job"], kind="comms.send").exists()
    action.refresh_from_db()
    assert action.status == S.SENDING
    results = api("executive", "GET", f"/comms/actions/{action.pk}/results")
    assert results.status_code == 200
    assert set(results.json()) == {"reach", "outcome"}


def test_it_publishes_printed_material(api, personas, plan):
    action = make_action(plan, channel=Action.Channel.PRINT, status=S.APPROVED,
                         approved_by=personas["marketing"])
    assert api("marketing", "POST", f"/comms/actions/{action.pk}/send").status_code == 409
    published = api("marketing", "POST", f"/comms/actions/{action.pk}/publish")
    assert published.status_code == 200 and published.json()["status"] == "done"


def test_it_saves_audiences_and_tells_their_size_live(api, org, personas):
    make_people(org, 6, unit=org["sales"])
    size = api("marketing", "POST", "/comms/audiences/size", {"criteria": {"units": ["VEN"]}})
    assert size.status_code == 200
    assert size.json()["size"] == 7  # the six and Eric, the employee persona
    few = api("marketing", "POST", "/comms/audiences/size", {"criteria": {"units": ["DG"],
                                                                          "sub_units": False}})
    assert few.json()["size"] is None and few.json()["size_hidden"] is True
    bad = api("marketing", "POST", "/comms/audiences/size", {"criteria": {"units": ["NOPE"]}})
    assert bad.status_code == 422 and _fields(bad) == {"criteria.units[0]"}
    created = api("marketing", "POST", "/comms/audiences", {"name": "Ventes",
                                                            "criteria": {"units": ["VEN"]}})
    assert created.status_code == 201, created.content
    assert created.json()["size"] == 7 and created.json()["summary"]
    refused = api("marketing", "POST", "/comms/audiences", {"name": "X",
                                                            "criteria": {"sites": ["NOPE"]}})
    assert refused.status_code == 422 and _fields(refused) == {"criteria.sites[0]"}
    assert Audience.objects.count() == 1
    one = api("executive", "GET", f"/comms/audiences/{created.json()['id']}")
    assert one.status_code == 200 and one.json()["used_by"] == 0
    assert api("executive", "GET", "/comms/audiences").json()[0]["name"] == "Ventes"
    assert api("employee", "GET", "/comms/audiences").status_code == 403
    assert api("executive", "POST", "/comms/audiences/size", {"criteria": {}}).status_code == 403


# Teams and Slack channels, an event's registrations -------------------------------------------

SECRET_HOOK = "https://hooks.slack.com/services/T0001/B0002/XyZsEcReTtOkEn9876"


def test_it_creates_lists_changes_and_deletes_channels_with_their_address_masked(api, plan):
    created = api("marketing", "POST", "/comms/webhooks", {
        "name": "#it-news", "kind": "slack", "url": SECRET_HOOK})
    assert created.status_code == 201, created.content
    body = created.json()
    hook_id = body["id"]
    assert body["address"] == "https://hooks.slack.com/…9876" and body["actions"] == []
    listed = api("admin", "GET", "/comms/webhooks")
    assert listed.status_code == 200 and [w["id"] for w in listed.json()] == [hook_id]
    changed = api("marketing", "PATCH", f"/comms/webhooks/{hook_id}", {"name": "#it-info"})
    assert changed.status_code == 200 and changed.json()["name"] == "#it-info"
    assert Webhook.objects.get().url == SECRET_HOOK  # no url given: kept
    replaced = api("marketing", "PATCH", f"/comms/webhooks/{hook_id}",
                   {"url": "https://hooks.slack.com/services/NEW/abcdefgh"})
    assert replaced.json()["address"] == "https://hooks.slack.com/…efgh"
    action = make_action(plan, channel=Action.Channel.WEBHOOK, webhook_id=hook_id)
    assert api("marketing", "GET", "/comms/webhooks").json()[0]["actions"] == [action.pk]
    refused = api("marketing", "DELETE", f"/comms/webhooks/{hook_id}")
    assert refused.status_code == 409 and _fields(refused) == {"webhook"}
    action.delete()
    assert api("marketing", "DELETE", f"/comms/webhooks/{hook_id}").status_code == 204
    assert not Webhook.objects.exists()
    for response in (created, listed, changed):
        assert "XyZsEcReT" not in response.content.decode()


def test_it_refuses_bad_channels_and_other_roles(api):
    bad = api("marketing", "POST", "/comms/webhooks", {"name": "#x", "kind": "slack",
                                                       "url": "not an address"})
    assert bad.status_code == 422 and _fields(bad) == {"url"}
    bad = api("marketing", "POST", "/comms/webhooks", {"name": "#x", "kind": "irc",
                                                       "url": SECRET_HOOK})
    assert bad.status_code == 422
    assert not Webhook.objects.exists()
    hook = Webhook.objects.create(name="#x", kind="teams", url=SECRET_HOOK)
    for who in ("executive", "owner", "employee"):
        assert api(who, "GET", "/comms/webhooks").status_code == 403
        assert api(who, "DELETE", f"/comms/webhooks/{hook.pk}").status_code == 403
    bad = api("marketing", "PATCH", f"/comms/webhooks/{hook.pk}", {"url": "ftp:/x"})
    assert bad.status_code == 422 and _fields(bad) == {"url"}
    assert Webhook.objects.get().url == SECRET_HOOK
    assert api("marketing", "PATCH", "/comms/webhooks/999999", {"name": "y"}
               ).status_code == 404


@pytest.fixture
def workshop(personas, plan, org):
    plan.contributors.set([personas["employee"]])
    event = make_action(plan, "Atelier", kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
                        category="event", owner=personas["owner"], status=S.DONE,
                        starts_at=timezone.now() + dt.timedelta(days=1), capacity=30)
    people = make_people(org, 3, prefix="W")
    for person in people:
        tracking.register(action=event, person=person)
    tracking.cancel_registration(action=event, person=people[2])
    Action.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    return event, people


def test_it_lists_registrations_and_records_attendance_for_organisers(api, workshop):
    event, (first, second, cancelled) = workshop
    response = api("owner", "GET", f"/comms/actions/{event.pk}/registrations")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["capacity"], body["seats_taken"], body["attended"]) == (30, 2, 0)
    rows = {r["employee_id"]: r for r in body["registrations"]}
    assert set(rows) == {first.employee_id, second.employee_id, cancelled.employee_id}
    assert rows[cancelled.employee_id]["cancelled_at"] is not None
    assert rows[first.employee_id]["attended"] is None and rows[first.employee_id]["unit"]
    put = api("marketing", "PUT",
              f"/comms/actions/{event.pk}/registrations/{first.employee_id}/attendance",
              {"attended": True})
    assert put.status_code == 200, put.content
    assert put.json()["attended"] is True and put.json()["employee_id"] == first.employee_id
    again = api("owner", "GET", f"/comms/actions/{event.pk}/registrations").json()
    assert again["attended"] == 1
    # A cancelled registration: 409; someone not registered (or unknown): 404.
    base = f"/comms/actions/{event.pk}/registrations"
    assert api("owner", "PUT", f"{base}/{cancelled.employee_id}/attendance",
               {"attended": True}).status_code == 409
    assert api("owner", "PUT", f"{base}/E0001/attendance", {"attended": True}
               ).status_code == 404
    assert api("owner", "PUT", f"{base}/NOBODY/attendance", {"attended": True}
               ).status_code == 404
    assert api("owner", "PUT", f"{base}/{second.employee_id}/attendance",
               {"attended": "perhaps"}).status_code == 422


def test_it_keeps_registrations_from_other_readers(api, workshop, personas, org):
    event, (first, _second, _cancelled) = workshop
    base = f"/comms/actions/{event.pk}/registrations"
    for who in ("executive", "employee"):
        assert api(who, "GET", base).status_code == 403
        assert api(who, "PUT", f"{base}/{first.employee_id}/attendance",
                   {"attended": True}).status_code == 403
        # The results keep releasing counts only.
        results = api(who, "GET", f"/comms/actions/{event.pk}/results").json()
        assert first.employee_id not in json.dumps(results)
    event.plan.contributors.clear()
    assert api("employee", "GET", base).status_code == 404
    email = make_action(event.plan, owner=personas["owner"])
    assert api("owner", "GET", f"/comms/actions/{email.pk}/registrations").status_code == 404
    assert not Registration.objects.filter(attended__isnull=False).exists()
