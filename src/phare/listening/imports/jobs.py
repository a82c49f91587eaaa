"""The survey import as a background job, for imports started from the web."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler, job_start
from phare.listening.imports import SurveyAlreadyImported, SurveyImportError, import_survey

KIND = "listening.survey_import"
RESULT_LABELS = {
    "survey_title": gettext_lazy("Survey created"),
    "questions_imported": gettext_lazy("Questions imported"),
    "responses_imported": gettext_lazy("Responses imported"),
    "incomplete_skipped": gettext_lazy("Incomplete responses not imported"),
    "participants_not_imported": gettext_lazy("Participants not imported"),
    "unsupported_count": gettext_lazy("Unsupported questions"),
    "skipped_count": gettext_lazy("Skipped questions"),
    "responses_already_imported": gettext_lazy("Responses already imported"),
}
#: What to do when the source survey was imported before: refuse (and offer the others), add
#: only its new responses to that survey, or make a second survey.
AGAIN = ("", "add_responses", "as_copy")


def survey_import_start(*, survey_file: Any, responses_file: Any = None, user: Any = None,
                        kind: str = "pulse", again: str = "") -> Job:
    """Queue the import of an uploaded survey file (and its responses file, for a .qsf).

    The job keeps what was sent: the survey file itself, or both files in one .zip.
    """
    names = [survey_file.name] + ([responses_file.name] if responses_file else [])
    if responses_file is None:
        upload, input_name = survey_file, survey_file.name
    else:
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for upload_file in (survey_file, responses_file):
                archive.writestr(upload_file.name, b"".join(upload_file.chunks()))
        upload = ContentFile(packed.getvalue())
        input_name = survey_file.name.rsplit(".", 1)[0] + ".zip"
    if again not in AGAIN:
        raise ValueError(f"unknown choice for a survey imported before: {again!r}")
    return job_start(kind=KIND, title=_("Survey import: %(name)s") % {"name": survey_file.name},
                     user=user, params={"files": names, "kind": kind, "again": again},
                     input_file=upload, input_name=input_name)


def survey_import_again(*, job: Job, again: str, user: Any = None) -> Job:
    """Queue the files of an import refused as "already imported", with ``again`` chosen."""
    if again not in AGAIN[1:]:
        raise ValueError(f"unknown choice for a survey imported before: {again!r}")
    with job.input_file.open("rb") as stored:
        upload = ContentFile(stored.read())
    names = job.params.get("files") or [job.input_file.name]
    input_name = (job.input_file.name or "input").rsplit("/", 1)[-1]
    return job_start(kind=KIND, title=_("Survey import: %(name)s") % {"name": names[0]},
                     user=user, params={"files": names, "kind": job.params.get("kind", "pulse"),
                                        "again": again},
                     input_file=upload, input_name=input_name)


def _files(job: Job) -> list[tuple[str, bytes]]:
    names = job.params.get("files") or [job.input_file.name]
    with job.input_file.open("rb") as stored:
        data = stored.read()
    if len(names) == 1:
        return [(names[0], data)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # packed by survey_import_start
        return [(name, archive.read(name)) for name in names]


@job_handler(KIND, result_labels=RESULT_LABELS)
def survey_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import the job's files; the result is the report (see ``ImportReport.as_dict``)."""
    progress(0, 1, "")
    again = job.params.get("again", "")
    try:
        report = import_survey(_files(job), user=job.created_by,
                               kind=job.params.get("kind", "pulse"),
                               add_responses=again == "add_responses",
                               as_copy=again == "as_copy")
    except SurveyAlreadyImported as exc:
        failure = JobFailed.with_errors(str(exc), [e.as_row() for e in exc.errors])
        failure.details["already_imported"] = {
            "survey_slug": exc.survey.slug, "survey_title": exc.survey.title_fr,
            "anonymous": exc.survey.is_anonymous}
        raise failure from None
    except SurveyImportError as exc:
        raise JobFailed.with_errors(str(exc), [e.as_row() for e in exc.errors]) from None
    progress(1, 1, "")
    return report.as_dict()
