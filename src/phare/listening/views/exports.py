"""Exporting a survey's responses: the page with its choices and rules, and the files."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import record
from phare.lib.http import HtmxRequest
from phare.listening.exports import formats, rules, table
from phare.listening.forms import ExportForm
from phare.listening.models import Survey


def _form(request: HttpRequest, survey: Survey) -> ExportForm:
    data = request.GET.copy()
    data.setdefault("format", "xlsx")
    data.setdefault("language", (get_language() or "fr")[:2])
    return ExportForm(data, survey=survey)


def _plan(survey: Survey, form: ExportForm) -> dict[str, Any]:
    """What the export would hold with these choices, or why it is refused."""
    if not form.is_valid():
        return {"refused": None, "table": None}
    try:
        return {"refused": None, "table": table.build_table(survey, **form.options())}
    except rules.ExportRefused as exc:
        return {"refused": exc, "table": None}


@allow(SURVEY_MANAGERS)
def export_page(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    form = _form(request, survey)
    if "download" in request.GET and form.is_valid():
        query = {key: value for key, value in form.options().items() if value is not None}
        url = reverse("listening:export_file", args=[survey.slug, form.cleaned_data["format"]])
        return redirect(f"{url}?{urlencode(query)}")
    return _render(request, survey, form)


def _render(request: HtmxRequest, survey: Survey, form: ExportForm, *,
            status: int = 200) -> HttpResponse:
    context = {"survey": survey, "form": form, "not_asked": table.NOT_ASKED,
               **_plan(survey, form)}
    template = ("listening/exports/_rules.html" if request.htmx
                else "listening/exports/export.html")
    return render(request, template, context, status=status)


@allow(SURVEY_MANAGERS)
def export_file(request: SignedInRequest, slug: str, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    if fmt not in formats.FORMATS:
        raise Http404
    form = _form(request, survey)
    if not form.is_valid():
        return _render(request, survey, form, status=400)
    options = form.options()
    try:
        data = formats.export_file(survey, fmt, **options)
    except rules.ExportRefused:
        return _render(request, survey, form, status=422)
    record(action=Action.EXPORT, actor=request.user, request=request, target=survey,
           details={"format": fmt, **options})
    response = HttpResponse(data, content_type=formats.FORMATS[fmt][0])
    filename = formats.export_filename(survey, fmt, wave=options["wave"],
                                       version=options["version"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
