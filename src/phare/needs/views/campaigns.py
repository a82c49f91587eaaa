"""Arbitration campaigns, for the marketing lead: settings, runs, explanations, the budget
curve, the decision and its publication."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import allow
from phare.accounts.roles import NEEDS_MANAGERS
from phare.directory.models import BusinessUnit
from phare.jobs.services import job_start
from phare.lib.charts import Chart, chart, csv_download
from phare.needs import arbitration as arb
from phare.needs import campaigns, queries
from phare.needs.explaining import constraint_label, context_for, describe, working
from phare.needs.forms import CampaignForm, DecisionForm, RuleForm, ShareForm
from phare.needs.models import OPEN_STATUSES, Arbitration, Campaign, Need


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def result_rows(arbitration: Arbitration) -> dict[str, Any]:
    """An arbitration's result as the pages show it: needs taken and left out, with their
    figures and explanation, the use of each constraint, the needs set aside."""
    inputs, result = arbitration.inputs, arbitration.result
    chosen, greedy = set(result["chosen"]), set(result["greedy"]["chosen"])
    explanations = arbitration.explanations or {}
    taken, left = [], []
    for need in inputs["needs"]:
        explanation = explanations.get(str(need["id"]))
        row = {**need, "chosen": need["id"] in chosen, "greedy": need["id"] in greedy,
               "mandatory": need["id"] in inputs["mandatory"],
               "working": working(need, inputs),
               "explanation": describe(explanation, context_for(inputs, explanation))
               if explanation else ""}
        (taken if row["chosen"] else left).append(row)
    taken.sort(key=lambda r: -r["value"])
    left.sort(key=lambda r: -r["value"])
    usage = [{"label": constraint_label(c), "capacity": c["capacity"],
              "used": result["used"][c["key"]], "slack": result["slack"][c["key"]],
              "percent": 100 * result["used"][c["key"]] / c["capacity"] if c["capacity"] else None}
             for c in inputs["constraints"]]
    titles = {n["id"]: n["title"] for n in inputs["needs"] + inputs["aside"]}
    aside = [{**entry, "why": arb.aside_reason(entry, titles)} for entry in inputs["aside"]]
    return {"arbitration": arbitration, "taken": taken, "left": left, "usage": usage,
            "aside": aside, "result": result, "inputs": inputs}


def curve_chart(arbitration: Arbitration) -> Chart | None:
    """The value-versus-budget curve, with today's budget marked."""
    curve = arbitration.curve or {}
    if not curve.get("points"):
        return None
    budget_label, value_label = _("One-off budget (k€)"), _("Best total value")
    frame = pd.DataFrame([{"budget": round(c, 1), "value": round(v, 2),
                           "proven": _("yes") if ok else _("no")}
                          for c, v, ok in curve["points"]])
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("budget:Q", title=budget_label), y=alt.Y("value:Q", title=value_label),
        tooltip=[alt.Tooltip("budget:Q", title=budget_label),
                 alt.Tooltip("value:Q", title=value_label)])
    today = alt.Chart(pd.DataFrame([{"budget": curve["budget"]}])).mark_rule(
        color="#d97706", strokeDash=[4, 4]).encode(x="budget:Q")
    return chart(
        alt.layer(line, today).properties(height=260), id="budget-curve",
        title=_("Value reachable for each one-off budget"), table=frame,
        description=_("The dashed line marks today's budget (%(budget)s k€). Every point is "
                      "the best selection under the other constraints, solved again.") % {
            "budget": f"{curve['budget']:g}"},
        columns={"budget": budget_label, "value": value_label,
                 "proven": _("Proven optimal")})


def _arbitration_context(arbitration: Arbitration | None) -> dict[str, Any]:
    if arbitration is None:
        return {"arbitration": None, "charts": []}
    context = result_rows(arbitration)
    found = curve_chart(arbitration)
    context["charts"] = [found] if found else []
    context["curve_error"] = (arbitration.curve or {}).get("error", "")
    context["job"] = arbitration.job
    return context


@allow(NEEDS_MANAGERS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "needs/campaigns.html", {"campaigns": queries.campaigns_list()})


def _need_choices(campaign: Campaign | None) -> list[tuple[int, str]]:
    current = set(campaign.needs.values_list("pk", flat=True)) if campaign else set()
    needs = Need.objects.filter(status__in=OPEN_STATUSES) | Need.objects.filter(pk__in=current)
    return [(n.pk, f"#{n.pk} {n.title} — {n.get_status_display()}")
            for n in needs.order_by("-created_at")]


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    initial = {"needs": list(campaign.needs.values_list("pk", flat=True))} if campaign else {}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial,
                        need_choices=_need_choices(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = campaigns.campaign_save(
                user=request.user, campaign=campaign, name=data["name"],
                description=data["description"], method=data["method"],
                budget_one_off=data["budget_one_off"], budget_recurring=data["budget_recurring"],
                vote_cap=data["vote_cap"], needs=Need.objects.filter(pk__in=data["needs"]),
                capacities=form.capacities())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = field.replace("capacity:", "capacity_")
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("needs:campaign", pk=saved.pk)
    return render(request, "needs/campaign_form.html", {"form": form, "campaign": campaign})


@allow(NEEDS_MANAGERS)
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, None)


