from __future__ import annotations

import pytest

from phare.reports.models import FORMATS, Report
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


# --- downloads with a token -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "pptx", "xlsx"])
def test_it_downloads_a_ready_report_with_a_token(api, fmt):
    from tests.reports.factories import FAKE_FILES

    report = make_report()
    answer = api("executive", "GET", f"/reports/{report.pk}/{fmt}")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == FAKE_FILES[fmt]
    assert answer["Content-Disposition"].startswith("attachment; filename=")
    assert report.filename(fmt) in answer["Content-Disposition"]
    assert answer["Content-Type"] == FORMATS[fmt][1]


def test_the_list_gives_the_api_download_addresses(api, settings):
    settings.PHARE_BASE_URL = "https://phare.example.com"
    report = make_report()
    item = api("marketing", "GET", "/reports").json()["items"][0]
    assert item["downloads"]["xlsx"] == (f"https://phare.example.com/api/v1/reports/"
                                         f"{report.pk}/xlsx")


def test_an_unknown_report_or_format_or_one_not_ready_is_404(api):
    report = make_report()
    running = make_report(title="Running", status=Report.Status.RUNNING)
    for path in (f"/reports/{report.pk + 100}/pdf", f"/reports/{report.pk}/docx",
                 f"/reports/{running.pk}/pdf"):
        answer = api("marketing", "GET", path)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"


def test_a_ready_report_whose_file_is_gone_is_404_not_500(api):
    report = make_report()
    report.file("pdf").storage.delete(report.file("pdf").name)
    answer = api("marketing", "GET", f"/reports/{report.pk}/pdf")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert api("marketing", "GET", f"/reports/{report.pk}/xlsx").status_code == 200


@pytest.mark.parametrize("persona", ["owner", "employee"])
def test_those_who_may_not_read_reports_get_403(api, persona):
    report = make_report()
    answer = api(persona, "GET", f"/reports/{report.pk}/pdf")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


def test_without_a_token_it_is_401(client, personas):
    report = make_report()
    answer = client.get(f"/api/v1/reports/{report.pk}/pdf")
    assert answer.status_code == 401
    bad = client.get(f"/api/v1/reports/{report.pk}/pdf", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
