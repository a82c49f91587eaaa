"""Importing a survey made with LimeSurvey or Qualtrics: the upload page and the job's report."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.jobs.queries import jobs_visible_to
from phare.listening.forms import SurveyImportAgainForm, SurveyImportForm
from phare.listening.imports.jobs import KIND, survey_import_again, survey_import_start


@allow(SURVEY_MANAGERS)
def survey_import(request: SignedInRequest) -> HttpResponse:
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = survey_import_start(survey_file=form.cleaned_data["file"],
                                  responses_file=form.cleaned_data["responses"],
                                  user=request.user, kind=form.cleaned_data["kind"],
                                  again=form.cleaned_data["again"])
        return redirect("listening:import_job", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind=KIND)[:5]
    return render(request, "listening/imports/import.html", {"form": form, "recent": recent})


@allow(SURVEY_MANAGERS)
def survey_import_job(request: SignedInRequest, job_id: UUID) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(request.user).filter(kind=KIND), pk=job_id)
    # htmx polls this view for the report fragment until the job finishes.
    template = "listening/imports/_report.html" if request.htmx else "listening/imports/job.html"
    return render(request, template, {"job": job})


@require_POST
@allow(SURVEY_MANAGERS)
def survey_import_retry(request: SignedInRequest, job_id: UUID) -> HttpResponse:
    """An import refused as "already imported", run again: new responses only, or a copy."""
    job = get_object_or_404(jobs_visible_to(request.user).filter(kind=KIND), pk=job_id)
    form = SurveyImportAgainForm(request.POST)
    if not form.is_valid() or not job.result or "already_imported" not in job.result:
        return redirect("listening:import_job", job_id=job.pk)
    retried = survey_import_again(job=job, again=form.cleaned_data["again"], user=request.user)
    return redirect("listening:import_job", job_id=retried.pk)
