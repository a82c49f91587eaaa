"""Reports made for tests: a report with its three (small) files, a schedule, and renderers
that stand in for the real ones (whose own tests are test_content.py and test_render.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.core.files.base import ContentFile
from django.utils import timezone

from phare.listening import services as listening
from phare.listening.models import Survey
from phare.reports.content import Figure, ReportContent, Section
from phare.reports.models import Report, Schedule
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate, requester

FAKE_FILES = {"pdf": b"%PDF-1.7 fake", "pptx": b"PK fake slides", "xlsx": b"PK fake book"}


def fake_content(*, starts_on: dt.date, ends_on: dt.date, unit_code: str | None = None,
                 language: str = "fr") -> ReportContent:
    figure = Figure(title="NPS", table=pd.DataFrame({"nps": [12.0]}), n=120)
    return ReportContent(title="Report", period_label="Q3 2026", starts_on=starts_on,
                         ends_on=ends_on, unit_name=unit_code, language=language,
                         sections=[Section(title="Barometer", message="NPS 12", figures=[figure])],
                         generated_at=timezone.now())


def fake_renderers() -> dict[str, Any]:
    return {fmt: (lambda content, data=data: data) for fmt, data in FAKE_FILES.items()}


def make_report(**fields: Any) -> Report:
    """A ready report of 2026's third quarter, with the fake files stored."""
    values: dict[str, Any] = {"title": "Report Q3 2026", "starts_on": dt.date(2026, 7, 1),
                              "ends_on": dt.date(2026, 9, 30), "language": "fr",
                              "status": Report.Status.READY, **fields}
    report = Report.objects.create(**values)
    if report.status == Report.Status.READY:
        for fmt, data in FAKE_FILES.items():
            report.file(fmt).save(report.filename(fmt), ContentFile(data), save=False)
        report.save()
    return report


def make_schedule(**fields: Any) -> Schedule:
    values: dict[str, Any] = {"name": "Board", "frequency": "quarterly", "language": "fr",
                              "recipients": ["cio@example.com", "board@example.com"], **fields}
    return Schedule.objects.create(**values)


def make_rated_services() -> Survey:
    """Four services with rated tickets in February and March 2026 (a ticket survey's): the
    VPN's happiness falls a lot, the video service's stays, the mail's March has three ratings
    only (and the wiki's March, the smallest other, is hidden with it: complementary
    suppression). Returns the ticket survey."""
    make_families()
    survey = ticket_survey_create()
    listening.survey_set_status(survey, Survey.Status.OPEN)
    plan = {"vpn": ([10, 10, 10, 9, 8] * 2, [2, 3, 10, 1, 0] * 2),
            "visio": ([10, 9, 8, 10, 5] * 2, [10, 9, 8, 9, 5] * 3),
            "mail": ([10, 9, 8, 10, 5] * 2, [10, 9, 2]),
            "wiki": ([10, 9, 8, 10, 5] * 2, [10, 9, 8, 9] * 2)}
    number = 0
    for slug, months in plan.items():
        service = make_service(slug, name_fr=slug.upper(), name_en=slug.upper(), family="remote")
        for month, ratings in zip((2, 3), months, strict=True):
            for i, rating in enumerate(ratings):
                number += 1
                rate(survey, requester(number), number, rating=rating, lost="none",
                     day=dt.date(2026, month, 2 + i))
                Ticket.objects.filter(external_id=f"INC{number:05d}").update(service=service)
    return survey
