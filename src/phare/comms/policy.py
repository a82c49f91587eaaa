"""Who may see and change the communication plan, and which status changes an action allows.

- The marketing lead and administrators (``COMMS_MANAGERS``) see and change every plan and
  every action, and approve actions — except a company-wide email or event invitation
  (``needs_executive``), which only an executive approves (the CIO's recorded approval).
- Executives (``COMMS_APPROVERS``) see every plan and approve actions; they change only the
  actions they own or contribute to.
- Everyone else (service owners, employees) sees only the plans they are named on — as a
  contributor of the plan, or as the owner or a contributor of one of its actions — and
  changes only the actions they own or contribute to.

An action moves idea → planned → ready → approved → sending → done → measured; it may be
cancelled at any step before it is sent, and goes back from approved to ready when its content
changes (the services do that). ``sending`` is reached only by starting the send job and
``done`` by its end — or, for portal news and printed material, which have nothing to send, by
publishing them (``services.sending.publish``). Templates and
endpoints offer what :func:`transitions` lists; the services refuse anything else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from phare.accounts.roles import Role
from phare.comms.models import Action, Plan

S = Action.Status
C = Action.Channel

#: Those who see and change every plan and action (and approve all but company-wide emails).
COMMS_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.MARKETING})
#: Those who approve company-wide emails and event invitations.
COMMS_APPROVERS: frozenset[Role] = frozenset({Role.EXECUTIVE})
#: Those who see every plan.
COMMS_READERS: frozenset[Role] = COMMS_MANAGERS | COMMS_APPROVERS
#: Those who reach the communication API and pages at all: the others see only the plans
#: they are named on (:func:`visible_plans`).
COMMS_USERS: frozenset[Role] = frozenset(Role)

#: The statuses in their order, for a board's columns.
BOARD: tuple[str, ...] = (S.IDEA, S.PLANNED, S.READY, S.APPROVED, S.SENDING, S.DONE,
                          S.MEASURED, S.CANCELLED)
#: Statuses from which the action has (started to) go out: its content is fixed.
SENT_STATUSES: frozenset[str] = frozenset({S.SENDING, S.DONE, S.MEASURED})
#: Statuses from which the content must be complete (subject, text, audience…).
COMPLETE_STATUSES: frozenset[str] = frozenset({S.READY, S.APPROVED}) | SENT_STATUSES
#: Channels sent by the send job (``services.sending.send_start``).
SENT_BY_JOB: frozenset[str] = frozenset({C.EMAIL, C.EVENT, C.WEBHOOK})
#: Channels with nothing to send: approved, they are published (``services.sending.publish``).
PUBLISHED: frozenset[str] = frozenset({C.PORTAL, C.PRINT})

#: The moves the workflow has, whoever makes them (approving has its own condition in
#: :func:`transitions`); ``sending`` and ``done`` come from sending or publishing.
FLOW: dict[str, tuple[str, ...]] = {
    S.IDEA: (S.PLANNED, S.CANCELLED),
    S.PLANNED: (S.READY, S.IDEA, S.CANCELLED),
    S.READY: (S.APPROVED, S.PLANNED, S.CANCELLED),
    S.APPROVED: (S.READY, S.CANCELLED),
    S.SENDING: (),
    S.DONE: (S.MEASURED,),
    S.MEASURED: (),
    S.CANCELLED: (),
}


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _role(user: Any) -> str | None:
    return user.role if _signed_in(user) else None


def is_manager(user: Any) -> bool:
    return _role(user) in COMMS_MANAGERS


def visible_plans(user: Any) -> QuerySet[Plan]:
    """The plans ``user`` may see (every plan for managers and executives)."""
    if not _signed_in(user):
        return Plan.objects.none()
    if user.role in COMMS_READERS:
        return Plan.objects.all()
    named = (Plan.objects.filter(Q(contributors=user) | Q(actions__owner=user)
                                 | Q(actions__contributors=user)).values("pk"))
    # The joins can repeat a plan; selecting by id keeps each once.
    return Plan.objects.filter(pk__in=named)


def visible_actions(user: Any) -> QuerySet[Action]:
    """Every action of the plans ``user`` may see."""
    if not _signed_in(user):
        return Action.objects.none()
    if user.role in COMMS_READERS:
        return Action.objects.all()
    return Action.objects.filter(plan__in=visible_plans(user).values("pk"))


def can_see_plan(user: Any, plan: Plan) -> bool:
    if not _signed_in(user):
        return False
    if user.role in COMMS_READERS:
        return True
    return visible_plans(user).filter(pk=plan.pk).exists()


def can_edit_plan(user: Any, plan: Plan | None = None) -> bool:
    """Change a plan (its objectives, its contributors), add actions to it, or create one."""
    return is_manager(user)


def is_action_member(user: Any, action: Action) -> bool:
    """Whether ``user`` owns or contributes to ``action``."""
    if not _signed_in(user) or action.pk is None:
        return False
    if action.owner_id == user.pk:
        return True
    return action.contributors.filter(pk=user.pk).exists()


def can_edit_action(user: Any, action: Action) -> bool:
    return is_manager(user) or is_action_member(user, action)


def can_see_action(user: Any, action: Action) -> bool:
    return can_see_plan(user, action.plan)


def needs_executive(action: Action) -> bool:
    """A company-wide email or event invitation: an executive must approve it."""
    return bool(action.everyone) and action.channel in (C.EMAIL, C.EVENT)


def can_approve(user: Any, action: Action) -> bool:
    """Whether ``user``'s role may approve ``action`` (whatever its status)."""
    role = _role(user)
    if role in COMMS_APPROVERS:
        return True
    return role in COMMS_MANAGERS and not needs_executive(action)


def transitions(user: Any, action: Action) -> list[str]:
    """The statuses ``user`` may move ``action`` to now, in the board's order."""
    editor = can_edit_action(user, action)
    allowed: list[str] = []
    for to in FLOW.get(action.status, ()):
        if can_approve(user, action) if to == S.APPROVED else editor:
            allowed.append(to)
    return [status for status in BOARD if status in allowed]


def can_send(user: Any, action: Action) -> bool:
    """Whether ``user`` may start sending ``action`` now: approved (by an executive when it is
    company-wide), sent by the job, and theirs to change."""
    if action.status != S.APPROVED or action.channel not in SENT_BY_JOB:
        return False
    return _approved_enough(action) and can_edit_action(user, action)


def can_publish(user: Any, action: Action) -> bool:
    """Whether ``user`` may publish ``action`` now (approved portal news or printed
    material, theirs to change)."""
    return (action.status == S.APPROVED and action.channel in PUBLISHED
            and _approved_enough(action) and can_edit_action(user, action))


def _approved_enough(action: Action) -> bool:
    if action.approved_by_id is None:
        return False
    return not (needs_executive(action)
                and getattr(action.approved_by, "role", None) not in COMMS_APPROVERS)


def can_comment(user: Any, action: Action) -> bool:
    """Anyone who sees the plan may comment on its actions."""
    return can_see_plan(user, action.plan)
