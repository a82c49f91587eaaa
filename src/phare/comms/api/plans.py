"""The communication plan's API: plans (their contributors and actions counted by status) and
their objectives, each with its figure measured live.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.comms import objectives, policy, queries
from phare.comms.api.common import OPERATION_ID, call, plain, plan_or_404, users_named
from phare.comms.models import Objective, Plan
from phare.comms.policy import COMMS_MANAGERS, COMMS_USERS
from phare.comms.services import plans as services
from phare.lib.api import ErrorOut, Pagination

router = Router(tags=["comms"])


# Plans --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    language: str = Field(description="The language it is written in (fr or en).")
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
    language: str = Field(description="The language it is written in (fr or en).")
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
        return plain(objectives.live(obj))


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
    language: Literal["fr", "en"] | None = Field(
        None, description="The language it is written in; default: the one you use.")
    contributors: list[str] = Field(default_factory=list, description="Usernames.")


class PlanPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None
    language: Literal["fr", "en"] | None = Field(
        None, description="The language it is written in; left out: unchanged.")
    contributors: list[str] | None = Field(None, description="Usernames.")


def _plan_detail(request: HttpRequest, plan: Plan) -> Plan:
    """The plan as :class:`PlanDetail` reads it (with its number of actions)."""
    return queries.plan_list(request.auth).get(pk=plan.pk)  # type: ignore[attr-defined]


@router.get("/comms/plans", response=list[PlanOut], auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("list_plans"))
@paginate(Pagination)
def list_plans(request: HttpRequest):
    """The plans you see: every plan for the marketing lead, administrators and executives;
    for anyone else, the plans they are named on (or own an action of)."""
    return queries.plan_list(request.auth).prefetch_related("contributors")  # type: ignore[attr-defined]


@router.post("/comms/plans", response={201: PlanDetail}, auth=roles(COMMS_MANAGERS),
             operation_id=OPERATION_ID("create_plan"))
def create_plan(request: HttpRequest, payload: PlanIn):
    contributors = users_named(payload.contributors, "contributors")
    plan = call(services.plan_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                 starts_on=payload.starts_on, ends_on=payload.ends_on,
                 description=payload.description, contributors=contributors,
                 language=payload.language)
    return Status(201, _plan_detail(request, plan))


@router.get("/comms/plans/{plan_id}", response=PlanDetail, auth=roles(COMMS_USERS),
            operation_id=OPERATION_ID("get_plan"))
def get_plan(request: HttpRequest, plan_id: int):
    """A plan with its objectives (and their live figure) and its actions counted by status."""
    return _plan_detail(request, plan_or_404(request, plan_id))


@router.patch("/comms/plans/{plan_id}", response=PlanDetail, auth=roles(COMMS_MANAGERS),
              operation_id=OPERATION_ID("update_plan"))
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch):
    """Change the fields given (``contributors`` replaces the list)."""
    plan = plan_or_404(request, plan_id)
    given = payload.model_dump(exclude_unset=True)
    contributors = (users_named(given["contributors"], "contributors")
                    if given.get("contributors") is not None else None)
    call(services.plan_save, user=request.auth, plan=plan,  # type: ignore[attr-defined]
          name=given.get("name") or plan.name,
          starts_on=given.get("starts_on") or plan.starts_on,
          ends_on=given.get("ends_on") or plan.ends_on,
          description=given["description"] if given.get("description") is not None
          else plan.description, contributors=contributors, language=given.get("language"))
    return _plan_detail(request, plan)


@router.delete("/comms/plans/{plan_id}", response={204: None, 409: ErrorOut},
               auth=roles(COMMS_MANAGERS), operation_id=OPERATION_ID("delete_plan"))
def delete_plan(request: HttpRequest, plan_id: int):
    """Delete a plan with its objectives and actions; 409 once one of them was sent."""
    call(services.plan_delete, user=request.auth, plan=plan_or_404(request, plan_id))  # type: ignore[attr-defined]
    return Status(204, None)


# Objectives ---------------------------------------------------------------------------------


class ObjectiveIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    language: Literal["fr", "en"] | None = Field(
        None, description="The language it is written in; default: the one you use.")
    metric: Objective.Metric = Objective.Metric.NONE
    params: dict[str, Any] = Field(default_factory=dict, description=(
        "What the figure is of: survey (slug), question and option, service (slug), units "
        "(codes), wave (id) — as the metric needs."))
    baseline: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    target: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    due_on: dt.date | None = None
    source: str = Field("", max_length=80)


@router.get("/comms/plans/{plan_id}/objectives", response=list[ObjectiveOut],
            auth=roles(COMMS_USERS), operation_id=OPERATION_ID("list_objectives"))
def list_objectives(request: HttpRequest, plan_id: int):
    """The plan's objectives, each with its live figure."""
    return list(plan_or_404(request, plan_id).objectives.all())


@router.post("/comms/plans/{plan_id}/objectives", response={201: ObjectiveOut},
             auth=roles(COMMS_MANAGERS), operation_id=OPERATION_ID("create_objective"))
def create_objective(request: HttpRequest, plan_id: int, payload: ObjectiveIn):
    objective = call(services.objective_save, user=request.auth,  # type: ignore[attr-defined]
                      plan=plan_or_404(request, plan_id), title=payload.title,
                      metric=payload.metric, params=payload.params,
                      baseline=payload.baseline, target=payload.target,
                      due_on=payload.due_on, source=payload.source,
                      language=payload.language)
    return Status(201, objective)


