"""The communication plan's API: plans, objectives, actions, audiences, sending, results,
Teams and Slack channels (addresses masked), an event's registrations and attendance.

Every signed-in role reaches it; what each caller sees and changes is
:mod:`phare.comms.policy`'s: a plan one may not see answers 404, a change one may not make 403,
a change the action's state refuses 409, bad input 422 naming each field. Users are named by
their username, services by their identifier (slug), the rest by id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.catalog.models import Service
from phare.comms import audiences, objectives, policy, queries, results
from phare.comms.models import Action, Audience, Objective, Plan, Registration, Webhook
from phare.comms.policy import COMMS_MANAGERS, COMMS_READERS, COMMS_USERS
from phare.comms.services import plans as services
from phare.comms.services import sending, tracking
from phare.directory.models import Person
from phare.lib.api import ErrorOut, Id, Pagination, Refusal, resolve_annotations

router = Router(tags=["comms"])

S = Action.Status


# Errors -------------------------------------------------------------------------------------


def _refuse(exc: ValidationError) -> Refusal:
    """A service's ``ValidationError`` as the API's error: 409 for a refusal by state."""
    if hasattr(exc, "error_dict"):
        codes = {e.code for items in exc.error_dict.values() for e in items}
        details = [{"field": "" if key == "__all__" else key, "reason": " ".join(messages)}
                   for key, messages in exc.message_dict.items()]
    else:
        codes = {e.code for e in exc.error_list}
        details = [{"field": "", "reason": message} for message in exc.messages]
    status = 409 if codes & services.CONFLICTS else 422
    return Refusal(status, " ".join(exc.messages), details)


def _call(function: Any, **kwargs: Any) -> Any:
    """Call a service, its refusals answered in the API's error shape."""
    try:
        return function(**kwargs)
    except PermissionDenied as exc:
        raise Refusal(403, str(exc) or "Your role does not allow this change.") from None
    except ValidationError as exc:
        raise _refuse(exc) from None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _users(names: list[str], field: str) -> list[Any]:
    found = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise Refusal(422, "The request is not valid.",
                      [{"field": field, "reason": f"No user {n!r}."} for n in missing])
    return [found[n] for n in names]


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan, pk=plan_id)
    if not policy.can_see_plan(request.auth, plan):  # type: ignore[attr-defined]
        raise Http404("No such plan.")
    return plan


def _action(request: HttpRequest, action_id: int) -> Action:
    try:
        action = queries.action_detail(action_id)
    except Action.DoesNotExist:
        raise Http404("No such action.") from None
    if not policy.can_see_action(request.auth, action):  # type: ignore[attr-defined]
        raise Http404("No such action.")
    return action


