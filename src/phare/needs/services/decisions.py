"""Writes to a campaign's decision: record it on one arbitration, then publish it — plan the
needs chosen and tell every submitter and voter what was decided and why, at once.

The page and the API publish through the same :func:`decision_publish`, so both plan the same
needs, queue the same news and start the same email job.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import record
from phare.jobs.services import job_start
from phare.lib.i18n import both, reader_language
from phare.needs import notifications
from phare.needs.arbitration import outcome_of
from phare.needs.explaining import plain_context
from phare.needs.models import OPEN_STATUSES, Arbitration, Campaign, Decision, Need, Vote
from phare.needs.policy import campaign_actions
from phare.needs.services.needs import audience, invalid, need_set_status, reached


@transaction.atomic
def decision_record(*, user: Any, campaign: Campaign, arbitration: Arbitration,
                    reason: str) -> Decision:
    """Settle the campaign on ``arbitration``, with the reason the committee gives."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if "decide" not in campaign_actions(campaign):
        raise ValidationError(_("This campaign is already decided."), code="decided")
    if arbitration.campaign_id != campaign.pk:
        raise ValidationError(_("This arbitration belongs to another campaign."),
                              code="wrong_campaign")
    if not reason.strip():
        raise invalid("reason", _("Say why: the reason is sent to everyone who raised or voted "
                                  "for a need of the campaign."), "reason_required")
    decision = Decision.objects.create(campaign=campaign, arbitration=arbitration,
                                       reason=reason.strip(), language=reader_language(),
                                       decided_by=user)
    campaign.status = Campaign.Status.DECIDED
    campaign.save(update_fields=["status"])
    record(action=Action.DECISION, actor=user, target=campaign,
           details={"arbitration": arbitration.number, "reason": decision.reason,
                    "chosen": list(arbitration.result.get("chosen", []))})
    return decision


@transaction.atomic
def decision_publish(*, user: Any, campaign: Campaign) -> int:
    """Plan the needs chosen and tell each submitter and voter what was decided and why; the
    emails leave now (the ``needs.digests`` job, once this commits) rather than at the
    scheduler's next tick. Returns how many notifications were queued."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    decision = Decision.objects.select_related("arbitration").filter(campaign=campaign).first()
    if decision is None or "publish" not in campaign_actions(campaign, decision):
        raise ValidationError(_("Record a decision before publishing it."), code="not_decided")
    arbitration = decision.arbitration
    if arbitration.explained_at is None:
        raise ValidationError(_("The explanations are still being computed: publish once they "
                                "are ready."), code="not_explained")
    inputs = arbitration.inputs
    chosen = set(arbitration.result["chosen"])
    ids = [n["id"] for n in inputs["needs"]] + [n["id"] for n in inputs["aside"]]
    needs = Need.objects.in_bulk(ids)
    voters: dict[int, set[int]] = {}
    for need_id, person_id in Vote.objects.filter(need__in=ids).values_list("need_id",
                                                                             "person_id"):
        voters.setdefault(need_id, set()).add(person_id)
    queued = 0
    for need_id in ids:
        need = needs.get(need_id)
        if need is None:
            continue
        told = voters.get(need_id, set()) | ({need.submitter_id} if need.submitter_id else set())
        if need_id in chosen and need.status in OPEN_STATUSES and not reached(
                need.status, Need.Status.PLANNED):
            need_set_status(user=user, need=need, to=Need.Status.PLANNED,
                            reason=decision.reason, campaign=campaign, notify=False)
            # Followers who neither raised nor voted for it hear of the new status.
            queued += notifications.queue(
                people=audience(need) - told, need=need, kind="status",
                payload={"from": need.status, "to": Need.Status.PLANNED,
                         "reason": decision.reason})
        outcome = outcome_of(arbitration, need_id) or {"chosen": False, "explanation": None}
        queued += notifications.queue(people=told, need=need, kind="decision", payload={
            "campaign": campaign.pk, "campaign_name": campaign.name_fr,
            "campaign_names": both(campaign, "name"),
            "chosen": outcome["chosen"], "reason": decision.reason,
            "explanation": outcome["explanation"],
            "context": plain_context(inputs, chosen, need_id, outcome["explanation"]),
        })
    decision.published_at, decision.published_by = timezone.now(), user
    decision.save(update_fields=["published_at", "published_by"])
    campaign.status = Campaign.Status.PUBLISHED
    campaign.save(update_fields=["status"])
    job_start(kind="needs.digests", user=user,
              title=_("Emails of the decision “%(campaign)s”") % {"campaign": campaign.name})
    record(action=Action.PUBLICATION, actor=user, target=campaign,
           details={"decision": decision.pk, "notifications": queued})
    return queued
