from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from phare.accounts.services import token_create
from phare.directory.models import Person
from phare.jobs.models import Job


def auth(user) -> dict[str, str]:
    _token, raw = token_create(user=user, name="api test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_lists_people_with_filters_and_pagination(client, personas,
                                                      django_assert_max_num_queries):
    headers = auth(personas["marketing"])
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/people", {"limit": 2}, **headers).json()
    assert body["count"] == 5
    assert len(body["items"]) == 2
    sales = client.get("/api/v1/people", {"business_unit": "VEN"}, **headers).json()
    assert [p["employee_id"] for p in sales["items"]] == ["E0005"]
    assert sales["items"][0]["site"] == "LYS"


def test_it_rejects_an_unknown_status(client, personas):
    response = client.get("/api/v1/people", {"status": "sleeping"}, **auth(personas["admin"]))
    # A documented enum: 422 in the error shape, naming the parameter (was an undocumented 400).
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert details[0]["field"] == "query.status" and "active" in details[0]["reason"]


def test_it_lists_the_reference_data(client, personas):
    headers = auth(personas["admin"])
    # Pages like every list: {"items", "count"}.
    units = client.get("/api/v1/business-units", **headers).json()["items"]
    assert {"code": "DSI", "name": "Systèmes d'information", "parent": "DG"} in units
    sites = client.get("/api/v1/sites", **headers).json()
    assert [s["code"] for s in sites["items"]] == ["LYS", "PAR"] and sites["count"] == 2
    assert len(client.get("/api/v1/job-families", **headers).json()["items"]) == 2
    assert len(client.get("/api/v1/sites", {"limit": 1}, **headers).json()["items"]) == 1


def test_an_admin_can_import_through_the_api(client, personas,
                                             django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        "p.csv", b"employee_id,first_name,last_name,email\nN9,Lea,Roy,lea@example.com\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/directory/imports",
                               {"file": upload, "keep_missing": "true"},
                               **auth(personas["admin"]))
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert Person.objects.filter(employee_id="N9").exists()
