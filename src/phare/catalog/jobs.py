"""The catalogue import as a background job, for imports started from the web."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from phare.catalog.transfer import CatalogImportError, import_catalog
from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler

RESULT_LABELS = {
    "families_created": _("Offer families created"),
    "families_updated": _("Offer families updated"),
    "services_created": _("Services created"),
    "services_updated": _("Services updated"),
    "services_unchanged": _("Services unchanged"),
    "lifecycle_changes": _("Lifecycle changes"),
    "publication_changes": _("Publication changes"),
}


@job_handler("catalog.import", result_labels=RESULT_LABELS)
def catalog_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import ``job.input_file`` (an .xlsx workbook, a .zip of CSV files or one CSV file)."""
    progress(0, 1, "")
    with job.input_file.open("rb") as file:
        data = file.read()
    try:
        report = import_catalog(data, filename=job.params.get("filename", job.input_file.name),
                                user=job.created_by)
    except CatalogImportError as exc:
        # The job page lists line (here the spreadsheet row), column and reason, per table.
        raise JobFailed.with_errors(
            str(exc), [{**asdict(e), "line": e.row} for e in exc.errors]) from None
    progress(1, 1, "")
    return report.as_dict()
