"""Writes to arbitration campaigns: settings, needs, rules and shares while the campaign is
open, then its runs (an immutable :class:`Arbitration` each) and their explanations.

What a run chooses and why is computed in :mod:`phare.needs.arbitration`; this module locks,
checks the campaign's state, numbers and stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.analysis.errors import AnalysisError
from phare.audit.actions import Action
from phare.audit.services import record
from phare.directory.models import BusinessUnit
from phare.jobs.services import job_start
from phare.lib.i18n import reader_language
from phare.needs.arbitration import (
    EXPLAIN_TIME_LIMIT,
    arbitration_curve,
    arbitration_result,
    campaign_inputs,
    explain_need,
    explain_order,
    portfolio_of,
)
from phare.needs.models import (
    OPEN_STATUSES,
    Arbitration,
    Campaign,
    Capacity,
    DeliveryTeam,
    Need,
    Rule,
    Share,
)
from phare.needs.policy import campaign_actions
from phare.needs.services.needs import invalid


def _check_open(campaign: Campaign) -> None:
    if campaign.pk and "edit" not in campaign_actions(campaign):
        raise ValidationError(_("This campaign is decided: its settings can no longer change."),
                              code="decided")


@transaction.atomic
def campaign_save(
    *, user: Any, campaign: Campaign | None = None, name: str, name_en: str = "",
    description: str = "",
    method: str = Campaign.Method.WEIGHTED, budget_one_off: Decimal, budget_recurring: Decimal,
    vote_cap: int | None = None, needs: Iterable[Need] | None = None,
    capacities: Mapping[str, Decimal | None] | None = None,
) -> Campaign:
    """Create or change a campaign (``name`` in French, ``name_en`` in English: empty, the
    French name is shown); ``capacities``: team code → person-days (None: no limit).
    ``needs`` replaces the campaign's needs (only open needs may be added)."""
    campaign = campaign or Campaign(created_by=user)
    _check_open(campaign)
    campaign.name_fr, campaign.name_en = name.strip(), name_en.strip()
    if description.strip() != campaign.description:  # written now, in the writer's language
        campaign.description, campaign.language = description.strip(), reader_language()
    campaign.method, campaign.vote_cap = method, vote_cap
    campaign.budget_one_off, campaign.budget_recurring = budget_one_off, budget_recurring
    campaign.full_clean()
    errors: dict[str, str] = {}
    teams = {t.code: t for t in DeliveryTeam.objects.all()}
    for code, days in (capacities or {}).items():
        if code not in teams:
            errors[f"capacity:{code}"] = _("Unknown delivery team “%(code)s”.") % {"code": code}
        elif days is not None and days < 0:
            errors[f"capacity:{code}"] = _("Enter a number of zero or more.")
    chosen = list(needs) if needs is not None else None
    if chosen is not None:
        current = set(campaign.needs.values_list("pk", flat=True)) if campaign.pk else set()
        closed = [n for n in chosen if n.status not in OPEN_STATUSES and n.pk not in current]
        if closed:
            errors["needs"] = _("Only open needs can join a campaign; not: %(titles)s.") % {
                "titles": ", ".join(f"“{n.title}”" for n in closed[:5])}
    if errors:
        raise ValidationError(errors)
    campaign.save()
    if chosen is not None:
        campaign.needs.set(chosen)
        # Rules about needs that left the campaign mean nothing any more.
        ids = [n.pk for n in chosen]
        Rule.objects.filter(campaign=campaign).exclude(need__in=ids).delete()
        Rule.objects.filter(campaign=campaign, other__isnull=False).exclude(
            other__in=ids).delete()
    for code, days in (capacities or {}).items():
        if days is None:
            Capacity.objects.filter(campaign=campaign, team=teams[code]).delete()
        else:
            Capacity.objects.update_or_create(campaign=campaign, team=teams[code],
                                              defaults={"days": days})
    return campaign


