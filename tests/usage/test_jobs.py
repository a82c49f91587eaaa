"""The usage import as a background job: a file imported and reported, a bad file refused with
every error's line and column, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from phare.jobs.models import Job
from phare.jobs.services import job_result_rows, job_run, job_start
from phare.usage.jobs import IMPORT, RESULT_LABELS
from phare.usage.models import UsageImport
from tests.usage.factories import events_csv, make_people, service

pytestmark = pytest.mark.django_db


def _job(data: bytes, user, **params) -> Job:
    job = job_start(kind=IMPORT, title="Usage import", user=user,
                    input_file=ContentFile(data), input_name="events.csv",
                    params={"file_name": "events.csv", **params})
    return job_run(job)


def test_it_imports_a_file_and_reports_its_counts(org, personas):
    service("teams", name="Teams")
    people = make_people(org, "dsi", 6)
    day = timezone.localdate() - dt.timedelta(days=3)
    rows = [(p.email, "teams", "open", day.isoformat()) for p in people]
    rows.append(("nobody@example.com", "teams", "open", day.isoformat()))
    job = _job(events_csv(rows), personas["marketing"], source="events", period_days=None)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["rows_read"] == 7 and job.result["imported"] == 6
    assert job.result["unmatched"] == 1
    with translation.override(job.params["language"]):
        shown = [(str(label), value) for label, value in job_result_rows(job)]
        assert shown[0] == (str(RESULT_LABELS["source"]), str(UsageImport.Source.EVENTS.label))
        assert (str(RESULT_LABELS["rows_read"]), 7) in shown
    record = UsageImport.objects.get(pk=job.result["import_id"])
    assert record.file_name == "events.csv" and record.created_by == personas["marketing"]
    assert record.unmatched_rows[0]["identifier"] == "nobody@example.com"
    # The same file again changes nothing.
    again = _job(events_csv(rows), personas["marketing"], source="auto")
    assert again.status == Job.Status.SUCCEEDED
    assert again.result["imported"] == 0 and again.result["unchanged"] == 6


def test_it_fails_a_bad_file_with_each_error_s_line_and_column(org, personas):
    service("teams", name="Teams")
    people = make_people(org, "dsi", 2)
    data = events_csv([(people[0].email, "teams", "open", "yesterday"),
                       (people[1].email, "no such service!", "open", "2026-03-01"),
                       ("", "teams", "open", "2026-03-01")])
    job = _job(data, personas["marketing"], source="events")
    assert job.status == Job.Status.FAILED
    errors = job.result["errors"]
    assert job.result["error_count"] == len(errors) >= 3
    assert [(e["line"], e["column"]) for e in errors] == [
        (2, "time"), (3, "service"), (4, "person")]
    assert all(e["reason"] for e in errors)
    assert not UsageImport.objects.exists()
