"""The one task the worker runs: a :class:`~phare.jobs.models.Job`, by id."""

from __future__ import annotations

from django_tasks import task

from phare.jobs.models import Job
from phare.jobs.services import job_run


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    if job.status == Job.Status.QUEUED:
        job_run(job)
    return job.status
