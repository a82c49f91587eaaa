from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from phare.jobs.models import Job
from phare.jobs.services import job_run
from phare.reports import periods, services
from phare.reports.models import Report
from tests.reports.factories import FAKE_FILES

Q3 = {"starts_on": dt.date(2026, 7, 1), "ends_on": dt.date(2026, 9, 30)}


def _request(user, **fields):
    return services.report_request(user=user, **{**Q3, "language": "en", **fields})


def test_it_runs_the_job_to_ready_with_the_three_files(personas, fake_render):
    report = _request(personas["marketing"])
    assert report.status == Report.Status.QUEUED and report.job.kind == "reports.generate"
    job = job_run(report.job)
    report.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total == 4
    assert report.status == Report.Status.READY
    for fmt, data in FAKE_FILES.items():
        with report.file(fmt).open("rb") as handle:
            assert handle.read() == data
    assert report.filename("pdf") == "phare-report-2026-07-01-2026-09-30-en.pdf"
    assert report.title == "Report Q3 2026"


def test_it_builds_the_content_once_with_the_period_unit_and_language(
        personas, org, fake_render, monkeypatch):
    calls: list[dict[str, object]] = []

    def build(**kwargs: object) -> str:
        calls.append(kwargs)
        return "content"

    monkeypatch.setattr(services.report_content, "build", build)
    report = _request(personas["admin"], unit_code=org["sales"].code, language="fr")
    job_run(report.job)
    assert calls == [{**Q3, "unit_code": org["sales"].code, "language": "fr"}]
    assert org["sales"].name in Report.objects.get().title


def test_a_failing_render_fails_the_job_and_the_report_with_its_error(
        personas, fake_render, monkeypatch):
    def broken(content):
        raise RuntimeError("no fonts")

    monkeypatch.setitem(services.RENDERERS, "pptx", broken)
    report = _request(personas["marketing"])
    job = job_run(report.job)
    report.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "RuntimeError: no fonts"
    assert report.status == Report.Status.FAILED and report.error == "RuntimeError: no fonts"
    assert not report.pdf  # nothing half-stored


@pytest.mark.parametrize("persona", ["executive", "owner", "employee"])
def test_only_managers_request_reports(personas, persona):
    with pytest.raises(PermissionDenied):
        _request(personas[persona])
    assert not Report.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"starts_on": dt.date(2026, 9, 30), "ends_on": dt.date(2026, 7, 1)}, "ends_on"),
    ({"starts_on": dt.date(2099, 1, 1), "ends_on": dt.date(2099, 3, 31)}, "starts_on"),
    ({"unit_code": "NOPE"}, "unit_code"),
    ({"language": "de"}, "language"),
])
def test_it_refuses_a_bad_request_naming_the_field(personas, fields, field):
    with pytest.raises(ValidationError) as caught:
        _request(personas["marketing"], **fields)
    assert list(caught.value.message_dict) == [field]


def test_periods_read_and_name_quarters_and_months():
    assert periods.previous("quarterly", dt.date(2026, 10, 1)) == periods.quarter(2026, 3)
    assert periods.previous("quarterly", dt.date(2026, 2, 15)) == periods.Period(
        dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert periods.previous("monthly", dt.date(2026, 3, 1)) == periods.Period(
        dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert periods.parse("2026-Q3").key == "2026-Q3"
    assert periods.parse("2026-02").key == "2026-02"
    assert [p.key for p in periods.last_quarters(dt.date(2026, 12, 6), 3)] == [
        "2026-Q3", "2026-Q2", "2026-Q1"]
    with translation.override("en"):
        assert periods.quarter(2026, 3).label == "Q3 2026 (2026-07-01 to 2026-09-30)"
    for bad in ("2026-Q5", "26-Q1", "2026-13", "soon"):
        with pytest.raises(ValueError):
            periods.parse(bad)


def test_it_generates_real_files_with_the_real_content_and_renderers(personas):
    report = _request(personas["marketing"])
    assert report.job is not None
    job = job_run(report.job)
    report.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    with report.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    for fmt in ("pptx", "xlsx"):  # Office files are zip archives
        with report.file(fmt).open("rb") as handle:
            assert handle.read(2) == b"PK"
