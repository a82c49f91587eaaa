"""The communication plan's pages (under ``/comms/``): the plans one may see, a plan with its
objectives measured live and its board of actions by status, and the plan and objective forms.

Everyone signed in reaches these pages; what they see is :mod:`phare.comms.policy`'s: a plan
they are not named on is a 404, a change their role does not allow a 403. The writes go
through :mod:`phare.comms.services.plans`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.comms import figures, policy, queries
from phare.comms.forms import BoardFilterForm, ObjectiveForm, PlanForm, add_service_errors
from phare.comms.models import Objective, Plan
from phare.comms.services import plans as services

T = "comms/"


def visible_plan(request: SignedInRequest, pk: int) -> Plan:
    """The plan ``pk`` if the reader may see it (a 404 otherwise, as if it did not exist)."""
    return get_object_or_404(policy.visible_plans(request.user), pk=pk)


def _editable_plan(request: SignedInRequest, pk: int) -> Plan:
    plan = visible_plan(request, pk)
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


@allow(policy.COMMS_USERS)
def home(request: SignedInRequest) -> HttpResponse:
    """The plans the reader may see, with their objectives and actions by status."""
    return render(request, T + "home.html", {
        "rows": queries.plan_rows(request.user),
        "can_create": policy.can_edit_plan(request.user)})


@allow(policy.COMMS_USERS)
def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A plan: its objectives with their live figure, then its board (filtered by the query
    string; htmx asks for the board alone when a filter changes)."""
    plan = visible_plan(request, pk)
    form = BoardFilterForm(request.GET or None, plan=plan)
    board = queries.board(request.user, plan, form.filters())
    context = {"plan": plan, "form": form, "board": board,
               "awaiting": queries.awaiting_executive(board),
               "can_edit": policy.can_edit_plan(request.user, plan)}
    if request.htmx and request.htmx.target == "board":
        return render(request, T + "_board.html", context)
    context.update({
        "objectives": figures.objective_cards(queries.objective_rows(plan)),
        "contributors": plan.contributors.select_related("person").order_by("username")})
    return render(request, T + "plan.html", context)


def _plan_form(request: SignedInRequest, plan: Plan | None) -> HttpResponse:
    initial = PlanForm.initial_for(plan) if plan else None
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_save(user=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("comms:plan", pk=saved.pk)
    return render(request, T + "plan_form.html", {"form": form, "plan": plan})


@allow(policy.COMMS_USERS)
def plan_new(request: SignedInRequest) -> HttpResponse:
    if not policy.can_edit_plan(request.user):
        raise PermissionDenied
    return _plan_form(request, None)


@allow(policy.COMMS_USERS)
def plan_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _plan_form(request, _editable_plan(request, pk))


def _objective_form(request: SignedInRequest, plan: Plan,
                    objective: Objective | None) -> HttpResponse:
    initial = ObjectiveForm.initial_for(objective) if objective else None
    form = ObjectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objective_save(
                user=request.user, plan=plan, objective=objective, title=data["title"],
                metric=data["metric"], params=form.params(), baseline=data["baseline"],
                target=data["target"], due_on=data["due_on"], source=data["source"],
                language=data["language"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("comms:plan", pk=plan.pk)
    return render(request, T + "objective_form.html",
                  {"form": form, "plan": plan, "objective": objective})


@allow(policy.COMMS_USERS)
def objective_new(request: SignedInRequest, pk: int) -> HttpResponse:
    return _objective_form(request, _editable_plan(request, pk), None)


def _objective(request: SignedInRequest, pk: int) -> Objective:
    objective = get_object_or_404(
        Objective.objects.select_related("plan").filter(
            plan__in=policy.visible_plans(request.user).values("pk")), pk=pk)
    if not policy.can_edit_plan(request.user, objective.plan):
        raise PermissionDenied
    return objective


@allow(policy.COMMS_USERS)
def objective_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk)
    return _objective_form(request, objective.plan, objective)


@allow(policy.COMMS_USERS)
@require_POST
def objective_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    """Delete an objective (its actions stay in the plan, without one)."""
    objective = _objective(request, pk)
    services.objective_delete(user=request.user, objective=objective)
    messages.success(request, _("Objective “%(title)s” deleted.") % {"title": objective.title})
    return redirect("comms:plan", pk=objective.plan_id)
