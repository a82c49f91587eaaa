"""Sending an action as a background job (``comms.send``), with its progress: the emails of
an email or event action, or the post of a Teams or Slack action."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.comms.services import sending
from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.lib import mail

RESULT_LABELS = {
    "sent": gettext_lazy("Emails sent"),
    "skipped": gettext_lazy("Not sent: skipped (contact pressure, opt-out, bounced address)"),
    "refused": gettext_lazy("Refused by the mail server"),
    "failed": gettext_lazy("Failed"),
    "uncertain": gettext_lazy("Interrupted while sending (not sent again)"),
    "queued": gettext_lazy("Still to send"),
    "control": gettext_lazy("Control group (held out)"),
    "posted": gettext_lazy("Posts published"),
}


@job_handler(sending.SEND, result_labels=RESULT_LABELS)
def send_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Send what is left of ``job.params["action_id"]``."""
    try:
        report = sending.send_action(job.params.get("action_id"), progress)
    except sending.SendRefused as exc:
        raise JobFailed(exc.message) from None
    if report.pop("stopped", False):
        raise JobFailed(_("The mail server failed to take %(n)s emails in a row: sending "
                          "stopped. Check the mail settings (PHARE_EMAIL_URL), then send again: "
                          "only what was not sent will go.") % {"n": mail.MAX_FAILURES_IN_A_ROW},
                        report)
    return report