@transaction.atomic
def rule_add(*, campaign: Campaign, kind: str, need: Need, other: Need | None = None) -> Rule:
    """A need that must be in, "need requires other" or "need excludes other"."""
    _check_open(campaign)
    members = set(campaign.needs.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if kind not in Rule.Kind.values:
        errors["kind"] = _("Choose the kind of rule.")
    if need.pk not in members:
        errors["need"] = _("“%(title)s” is not in this campaign.") % {"title": need.title}
    if kind == Rule.Kind.MANDATORY:
        other = None
    elif kind in Rule.Kind.values:
        if other is None:
            errors["other"] = _("Choose the second need of the rule.")
        elif other.pk not in members:
            errors["other"] = _("“%(title)s” is not in this campaign.") % {"title": other.title}
        elif other.pk == need.pk:
            errors["other"] = _("Choose two different needs.")
    if errors:
        raise ValidationError(errors)
    same = Rule.objects.filter(campaign=campaign, kind=kind, need=need, other=other)
    if kind == Rule.Kind.EXCLUDES:
        same = same | Rule.objects.filter(campaign=campaign, kind=kind, need=other, other=need)
    if same.exists():
        raise ValidationError(_("This rule is already there."), code="duplicate")
    return Rule.objects.create(campaign=campaign, kind=kind, need=need, other=other)


@transaction.atomic
def rule_delete(*, campaign: Campaign, rule_id: int) -> None:
    _check_open(campaign)
    Rule.objects.filter(campaign=campaign, pk=rule_id).delete()


@transaction.atomic
def share_set(*, campaign: Campaign, unit: BusinessUnit, percent: Decimal | None) -> None:
    """The least share (in %) of the value chosen that goes to a top-level unit; None removes."""
    _check_open(campaign)
    if unit.parent_id is not None:
        raise invalid("unit", _("Minimum shares are for top-level business units."),
                      "not_top_level")
    if not percent:
        Share.objects.filter(campaign=campaign, unit=unit).delete()
        return
    if not 0 < percent <= 100:
        raise invalid("percent", _("Enter a share between 0 and 100 %."), "invalid")
    others = sum((s.percent for s in campaign.shares.exclude(unit=unit)), Decimal(0))
    if others + percent > 100:
        raise invalid("percent", _("The minimum shares would add up to %(total)s %%, more "
                                   "than the whole.") % {"total": others + percent}, "over")
    Share.objects.update_or_create(campaign=campaign, unit=unit, defaults={"percent": percent})


@transaction.atomic
def arbitration_run(*, user: Any, campaign: Campaign, explain: bool = True) -> Arbitration:
    """Choose the best portfolio of the campaign now and freeze it; explanations follow in a
    background job unless ``explain`` is False (then call :func:`arbitration_explain`)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if "run" not in campaign_actions(campaign):
        raise ValidationError(_("This campaign is decided: it cannot be run again."),
                              code="decided")
    inputs = campaign_inputs(campaign)
    result = arbitration_result(inputs)
    number = (campaign.arbitrations.aggregate(n=Max("number"))["n"] or 0) + 1
    arbitration = Arbitration.objects.create(campaign=campaign, number=number, inputs=inputs,
                                             result=result, created_by=user)
    if explain:
        arbitration.job = job_start(
            kind="needs.explain", user=user, params={"arbitration": arbitration.pk},
            title=_("Explanations of “%(campaign)s”, run %(number)d") % {
                "campaign": campaign.name, "number": number})
        arbitration.save(update_fields=["job"])
    record(action=Action.ARBITRATION, actor=user, target=campaign,
           details={"number": number, "chosen": list(result.get("chosen", []))})
    return arbitration


def arbitration_explain(arbitration: Arbitration, *,
                        progress: Callable[[int, int, str], None] | None = None,
                        time_limit: float = EXPLAIN_TIME_LIMIT) -> Arbitration:
    """Add the budget curve, then the explanation of every need, saving as it goes (not one
    transaction: the campaign page shows the explanations as they come)."""
    report = progress or (lambda done, total, message: None)
    ids, portfolio = portfolio_of(arbitration)
    order = explain_order(arbitration.inputs, arbitration.result["chosen"])
    total = len(order) + 1
    report(0, total, _("Drawing the value-versus-budget curve"))
    try:
        arbitration.curve = arbitration_curve(arbitration, time_limit=time_limit)
    except AnalysisError as exc:
        arbitration.curve = {"error": str(exc)}
    arbitration.save(update_fields=["curve"])
    explanations = dict(arbitration.explanations or {})
    for done, need in enumerate(order, start=1):
        if str(need) not in explanations:
            explanations[str(need)] = explain_need(arbitration, portfolio, ids, need,
                                                   time_limit=time_limit)
        report(done, total, _("Explained %(done)d of %(count)d needs") % {
            "done": done, "count": len(order)})
        if done % 5 == 0:  # the campaign page shows explanations as they come
            Arbitration.objects.filter(pk=arbitration.pk).update(explanations=explanations)
    arbitration.explanations = explanations
    arbitration.explained_at = timezone.now()
    arbitration.save(update_fields=["explanations", "explained_at"])
    report(total, total, "")
    return arbitration