def _plain(value: Any) -> Any:
    """A result object (dataclass, decimal, date) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# Plans --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    contributors: list[str] = Field(description="Usernames.")
    actions: int

    @staticmethod
    def resolve_contributors(obj: Plan) -> list[str]:
        return sorted(u.username for u in obj.contributors.all())

    @staticmethod
    def resolve_actions(obj: Plan) -> int:
        counted = getattr(obj, "actions_count", None)
        return counted if counted is not None else obj.actions.count()


class ObjectiveOut(Schema):
    id: int
    plan: int
    title: str
    metric: str
    params: dict[str, Any]
    baseline: float | None
    target: float | None
    due_on: dt.date | None
    source: str
    position: int
    live: dict[str, Any] | None = Field(
        None, description="The figure now: value, unit, n, as_of, status, target, baseline.")

    @staticmethod
    def resolve_plan(obj: Objective) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_live(obj: Objective) -> dict[str, Any]:
        return _plain(objectives.live(obj))


class PlanDetail(PlanOut):
    objectives: list[ObjectiveOut]
    by_status: dict[str, int] = Field(description="Status → number of actions.")
    can_edit: bool

    @staticmethod
    def resolve_objectives(obj: Plan) -> list[Objective]:
        return list(obj.objectives.all())

    @staticmethod
    def resolve_by_status(obj: Plan) -> dict[str, int]:
        counts = dict.fromkeys(policy.BOARD, 0)
        for status in obj.actions.values_list("status", flat=True):
            counts[status] += 1
        return counts

    @staticmethod
    def resolve_can_edit(obj: Plan, context: dict[str, Any]) -> bool:
        return policy.can_edit_plan(context["request"].auth, obj)


class PlanIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""
    contributors: list[str] = Field(default_factory=list, description="Usernames.")


class PlanPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None
    contributors: list[str] | None = Field(None, description="Usernames.")


def _plan_detail(request: HttpRequest, plan: Plan) -> Plan:
    """The plan as :class:`PlanDetail` reads it (with its number of actions)."""
    return queries.plan_list(request.auth).get(pk=plan.pk)  # type: ignore[attr-defined]


@router.get("/comms/plans", response=list[PlanOut], auth=roles(COMMS_USERS))
@paginate(Pagination)
def list_plans(request: HttpRequest):
    """The plans you see: every plan for the marketing lead, administrators and executives;
    for anyone else, the plans they are named on (or own an action of)."""
    return queries.plan_list(request.auth).prefetch_related("contributors")  # type: ignore[attr-defined]


@router.post("/comms/plans", response={201: PlanDetail}, auth=roles(COMMS_MANAGERS))
def create_plan(request: HttpRequest, payload: PlanIn):
    contributors = _users(payload.contributors, "contributors")
    plan = _call(services.plan_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                 starts_on=payload.starts_on, ends_on=payload.ends_on,
                 description=payload.description, contributors=contributors)
    return Status(201, _plan_detail(request, plan))


@router.get("/comms/plans/{plan_id}", response=PlanDetail, auth=roles(COMMS_USERS))
def get_plan(request: HttpRequest, plan_id: int):
    """A plan with its objectives (and their live figure) and its actions counted by status."""
    return _plan_detail(request, _plan(request, plan_id))


@router.patch("/comms/plans/{plan_id}", response=PlanDetail, auth=roles(COMMS_MANAGERS))
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch):
    """Change the fields given (``contributors`` replaces the list)."""
    plan = _plan(request, plan_id)
    given = payload.model_dump(exclude_unset=True)
    contributors = (_users(given["contributors"], "contributors")
                    if given.get("contributors") is not None else None)
    _call(services.plan_save, user=request.auth, plan=plan,  # type: ignore[attr-defined]
          name=given.get("name") or plan.name,
          starts_on=given.get("starts_on") or plan.starts_on,
          ends_on=given.get("ends_on") or plan.ends_on,
          description=given["description"] if given.get("description") is not None
          else plan.description, contributors=contributors)
    return _plan_detail(request, plan)


@router.delete("/comms/plans/{plan_id}", response={204: None, 409: ErrorOut},
               auth=roles(COMMS_MANAGERS))
def delete_plan(request: HttpRequest, plan_id: int):
    """Delete a plan with its objectives and actions; 409 once one of them was sent."""
    _call(services.plan_delete, user=request.auth, plan=_plan(request, plan_id))  # type: ignore[attr-defined]
    return Status(204, None)


# Objectives ---------------------------------------------------------------------------------


class ObjectiveIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    metric: Objective.Metric = Objective.Metric.NONE
    params: dict[str, Any] = Field(default_factory=dict, description=(
        "What the figure is of: survey (slug), question and option, service (slug), units "
        "(codes), wave (id) — as the metric needs."))
    baseline: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    target: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    due_on: dt.date | None = None
    source: str = Field("", max_length=80)


@router.get("/comms/plans/{plan_id}/objectives", response=list[ObjectiveOut],
            auth=roles(COMMS_USERS))
def list_objectives(request: HttpRequest, plan_id: int):
    """The plan's objectives, each with its live figure."""
    return list(_plan(request, plan_id).objectives.all())


@router.post("/comms/plans/{plan_id}/objectives", response={201: ObjectiveOut},
             auth=roles(COMMS_MANAGERS))
