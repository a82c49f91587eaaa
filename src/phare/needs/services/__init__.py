"""Every write of the needs app, one module per aggregate; the names are imported here so that
callers write ``services.need_submit(...)`` whichever module holds it.

- :mod:`.needs`: submit, status workflow, votes, follows, comments, merges, scores, criteria
  and delivery teams;
- :mod:`.campaigns`: an arbitration campaign's settings, needs, rules and shares, its runs and
  their explanations;
- :mod:`.decisions`: the decision on a campaign and its publication.
"""

from phare.needs.services.campaigns import (
    arbitration_explain,
    arbitration_run,
    campaign_save,
    rule_add,
    rule_delete,
    share_set,
)
from phare.needs.services.decisions import decision_publish, decision_record
from phare.needs.services.needs import (
    MAX_COMMENT,
    PROGRESS,
    TRANSITIONS,
    audience,
    comment_add,
    criteria_set_weights,
    criterion_add,
    follow_set,
    invalid,
    need_merge,
    need_score,
    need_set_status,
    need_submit,
    reached,
    team_add,
    vote_cast,
    vote_withdraw,
)

__all__ = [
    "MAX_COMMENT", "PROGRESS", "TRANSITIONS", "arbitration_explain", "arbitration_run",
    "audience", "campaign_save", "comment_add", "criteria_set_weights", "criterion_add",
    "decision_publish", "decision_record", "follow_set", "invalid", "need_merge", "need_score",
    "need_set_status", "need_submit", "reached", "rule_add", "rule_delete", "share_set",
    "team_add", "vote_cast", "vote_withdraw",
]