@allow(NEEDS_MANAGERS)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.status != Campaign.Status.OPEN:
        messages.error(request, _("This campaign is decided: its settings can no longer change."))
        return redirect("needs:campaign", pk=pk)
    return _campaign_form(request, campaign)


def _shown_arbitration(request: HttpRequest, campaign: Campaign) -> Arbitration | None:
    runs = campaign.arbitrations.select_related("job", "created_by")
    number = request.GET.get("run", "")
    if number.isdigit():
        found = runs.filter(number=int(number)).first()
        if found is not None:
            return found
    decision = getattr(campaign, "decision", None)
    return decision.arbitration if decision is not None else runs.first()


def _preview(campaign: Campaign) -> dict[str, Any]:
    preview = queries.campaign_preview(campaign)
    inputs = preview["inputs"]
    if inputs:
        preview["rows"] = sorted(({**n, "working": working(n, inputs)} for n in inputs["needs"]),
                                 key=lambda n: -n["value"])
    return preview


@allow(NEEDS_MANAGERS)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=pk)
    shown = _shown_arbitration(request, campaign)
    context = _arbitration_context(shown)
    if (download := csv_download(request, context["charts"])) is not None:
        return download
    member_choices = [(n.pk, f"#{n.pk} {n.title}") for n in campaign.needs.order_by("title")]
    context.update({
        "campaign": campaign,
        "decision": getattr(campaign, "decision", None),
        "preview": _preview(campaign) if campaign.status == Campaign.Status.OPEN else None,
        "runs": campaign.arbitrations.select_related("created_by")[:20],
        "rules": campaign.rules.select_related("need", "other"),
        "shares": campaign.shares.select_related("unit"),
        "capacities": campaign.capacities.select_related("team"),
        "rule_form": RuleForm(need_choices=member_choices),
        "share_form": ShareForm(),
        "decision_form": DecisionForm(initial={"arbitration": shown.pk} if shown else None),
    })
    return render(request, "needs/campaign.html", context)


@allow(NEEDS_MANAGERS)
def campaign_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove a rule, or set a minimum share (POST; GET shows the campaign)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    action = request.POST.get("action")
    try:
        if action == "delete":
            campaigns.rule_delete(campaign=campaign, rule_id=int(request.POST.get("rule", 0)))
            messages.success(request, _("Rule removed."))
        elif action == "share":
            form = ShareForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a top-level unit and a share from 0 to 100 %."))
            campaigns.share_set(campaign=campaign,
                                unit=BusinessUnit.objects.get(pk=form.cleaned_data["unit"]),
                                percent=form.cleaned_data["percent"])
            messages.success(request, _("Minimum share saved."))
        else:
            choices = [(n.pk, n.title) for n in campaign.needs.all()]
            form = RuleForm(request.POST, need_choices=choices)
            if not form.is_valid():
                raise ValidationError(_("Choose the rule and its needs among the campaign's."))
            data = form.cleaned_data
            campaigns.rule_add(campaign=campaign, kind=data["kind"],
                               need=Need.objects.get(pk=data["need"]),
                               other=Need.objects.filter(pk=data["other"]).first()
                               if data["other"] else None)
            messages.success(request, _("Rule added."))
    except (ValidationError, ValueError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect(f"{request.path.removesuffix('rules/')}#rules")


@allow(NEEDS_MANAGERS)
def campaign_run(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    try:
        arbitration = arb.arbitration_run(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("needs:campaign", pk=pk)
    messages.success(request, _("Arbitration done; the explanations and the budget curve are "
                                "being computed."))
    return redirect(f"{campaign_url(campaign)}?run={arbitration.number}#result")


def campaign_url(campaign: Campaign) -> str:
    from django.urls import reverse

    return reverse("needs:campaign", args=[campaign.pk])


@allow(NEEDS_MANAGERS)
def arbitration_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One run: the htmx fragment (polled while explanations are computed), else the page."""
    arbitration = get_object_or_404(Arbitration.objects.select_related("job", "campaign"),
                                    campaign_id=pk, number=number)
    if not request.htmx:
        return redirect(f"{campaign_url(arbitration.campaign)}?run={number}#result")
    context = _arbitration_context(arbitration)
    context["campaign"] = arbitration.campaign
    return render(request, "needs/_arbitration.html", context)


@allow(NEEDS_MANAGERS)
def campaign_decide(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    form = DecisionForm(request.POST)
    arbitration = (campaign.arbitrations.filter(pk=form.cleaned_data["arbitration"]).first()
                   if form.is_valid() else None)
    if arbitration is None:
        messages.error(request, _("Say why, and choose the arbitration to decide on."))
        return redirect("needs:campaign", pk=pk)
    try:
        arb.decision_record(user=request.user, campaign=campaign, arbitration=arbitration,
                            reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Decision recorded. Publish it to tell everyone concerned."))
    return redirect("needs:campaign", pk=pk)


@allow(NEEDS_MANAGERS)
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    try:
        with transaction.atomic():
            queued = arb.decision_publish(user=request.user, campaign=campaign)
            # The emails leave now rather than at the scheduler's next tick.
            job_start(kind="needs.digests", user=request.user,
                      title=_("Emails of the decision “%(campaign)s”") % {
                          "campaign": campaign.name})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Published: everyone who raised or voted for its needs is "
                                    "being told what was decided and why (%(count)d pieces "
                                    "of news).") % {"count": queued})
    return redirect("needs:campaign", pk=pk)
