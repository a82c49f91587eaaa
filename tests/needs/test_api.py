"""The needs API: needs, votes, statuses, campaigns and arbitrations."""

from __future__ import annotations

import pytest

from phare.jobs.models import Job
from phare.needs import services
from phare.needs.models import Need, Notification, Vote
from tests.needs.factories import make_campaign, make_need, score


def test_it_creates_lists_and_reads_needs(api, org, people, need):
    created = api("owner", "POST", "/needs", {"title": "Tableau de bord RH",
                                              "description": "Suivre les effectifs.",
                                              "concerned_units": ["DG"], "urgency": "high"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["business_unit"] == "DSI" and body["concerned_units"] == ["DG"]
    assert body["submitter"] == "E0003" and body["history"][0]["to_status"] == "new"
    listed = api("employee", "GET", "/needs?q=tableau").json()
    assert [n["id"] for n in listed["items"]] == [body["id"]]
    one = api("employee", "GET", f"/needs/{need.pk}").json()
    assert one["title"] == need.title and one["voted"] is False
    assert api("employee", "GET", "/needs/999999").json()["error"]["code"] == "not_found"


def test_invalid_needs_are_refused_field_by_field(api, people):
    response = api("owner", "POST", "/needs", {"title": "X", "description": "Y",
                                               "business_unit": "NOPE",
                                               "services": ["nothing-here"]})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"business_unit", "services"}
    assert not Need.objects.exists()
    missing = api("owner", "POST", "/needs", {"description": "Y"})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "validation_error"


def test_it_votes_withdraws_and_refuses_a_second_vote(api, people, need):
    first = api("owner", "POST", f"/needs/{need.pk}/votes")
    assert first.status_code == 201 and first.json() == {"need": need.pk, "votes": 1,
                                                         "voted": True}
    again = api("owner", "POST", f"/needs/{need.pk}/votes")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    withdrawn = api("owner", "DELETE", f"/needs/{need.pk}/votes")
    assert withdrawn.json()["voted"] is False and not Vote.objects.exists()


def test_the_marketing_lead_changes_statuses_and_merges(api, people, need):
    refused = api("marketing", "POST", f"/needs/{need.pk}/status", {"to": "declined"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "reason"
    moved = api("marketing", "POST", f"/needs/{need.pk}/status", {"to": "qualified",
                                                                  "reason": "Clair"})
    assert moved.status_code == 200 and moved.json()["to_status"] == "qualified"
    history = api("employee", "GET", f"/needs/{need.pk}/history").json()
    assert [h["to_status"] for h in history] == ["new", "qualified"]
    duplicate = make_need(people["owner"], "Signature en ligne")
    merged = api("marketing", "POST", f"/needs/{duplicate.pk}/merge", {"into": need.pk})
    assert merged.status_code == 200 and merged.json()["votes"] == 1
    assert api("employee", "POST", f"/needs/{need.pk}/status",
               {"to": "planned"}).status_code == 403


def test_similar_needs_by_api(api, need):
    found = api("owner", "GET", "/needs/similar?title=signature%20electronique").json()
    assert [n["id"] for n in found] == [need.pk] and found[0]["similarity"] > 0


@pytest.mark.slow
def test_campaigns_and_arbitrations(api, personas, people, teams,
                                    django_capture_on_commit_callbacks):
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=1 + i, one_off=20,
                   efforts={"data": 5}) for i in range(4)]
    campaign = make_campaign(personas["marketing"], needs, budget=45, capacities={"data": 50},
                             method="wsjf")
    listed = api("marketing", "GET", "/need-campaigns").json()
    assert [c["id"] for c in listed["items"]] == [campaign.pk] and listed["count"] == 1
    detail = api("marketing", "GET", f"/need-campaigns/{campaign.pk}").json()
    assert detail["capacities"] == {"data": 50.0} and detail["decision"] is None
    with django_capture_on_commit_callbacks(execute=True):
        run = api("marketing", "POST", f"/need-campaigns/{campaign.pk}/arbitrations")
    assert run.status_code == 201, run.content
    assert sorted(run.json()["result"]["chosen"]) == [needs[2].pk, needs[3].pk]
    read = api("marketing", "GET", f"/need-campaigns/{campaign.pk}/arbitrations/1").json()
    assert read["explained"] is True and read["method"] == "wsjf"
    assert set(read["sentences"]) == {str(n.pk) for n in needs}
    assert read["curve"]["points"]


def test_campaigns_are_created_decided_and_published_through_the_api(
        api, personas, people, teams, django_capture_on_commit_callbacks, mailoutbox):
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=1 + i, one_off=20,
                   efforts={"data": 5}) for i in range(3)]
    payload = {"name": "Arbitrage API", "method": "weighted", "budget_one_off": 45,
               "budget_recurring": 10, "needs": [n.pk for n in needs],
               "capacities": {"data": 50}}
    bad = api("marketing", "POST", "/need-campaigns", {**payload, "needs": [999999]})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "needs"
    unknown_team = api("marketing", "POST", "/need-campaigns",
                       {**payload, "capacities": {"nobody": 3}})
    assert unknown_team.status_code == 422
    created = api("marketing", "POST", "/need-campaigns", payload)
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    changed = api("marketing", "PUT", f"/need-campaigns/{campaign_id}",
                  {**payload, "budget_one_off": 60})
    assert changed.json()["budget_one_off"] == 60.0
    with django_capture_on_commit_callbacks(execute=True):
        run = api("marketing", "POST", f"/need-campaigns/{campaign_id}/arbitrations")
    assert run.status_code == 201
    no_reason = api("marketing", "POST", f"/need-campaigns/{campaign_id}/decision",
                    {"arbitration": 1, "reason": " "})
    assert no_reason.status_code == 422
    early = api("marketing", "POST", f"/need-campaigns/{campaign_id}/publish")
    assert early.status_code == 409
    decided = api("marketing", "POST", f"/need-campaigns/{campaign_id}/decision",
                  {"arbitration": 1, "reason": "Le budget de l'année."})
    assert decided.status_code == 201 and decided.json()["status"] == "decided"
    again = api("marketing", "POST", f"/need-campaigns/{campaign_id}/decision",
                {"arbitration": 1, "reason": "Encore"})
    assert again.status_code == 409
    assert api("marketing", "PUT", f"/need-campaigns/{campaign_id}", payload).status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        published = api("marketing", "POST", f"/need-campaigns/{campaign_id}/publish")
    assert published.status_code == 200 and published.json()["notifications"] >= 1


def test_publishing_through_the_api_sends_the_emails_at_once_as_the_page_does(
        api, personas, people, teams, django_capture_on_commit_callbacks, mailoutbox):
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=1 + i, one_off=20,
                   efforts={"data": 5}) for i in range(2)]
    Vote.objects.create(need=needs[0], person=people["owner"])
    campaign = make_campaign(personas["marketing"], needs, budget=45, capacities={"data": 50})
    arbitration = services.arbitration_explain(services.arbitration_run(
        user=personas["marketing"], campaign=campaign, explain=False))
    services.decision_record(user=personas["marketing"], campaign=campaign,
                             arbitration=arbitration, reason="Le budget de l'année.")
    with django_capture_on_commit_callbacks(execute=True):
        published = api("marketing", "POST", f"/need-campaigns/{campaign.pk}/publish")
    assert published.status_code == 200, published.content
    job = Job.objects.get(kind="needs.digests")
    assert job.created_by == personas["marketing"] and job.status == Job.Status.SUCCEEDED
    assert {m.to[0] for m in mailoutbox} == {people["employee"].email, people["owner"].email}
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
