"""The directory import as a background job, for imports started from the web."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from phare.directory.importer import DirectoryImportError, import_people
from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler

RESULT_LABELS = {
    "lines": _("People in the file"),
    "created": _("People created"),
    "updated": _("People updated"),
    "unchanged": _("People unchanged"),
    "deactivated": _("People deactivated"),
    "units_created": _("Business units created"),
    "units_updated": _("Business units updated"),
    "sites_created": _("Sites created"),
    "sites_updated": _("Sites updated"),
    "job_families_created": _("Job families created"),
    "job_families_updated": _("Job families updated"),
}


@job_handler("directory.import", result_labels=RESULT_LABELS)
def directory_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import ``job.input_file``; ``job.params``: ``{"deactivate_missing": bool}``."""
    deactivate_missing = bool(job.params.get("deactivate_missing", True))
    with job.input_file.open("rb") as file:
        try:
            report = import_people(file, deactivate_missing=deactivate_missing,
                                   progress=progress, user=job.created_by)
        except DirectoryImportError as exc:
            raise JobFailed.with_errors(str(exc), [asdict(e) for e in exc.errors]) from None
    return report.as_dict()
