"""The demo needs: spread across units, voted, commented, scored, three campaigns."""

from __future__ import annotations

import pytest
from django.db import models

from phare.core.demo import DemoContext
from phare.needs.models import Campaign, Comment, Need, Notification, Vote
from phare.needs.scoring import top_units
from phare.needs.services import arbitration_run

pytestmark = pytest.mark.slow
NEEDS = 120


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # Built once for the module's tests (each starts from it and is rolled back).
    return demo_through("needs", seed=3, employees=150, needs=NEEDS, services=20)


def test_needs_come_from_every_part_of_the_group(demo):
    assert Need.objects.count() == NEEDS
    tops = top_units()
    units = {tops[pk] for pk in Need.objects.values_list("business_unit_id", flat=True)}
    assert len(units) >= 6
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {"new", "qualified", "declined", "merged", "planned"} <= statuses | {"planned"}
    assert Vote.objects.count() > NEEDS * 3
    assert Comment.objects.count() > NEEDS / 3
    for need in Need.objects.filter(status="declined"):
        assert need.history.last().reason


def test_merged_needs_carry_their_votes_to_the_survivor(demo):
    merged = Need.objects.filter(status="merged")
    assert merged.exists()
    for need in merged:
        assert need.merged_into.status != "merged"
        assert not Vote.objects.filter(need=need).exists()


def test_three_campaigns_one_published_one_decided_one_open(demo):
    published, decided, open_ = Campaign.objects.order_by("created_at")
    assert (published.status, decided.status, open_.status) == ("published", "decided", "open")
    arbitration = published.decision.arbitration
    assert published.decision.published_at is not None
    assert set(map(int, arbitration.explanations)) == {n["id"] for n in
                                                       arbitration.inputs["needs"]}
    for need in Need.objects.filter(pk__in=arbitration.result["chosen"]):
        assert need.status in ("planned", "in_progress", "delivered")
    assert decided.decision.published_at is None
    assert open_.rules.exists() and open_.vote_cap
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_the_open_campaign_is_ready_to_run(demo):
    campaign = Campaign.objects.get(status="open")
    demo_employee = demo.shared["demo_people"]["employee"]
    assert campaign.needs.filter(submitter=demo_employee).exists()
    arbitration = arbitration_run(user=None, campaign=campaign, explain=False)
    assert arbitration.inputs["aside"] == []
    assert arbitration.result["optimal"] and arbitration.result["chosen"]


def test_the_published_decision_shows_on_need_pages(demo, client):
    from phare.accounts.models import User

    client.force_login(User.objects.get(username="employee"))
    campaign = Campaign.objects.get(status="published")
    assert client.get(f"/needs/decisions/{campaign.pk}/").status_code == 200
    need_id = campaign.decision.arbitration.result["chosen"][0]
    page = client.get(f"/needs/{need_id}/")
    assert page.context["outcomes"][0]["chosen"] is True
    assert page.context["outcomes"][0]["sentence"]


def test_a_need_is_raised_in_one_language_and_never_voted_for_by_its_author(demo):
    from phare.needs.demo_data import THEMES

    titles = list(Need.objects.values_list("title", flat=True))
    for theme in THEMES:
        french = any(t.startswith(theme.titles_fr) for t in titles)
        english = any(t.startswith(theme.titles_en) for t in titles)
        assert not (french and english), theme.titles_fr[0]
    assert not Vote.objects.filter(person_id=models.F("need__submitter_id")).exists()
