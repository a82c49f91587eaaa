from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import JOB_USERS
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_result_rows


@allow(JOB_USERS)
def job_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": jobs_visible_to(request.user)[:100]})


@allow(JOB_USERS)
def job_detail(request: SignedInRequest, job_id: UUID) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(request.user), pk=job_id)
    # htmx polls this view for the progress fragment until the job finishes.
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job, "rows": job_result_rows(job)})
