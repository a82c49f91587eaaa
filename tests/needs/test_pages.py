"""The needs pages, clicked through with the test client."""

from __future__ import annotations

import pytest
from django.core import mail

from phare.needs.models import Campaign, Criterion, DeliveryTeam, Need, Notification, Vote
from tests.needs.factories import make_campaign, make_need, score


def test_it_lists_needs_with_their_votes(login, people, need):
    other = make_need(people["owner"], "Tableau de bord des ventes")
    Vote.objects.create(need=other, person=people["admin"])
    response = login("employee").get("/needs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert need.title in body and other.title in body
    # Most votes first.
    assert body.index(other.title) < body.index(need.title)


def test_it_filters_the_list_by_status_and_text(login, people, need):
    make_need(people["owner"], "Tableau de bord des ventes")
    client = login("employee")
    body = client.get("/needs/", {"q": "signature"}, HTTP_HX_REQUEST="true").content.decode()
    assert need.title in body and "Tableau de bord" not in body
    body = client.get("/needs/", {"status": "declined"}).content.decode()
    assert need.title not in body


def test_an_employee_submits_a_need(login, org, people):
    client = login("employee")
    response = client.get("/needs/new/")
    assert response.status_code == 200
    response = client.post("/needs/new/", {
        "title": "Badge unique pour tous les sites", "description": "Un seul badge.",
        "urgency": "high", "business_unit": org["sales"].pk,
        "concerned_units": [org["dg"].pk]})
    need = Need.objects.get(title="Badge unique pour tous les sites")
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    assert need.submitter == people["employee"] and need.status == "new"
    assert list(need.concerned_units.all()) == [org["dg"]]
    assert need.follows.filter(person=people["employee"]).exists()
    assert need.history.get().to_status == "new"


def test_a_need_without_title_is_refused_with_the_field_named(login, org):
    response = login("employee").post("/needs/new/", {"title": "", "description": "x",
                                                      "urgency": "low",
                                                      "business_unit": org["sales"].pk})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Need.objects.exists()


def test_similar_needs_come_while_typing(login, people, need):
    response = login("owner").get("/needs/similar/", {"title": "signatures electroniques"},
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [n.pk for n, _score in response.context["similar"]] == [need.pk]
    assert f"/needs/{need.pk}/vote/" in response.content.decode()


def test_a_vote_by_htmx_answers_the_button_and_withdraws(login, people, need):
    client = login("owner")
    response = client.post(f"/needs/{need.pk}/vote/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert Vote.objects.filter(need=need, person=people["owner"]).exists()
    response = client.post(f"/needs/{need.pk}/vote/", {"action": "withdraw"},
                           HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Vote.objects.exists()


def test_the_need_page_shows_history_comments_and_follow(login, people, need):
    client = login("owner")
    client.post(f"/needs/{need.pk}/comment/", {"text": "Très utile aussi pour les achats."})
    client.post(f"/needs/{need.pk}/follow/")
    response = client.get(f"/needs/{need.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Très utile aussi pour les achats." in body
    assert response.context["following"] is True
    assert "manager" not in response.context
    assert len(response.context["history"]) == 1


def test_a_get_on_an_action_address_shows_the_need(login, need):
    response = login("employee").get(f"/needs/{need.pk}/vote/")
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"


def test_the_marketing_lead_changes_a_status_and_the_submitter_is_told(login, people, need):
    client = login("marketing")
    page = client.get(f"/needs/{need.pk}/")
    assert page.context["manager"] is True
    response = client.post(f"/needs/{need.pk}/status/", {"to": "declined", "reason": ""})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "new"  # a decline needs a reason
    client.post(f"/needs/{need.pk}/status/", {"to": "declined",
                                              "reason": "Déjà couvert par DocuSign."})
    need.refresh_from_db()
    assert need.status == "declined"
    assert Notification.objects.get().person == people["employee"]
    assert "Déjà couvert par DocuSign." in client.get(f"/needs/{need.pk}/").content.decode()


def test_the_marketing_lead_merges_a_duplicate(login, people, need):
    duplicate = make_need(people["owner"], "Signer les contrats en ligne")
    response = login("marketing").post(f"/needs/{duplicate.pk}/merge/", {"into": need.pk})
    assert response["Location"] == f"/needs/{need.pk}/"
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == need


def test_the_marketing_lead_scores_a_need(login, teams, need):
    client = login("marketing")
    page = client.get(f"/needs/{need.pk}/score/")
    assert page.status_code == 200
    codes = [row["criterion"].code for row in page.context["rows"]]
    assert "business_value" in codes and "effort" not in codes
    response = client.post(f"/needs/{need.pk}/score/", {"c_business_value": "9",
                                                        "t_data": "12"})
    assert response.status_code == 200
    assert "c_business_value" in response.content.decode()
    assert "business_value" in response.context["errors"]
    response = client.post(f"/needs/{need.pk}/score/", {"c_business_value": "4",
                                                        "c_one_off_cost": "12,5",
                                                        "t_data": "12"})
    assert response.status_code == 302
    assert float(need.scores.get(criterion__code="one_off_cost").value) == 12.5
    assert float(need.efforts.get(team=teams["data"]).days) == 12


def test_the_criteria_page_sets_weights_and_adds_teams(login, db):
    client = login("marketing")
    assert client.get("/needs/criteria/").status_code == 200
    client.post("/needs/criteria/", {"action": "weights", "w_business_value": "5",
                                     "w_reach": "0"})
    assert Criterion.objects.get(code="business_value").weight == 5
    assert Criterion.objects.get(code="reach").weight == 0
    client.post("/needs/criteria/", {"action": "team", "team-code": "infra",
                                     "team-name": "Infrastructure"})
    assert DeliveryTeam.objects.filter(code="infra").exists()
    client.post("/needs/criteria/", {"action": "criterion", "new-code": "security",
                                     "new-name_fr": "Sécurité", "new-name_en": "Security",
                                     "new-higher_is_better": "on", "new-weight": "1"})
    assert Criterion.objects.get(code="security").kind == "rating"


@pytest.mark.slow
def test_the_marketing_lead_runs_decides_and_publishes(login, personas, people, teams,
                                                       django_capture_on_commit_callbacks):
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=1 + i % 5,
                   one_off=10 + 7 * i, efforts={"data": 4 + i}) for i in range(6)]
    Vote.objects.create(need=needs[0], person=people["owner"])
    client = login("marketing")
    response = client.post("/needs/campaigns/new/", {
        "name_fr": "Arbitrage T1", "method": "weighted", "budget_one_off": "50",
        "budget_recurring": "10", "capacity_data": "20", "capacity_apps": "",
        "needs": [n.pk for n in needs]})
    campaign = Campaign.objects.get(name_fr="Arbitrage T1")
    assert response["Location"] == f"/needs/campaigns/{campaign.pk}/"
    assert campaign.capacities.get().days == 20
    client.post(f"/needs/campaigns/{campaign.pk}/rules/", {"action": "rule", "kind": "mandatory",
                                                           "need": needs[0].pk})
    assert campaign.rules.get().need == needs[0]
    page = client.get(f"/needs/campaigns/{campaign.pk}/")
    assert len(page.context["preview"]["rows"]) == 6
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/needs/campaigns/{campaign.pk}/run/")
    arbitration = campaign.arbitrations.get()
    assert arbitration.explained_at is not None
    assert needs[0].pk in arbitration.result["chosen"]
    fragment = client.get(f"/needs/campaigns/{campaign.pk}/runs/1/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "hx-trigger" not in fragment.content.decode()
    page = client.get(f"/needs/campaigns/{campaign.pk}/")
    assert page.context["charts"][0].id == "budget-curve"
    assert all(row["explanation"] for row in page.context["taken"] + page.context["left"])
    csv = client.get(f"/needs/campaigns/{campaign.pk}/", {"csv": "budget-curve"})
    assert csv["Content-Type"].startswith("text/csv")
    client.post(f"/needs/campaigns/{campaign.pk}/decide/",
                {"arbitration": arbitration.pk, "reason": "Priorité aux gains rapides."})
    campaign.refresh_from_db()
    assert campaign.status == "decided"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/needs/campaigns/{campaign.pk}/publish/")
    campaign.refresh_from_db()
    assert campaign.status == "published"
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {people["employee"].email, people["owner"].email}
    public = login("employee").get(f"/needs/decisions/{campaign.pk}/")
    assert public.status_code == 200
    assert "Priorité aux gains rapides." in public.content.decode()


def test_an_unpublished_decision_page_is_not_found(login, personas, people, teams):
    campaign = make_campaign(personas["marketing"], [])
    assert login("employee").get(f"/needs/decisions/{campaign.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_3_or_12_needs(login, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("employee")
    for i in range(3):
        make_need(people["owner"], f"Besoin {i}")
    with CaptureQueriesContext(connection) as few:
        client.get("/needs/")
    for i in range(3, 12):
        make_need(people["owner"], f"Besoin {i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/needs/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_only_mine_keeps_the_full_vote_counts(login, people, need):
    other = make_need(people["admin"], "Tableau de bord des ventes")
    for voter in ("owner", "executive", "employee"):
        Vote.objects.create(need=other, person=people[voter])
    response = login("employee").get("/needs/", {"mine": "on"})
    counts = {n.pk: n.votes_count for n in response.context["page"]}
    assert counts == {need.pk: 0, other.pk: 3}
