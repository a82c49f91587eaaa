"""The listening API: surveys imported from LimeSurvey and Qualtrics, with their responses."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from phare.accounts.apiauth import roles
from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib.api import error_response
from phare.listening.imports import (
    EXTENSIONS,
    IMPORT_KINDS,
    RESPONSE_EXTENSIONS,
    SurveyAlreadyImported,
    SurveyImportError,
    import_survey,
)

router = Router(tags=["imports"])


class ReportItemOut(Schema):
    kind: str
    message: str
    code: str
    title: str
    source_type: str
    type_name: str
    reason: str


class ImportReportOut(Schema):
    survey_id: int
    survey_slug: str
    survey_title: str
    status: str
    anonymity: str
    source: str
    questions_imported: int
    responses_imported: int
    incomplete_skipped: int
    participants_not_imported: int
    unsupported_count: int
    skipped_count: int
    unsupported: list[ReportItemOut]
    skipped: list[ReportItemOut]
    notes: list[ReportItemOut]
    added_to_existing: bool
    responses_already_imported: int


def _invalid(request: HttpRequest, message: str, details: list[dict[str, str]]):
    return error_response(request, 422, "validation_error", message, details)


AGAIN = ("", "add_responses", "as_copy")


@router.post("/surveys/imports", response={201: ImportReportOut}, auth=roles(SURVEY_MANAGERS),
             summary="Import a LimeSurvey or Qualtrics survey")
def import_survey_files(request, file: File[UploadedFile],
                        # ninja's optional file: File[UploadedFile | None] would document the
                        # form field as nullable, so the default None goes against the type.
                        responses: File[UploadedFile] = None,  # type: ignore[assignment]
                        kind: Form[str] = "pulse", again: Form[str] = ""):
    """Import a LimeSurvey archive (`.lsa`, with its responses), structure (`.lss`), question
    group (`.lsg`) or tab-separated survey (`.txt`), or a Qualtrics survey (`.qsf`) with, in
    `responses`, its responses (CSV export, either layout, or legacy XML).

    The survey is created with its questions and responses, all or nothing. 201 answers the
    report: counts, and every question not imported (`unsupported`, `skipped`) by name.
    422 `validation_error` lists each problem of the files, `field` naming the file and the
    place in it. A survey imported before (same source survey id) is refused with 409
    `already_imported`, unless `again` is `add_responses` (only the responses it lacks are
    added to it, by response id) or `as_copy` (a second survey).
    """
    details = []
    for field, upload, extensions in (("file", file, EXTENSIONS),
                                      ("responses", responses, RESPONSE_EXTENSIONS)):
        if upload is None:
            continue
        if not (upload.name or "").lower().endswith(extensions):
            details.append({"field": field, "reason": _("Expected a %(types)s file, got "
                                                        "“%(name)s”.") % {
                "types": " / ".join(extensions), "name": upload.name}})
        # A received upload always has its size (the stubs allow None for any File).
        elif cast(int, upload.size) > settings.PHARE_MAX_IMPORT_BYTES:
            details.append({"field": field, "reason": _("The file is larger than the import "
                                                        "limit.")})
    if kind not in IMPORT_KINDS:
        details.append({"field": "kind", "reason": _("Choose one of: %(kinds)s.") % {
            "kinds": ", ".join(IMPORT_KINDS)}})
    if again not in AGAIN:
        details.append({"field": "again", "reason": _("Choose one of: %(kinds)s.") % {
            "kinds": ", ".join(value for value in AGAIN if value)}})
    if details:
        return _invalid(request, _("The request is not valid."), details)
    files = [(file.name or "", file.read())]
    if responses is not None:
        files.append((responses.name or "", responses.read()))
    try:
        report = import_survey(files, user=request.auth, kind=kind,
                               add_responses=again == "add_responses", as_copy=again == "as_copy")
    except SurveyAlreadyImported as exc:
        return error_response(request, 409, "already_imported", str(exc), [
            {"field": "again", "reason": e.reason} for e in exc.errors]
            + [{"field": "survey", "reason": exc.survey.slug}])
    except SurveyImportError as exc:
        return _invalid(request, str(exc), [
            {"field": ": ".join(part for part in (e.file, e.where) if part), "reason": e.reason}
            for e in exc.errors])
    return Status(201, report.as_dict())