def create_objective(request: HttpRequest, plan_id: int, payload: ObjectiveIn):
    objective = _call(services.objective_save, user=request.auth,  # type: ignore[attr-defined]
                      plan=_plan(request, plan_id), title=payload.title,
                      metric=payload.metric, params=payload.params,
                      baseline=payload.baseline, target=payload.target,
                      due_on=payload.due_on, source=payload.source)
    return Status(201, objective)


# Actions ------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    plan: int
    objective: int | None
    title: str
    kind: str
    channel: str
    category: str
    mandatory: bool
    audience: int | None
    everyone: bool
    languages: list[str]
    owner: str | None = Field(description="Username.")
    contributors: list[str] = Field(description="Usernames.")
    starts_on: dt.date
    ends_on: dt.date | None
    send_at: dt.datetime | None
    budget: float | None
    status: str
    services: list[str] = Field(description="Service identifiers.")
    subject_fr: str
    subject_en: str
    body_fr: str
    body_en: str
    webhook: int | None
    location: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    capacity: int | None
    expires_on: dt.date | None
    holdout_percent: int
    approved_by: str | None = Field(description="Username.")
    approved_at: dt.datetime | None
    sent_at: dt.datetime | None
    origin: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_plan(obj: Action) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_objective(obj: Action) -> int | None:
        return obj.objective_id

    @staticmethod
    def resolve_audience(obj: Action) -> int | None:
        return obj.audience_id

    @staticmethod
    def resolve_webhook(obj: Action) -> int | None:
        return obj.webhook_id

    @staticmethod
    def resolve_owner(obj: Action) -> str | None:
        return obj.owner.username if obj.owner is not None else None

    @staticmethod
    def resolve_approved_by(obj: Action) -> str | None:
        return obj.approved_by.username if obj.approved_by is not None else None

    @staticmethod
    def resolve_contributors(obj: Action) -> list[str]:
        return sorted(u.username for u in obj.contributors.all())

    @staticmethod
    def resolve_services(obj: Action) -> list[str]:
        return sorted(s.slug for s in obj.services.all())


class ChangeOut(Schema):
    from_status: str
    to_status: str
    comment: str
    by: str | None
    at: dt.datetime


class ActionDetail(ActionOut):
    transitions: list[str] = Field(description="The statuses you may move it to now.")
    can_edit: bool
    can_send: bool
    can_publish: bool
    needs_executive: bool = Field(description="A company-wide email: an executive approves.")
    history: list[ChangeOut]

    @staticmethod
    def resolve_transitions(obj: Action, context: dict[str, Any]) -> list[str]:
        return policy.transitions(context["request"].auth, obj)

    @staticmethod
    def resolve_can_edit(obj: Action, context: dict[str, Any]) -> bool:
        return policy.can_edit_action(context["request"].auth, obj)

    @staticmethod
    def resolve_can_send(obj: Action, context: dict[str, Any]) -> bool:
        return policy.can_send(context["request"].auth, obj)

    @staticmethod
    def resolve_can_publish(obj: Action, context: dict[str, Any]) -> bool:
        return policy.can_publish(context["request"].auth, obj)

    @staticmethod
    def resolve_needs_executive(obj: Action) -> bool:
        return policy.needs_executive(obj)

    @staticmethod
    def resolve_history(obj: Action) -> list[dict[str, Any]]:
        return [{"from_status": c.from_status, "to_status": c.to_status, "comment": c.comment,
                 "by": c.by.username if c.by is not None else None, "at": c.at}
                for c in obj.history.select_related("by")]


class ActionPatch(Schema):
    """The fields of an action; those left out keep their value."""

    objective: Id | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: Action.Kind | None = None
    channel: Action.Channel | None = None
    category: str | None = Field(None, description="notice, survey, event or newsletter.")
    mandatory: bool | None = None
    audience: Id | None = None
    everyone: bool | None = None
    languages: list[str] | None = Field(None, description="fr, en.")
    owner: str | None = Field(None, description="Username.")
    contributors: list[str] | None = Field(None, description="Usernames.")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    send_at: dt.datetime | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    services: list[str] | None = Field(None, description="Service identifiers.")
    subject_fr: str | None = Field(None, max_length=200)
    subject_en: str | None = Field(None, max_length=200)
    body_fr: str | None = None
    body_en: str | None = None
    webhook: Id | None = None
    location: str | None = Field(None, max_length=200)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    capacity: int | None = Field(None, ge=0, le=2**31 - 1)
    expires_on: dt.date | None = None
    holdout_percent: int | None = Field(None, ge=0, le=50)


