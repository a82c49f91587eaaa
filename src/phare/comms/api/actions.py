"""The communication plan's API: actions — their content, their workflow (transitions), sending
in a background job, publishing, their results (reach and measured effect) — and an event's
registrations and attendance, for its organisers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.catalog.models import Service
from phare.comms import policy, queries, results
from phare.comms.api.common import (
    OPERATION_ID,
    action_or_404,
    aware,
    call,
    plain,
    plan_or_404,
    users_named,
)
from phare.comms.models import Action, Audience, Objective, Plan, Registration, Webhook
from phare.comms.policy import COMMS_MANAGERS, COMMS_USERS
from phare.comms.services import plans as services
from phare.comms.services import sending, tracking
from phare.directory.models import Person
from phare.lib.api import ErrorOut, Id, Pagination, Refusal, resolve_annotations

router = Router(tags=["comms"])

S = Action.Status


# Actions ------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    plan: int
    objective: int | None
    title: str
    language: str = Field(description="The language its title is written in (fr or en).")
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
    language: Literal["fr", "en"] | None = Field(None, description=(
        "The language its title is written in; default: the one you use (when created), "
        "unchanged (when changed)."))
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
            fields[name] = users_named([value], "owner")[0]
        elif name == "contributors":
            fields[name] = users_named(value, "contributors")
        elif name == "services":
            found_services = {s.slug: s for s in Service.objects.filter(slug__in=value)}
            details += [{"field": name, "reason": f"No service {slug!r}."}
                        for slug in value if slug not in found_services]
            fields[name] = [found_services[s] for s in value if s in found_services]
        elif name in ("send_at", "starts_at", "ends_at"):
            fields[name] = aware(value)
        else:
            fields[name] = value
    if details:
        raise Refusal(422, "The request is not valid.", details)
    return fields


def _action_detail(request: HttpRequest, action: Action) -> Action:
    """The action as :class:`ActionDetail` reads it, fresh from the database."""
    return queries.action_detail(action.pk)


@router.get("/comms/actions", response=list[ActionOut], auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("list_actions"))
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
             auth=roles(COMMS_MANAGERS), operation_id=OPERATION_ID("create_action"))
def create_action(request: HttpRequest, payload: ActionIn):
    """A new action (an idea) in a plan; the content must be complete from ``ready`` on."""
    plan = plan_or_404(request, payload.plan)
    fields = _action_fields(payload.model_dump(exclude_unset=True), plan)
    action = call(services.action_save, user=request.auth, plan=plan, **fields)  # type: ignore[attr-defined]
    return Status(201, _action_detail(request, action))


@router.get("/comms/actions/{action_id}", response=ActionDetail, auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("get_action"))
def get_action(request: HttpRequest, action_id: int):
    """An action with its history and what you may do with it now."""
    return _action_detail(request, action_or_404(request, action_id))


@router.patch("/comms/actions/{action_id}", response={200: ActionDetail, 409: ErrorOut},
              auth=roles(COMMS_USERS), operation_id=OPERATION_ID("update_action"))
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch):
    """Change the fields given. Changing what an approved action says (or to whom) sends it
    back to ``ready``; once sent, its content no longer changes (409)."""
    action = action_or_404(request, action_id)
    fields = _action_fields(payload.model_dump(exclude_unset=True), action.plan)
    call(services.action_save, user=request.auth, action=action, **fields)  # type: ignore[attr-defined]
    return _action_detail(request, action)


class TransitionIn(Schema):
    to: Action.Status
    comment: str = Field("", max_length=4000)


@router.post("/comms/actions/{action_id}/transition",
             response={200: ActionDetail, 409: ErrorOut}, auth=roles(COMMS_USERS),
             operation_id=OPERATION_ID("transition"))
def transition(request: HttpRequest, action_id: int, payload: TransitionIn):
    """Move the action along its workflow (``transitions`` lists the moves you may make). A
    company-wide email is approved by an executive only; ``sending`` and ``done`` come from
    sending or publishing it."""
    action = action_or_404(request, action_id)
    call(services.action_transition, action=action, user=request.auth,  # type: ignore[attr-defined]
          to=payload.to, comment=payload.comment)
    return _action_detail(request, action)


class SendStartedOut(Schema):
    job: uuid.UUID = Field(description="The send job: follow it at /api/v1/jobs/{job}.")


def _sending(function: Any, **kwargs: Any) -> Any:
    try:
        return call(function, **kwargs)
    except sending.SendRefused as exc:
        raise Refusal(409, exc.message, [{"field": exc.field or "status",
                                          "reason": exc.message}]) from None


@router.post("/comms/actions/{action_id}/send", response={202: SendStartedOut, 409: ErrorOut},
             auth=roles(COMMS_USERS), operation_id=OPERATION_ID("send"))
def send(request: HttpRequest, action_id: int):
    """Start sending an approved email, invitation or Teams/Slack post in a background job
    (202 with the job's id). A company-wide email needs an executive's approval first."""
    user = request.auth  # type: ignore[attr-defined]
    action = action_or_404(request, action_id)
    if not policy.can_edit_action(user, action):
        raise Refusal(403, "Only the action's owner, its contributors and the marketing lead "
                           "send it.")
    if action.channel in policy.PUBLISHED:
        raise Refusal(409, "Portal news and printed material have nothing to send: publish "
                           "them.", [{"field": "channel", "reason": action.channel}])
    job = _sending(sending.send_start, action=action, user=user)
    return Status(202, {"job": job.pk})


@router.post("/comms/actions/{action_id}/publish", response={200: ActionDetail, 409: ErrorOut},
             auth=roles(COMMS_USERS), operation_id=OPERATION_ID("publish"))
def publish(request: HttpRequest, action_id: int):
    """Publish approved portal news or printed material: the action is done."""
    user = request.auth  # type: ignore[attr-defined]
    action = action_or_404(request, action_id)
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


@router.get("/comms/actions/{action_id}/results", response=ResultsOut, auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("action_results"))
def action_results(request: HttpRequest, action_id: int):
    """The action's reach and its measured effect (small groups suppressed)."""
    action = action_or_404(request, action_id)
    return {"reach": plain(results.reach(action)), "outcome": plain(results.outcome(action))}


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
    action = action_or_404(request, action_id)
    if not tracking.is_event(action):
        raise Http404("This action is not an event.")
    if not policy.can_edit_action(request.auth, action):  # type: ignore[attr-defined]
        raise Refusal(403, "Only the event's owner, its contributors and the marketing lead "
                           "see who registered.")
    return action


@router.get("/comms/actions/{action_id}/registrations", response=RegistrationsOut,
            auth=roles(COMMS_USERS), operation_id=OPERATION_ID("list_registrations"))
def list_registrations(request: HttpRequest, action_id: int):
    """Who registered to the event (cancelled registrations too), for its organisers."""
    page = queries.registrations(_organised_event(request, action_id))
    return {"capacity": page.capacity, "seats_taken": page.seats_taken,
            "attended": page.attended,
            "registrations": [_registration_out(r) for r in page.rows]}


@router.put("/comms/actions/{action_id}/registrations/{employee_id}/attendance",
            response={200: RegistrationOut, 409: ErrorOut}, auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("set_attendance"))
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
