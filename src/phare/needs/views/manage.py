"""Pages of the marketing lead on needs: status, merge, scores, criteria and delivery teams."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import NEEDS_MANAGERS
from phare.needs import queries, services
from phare.needs.forms import CriterionForm, MergeForm, StatusForm, TeamForm, WeightsForm
from phare.needs.models import Criterion, DeliveryTeam, Need
from phare.needs.scoring import criteria_ensure
from phare.needs.views.needs import _posted_need, _transitions, need_page


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _added(form: forms.BaseForm, add: Callable[..., Any]) -> bool:
    """Run the service that adds what ``form`` describes; on refusal, put the reasons on it."""
    try:
        add(**form.cleaned_data)
    except ValidationError as exc:
        found = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for field, errors in found.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@allow(NEEDS_MANAGERS)
def need_status(request: SignedInRequest, pk: int) -> HttpResponse:
    need = _posted_need(request, pk)
    if isinstance(need, HttpResponse):
        return need
    form = StatusForm(request.POST, transitions=_transitions(need))
    if not form.is_valid():
        return need_page(request, need, status_form=form)
    try:
        services.need_set_status(user=request.user, need=need, to=form.cleaned_data["to"],
                                 reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Status changed; the submitter and followers will be told "
                                    "by email."))
    return redirect("needs:detail", pk=need.pk)


@allow(NEEDS_MANAGERS)
def need_merge(request: SignedInRequest, pk: int) -> HttpResponse:
    need = _posted_need(request, pk)
    if isinstance(need, HttpResponse):
        return need
    form = MergeForm(request.POST)
    into = Need.objects.filter(pk=form.cleaned_data["into"]).first() if form.is_valid() else None
    if into is None:
        if form.is_valid():
            form.add_error("into", _("Give the number of an existing need to merge into."))
        return need_page(request, need, merge_form=form)
    try:
        services.need_merge(user=request.user, duplicate=need, into=into,
                            reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("needs:detail", pk=need.pk)
    messages.success(request, _("Merged: its votes and followers now count for this need."))
    return redirect("needs:detail", pk=into.pk)


@allow(NEEDS_MANAGERS)
def need_score(request: SignedInRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("business_unit"), pk=pk)
    criteria = [c for c in criteria_ensure() if c.code != "effort"]
    teams = list(DeliveryTeam.objects.all())
    figures = queries.figures_for(need)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {c.code: request.POST.get(f"c_{c.code}", "") for c in criteria}
        efforts = {t.code: request.POST.get(f"t_{t.code}", "") for t in teams}
        try:
            services.need_score(need=need, values=values, efforts=efforts)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Scores saved."))
            return redirect("needs:detail", pk=need.pk)
    rows = []
    for c in criteria:
        posted = request.POST.get(f"c_{c.code}") if request.method == "POST" else None
        scored = figures.sources.get(c.code) == "scored"
        rows.append({"criterion": c, "value": posted if posted is not None else (
            figures.values.get(c.code) if scored else None),
            "computed": None if scored else figures.values.get(c.code),
            "source": figures.sources.get(c.code, ""), "errors": errors.get(c.code, [])})
    team_rows = [{"team": t, "value": request.POST.get(f"t_{t.code}") if request.method == "POST"
                  else figures.efforts.get(t.code), "errors": errors.get(f"effort:{t.code}", [])}
                 for t in teams]
    return render(request, "needs/score.html", {"need": need, "rows": rows,
                                                "team_rows": team_rows, "errors": errors})


@allow(NEEDS_MANAGERS)
def criteria(request: SignedInRequest) -> HttpResponse:
    """The criteria's weights, new criteria and delivery teams."""
    items = criteria_ensure()
    criterion_form, team_form = CriterionForm(prefix="new"), TeamForm(prefix="team")
    weights_form = WeightsForm(criteria=items)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "weights":
            weights_form = WeightsForm(request.POST, criteria=items)
            try:
                if weights_form.is_valid():
                    services.criteria_set_weights(weights=weights_form.weights())
            except ValidationError as exc:
                weights_form.add_service_errors(exc.message_dict)
            if weights_form.is_valid():
                messages.success(request, _("Weights saved."))
                return redirect("needs:criteria")
        elif action == "criterion":
            criterion_form = CriterionForm(request.POST, prefix="new",
                                           instance=Criterion(kind=Criterion.Kind.RATING,
                                                              position=len(items)))
            if criterion_form.is_valid() and _added(criterion_form, services.criterion_add):
                messages.success(request, _("Criterion added."))
                return redirect("needs:criteria")
        elif action == "team":
            team_form = TeamForm(request.POST, prefix="team")
            if team_form.is_valid() and _added(team_form, services.team_add):
                messages.success(request, _("Delivery team added."))
                return redirect("needs:criteria")
    return render(request, "needs/criteria.html", {
        "weights_form": weights_form, "teams": DeliveryTeam.objects.all(),
        "criterion_form": criterion_form, "team_form": team_form})