class ActionIn(ActionPatch):
    plan: Id
    title: str = Field(min_length=1, max_length=200)
    starts_on: dt.date


#: Fields whose null means "none" (the others' null means "keep").
_NULLABLE = {"objective", "audience", "owner", "ends_on", "send_at", "budget", "webhook",
             "starts_at", "ends_at", "capacity", "expires_on"}


def _action_fields(given: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The payload's fields as :func:`services.action_save` takes them (ids resolved)."""
    fields: dict[str, Any] = {}
    details: list[dict[str, str]] = []
    for name, value in given.items():
        if name == "plan" or (value is None and name not in _NULLABLE):
            continue
        if value is None:
            fields[name] = None
        elif name == "objective":
            found = Objective.objects.filter(pk=value, plan=plan).first()
            if found is None:
                details.append({"field": name, "reason": f"No objective {value} in this plan."})
            fields[name] = found
        elif name in ("audience", "webhook"):
            model = Audience if name == "audience" else Webhook
            fields[name] = model.objects.filter(pk=value).first()
            if fields[name] is None:
                details.append({"field": name, "reason": f"No {name} {value}."})
        elif name == "owner":
            fields[name] = _users([value], "owner")[0]
        elif name == "contributors":
            fields[name] = _users(value, "contributors")
        elif name == "services":
            found_services = {s.slug: s for s in Service.objects.filter(slug__in=value)}
            details += [{"field": name, "reason": f"No service {slug!r}."}
                        for slug in value if slug not in found_services]
            fields[name] = [found_services[s] for s in value if s in found_services]
        elif name in ("send_at", "starts_at", "ends_at"):
            fields[name] = _aware(value)
        else:
            fields[name] = value
    if details:
        raise Refusal(422, "The request is not valid.", details)
    return fields


def _action_detail(request: HttpRequest, action: Action) -> Action:
    """The action as :class:`ActionDetail` reads it, fresh from the database."""
    return queries.action_detail(action.pk)


@router.get("/comms/actions", response=list[ActionOut], auth=roles(COMMS_USERS))
@paginate(Pagination)
@resolve_annotations
def list_actions(request: HttpRequest, plan: int | None = None, status: str = "",
                 channel: str = "", owner: str = "", audience: int | None = None,
                 objective: int | None = None, service: str = "", q: str = "",
                 starts_from: dt.date | None = None, starts_until: dt.date | None = None,
                 mine: bool = False):
    """The actions of the plans you see, by date; ``owner`` is a username, ``service`` an
    identifier, ``starts_from``/``starts_until`` bound their dates."""
    details = []
    if status and status not in S.values:
        details.append({"field": "status", "reason": f"Choose one of {', '.join(S.values)}."})
    if channel and channel not in Action.Channel.values:
        details.append({"field": "channel",
                        "reason": f"Choose one of {', '.join(Action.Channel.values)}."})
    owner_id = None
    if owner:
        owner_id = (get_user_model().objects.filter(username=owner)
                    .values_list("pk", flat=True).first())
        if owner_id is None:
            details.append({"field": "owner", "reason": f"No user {owner!r}."})
    if details:
        raise Refusal(422, "The request is not valid.", details)
    return queries.action_list(request.auth, queries.ActionFilter(  # type: ignore[attr-defined]
        plan=plan, status=status, channel=channel, owner=owner_id, audience=audience,
        objective=objective, service=service, q=q[:200], starts_from=starts_from,
        starts_until=starts_until, mine=mine))


@router.post("/comms/actions", response={201: ActionDetail, 404: ErrorOut},
             auth=roles(COMMS_MANAGERS))
def create_action(request: HttpRequest, payload: ActionIn):
    """A new action (an idea) in a plan; the content must be complete from ``ready`` on."""
    plan = _plan(request, payload.plan)
    fields = _action_fields(payload.model_dump(exclude_unset=True), plan)
    action = _call(services.action_save, user=request.auth, plan=plan, **fields)  # type: ignore[attr-defined]
    return Status(201, _action_detail(request, action))


@router.get("/comms/actions/{action_id}", response=ActionDetail, auth=roles(COMMS_USERS))
def get_action(request: HttpRequest, action_id: int):
    """An action with its history and what you may do with it now."""
    return _action_detail(request, _action(request, action_id))


@router.patch("/comms/actions/{action_id}", response={200: ActionDetail, 409: ErrorOut},
              auth=roles(COMMS_USERS))
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch):
    """Change the fields given. Changing what an approved action says (or to whom) sends it
    back to ``ready``; once sent, its content no longer changes (409)."""
    action = _action(request, action_id)
    fields = _action_fields(payload.model_dump(exclude_unset=True), action.plan)
    _call(services.action_save, user=request.auth, action=action, **fields)  # type: ignore[attr-defined]
    return _action_detail(request, action)


