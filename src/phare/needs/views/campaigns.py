"""Arbitration campaigns, for the marketing lead: settings, runs, explanations, the budget
curve, the decision and its publication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import NEEDS_MANAGERS
from phare.directory.models import BusinessUnit
from phare.lib.charts import csv_download
from phare.needs import figures, queries, services
from phare.needs.forms import CampaignForm, DecisionForm, RuleForm, ShareForm
from phare.needs.models import Arbitration, Campaign, Need
from phare.needs.policy import campaign_actions


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _arbitration_context(arbitration: Arbitration | None) -> dict[str, Any]:
    if arbitration is None:
        return {"arbitration": None, "charts": []}
    context = queries.result_rows(arbitration)
    found = figures.curve_chart(arbitration)
    context["charts"] = [found] if found else []
    context["curve_error"] = (arbitration.curve or {}).get("error", "")
    context["job"] = arbitration.job
    return context


@allow(NEEDS_MANAGERS)
def campaign_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "needs/campaigns.html", {"campaigns": queries.campaigns_list()})


def _campaign_form(request: SignedInRequest, campaign: Campaign | None) -> HttpResponse:
    initial = {"needs": list(campaign.needs.values_list("pk", flat=True))} if campaign else {}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial,
                        need_choices=queries.campaign_need_choices(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.campaign_save(
                user=request.user, campaign=campaign, name=data["name_fr"],
                name_en=data["name_en"],
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
def campaign_new(request: SignedInRequest) -> HttpResponse:
    return _campaign_form(request, None)


@allow(NEEDS_MANAGERS)
def campaign_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if "edit" not in campaign_actions(campaign):
        messages.error(request, _("This campaign is decided: its settings can no longer change."))
        return redirect("needs:campaign", pk=pk)
    return _campaign_form(request, campaign)


def _shown_arbitration(request: SignedInRequest, campaign: Campaign) -> Arbitration | None:
    runs = campaign.arbitrations.select_related("job", "created_by")
    number = request.GET.get("run", "")
    if number.isdigit():
        found = runs.filter(number=int(number)).first()
        if found is not None:
            return found
    decision = getattr(campaign, "decision", None)
    return decision.arbitration if decision is not None else runs.first()


@allow(NEEDS_MANAGERS)
def campaign_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("created_by"), pk=pk)
    return _campaign_page(request, campaign)


def _member_choices(campaign: Campaign) -> list[tuple[int, str]]:
    return [(n.pk, f"#{n.pk} {n.title}") for n in campaign.needs.order_by("title")]


def _campaign_page(request: SignedInRequest, campaign: Campaign,
                   **sent_back: forms.Form) -> HttpResponse:
    """The campaign's page; ``sent_back`` are its forms posted with errors (``rule_form``,
    ``share_form``, ``decision_form``), shown with their error summary."""
    shown = _shown_arbitration(request, campaign)
    context = _arbitration_context(shown)
    if (download := csv_download(request, context["charts"])) is not None:
        return download
    member_choices = _member_choices(campaign)
    decision = getattr(campaign, "decision", None)
    actions = campaign_actions(campaign, decision)
    context.update({
        "campaign": campaign,
        "decision": decision,
        "actions": actions,
        "preview": queries.campaign_preview_rows(campaign) if "run" in actions else None,
        "runs": campaign.arbitrations.select_related("created_by")[:20],
        "rules": campaign.rules.select_related("need", "other"),
        "shares": campaign.shares.select_related("unit"),
        "capacities": campaign.capacities.select_related("team"),
        "rule_form": RuleForm(need_choices=member_choices),
        "share_form": ShareForm(),
        "decision_form": DecisionForm(initial={"arbitration": shown.pk} if shown else None),
        **sent_back,
    })
    return render(request, "needs/campaign.html", context)


@allow(NEEDS_MANAGERS)
def campaign_rules(request: SignedInRequest, pk: int) -> HttpResponse:
    """Add or remove a rule, or set a minimum share (POST; GET shows the campaign)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.rule_delete(campaign=campaign, rule_id=int(request.POST.get("rule", 0)))
            messages.success(request, _("Rule removed."))
        elif action == "share":
            share = ShareForm(request.POST)
            if not share.is_valid():
                return _campaign_page(request, campaign, share_form=share)
            services.share_set(campaign=campaign,
                                unit=BusinessUnit.objects.get(pk=share.cleaned_data["unit"]),
                                percent=share.cleaned_data["percent"])
            messages.success(request, _("Minimum share saved."))
        else:
            form = RuleForm(request.POST, need_choices=_member_choices(campaign))
            if not form.is_valid():
                return _campaign_page(request, campaign, rule_form=form)
            data = form.cleaned_data
            services.rule_add(campaign=campaign, kind=data["kind"],
                               need=Need.objects.get(pk=data["need"]),
                               other=Need.objects.filter(pk=data["other"]).first()
                               if data["other"] else None)
            messages.success(request, _("Rule added."))
    except (ValidationError, ValueError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect(f"{request.path.removesuffix('rules/')}#rules")


@allow(NEEDS_MANAGERS)
def campaign_run(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    try:
        arbitration = services.arbitration_run(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("needs:campaign", pk=pk)
    messages.success(request, _("Arbitration done; the explanations and the budget curve are "
                                "being computed."))
    return redirect(f"{campaign_url(campaign)}?run={arbitration.number}#result")


def campaign_url(campaign: Campaign) -> str:
    return reverse("needs:campaign", args=[campaign.pk])


@allow(NEEDS_MANAGERS)
def arbitration_detail(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    """One run: the htmx fragment (polled while explanations are computed), else the page."""
    arbitration = get_object_or_404(Arbitration.objects.select_related("job", "campaign"),
                                    campaign_id=pk, number=number)
    if not request.htmx:
        return redirect(f"{campaign_url(arbitration.campaign)}?run={number}#result")
    context = _arbitration_context(arbitration)
    context["campaign"] = arbitration.campaign
    return render(request, "needs/_arbitration.html", context)


@allow(NEEDS_MANAGERS)
def campaign_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    form = DecisionForm(request.POST)
    arbitration = (campaign.arbitrations.filter(pk=form.cleaned_data["arbitration"]).first()
                   if form.is_valid() else None)
    if arbitration is None:
        if form.is_valid():
            form.add_error("arbitration", _("Choose the arbitration to decide on."))
        return _campaign_page(request, campaign, decision_form=form)
    try:
        services.decision_record(user=request.user, campaign=campaign, arbitration=arbitration,
                            reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Decision recorded. Publish it to tell everyone concerned."))
    return redirect("needs:campaign", pk=pk)


@allow(NEEDS_MANAGERS)
def campaign_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("needs:campaign", pk=pk)
    try:
        queued = services.decision_publish(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Published: everyone who raised or voted for its needs is "
                                    "being told what was decided and why (%(count)d pieces "
                                    "of news).") % {"count": queued})
    return redirect("needs:campaign", pk=pk)
