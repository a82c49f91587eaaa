"""The reports API: ``GET /reports`` (the reports with their status and download links) and
``POST /reports`` (ask for one: a background job makes its files)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.audit.actions import Action
from phare.audit.services import acting_user, record
from phare.lib.api import ErrorOut, Pagination, Refusal
from phare.reports import policy, queries, services
from phare.reports.models import FORMATS, Language, Report

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    unit_code: str | None
    language: str
    status: str = Field(description="queued, running, ready or failed.")
    progress: int = Field(description="Percent done, from the generation job.")
    error: str
    job: str | None = Field(description="The generation job's id (GET /jobs/{id}).")
    files: dict[str, str] = Field(description="Format (pdf, pptx, xlsx) → download address, "
                                              "once ready (a signed-in session downloads).")
    downloads: dict[str, str] = Field(description="Format (pdf, pptx, xlsx) → the API's "
                                                  "download address, once ready (an API token "
                                                  "downloads: GET /reports/{id}/{fmt}).")
    created_at: dt.datetime


class ReportIn(Schema):
    starts_on: dt.date
    ends_on: dt.date
    unit_code: str | None = Field(None, description="A business unit's code; none for the "
                                                    "whole company.")
    language: Language = Language.FR


def _out(report: Report) -> ReportOut:
    files, downloads = {}, {}
    if report.status == Report.Status.READY:
        files = {fmt: settings.PHARE_BASE_URL + reverse("reports:download",
                                                        args=[report.pk, fmt])
                 for fmt in FORMATS if report.file(fmt)}
        downloads = {fmt: f"{settings.PHARE_BASE_URL}/api/v1/reports/{report.pk}/{fmt}"
                     for fmt in files}
    job = report.job
    percent = 100 if report.status == Report.Status.READY else (job.percent if job else 0)
    return ReportOut(id=report.pk, title=report.title, starts_on=report.starts_on,
                     ends_on=report.ends_on, unit_code=report.unit_code or None,
                     language=report.language, status=report.status, progress=percent,
                     error=report.error, job=str(job.pk) if job else None, files=files,
                     downloads=downloads, created_at=report.created_at)


@router.get("/reports", response=list[ReportOut], auth=roles(policy.READERS),
            operation_id="phare_reports_api_list_reports")
@paginate(Pagination)
def list_reports(request: HttpRequest, status: str = ""):
    """The reports, the latest first (``status`` filters: queued, running, ready, failed)."""
    if status and status not in Report.Status.values:
        raise Refusal(422, "Unknown status.", [{"field": "status",
                                                "reason": "queued, running, ready or failed"}])
    found = queries.reports()
    return [_out(report) for report in (found.filter(status=status) if status else found)]


@router.post("/reports", response={202: ReportOut}, auth=roles(policy.MANAGERS),
             operation_id="phare_reports_api_request_report")
def request_report(request: HttpRequest, payload: ReportIn):
    """Ask for a report of the period; its files come when its job is done (202)."""
    try:
        report = services.report_request(
            user=request.auth, starts_on=payload.starts_on,  # type: ignore[attr-defined]
            ends_on=payload.ends_on, unit_code=payload.unit_code,
            language=str(payload.language))
    except PermissionDenied as exc:
        raise Refusal(403, str(exc)) from None
    except ValidationError as exc:
        details = [{"field": key, "reason": " ".join(messages)}
                   for key, messages in exc.message_dict.items()]
        raise Refusal(422, " ".join(exc.messages), details) from None
    return Status(202, _out(report))


DOWNLOAD_DOC = {"responses": {200: {
    "description": "The report's file, as an attachment named after the report.",
    "content": {content_type: {"schema": {"type": "string", "format": "binary"}}
                for _suffix, content_type in FORMATS.values()}}}}


@router.get("/reports/{report_id}/{fmt}", auth=roles(policy.READERS),
            response={404: ErrorOut}, openapi_extra=DOWNLOAD_DOC,
            operation_id="phare_reports_api_download_report",
            summary="Download a report's file")
def download_report(request: HttpRequest, report_id: int, fmt: str) -> FileResponse:
    """One of a ready report's files (``fmt``: pdf, pptx or xlsx), for those who may read
    reports — with an API token, as the Reports page downloads with a session."""
    found = queries.open_ready_file(report_id, fmt)
    if found is None:
        raise Refusal(404, _("No such report file: the report is unknown or not ready, or the "
                             "format is not pdf, pptx or xlsx."))
    report, handle = found
    record(action=Action.EXPORT, actor=acting_user(request), target=report,
           details={"format": fmt, "via": "api"})
    return FileResponse(handle, as_attachment=True, filename=report.filename(fmt),
                        content_type=FORMATS[fmt][1])
