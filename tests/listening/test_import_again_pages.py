"""Importing a survey imported before, from the web and the API: refused, then new responses
only (or a copy) when asked."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from phare.accounts.services import token_create
from phare.jobs.models import Job
from phare.listening.models import Survey

DATA = Path(__file__).parent / "data"


def files(responses: str = "qualtrics_feedback_values.csv") -> dict[str, SimpleUploadedFile]:
    return {name: SimpleUploadedFile(path, (DATA / path).read_bytes())
            for name, path in (("file", "qualtrics_feedback.qsf"), ("responses", responses))}


def test_the_web_import_offers_to_add_only_the_new_responses(
        login, django_capture_on_commit_callbacks):
    client = login("marketing")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listening:import"), {**files(), "kind": "pulse"})
    survey = Survey.objects.get()
    assert survey.responses.count() == 2
    # The legacy export of the same survey holds two other responses.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listening:import"), {
            **files("qualtrics_feedback_legacy.csv"), "kind": "pulse"})
    refused = Job.objects.latest("created_at")
    assert refused.status == Job.Status.FAILED
    assert refused.result["already_imported"]["survey_slug"] == survey.slug
    page = client.get(response["Location"]).content.decode()
    assert reverse("listening:import_again", args=[refused.pk]) in page
    assert 'value="add_responses"' in page and escape(survey.title_fr) in page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("listening:import_again", args=[refused.pk]),
                            {"again": "add_responses"})
    added = Job.objects.latest("created_at")
    assert again["Location"] == reverse("listening:import_job", args=[added.pk])
    assert added.status == Job.Status.SUCCEEDED, added.error
    assert (added.result["added_to_existing"], added.result["responses_imported"]) == (True, 2)
    assert Survey.objects.count() == 1 and survey.responses.count() == 4
    page = client.get(again["Location"]).content.decode()
    assert escape(survey.title_fr) in page


def test_the_form_can_ask_for_a_copy_up_front(login, django_capture_on_commit_callbacks):
    client = login("marketing")
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("listening:import"), {**files(), "kind": "pulse",
                                                      "again": "as_copy"})
    assert Survey.objects.filter(source="qualtrics:SV_phareCsv01").count() == 2


def test_the_retry_needs_a_refused_import(login, django_capture_on_commit_callbacks):
    client = login("marketing")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listening:import"), {**files(), "kind": "pulse"})
    job = Job.objects.get()
    response = client.post(reverse("listening:import_again", args=[job.pk]),
                           {"again": "add_responses"})
    assert response["Location"] == reverse("listening:import_job", args=[job.pk])
    assert Job.objects.count() == 1
    assert client.get(reverse("listening:import_again", args=[job.pk])).status_code == 405


def test_the_api_answers_409_then_adds_new_responses_when_asked(client, personas):
    _token, raw = token_create(user=personas["marketing"], name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.post("/api/v1/surveys/imports", files(), **headers)
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/surveys/imports", files("qualtrics_feedback_legacy.csv"),
                         **headers)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_imported"
    third = client.post("/api/v1/surveys/imports", {
        **files("qualtrics_feedback_legacy.csv"), "again": "add_responses"}, **headers)
    assert third.status_code == 201, third.content
    body = third.json()
    assert (body["added_to_existing"], body["responses_imported"]) == (True, 2)
    assert body["survey_slug"] == first.json()["survey_slug"]
    bad = client.post("/api/v1/surveys/imports", {**files(), "again": "merge"}, **headers)
    assert bad.status_code == 422
