from __future__ import annotations

import pytest

from phare.reports.models import Report
from tests.reports.factories import make_report


def test_it_lists_reports_with_their_links(api, settings):
    settings.PHARE_BASE_URL = "https://phare.example.com"
    report = make_report()
    make_report(title="Running", status=Report.Status.RUNNING)
    answer = api("executive", "GET", "/reports")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    ready = next(item for item in body["items"] if item["id"] == report.pk)
    assert ready["status"] == "ready" and ready["progress"] == 100
    assert ready["files"] == {fmt: f"https://phare.example.com/reports/{report.pk}/{fmt}/"
                              for fmt in ("pdf", "pptx", "xlsx")}
    running = next(item for item in body["items"] if item["id"] != report.pk)
    assert running["files"] == {}
    only = api("executive", "GET", "/reports?status=running").json()
    assert [item["title"] for item in only["items"]] == ["Running"]
    assert api("executive", "GET", "/reports?status=lost").status_code == 422


@pytest.mark.parametrize(("persona", "status"), [("owner", 403), ("employee", 403)])
def test_others_may_not_list(api, persona, status):
    assert api(persona, "GET", "/reports").status_code == status


def test_it_requests_a_report(api, org, fake_render):
    answer = api("marketing", "POST", "/reports", {
        "starts_on": "2026-07-01", "ends_on": "2026-09-30", "unit_code": org["sales"].code,
        "language": "en"})
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "queued" and body["job"] is not None
    assert Report.objects.get().unit_code == org["sales"].code


def test_a_bad_request_names_the_field(api):
    answer = api("marketing", "POST", "/reports", {
        "starts_on": "2026-09-30", "ends_on": "2026-07-01"})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "ends_on"
    assert api("marketing", "POST", "/reports", {"starts_on": "2026-07-01",
                                                 "ends_on": "2026-09-30", "language": "de"}
               ).status_code == 422


def test_executives_may_not_request(api):
    answer = api("executive", "POST", "/reports", {"starts_on": "2026-07-01",
                                                   "ends_on": "2026-09-30"})
    assert answer.status_code == 403
    assert not Report.objects.exists()
