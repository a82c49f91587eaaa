"""The status workflow of a need: allowed steps, reasons, history, news for the audience."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from phare.needs import services
from phare.needs.models import Need, Notification
from phare.needs.services import TRANSITIONS

S = Need.Status


def test_it_walks_the_whole_path_and_records_every_step(personas, need):
    lead = personas["marketing"]
    for status in (S.QUALIFIED, S.UNDER_STUDY, S.PLANNED, S.IN_PROGRESS, S.DELIVERED):
        services.need_set_status(user=lead, need=need, to=status, reason=f"vers {status}")
    need.refresh_from_db()
    assert need.status == S.DELIVERED
    steps = [(c.from_status, c.to_status, c.by) for c in need.history.all()]
    assert steps == [("", S.NEW, None), (S.NEW, S.QUALIFIED, lead),
                     (S.QUALIFIED, S.UNDER_STUDY, lead), (S.UNDER_STUDY, S.PLANNED, lead),
                     (S.PLANNED, S.IN_PROGRESS, lead), (S.IN_PROGRESS, S.DELIVERED, lead)]
    assert TRANSITIONS[S.DELIVERED] == frozenset()


@pytest.mark.parametrize("start,to", [(S.NEW, S.DELIVERED), (S.NEW, S.IN_PROGRESS),
                                      (S.DELIVERED, S.QUALIFIED), (S.QUALIFIED, S.NEW)])
def test_it_refuses_steps_outside_the_workflow(personas, need, start, to):
    Need.objects.filter(pk=need.pk).update(status=start)
    with pytest.raises(ValidationError) as caught:
        services.need_set_status(user=personas["marketing"], need=need, to=to)
    assert caught.value.error_dict["to"][0].code == "transition"
    need.refresh_from_db()
    assert need.status == start and need.history.count() == 1


def test_merged_is_reached_only_by_merging(personas, need):
    with pytest.raises(ValidationError) as caught:
        services.need_set_status(user=personas["marketing"], need=need, to=S.MERGED)
    assert caught.value.error_dict["to"][0].code == "use_merge"


def test_declining_needs_a_reason_which_is_kept_and_a_declined_need_can_reopen(personas,
                                                                              need):
    lead = personas["marketing"]
    with pytest.raises(ValidationError) as caught:
        services.need_set_status(user=lead, need=need, to=S.DECLINED, reason="  ")
    assert "reason" in caught.value.error_dict
    services.need_set_status(user=lead, need=need, to=S.DECLINED, reason="Hors périmètre DSI")
    assert need.history.last().reason == "Hors périmètre DSI"
    services.need_set_status(user=lead, need=need, to=S.QUALIFIED, reason="Réexaminé")
    need.refresh_from_db()
    assert need.status == S.QUALIFIED


def test_the_submitter_and_followers_hear_of_a_change_but_not_its_author(personas, people,
                                                                         need):
    services.follow_set(person=people["owner"], need=need, follow=True)
    services.follow_set(person=people["marketing"], need=need, follow=True)
    services.need_set_status(user=personas["marketing"], need=need, to=S.QUALIFIED,
                             reason="Bonne idée")
    news = Notification.objects.filter(kind="status")
    assert {n.person for n in news} == {people["employee"], people["owner"]}
    assert news.first().payload == {"from": "new", "to": "qualified", "reason": "Bonne idée"}


def test_someone_who_stops_following_hears_nothing(personas, people, need):
    services.follow_set(person=people["employee"], need=need, follow=False)
    Need.objects.filter(pk=need.pk).update(submitter=None)
    need.refresh_from_db()
    services.need_set_status(user=personas["marketing"], need=need, to=S.QUALIFIED)
    assert not Notification.objects.exists()


def test_a_comment_must_say_something(people, need):
    with pytest.raises(ValidationError):
        services.comment_add(person=people["owner"], need=need, text="   ")
    comment = services.comment_add(person=people["owner"], need=need, text=" Oui ! ")
    assert comment.text == "Oui !"
