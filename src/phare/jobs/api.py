"""Job endpoints: follow a background job's progress and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from phare.accounts.apiauth import roles
from phare.accounts.roles import JOB_USERS
from phare.jobs.queries import jobs_visible_to

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    error: str
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("/jobs", response=list[JobOut], auth=roles(JOB_USERS))
def list_jobs(request):
    """The 50 most recent jobs you may see (all of them for administrators)."""
    return jobs_visible_to(request.auth)[:50]


@router.get("/jobs/{job_id}", response=JobOut, auth=roles(JOB_USERS))
def get_job(request, job_id: UUID):
    return get_object_or_404(jobs_visible_to(request.auth), pk=job_id)
