from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from phare.reports.models import FORMATS, Report, Schedule
from tests.reports.factories import FAKE_FILES, make_report, make_schedule

HOME = "/reports/"


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.mark.parametrize(("persona", "status"), [
    ("admin", 200), ("marketing", 200), ("executive", 200), ("owner", 403), ("employee", 403)])
def test_the_page_opens_to_readers_only(login, persona, status):
    assert login(persona).get(HOME).status_code == status


def test_readers_see_the_reports_and_their_links_managers_the_forms(login, org):
    report = make_report(unit_code=org["sales"].code)
    make_report(title="Broken", status=Report.Status.FAILED, error="RuntimeError: no fonts")
    make_schedule()
    with translation.override("en"):
        page = login("executive").get(HOME).content.decode()
        assert "Report Q3 2026" in page and org["sales"].name in page
        for fmt in FORMATS:
            assert reverse("reports:download", args=[report.pk, fmt]) in page
        assert "RuntimeError: no fonts" in page and "Board" in page
        assert "Generate a report" not in page and "Add a schedule" not in page
        page = login("marketing").get(HOME).content.decode()
        assert "Generate a report" in page and "Add a schedule" in page


def test_the_form_offers_the_last_quarters_the_one_just_ended_first(login):
    form = login("marketing").get(HOME).context["report_form"]
    keys = [key for key, _label in form.fields["period"].choices]
    assert len(keys) == 8 and keys[0] == form.fields["period"].initial


def test_generating_starts_the_job(login, org, fake_render):
    response = login("marketing").post(reverse("reports:new"), {
        "period": "2026-Q3", "unit_code": org["sales"].code, "language": "en"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (str(report.starts_on), str(report.ends_on)) == ("2026-07-01", "2026-09-30")
    assert report.unit_code == org["sales"].code and report.job is not None


def test_a_bad_period_is_refused_on_its_field(login):
    response = login("marketing").post(reverse("reports:new"), {
        "period": "2020-Q9", "language": "en"})
    assert response.status_code == 422
    assert "period" in response.context["report_form"].errors
    assert not Report.objects.exists()


def test_executives_may_not_generate(login):
    response = login("executive").post(reverse("reports:new"), {"period": "2026-Q3",
                                                                "language": "en"})
    assert response.status_code == 403


def test_the_row_polls_until_ready(login):
    report = make_report(status=Report.Status.RUNNING)
    row = login("marketing").get(reverse("reports:row", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in row
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED)
    row = login("marketing").get(reverse("reports:row", args=[report.pk])).content.decode()
    assert "hx-trigger" not in row


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_downloads_have_their_content_type_and_name(login, fmt):
    report = make_report()
    response = login("executive").get(reverse("reports:download", args=[report.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt][1]
    assert (f'attachment; filename="phare-report-2026-07-01-2026-09-30-fr.{fmt}"'
            == response["Content-Disposition"])
    assert b"".join(response.streaming_content) == FAKE_FILES[fmt]


def test_downloads_refuse_others_and_unfinished_reports(login):
    report = make_report()
    assert login("employee").get(reverse("reports:download", args=[report.pk, "pdf"])
                                 ).status_code == 403
    assert login("admin").get(reverse("reports:download", args=[report.pk, "docx"])
                              ).status_code == 404
    running = make_report(status=Report.Status.RUNNING)
    assert login("admin").get(reverse("reports:download", args=[running.pk, "pdf"])
                              ).status_code == 404
    gone = make_report()
    gone.file("pdf").storage.delete(gone.file("pdf").name)
    assert login("admin").get(reverse("reports:download", args=[gone.pk, "pdf"])
                              ).status_code == 404


def test_schedules_are_added_edited_and_deleted(login):
    client = login("marketing")
    response = client.post(reverse("reports:schedule_new"), {
        "name": "Board", "frequency": "monthly", "unit_code": "", "language": "en",
        "recipients": "cio@example.com, board@example.com", "active": "on"})
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert schedule.recipients == ["cio@example.com", "board@example.com"]
    url = reverse("reports:schedule_edit", args=[schedule.pk])
    assert "board@example.com" in client.get(url).content.decode()
    response = client.post(url, {"name": "Board", "frequency": "quarterly", "language": "fr",
                                 "recipients": "cio@example.com"})
    schedule.refresh_from_db()
    assert response.status_code == 302 and schedule.frequency == "quarterly"
    assert not schedule.active
    client.post(reverse("reports:schedule_delete", args=[schedule.pk]))
    assert not Schedule.objects.exists()


def test_a_bad_address_is_shown_on_the_recipients_field(login):
    with translation.override("en"):
        response = login("marketing").post(reverse("reports:schedule_new"), {
            "name": "Board", "frequency": "monthly", "language": "en",
            "recipients": "cio@example.com\nnot-an-address"})
        assert response.status_code == 422
        assert response.context["schedule_form"].errors["recipients"] == [
            "not-an-address is not an email address."]
    assert not Schedule.objects.exists()


def test_executives_may_not_change_schedules(login):
    schedule = make_schedule()
    client = login("executive")
    assert client.get(reverse("reports:schedule_edit", args=[schedule.pk])).status_code == 403
    assert client.post(reverse("reports:schedule_delete", args=[schedule.pk])
                       ).status_code == 403
    assert Schedule.objects.exists()
