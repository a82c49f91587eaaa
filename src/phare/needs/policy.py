"""What can be done to a need or a campaign in its present state.

The services refuse what is not listed here, and the pages offer only what is: a template asks
``{% if "vote" in actions %}``, it never compares statuses itself.
"""

from __future__ import annotations

from phare.needs.models import OPEN_STATUSES, Campaign, Decision, Need

S = Need.Status

#: Actions on a need: vote and follow (open needs), comment (not merged), merge into another
#: need (neither merged nor delivered).
NEED_ACTIONS = ("vote", "follow", "comment", "merge")
#: Actions on a campaign: change its settings and needs, add or remove rules and shares, run
#: the arbitration, record the decision (all while open); publish the decision (decided).
CAMPAIGN_ACTIONS = ("edit", "rules", "run", "decide", "publish")


def need_actions(need: Need, person_id: int | None = None) -> frozenset[str]:
    """The actions a need's status allows (who may take them is the views' and API's matter);
    with ``person_id``, less what that person may not do: its author does not vote for it
    (raising it is their voice already)."""
    allowed = set()
    if need.status in OPEN_STATUSES:
        allowed |= {"vote", "follow"}
    if person_id is not None and need.submitter_id == person_id:
        allowed.discard("vote")
    if need.status != S.MERGED:
        allowed.add("comment")
    if need.status not in (S.MERGED, S.DELIVERED):
        allowed.add("merge")
    return frozenset(allowed)


def campaign_actions(campaign: Campaign, decision: Decision | None = None) -> frozenset[str]:
    """The actions a campaign's status (and its decision's) allows."""
    if campaign.status == Campaign.Status.OPEN:
        return frozenset({"edit", "rules", "run", "decide"})
    if (campaign.status == Campaign.Status.DECIDED and decision is not None
            and decision.published_at is None):
        return frozenset({"publish"})
    return frozenset()
