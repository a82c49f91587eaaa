"""Votes: one per person per need, withdrawable, capped by open campaigns, open needs only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from phare.needs import services
from phare.needs.models import Campaign, Need, Vote
from tests.needs.factories import make_campaign, make_need


def test_a_person_votes_once_and_may_withdraw(people, need):
    voter = people["owner"]
    services.vote_cast(person=voter, need=need)
    with pytest.raises(ValidationError) as caught:
        services.vote_cast(person=voter, need=need)
    assert caught.value.code == "already_voted"
    assert Vote.objects.filter(need=need).count() == 1
    assert services.vote_withdraw(person=voter, need=need) is True
    assert services.vote_withdraw(person=voter, need=need) is False
    services.vote_cast(person=voter, need=need)
    assert Vote.objects.filter(need=need).count() == 1


@pytest.mark.parametrize("status", [Need.Status.DECLINED, Need.Status.DELIVERED,
                                    Need.Status.MERGED])
def test_closed_needs_take_no_votes(people, need, status):
    Need.objects.filter(pk=need.pk).update(status=status)
    need.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.vote_cast(person=people["owner"], need=need)
    assert caught.value.code == "closed"


def test_an_open_campaign_caps_the_votes_of_each_person(personas, people):
    author = people["employee"]
    needs = [make_need(author, f"Idée {i}") for i in range(4)]
    make_campaign(personas["marketing"], needs[:3], vote_cap=2)
    voter = people["owner"]
    services.vote_cast(person=voter, need=needs[0])
    services.vote_cast(person=voter, need=needs[1])
    with pytest.raises(ValidationError) as caught:
        services.vote_cast(person=voter, need=needs[2])
    assert caught.value.code == "vote_cap"
    # Outside the campaign, and for someone else, votes still go.
    services.vote_cast(person=voter, need=needs[3])
    services.vote_cast(person=people["admin"], need=needs[2])
    # Withdrawing one frees a vote.
    services.vote_withdraw(person=voter, need=needs[0])
    services.vote_cast(person=voter, need=needs[2])


def test_a_decided_campaign_no_longer_caps(personas, people):
    needs = [make_need(people["employee"], f"Idée {i}") for i in range(2)]
    campaign = make_campaign(personas["marketing"], needs, vote_cap=1)
    services.vote_cast(person=people["owner"], need=needs[0])
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DECIDED)
    services.vote_cast(person=people["owner"], need=needs[1])
    assert Vote.objects.filter(person=people["owner"]).count() == 2


def test_the_author_does_not_vote_for_their_own_need(login, people, need, english):
    author = people["employee"]
    with pytest.raises(ValidationError) as caught:
        services.vote_cast(person=author, need=need)
    assert caught.value.code == "own_need"
    assert not Vote.objects.filter(need=need).exists()
    client = login("employee")
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "Vote for this need" not in page and "You raised this need" in page
    listing = client.get("/needs/").content.decode()
    assert f'action="/needs/{need.pk}/vote/"' not in listing
    refused = client.post(f"/needs/{need.pk}/vote/")
    assert not Vote.objects.filter(need=need).exists() and refused.status_code in (200, 302)
    other = login("owner").get(f"/needs/{need.pk}/").content.decode()
    assert "Vote for this need" in other


def test_a_campaign_status_has_its_own_translation_context():
    from django.utils import translation

    with translation.override("fr"):
        assert str(Campaign.Status.PUBLISHED.label) == "Publiée"
        assert str(Campaign.Status.DECIDED.label) == "Décidée"
        assert str(Need.Status.PLANNED.label) == "Planifié"
