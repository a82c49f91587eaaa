"""Importing a survey from the web (a background job) and through the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from phare.accounts.services import token_create
from phare.jobs.models import Job
from phare.listening.models import Survey

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared/reference"


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    return path.read_bytes()


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name.rsplit("/", 1)[-1], data if data is not None
                              else reference(name))


def test_the_import_page_starts_a_job_whose_page_lists_what_was_not_imported(
        login, django_capture_on_commit_callbacks):
    client = login("marketing")
    page = client.get(reverse("listening:import"))
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening:import"), {
            "file": upload("limesurvey/survey_archive_862611.lsa"), "kind": "barometer"})
    job = Job.objects.get()
    assert response["Location"] == reverse("listening:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    survey = Survey.objects.get()
    assert (survey.kind, survey.source, survey.created_by.username) == (
        "barometer", "limesurvey:862611", "marketing")
    assert job.result["unsupported_count"] == 0  # its dual scale is a dualscale now
    assert job.result["notes"]
    page = client.get(response["Location"]).content.decode()
    for item in job.result["unsupported"] + job.result["notes"]:
        assert escape(item["message"]) in page
    assert reverse("listening:survey", args=[survey.slug]) in page
    # The job list's generic page shows the figures too.
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


def test_a_qsf_and_its_responses_are_imported_together(login,
                                                       django_capture_on_commit_callbacks):
    client = login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listening:import"), {
            "file": upload("qualtrics/sp_test_survey.qsf"),
            "responses": upload("qualtrics/sp_test_responses.xml"), "kind": "pulse"})
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.result["responses_imported"], job.result["incomplete_skipped"]) == (3, 1)
    assert job.params["files"] == ["sp_test_survey.qsf", "sp_test_responses.xml"]
    assert job.input_file.name.endswith(".zip")  # both files are kept with the job


def test_a_failed_import_lists_its_problems_and_writes_nothing(
        login, django_capture_on_commit_callbacks):
    client = login("marketing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening:import"), {
            "file": upload("bad.qsf", b'{"SurveyEntry": {"SurveyID": "SV_1"},\n "Surv'),
            "kind": "pulse"})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert [(e["table"], e["line"]) for e in job.result["errors"]] == [("bad.qsf", 2)]
    assert not Survey.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "bad.qsf" in page and escape(job.result["errors"][0]["reason"]) in page


def test_the_job_page_polls_while_the_job_runs(login, personas):
    job = Job.objects.create(kind="listening.survey_import", title="Survey import: x.lsa",
                             created_by=personas["marketing"])
    client = login("marketing")
    fragment = client.get(reverse("listening:import_job", args=[job.pk]),
                          HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section") and 'hx-trigger="every 1s"' in fragment
    assert "<html" not in fragment
    job.status = Job.Status.FAILED
    job.save()
    page = client.get(reverse("listening:import_job", args=[job.pk])).content.decode()
    assert "<html" in page and "hx-trigger" not in page


def test_the_form_refuses_other_files(login):
    client = login("marketing")
    page = client.post(reverse("listening:import"), {
        "file": upload("survey.pdf", b"%PDF"), "kind": "pulse"})
    assert page.status_code == 200 and "survey.pdf" in page.content.decode()
    page = client.post(reverse("listening:import"), {
        "file": upload("a.lsa", b"PK"), "responses": upload("r.xml", b"<Responses/>"),
        "kind": "pulse"})
    assert "responses" in page.context["form"].errors
    page = client.post(reverse("listening:import"), {
        "file": upload("a.lsa", b"PK"), "kind": "transactional"})
    assert "kind" in page.context["form"].errors
    assert not Job.objects.exists()


def test_someone_else_s_import_is_not_shown(login, personas):
    job = Job.objects.create(kind="listening.survey_import", title="Import",
                             created_by=personas["admin"])
    assert login("marketing").get(reverse("listening:import_job", args=[job.pk])).status_code \
        == 404
    other = Job.objects.create(kind="catalog.import", title="Catalogue",
                               created_by=personas["marketing"])
    assert login("marketing").get(reverse("listening:import_job", args=[other.pk])).status_code \
        == 404


@pytest.mark.parametrize("persona", ["owner", "employee", "executive"])
def test_only_survey_managers_may_import(login, persona):
    assert login(persona).get(reverse("listening:import")).status_code == 403


# --- API -------------------------------------------------------------------------------------

def bearer(personas, name: str) -> dict[str, str]:
    _token, raw = token_create(user=personas[name], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_imports_and_answers_the_report(client, personas):
    response = client.post("/api/v1/surveys/imports", {
        "file": upload("limesurvey/survey_archive_969249.lsa")}, **bearer(personas, "marketing"))
    assert response.status_code == 201, response.content
    body = response.json()
    survey = Survey.objects.get()
    assert (body["survey_slug"], body["source"], body["status"]) == (
        survey.slug, "limesurvey:969249", "closed")
    assert (body["questions_imported"], body["responses_imported"],
            body["participants_not_imported"]) == (10, 6, 100)
    assert body["unsupported"] == [] and body["notes"]


def test_the_api_takes_a_qsf_with_its_responses(client, personas):
    response = client.post("/api/v1/surveys/imports", {
        "file": upload("qualtrics/sp_test_survey.qsf"),
        "responses": upload("qualtrics/sp_test_responses.xml"), "kind": "barometer"},
        **bearer(personas, "admin"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["responses_imported"] == 3
    assert {item["code"] for item in body["unsupported"]} >= {"Q17", "Q6"}
    assert Survey.objects.get().kind == "barometer"


def test_the_api_answers_422_with_every_problem(client, personas):
    headers = bearer(personas, "marketing")
    response = client.post("/api/v1/surveys/imports", {
        "file": upload("empty.lsa", b"not a zip")}, **headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "empty.lsa"
    response = client.post("/api/v1/surveys/imports", {
        "file": upload("a.docx", b"x"), "kind": "service"}, **headers)
    assert {d["field"] for d in response.json()["error"]["details"]} == {"file", "kind"}
    assert not Survey.objects.exists()


def test_the_api_refuses_those_who_do_not_run_surveys(client, personas):
    response = client.post("/api/v1/surveys/imports", {"file": upload("a.lsa", b"x")},
                           **bearer(personas, "owner"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
