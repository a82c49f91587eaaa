from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from phare.jobs.services import job_run
from phare.reports import services
from phare.reports.models import Report, Schedule
from tests.reports.factories import FAKE_FILES, make_schedule


def _save(user, **fields):
    values = {"name": "Board", "frequency": "quarterly", "unit_code": None, "language": "en",
              "recipients": ["CIO@example.com", "cio@example.com", "board@example.com"],
              **fields}
    return services.schedule_save(user=user, **values)


def test_it_saves_a_schedule_with_its_recipients_cleaned(personas):
    schedule = _save(personas["marketing"])
    assert schedule.recipients == ["cio@example.com", "board@example.com"]
    changed = _save(personas["admin"], schedule=schedule, name="Board 2", active=False)
    assert Schedule.objects.get().name == "Board 2" and not changed.active


@pytest.mark.parametrize(("fields", "field"), [
    ({"recipients": ["cio@example.com", "not an address"]}, "recipients"),
    ({"recipients": []}, "recipients"),
    ({"frequency": "weekly"}, "frequency"),
    ({"unit_code": "NOPE"}, "unit_code"),
    ({"name": " "}, "name"),
])
def test_it_refuses_a_bad_schedule_naming_the_field(personas, fields, field):
    with pytest.raises(ValidationError) as caught:
        _save(personas["marketing"], **fields)
    assert field in caught.value.message_dict


def test_only_managers_change_schedules(personas):
    schedule = make_schedule()
    with pytest.raises(PermissionDenied):
        _save(personas["executive"])
    with pytest.raises(PermissionDenied):
        services.schedule_delete(user=personas["executive"], schedule=schedule)
    services.schedule_delete(user=personas["marketing"], schedule=schedule)
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(("frequency", "last_sent_on", "today", "due"), [
    ("quarterly", None, dt.date(2026, 11, 5), True),
    ("quarterly", dt.date(2026, 10, 1), dt.date(2026, 11, 5), False),  # Q3 already sent
    ("quarterly", dt.date(2026, 9, 30), dt.date(2026, 10, 1), True),  # sent during Q3: Q3 due
    ("quarterly", dt.date(2026, 10, 1), dt.date(2027, 1, 1), True),  # Q4 is over
    ("monthly", dt.date(2026, 11, 1), dt.date(2026, 11, 30), False),
    ("monthly", dt.date(2026, 11, 1), dt.date(2026, 12, 1), True),
])
def test_a_schedule_is_due_once_per_period(db, frequency, last_sent_on, today, due):
    schedule = make_schedule(frequency=frequency, last_sent_on=last_sent_on)
    assert services.is_due(schedule, today) is due


def test_a_paused_schedule_is_never_due(db):
    assert not services.is_due(make_schedule(active=False), dt.date(2026, 10, 1))


def test_the_step_requests_the_period_just_ended_once_and_emails_it(
        db, fake_render, mailoutbox, settings):
    settings.PHARE_BASE_URL = "https://phare.example.com"
    make_schedule(language="en")
    make_schedule(name="Paused", active=False)
    now = dt.datetime(2026, 10, 2, 8, 0, tzinfo=dt.UTC)
    assert services.schedules_step(now) == {"requested": 1}
    assert services.schedules_step(now) == {"requested": 0}  # not twice for one quarter
    report = Report.objects.get()
    assert (report.starts_on, report.ends_on) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert Schedule.objects.get(name="Board").last_sent_on == dt.date(2026, 10, 2)
    assert report.job is not None
    job = job_run(report.job)
    assert job.result == {"report": report.pk, "emails_sent": 2}
    assert sorted(m.to[0] for m in mailoutbox) == ["board@example.com", "cio@example.com"]
    email = mailoutbox[0]
    assert email.subject.startswith("Phare report: Report Q3 2026")
    assert f"https://phare.example.com/reports/{report.pk}/pptx/" in email.body
    assert email.attachments == [(report.filename("pdf"), FAKE_FILES["pdf"],
                                  "application/pdf")]


def test_a_report_asked_on_the_page_is_emailed_to_nobody(personas, fake_render, mailoutbox):
    report = services.report_request(user=personas["marketing"], starts_on=dt.date(2026, 7, 1),
                                     ends_on=dt.date(2026, 9, 30))
    assert report.job is not None
    assert job_run(report.job).result["emails_sent"] == 0
    assert mailoutbox == []
