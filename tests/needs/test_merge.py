"""Merging duplicates: votes and followers carried over, nobody counted twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from phare.needs import services
from phare.needs.models import Follow, Need, Notification, Rule, Vote
from phare.needs.services import rule_add
from tests.needs.factories import make_campaign, make_need


@pytest.fixture
def pair(people, need):
    duplicate = make_need(people["owner"], "Signer les contrats en ligne")
    for voter in ("admin", "executive"):
        services.vote_cast(person=people[voter], need=duplicate)
    services.vote_cast(person=people["admin"], need=need)  # votes for both
    services.follow_set(person=people["marketing"], need=duplicate, follow=True)
    return duplicate, need


def test_it_carries_votes_and_followers_over_without_double_counting(personas, people, pair):
    duplicate, target = pair
    services.need_merge(user=personas["marketing"], duplicate=duplicate, into=target,
                        reason="Même besoin")
    duplicate.refresh_from_db()
    assert duplicate.status == Need.Status.MERGED and duplicate.merged_into == target
    voters = set(Vote.objects.filter(need=target).values_list("person__employee_id", flat=True))
    # admin once; executive carried; the duplicate's submitter (owner) counts as support.
    assert voters == {"E0001", "E0004", "E0003"}
    assert Vote.objects.filter(need=target).count() == 3
    assert not Vote.objects.filter(need=duplicate).exists()
    followers = set(Follow.objects.filter(need=target).values_list("person__employee_id",
                                                                    flat=True))
    assert followers == {"E0005", "E0003", "E0002"}
    change = duplicate.history.last()
    assert (change.from_status, change.to_status, change.reason) == ("new", "merged",
                                                                     "Même besoin")


def test_the_duplicates_audience_is_told_where_to_follow(personas, people, pair):
    duplicate, target = pair
    services.need_merge(user=personas["marketing"], duplicate=duplicate, into=target)
    news = Notification.objects.filter(kind="merged")
    # The marketing lead merged it: she is not told of her own action.
    assert {n.person for n in news} == {people["owner"]}
    assert news.get().payload["into"] == target.pk


def test_it_refuses_merging_into_itself_a_merged_need_or_from_delivered(personas, people,
                                                                       pair):
    duplicate, target = pair
    lead = personas["marketing"]
    with pytest.raises(ValidationError):
        services.need_merge(user=lead, duplicate=target, into=target)
    services.need_merge(user=lead, duplicate=duplicate, into=target)
    third = make_need(people["admin"], "Encore la signature")
    with pytest.raises(ValidationError) as caught:
        services.need_merge(user=lead, duplicate=third, into=duplicate)
    assert caught.value.error_dict["into"][0].code == "merged_target"
    Need.objects.filter(pk=third.pk).update(status=Need.Status.DELIVERED)
    with pytest.raises(ValidationError):
        services.need_merge(user=lead, duplicate=third, into=target)


def test_open_campaigns_weigh_the_surviving_need(personas, people, pair):
    duplicate, target = pair
    other = make_need(people["admin"], "Archivage légal")
    campaign = make_campaign(personas["marketing"], [duplicate, other])
    rule_add(campaign=campaign, kind=Rule.Kind.REQUIRES, need=other, other=duplicate)
    services.need_merge(user=personas["marketing"], duplicate=duplicate, into=target)
    assert set(campaign.needs.all()) == {target, other}
    assert campaign.rules.get().other == target
