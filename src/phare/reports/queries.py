"""Reads of the reports app: the reports with their job's progress, schedules, units."""

from __future__ import annotations

from django.core.files import File
from django.db.models import QuerySet

from phare.directory.models import BusinessUnit
from phare.reports.models import FORMATS, Report, Schedule


def reports() -> QuerySet[Report]:
    """Every report, the latest first, with its job (progress) and its author."""
    return Report.objects.select_related("job", "created_by", "schedule")


def open_ready_file(pk: int, fmt: str) -> tuple[Report, File] | None:
    """A ready report's file in ``fmt`` (pdf, pptx, xlsx), opened for reading, for the page's
    and the API's downloads alike; None for an unknown report or format, a report not ready, a
    file gone (even between checking and opening it)."""
    if fmt not in FORMATS:
        return None
    report = Report.objects.filter(pk=pk, status=Report.Status.READY).first()
    if report is None:
        return None
    field = report.file(fmt)
    if not field or not field.name:
        return None
    try:
        return report, field.storage.open(field.name, "rb")
    except FileNotFoundError:
        return None


def schedules() -> QuerySet[Schedule]:
    return Schedule.objects.all()


def unit_choices() -> list[tuple[str, str]]:
    """The business units a report may be about: ``(code, name)``, by name."""
    return list(BusinessUnit.objects.order_by("name").values_list("code", "name"))


def unit_names() -> dict[str, str]:
    return dict(unit_choices())
