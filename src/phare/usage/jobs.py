"""The usage import as a background job: a usage file, checked whole, then merged."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.usage import services
from phare.usage.models import UsageImport
from phare.usage.services import UsageImportFailed

IMPORT = "usage.import"

RESULT_LABELS = {
    "source": gettext_lazy("Source"),
    "rows_read": gettext_lazy("Rows read"),
    "imported": gettext_lazy("Records imported"),
    "unchanged": gettext_lazy("Records unchanged (imported before)"),
    "replaced": gettext_lazy("Records updated"),
    "unmatched": gettext_lazy("Rows matching no one in the directory"),
    "licences": gettext_lazy("Licences"),
    "seats": gettext_lazy("Services' seats"),
    "tenant_counts": gettext_lazy("Tenant-wide counts (concealed names)"),
    "note": gettext_lazy("Note"),
}


@job_handler(IMPORT, result_labels=RESULT_LABELS)
def usage_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import ``job.input_file``, a usage file, with the job's ``source``, ``period_days`` and
    ``file_name`` parameters."""
    with job.input_file.open("rb") as file:
        data = file.read()
    params = job.params
    period = params.get("period_days")
    try:
        report = services.import_usage(
            data, file_name=str(params.get("file_name") or ""),
            source=str(params.get("source") or "auto"),
            period_days=int(period) if period else None, user=job.created_by,
            progress=progress)
    except UsageImportFailed as exc:
        raise JobFailed.with_errors(str(exc), [asdict(e) for e in exc.errors]) from None
    result = report.as_dict()
    result["source"] = str(dict(UsageImport.Source.choices).get(report.source, report.source))
    if report.concealed:
        result["note"] = _("The report's names are concealed: only tenant-wide counts were "
                              "kept. Breakdowns by unit need a report with identifiable names.")
    return result
