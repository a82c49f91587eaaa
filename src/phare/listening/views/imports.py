"""Importing a survey made with LimeSurvey or Qualtrics: the upload page and the job's report."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from phare.accounts.policy import allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.jobs.queries import jobs_visible_to
from phare.lib.uploads import ImportFileField
from phare.listening.imports import EXTENSIONS, IMPORT_KINDS, RESPONSE_EXTENSIONS
from phare.listening.imports.jobs import KIND, survey_import_start
from phare.listening.models import Survey


class SurveyImportForm(forms.Form):
    file = ImportFileField(
        extensions=EXTENSIONS, label=_("Survey file"),
        wrong_type=_("Expected a LimeSurvey archive (.lsa) or structure (.lss), or a Qualtrics "
                     "survey (.qsf), got “%(name)s”."),
        help_text=_("LimeSurvey: export the survey archive (.lsa), which holds the responses. "
                    "Qualtrics: export the survey (.qsf)."))
    responses = ImportFileField(
        extensions=RESPONSE_EXTENSIONS, required=False, label=_("Qualtrics responses (optional)"),
        wrong_type=_("Expected Qualtrics' legacy XML export (.xml), got “%(name)s”."),
        help_text=_("With a .qsf only: the responses in Qualtrics' legacy XML export."))
    kind = forms.ChoiceField(label=_("Kind of survey"), initial=Survey.Kind.PULSE,
                             choices=[(kind, Survey.Kind(kind).label) for kind in IMPORT_KINDS])

    def clean(self) -> dict:
        data = super().clean()
        survey_file, responses = data.get("file"), data.get("responses")
        if survey_file and responses and not survey_file.name.lower().endswith(".qsf"):
            self.add_error("responses", _("A responses file only goes with a Qualtrics .qsf: "
                                          "a LimeSurvey archive holds its responses."))
        return data


@allow(SURVEY_MANAGERS)
def survey_import(request: HttpRequest) -> HttpResponse:
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = survey_import_start(survey_file=form.cleaned_data["file"],
                                  responses_file=form.cleaned_data["responses"],
                                  user=request.user, kind=form.cleaned_data["kind"])
        return redirect("listening:import_job", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind=KIND)[:5]
    return render(request, "listening/imports/import.html", {"form": form, "recent": recent})


@allow(SURVEY_MANAGERS)
def survey_import_job(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(request.user).filter(kind=KIND), pk=job_id)
    # htmx polls this view for the report fragment until the job finishes.
    template = "listening/imports/_report.html" if request.htmx else "listening/imports/job.html"
    return render(request, template, {"job": job})
