"""Sending a wave's invitations and reminders as background jobs, with their progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.lib import mail
from phare.listening import mailing, pressure, queries, services
from phare.listening.models import Wave

INVITATION_LABELS = {
    "sent": gettext_lazy("Invitations sent"),
    "failed": gettext_lazy("Emails refused by the mail server"),
    "opted_out": gettext_lazy("Not sent: opted out since the launch"),
}
REMINDER_LABELS = {
    "sent": gettext_lazy("Reminders sent"),
    "failed": gettext_lazy("Emails refused by the mail server"),
    "held_back": gettext_lazy("Held back by contact pressure (reminded at a later tick)"),
}


def _wave(job: Job) -> Wave:
    wave = Wave.objects.select_related("survey").filter(pk=job.params.get("wave_id")).first()
    if wave is None:
        raise JobFailed(_("This wave no longer exists."))
    return wave


def _finish(report: dict[str, Any]) -> dict[str, Any]:
    if report.pop("stopped"):
        raise JobFailed(_("The mail server failed to take %(n)s emails in a row: sending stopped. "
                          "Check the mail settings (PHARE_EMAIL_URL), then send again: only "
                          "what was not sent will go.") % {"n": mail.MAX_FAILURES_IN_A_ROW},
                        report)
    return report


@job_handler(services.SEND_INVITATIONS, result_labels=INVITATION_LABELS)
def send_invitations_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Email the invitations of ``job.params["wave_id"]`` not sent yet."""
    return _finish(mailing.send_invitations(_wave(job), progress=progress))


@job_handler(services.SEND_REMINDERS, result_labels=REMINDER_LABELS)
def send_reminders_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Remind now the non-respondents of ``job.params["wave_id"]``."""
    wave = _wave(job)
    report = _finish(mailing.send_reminders(queries.reminders_now(wave), progress=progress))
    # The reasons as the page says them ("Quiet period: 4"), beside their counts.
    report["held_back"] = pressure.left_out(report["held"]) or "0"
    return report
