"""Who sees which plan, who changes which action, and which status changes each may make."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.comms import policy
from phare.comms.models import Action
from tests.comms.factories import make_action, make_audience, make_plan

S = Action.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):
    return make_plan(personas["marketing"])


def test_it_shows_every_plan_to_managers_and_executives(personas, plan):
    for who in ("admin", "marketing", "executive"):
        assert list(policy.visible_plans(personas[who])) == [plan]
        assert policy.can_see_plan(personas[who], plan)


def test_it_hides_a_plan_from_people_not_named_on_it(personas, plan):
    make_action(plan)
    for who in ("owner", "employee"):
        assert list(policy.visible_plans(personas[who])) == []
        assert not policy.can_see_plan(personas[who], plan)
    assert not policy.can_see_plan(AnonymousUser(), plan)
    assert list(policy.visible_plans(AnonymousUser())) == []


def test_it_shows_a_plan_to_its_contributors(personas, plan):
    plan.contributors.set([personas["employee"]])
    assert list(policy.visible_plans(personas["employee"])) == [plan]
    assert policy.can_see_plan(personas["employee"], plan)
    assert not policy.can_see_plan(personas["owner"], plan)


def test_it_shows_a_plan_to_the_owner_and_contributors_of_one_of_its_actions(personas, plan):
    make_action(plan, owner=personas["owner"])
    make_action(plan, "Second", contributors=[personas["employee"], personas["owner"]])
    assert list(policy.visible_plans(personas["owner"])) == [plan]  # once, not per action
    assert list(policy.visible_plans(personas["employee"])) == [plan]
    assert policy.visible_actions(personas["employee"]).count() == 2


def test_it_lets_only_managers_edit_a_plan(personas, plan):
    plan.contributors.set([personas["employee"]])
    assert policy.can_edit_plan(personas["marketing"], plan)
    assert policy.can_edit_plan(personas["admin"], plan)
    for who in ("executive", "owner", "employee"):
        assert not policy.can_edit_plan(personas[who], plan)


def test_it_lets_others_edit_only_the_actions_they_own_or_contribute_to(personas, plan):
    owned = make_action(plan, owner=personas["owner"])
    helped = make_action(plan, "Helped", contributors=[personas["employee"]])
    other = make_action(plan, "Other")
    assert policy.can_edit_action(personas["owner"], owned)
    assert not policy.can_edit_action(personas["owner"], helped)
    assert policy.can_edit_action(personas["employee"], helped)
    assert not policy.can_edit_action(personas["employee"], other)
    assert not policy.can_edit_action(personas["executive"], other)
    assert policy.can_edit_action(personas["marketing"], other)


def test_it_needs_an_executive_for_a_company_wide_email_or_invitation(personas, plan):
    wide = make_action(plan, everyone=True)
    invitation = make_action(plan, channel=Action.Channel.EVENT, everyone=True)
    post = make_action(plan, channel=Action.Channel.PORTAL, everyone=True)
    targeted = make_action(plan, audience=make_audience())
    assert policy.needs_executive(wide) and policy.needs_executive(invitation)
    assert not policy.needs_executive(post) and not policy.needs_executive(targeted)
    assert policy.can_approve(personas["executive"], wide)
    assert not policy.can_approve(personas["marketing"], wide)
    assert not policy.can_approve(personas["admin"], wide)
    assert policy.can_approve(personas["marketing"], targeted)
    assert policy.can_approve(personas["executive"], targeted)
    assert not policy.can_approve(personas["owner"], targeted)


def test_it_lists_the_status_changes_each_may_make(personas, plan):
    action = make_action(plan, owner=personas["owner"], audience=make_audience())
    assert policy.transitions(personas["owner"], action) == [S.PLANNED, S.CANCELLED]
    assert policy.transitions(personas["employee"], action) == []
    action.status = S.READY
    assert policy.transitions(personas["owner"], action) == [S.PLANNED, S.CANCELLED]
    assert policy.transitions(personas["marketing"], action) == [S.PLANNED, S.APPROVED,
                                                                  S.CANCELLED]
    assert policy.transitions(personas["executive"], action) == [S.APPROVED]
    action.status = S.APPROVED
    # Sent by the job (or published): not "done" by hand.
    assert policy.transitions(personas["marketing"], action) == [S.READY, S.CANCELLED]
    action.status = S.SENDING
    assert policy.transitions(personas["marketing"], action) == []
    action.status = S.DONE
    assert policy.transitions(personas["owner"], action) == [S.MEASURED]
    action.status = S.CANCELLED
    assert policy.transitions(personas["marketing"], action) == []


def test_it_publishes_what_has_nothing_to_send(personas, plan):
    action = make_action(plan, channel=Action.Channel.PRINT, status=S.APPROVED,
                         approved_by=personas["marketing"], owner=personas["owner"])
    assert policy.transitions(personas["marketing"], action) == [S.READY, S.CANCELLED]
    assert not policy.can_send(personas["marketing"], action)
    assert policy.can_publish(personas["marketing"], action)
    assert policy.can_publish(personas["owner"], action)
    assert not policy.can_publish(personas["employee"], action)
    action.status = S.READY
    assert not policy.can_publish(personas["marketing"], action)


def test_it_sends_only_what_is_approved_and_by_an_executive_when_company_wide(personas, plan):
    wide = make_action(plan, everyone=True, status=S.APPROVED, approved_by=personas["marketing"])
    assert not policy.can_send(personas["marketing"], wide)
    wide.approved_by = personas["executive"]
    assert policy.can_send(personas["marketing"], wide)
    assert not policy.can_send(personas["employee"], wide)
    wide.status = S.READY
    assert not policy.can_send(personas["marketing"], wide)


def test_it_shows_nothing_to_an_inactive_user(org, plan):
    stranger = user_create(username="stranger", password="correct-horse-battery-staple",
                           role=Role.EMPLOYEE)
    stranger.is_active = False
    plan.contributors.set([stranger])
    assert not policy.can_see_plan(stranger, plan)
