"""Reads of the reports app: the reports with their job's progress, schedules, units."""

from __future__ import annotations

from django.db.models import QuerySet

from phare.directory.models import BusinessUnit
from phare.reports.models import Report, Schedule


def reports() -> QuerySet[Report]:
    """Every report, the latest first, with its job (progress) and its author."""
    return Report.objects.select_related("job", "created_by", "schedule")


def schedules() -> QuerySet[Schedule]:
    return Schedule.objects.all()


def unit_choices() -> list[tuple[str, str]]:
    """The business units a report may be about: ``(code, name)``, by name."""
    return list(BusinessUnit.objects.order_by("name").values_list("code", "name"))


def unit_names() -> dict[str, str]:
    return dict(unit_choices())
