"""The listening API: transfer — responses exported as CSV, Excel or SPSS files.

Exports follow the same rules as the export page (see :mod:`phare.listening.exports.rules`):
below the survey's minimum group size the answer is 422 ``below_threshold``.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import Field

from phare.accounts.apiauth import roles
from phare.accounts.roles import SURVEY_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import acting_user, record
from phare.lib.api import error_response
from phare.listening.exports import formats, rules
from phare.listening.models import Survey

router = Router(tags=["transfer"])


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "sav"] = Field("csv", description="The file format.")
    labels: bool = Field(False, description="CSV only: value labels instead of codes.")
    language: Literal["fr", "en"] | None = Field(
        None, description="Language of the labels; default: yours.")
    wave: int | None = Field(None, description="Only this wave (its number).")
    version: int | None = Field(None, description="Only this questionnaire version.")


@router.get("/surveys/{slug}/responses/export", auth=roles(SURVEY_MANAGERS),
            summary="Export a survey's responses")
def export_responses(request: HttpRequest, slug: str,
                     query: Query[ExportQuery]) -> HttpResponse:
    """The responses as a file, with the anonymity and group-size rules of the export page.

    422 `below_threshold` when the export would hold fewer responses than the survey's minimum
    group size; 422 `validation_error` naming the field for an unknown wave or version.
    """
    survey = get_object_or_404(Survey, slug=slug)
    fmt = "labels.csv" if query.format == "csv" and query.labels else query.format
    language = query.language or (get_language() or "fr")[:2]
    try:
        data = formats.export_file(survey, fmt, language=language, wave=query.wave,
                                   version=query.version)
    except rules.ExportRefused as exc:
        code = "below_threshold" if exc.field == "responses" else "validation_error"
        return error_response(request, 422, code, exc.message,
                              [{"field": exc.field, "reason": exc.message}])
    record(action=Action.EXPORT, actor=acting_user(request), target=survey,
           details={"format": fmt, "language": language, "wave": query.wave,
                    "version": query.version, "via": "api"})
    response = HttpResponse(data, content_type=formats.FORMATS[fmt][0])
    filename = formats.export_filename(survey, fmt, wave=query.wave, version=query.version)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
