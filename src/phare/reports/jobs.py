"""The report's generation job: content once, then the PDF, slides and workbook; a scheduled
report is emailed to its recipients once ready."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.reports import services
from phare.reports.models import Report

logger = logging.getLogger(__name__)


@job_handler(services.JOB_KIND, result_labels={"report": _("Report"),
                                               "emails_sent": _("Emails sent")})
def generate(job: Job, progress: Progress) -> dict[str, Any]:
    report = Report.objects.filter(pk=job.params.get("report")).first()
    if report is None:
        raise JobFailed(str(_("The report was deleted before it could be generated.")))
    try:
        services.report_generate(report=report, progress=progress)
    except Exception as exc:
        # Whatever broke (the figures, a renderer), the report says so and the job fails with
        # the same words; the traceback goes to the log.
        logger.exception("report %s could not be generated", report.pk)
        error = f"{type(exc).__name__}: {exc}"
        services.report_fail(report=report, error=error)
        raise JobFailed(error) from exc
    return {"report": report.pk, "emails_sent": services.report_send(report=report)}
