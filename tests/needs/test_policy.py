"""What a need's or a campaign's state allows: the pages offer exactly what the services accept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from phare.needs import services
from phare.needs.models import Campaign, Need
from phare.needs.policy import CAMPAIGN_ACTIONS, NEED_ACTIONS, campaign_actions, need_actions
from tests.needs.factories import make_campaign, make_need, score


def _accepted(write) -> bool:
    """Whether the service accepts, leaving the database as it was."""
    try:
        with transaction.atomic():
            write()
            transaction.set_rollback(True)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("status", Need.Status.values)
def test_it_offers_on_a_need_exactly_what_the_services_accept(people, status):
    need = make_need(people["employee"], "Signature électronique")
    other = make_need(people["owner"], "Archivage des contrats")
    Need.objects.filter(pk=need.pk).update(status=status)
    need.refresh_from_db()
    person = people["owner"]
    writes = {
        "vote": lambda: services.vote_cast(person=person, need=need),
        "comment": lambda: services.comment_add(person=person, need=need, text="Oui."),
        "merge": lambda: services.need_merge(user=None, duplicate=need, into=other),
    }
    allowed = need_actions(need)
    assert allowed <= set(NEED_ACTIONS)
    for action, write in writes.items():
        assert (action in allowed) == _accepted(write), (status, action)
    assert ("follow" in allowed) == need.is_open


def test_it_offers_on_a_campaign_exactly_what_its_state_allows(personas, people, teams):
    lead = personas["marketing"]
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=2 + i, one_off=20)
             for i in range(2)]
    campaign = make_campaign(lead, needs, budget=30)

    def writes(arbitration=None):
        return {
            "edit": lambda: services.campaign_save(
                user=lead, campaign=campaign, name="Autre nom", budget_one_off=campaign.
                budget_one_off, budget_recurring=campaign.budget_recurring),
            "rules": lambda: services.rule_add(campaign=campaign, kind="mandatory",
                                               need=needs[0]),
            "run": lambda: services.arbitration_run(user=lead, campaign=campaign, explain=False),
            "decide": lambda: services.decision_record(
                user=lead, campaign=campaign, arbitration=arbitration, reason="Le budget."),
            "publish": lambda: services.decision_publish(user=lead, campaign=campaign),
        }

    def check(expected: set[str], arbitration=None) -> None:
        campaign.refresh_from_db()
        decision = getattr(campaign, "decision", None)
        assert campaign_actions(campaign, decision) == expected
        for action, write in writes(arbitration).items():
            if action not in expected:
                assert not _accepted(write), (campaign.status, action)

    assert set(CAMPAIGN_ACTIONS) == {"edit", "rules", "run", "decide", "publish"}
    check({"edit", "rules", "run", "decide"})
    arbitration = services.arbitration_explain(
        services.arbitration_run(user=lead, campaign=campaign, explain=False))
    assert _accepted(writes(arbitration)["decide"])
    services.decision_record(user=lead, campaign=campaign, arbitration=arbitration,
                             reason="Le budget.")
    check({"publish"}, arbitration)
    assert _accepted(writes(arbitration)["publish"])
    services.decision_publish(user=lead, campaign=campaign)
    check(set(), arbitration)


def test_the_campaign_page_offers_the_actions_of_its_state(login, personas, people, teams):
    lead = personas["marketing"]
    needs = [score(make_need(people["employee"], f"Besoin {i}"), value=2 + i, one_off=20)
             for i in range(2)]
    campaign = make_campaign(lead, needs, budget=30)
    client = login("marketing")

    def page() -> str:
        return client.get(f"/needs/campaigns/{campaign.pk}/").content.decode()

    opened = page()
    assert f"/needs/campaigns/{campaign.pk}/edit/" in opened
    assert f"/needs/campaigns/{campaign.pk}/rules/" in opened
    assert f"/needs/campaigns/{campaign.pk}/run/" in opened
    assert f"/needs/campaigns/{campaign.pk}/publish/" not in opened
    arbitration = services.arbitration_explain(
        services.arbitration_run(user=lead, campaign=campaign, explain=False))
    assert f"/needs/campaigns/{campaign.pk}/decide/" in page()
    services.decision_record(user=lead, campaign=campaign, arbitration=arbitration,
                             reason="Le budget.")
    decided = page()
    assert Campaign.objects.get(pk=campaign.pk).status == "decided"
    for path in ("edit/", "rules/", "run/", "decide/"):
        assert f"/needs/campaigns/{campaign.pk}/{path}" not in decided, path
    assert f"/needs/campaigns/{campaign.pk}/publish/" in decided
    services.decision_publish(user=lead, campaign=campaign)
    assert f"/needs/campaigns/{campaign.pk}/publish/" not in page()


def test_the_need_page_offers_the_actions_of_its_status(login, people):
    need = make_need(people["employee"], "Signature électronique")
    client = login("marketing")
    opened = client.get(f"/needs/{need.pk}/").content.decode()
    for path in ("vote/", "follow/", "comment/", "merge/"):
        assert f"/needs/{need.pk}/{path}" in opened, path
    Need.objects.filter(pk=need.pk).update(status=Need.Status.DELIVERED)
    delivered = client.get(f"/needs/{need.pk}/").content.decode()
    assert f"/needs/{need.pk}/comment/" in delivered
    for path in ("vote/", "follow/", "merge/"):
        assert f"/needs/{need.pk}/{path}" not in delivered, path


def test_the_list_offers_votes_on_the_needs_that_take_them(login, people):
    opened = make_need(people["employee"], "Signature électronique")
    delivered = make_need(people["employee"], "Archivage des contrats")
    Need.objects.filter(pk=delivered.pk).update(status=Need.Status.DELIVERED)
    page = login("owner").get("/needs/").content.decode()  # not their author
    assert f"/needs/{opened.pk}/" in page and f"/needs/{delivered.pk}/" in page
    assert f'action="/needs/{opened.pk}/vote/"' in page
    assert f'action="/needs/{delivered.pk}/vote/"' not in page