class TransitionIn(Schema):
    to: Action.Status
    comment: str = Field("", max_length=4000)


@router.post("/comms/actions/{action_id}/transition",
             response={200: ActionDetail, 409: ErrorOut}, auth=roles(COMMS_USERS))
def transition(request: HttpRequest, action_id: int, payload: TransitionIn):
    """Move the action along its workflow (``transitions`` lists the moves you may make). A
    company-wide email is approved by an executive only; ``sending`` and ``done`` come from
    sending or publishing it."""
    action = _action(request, action_id)
    _call(services.action_transition, action=action, user=request.auth,  # type: ignore[attr-defined]
          to=payload.to, comment=payload.comment)
    return _action_detail(request, action)


class SendStartedOut(Schema):
    job: uuid.UUID = Field(description="The send job: follow it at /api/v1/jobs/{job}.")


def _sending(function: Any, **kwargs: Any) -> Any:
    try:
        return _call(function, **kwargs)
    except sending.SendRefused as exc:
        raise Refusal(409, exc.message, [{"field": exc.field or "status",
                                          "reason": exc.message}]) from None


@router.post("/comms/actions/{action_id}/send", response={202: SendStartedOut, 409: ErrorOut},
             auth=roles(COMMS_USERS))
def send(request: HttpRequest, action_id: int):
    """Start sending an approved email, invitation or Teams/Slack post in a background job
    (202 with the job's id). A company-wide email needs an executive's approval first."""
    user = request.auth  # type: ignore[attr-defined]
    action = _action(request, action_id)
    if not policy.can_edit_action(user, action):
        raise Refusal(403, "Only the action's owner, its contributors and the marketing lead "
                           "send it.")
    if action.channel in policy.PUBLISHED:
        raise Refusal(409, "Portal news and printed material have nothing to send: publish "
                           "them.", [{"field": "channel", "reason": action.channel}])
    job = _sending(sending.send_start, action=action, user=user)
    return Status(202, {"job": job.pk})


@router.post("/comms/actions/{action_id}/publish", response={200: ActionDetail, 409: ErrorOut},
             auth=roles(COMMS_USERS))
def publish(request: HttpRequest, action_id: int):
    """Publish approved portal news or printed material: the action is done."""
    user = request.auth  # type: ignore[attr-defined]
    action = _action(request, action_id)
    if not policy.can_edit_action(user, action):
        raise Refusal(403, "Only the action's owner, its contributors and the marketing lead "
                           "publish it.")
    _sending(sending.publish, action=action, user=user)
    return _action_detail(request, action)


class ResultsOut(Schema):
    reach: dict[str, Any] = Field(description="Sent, delivered, unique clicks, "
                                              "registrations, skipped and why.")
    outcome: dict[str, Any] | None = Field(description="The effect on the objective's figure "
                                                       "(none until it can be measured).")


@router.get("/comms/actions/{action_id}/results", response=ResultsOut, auth=roles(COMMS_USERS))
def action_results(request: HttpRequest, action_id: int):
    """The action's reach and its measured effect (small groups suppressed)."""
    action = _action(request, action_id)
    return {"reach": _plain(results.reach(action)), "outcome": _plain(results.outcome(action))}


