"""Reads for jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from phare.accounts.roles import Role
from phare.jobs.models import Job


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """Administrators see every job; others see the jobs they started."""
    jobs = Job.objects.select_related("created_by__person")  # the starter's name on the list
    return jobs if user.role == Role.ADMIN else jobs.filter(created_by=user)