# Audiences ----------------------------------------------------------------------------------


class AudienceOut(Schema):
    id: int
    name: str
    description: str
    criteria: dict[str, Any]
    size: int | None = Field(description="People it holds now; null when fewer than "
                                         "min_group (size_hidden) or the criteria name what "
                                         "no longer exists (problem).")
    size_hidden: bool
    min_group: int
    problem: str
    used_by: int = Field(description="Actions that use it.")
    summary: list[str] = Field(description="The criteria in words.")


class AudienceIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    criteria: dict[str, Any] = Field(default_factory=dict)


class CriteriaIn(Schema):
    criteria: dict[str, Any] = Field(default_factory=dict)


class SizeOut(Schema):
    size: int | None = Field(description="Null when fewer than min_group (size_hidden).")
    size_hidden: bool
    min_group: int
    summary: list[str]


def _audience_out(row: queries.AudienceRow) -> dict[str, Any]:
    a = row.audience
    return {"id": a.pk, "name": a.name, "description": a.description, "criteria": a.criteria,
            "size": row.size.people, "size_hidden": row.size.hidden,
            "min_group": queries.min_group(), "problem": row.size.problem,
            "used_by": row.used_by, "summary": row.description}


@router.get("/comms/audiences", response=list[AudienceOut], auth=roles(COMMS_READERS))
def list_audiences(request: HttpRequest):
    """Every saved audience with its size now."""
    return [_audience_out(row) for row in queries.audience_list()]


@router.post("/comms/audiences", response={201: AudienceOut}, auth=roles(COMMS_MANAGERS))
def create_audience(request: HttpRequest, payload: AudienceIn):
    """Save an audience; bad criteria answer 422 with ``criteria.<field>`` details."""
    audience = _call(services.audience_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                     description=payload.description, criteria=payload.criteria)
    return Status(201, _audience_out(queries.audience_row(audience)))


@router.post("/comms/audiences/size", response=SizeOut, auth=roles(COMMS_MANAGERS))
def audience_size(request: HttpRequest, payload: CriteriaIn):
    """How many people these criteria hold now (live feedback while they are edited)."""
    try:
        criteria = audiences.check(payload.criteria)
    except audiences.AudienceInvalid as exc:
        raise Refusal(422, "The criteria are not valid.",
                      [{"field": f"criteria.{f}" if f else "criteria", "reason": str(r)}
                       for f, r in exc.details]) from None
    size = queries.released_size(criteria)
    return {"size": size.people, "size_hidden": size.hidden, "min_group": queries.min_group(),
            "summary": queries.describe(criteria)}


@router.get("/comms/audiences/{audience_id}", response=AudienceOut, auth=roles(COMMS_READERS))
def get_audience(request: HttpRequest, audience_id: int):
    return _audience_out(queries.audience_row(get_object_or_404(Audience, pk=audience_id)))


# Teams and Slack channels -------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    name: str
    kind: str
    address: str = Field(description="The address masked: its scheme, host and last four "
                                     "characters (the whole address is a secret, never "
                                     "answered).")
    actions: list[int] = Field(description="The actions that post to it.")
    created_at: dt.datetime


class WebhookIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: Webhook.Kind
    url: str = Field(min_length=1, max_length=1000,
                     description="The channel's incoming-webhook address.")


class WebhookPatch(Schema):
    """The fields given change; ``url`` left out (or empty) keeps the address saved."""

    name: str | None = Field(None, min_length=1, max_length=120)
    kind: Webhook.Kind | None = None
    url: str | None = Field(None, max_length=1000)


def _webhook_out(row: queries.WebhookRow) -> dict[str, Any]:
    w = row.webhook
    return {"id": w.pk, "name": w.name, "kind": w.kind, "address": row.address,
            "actions": [a.pk for a in row.actions], "created_at": w.created_at}


@router.get("/comms/webhooks", response=list[WebhookOut], auth=roles(COMMS_MANAGERS))
def list_webhooks(request: HttpRequest):
    """The Teams and Slack channels actions post to, their addresses masked."""
    return [_webhook_out(row) for row in queries.webhook_list()]


@router.post("/comms/webhooks", response={201: WebhookOut}, auth=roles(COMMS_MANAGERS))
def create_webhook(request: HttpRequest, payload: WebhookIn):
    webhook = _call(services.webhook_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                    kind=payload.kind, url=payload.url)
    return Status(201, _webhook_out(queries.webhook_row(webhook)))


@router.patch("/comms/webhooks/{webhook_id}", response=WebhookOut, auth=roles(COMMS_MANAGERS))
def update_webhook(request: HttpRequest, webhook_id: int, payload: WebhookPatch):
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    webhook = _call(services.webhook_save, user=request.auth, webhook=webhook,  # type: ignore[attr-defined]
                    name=payload.name or webhook.name, kind=payload.kind or webhook.kind,
                    url=payload.url or webhook.url)
    return _webhook_out(queries.webhook_row(webhook))


@router.delete("/comms/webhooks/{webhook_id}", response={204: None, 409: ErrorOut},
               auth=roles(COMMS_MANAGERS))
def delete_webhook(request: HttpRequest, webhook_id: int):
    """Delete a channel; 409 while actions post to it."""
    _call(services.webhook_delete, user=request.auth,  # type: ignore[attr-defined]
          webhook=get_object_or_404(Webhook, pk=webhook_id))
    return Status(204, None)


# An event's registrations (its organisers only) -----------------------------------------------


class RegistrationOut(Schema):
    employee_id: str
    first_name: str
    last_name: str
    unit: str | None = Field(description="The business unit's code.")
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None
    attended: bool | None = Field(description="Null until the organisers record it.")


class RegistrationsOut(Schema):
    capacity: int | None
    seats_taken: int
    attended: int
    registrations: list[RegistrationOut]


class AttendanceIn(Schema):
    attended: bool | None = Field(description="Whether the person came; null: not known.")


def _registration_out(r: Registration) -> dict[str, Any]:
    unit = r.person.business_unit
    return {"employee_id": r.person.employee_id, "first_name": r.person.first_name,
            "last_name": r.person.last_name, "unit": unit.code if unit is not None else None,
            "registered_at": r.at, "cancelled_at": r.cancelled_at, "attended": r.attended}


def _organised_event(request: HttpRequest, action_id: int) -> Action:
    """The event ``action_id`` if the caller organises it (404: not seen or not an event;
    403: seen, not theirs to change)."""
    action = _action(request, action_id)
    if not tracking.is_event(action):
        raise Http404("This action is not an event.")
    if not policy.can_edit_action(request.auth, action):  # type: ignore[attr-defined]
        raise Refusal(403, "Only the event's owner, its contributors and the marketing lead "
                           "see who registered.")
    return action


@router.get("/comms/actions/{action_id}/registrations", response=RegistrationsOut,
            auth=roles(COMMS_USERS))
def list_registrations(request: HttpRequest, action_id: int):
    """Who registered to the event (cancelled registrations too), for its organisers."""
    page = queries.registrations(_organised_event(request, action_id))
    return {"capacity": page.capacity, "seats_taken": page.seats_taken,
            "attended": page.attended,
            "registrations": [_registration_out(r) for r in page.rows]}


@router.put("/comms/actions/{action_id}/registrations/{employee_id}/attendance",
            response={200: RegistrationOut, 409: ErrorOut}, auth=roles(COMMS_USERS))
def set_attendance(request: HttpRequest, action_id: int, employee_id: str,
                   payload: AttendanceIn):
    """Record whether a registered person came (from the event's day on; 409 before, or
    for a cancelled registration)."""
    action = _organised_event(request, action_id)
    person = get_object_or_404(Person, employee_id=employee_id)
    try:
        registration = tracking.attendance_set(action=action, person=person,
                                               attended=payload.attended)
    except tracking.TrackingError as exc:
        if exc.code == "not_registered":
            raise Http404(exc.message) from None
        raise Refusal(409, exc.message, [{"field": "attended", "reason": exc.message}]
                      ) from None
    registration.person = person
    return _registration_out(registration)
