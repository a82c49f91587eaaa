"""Export and import of the catalogue from the web, as the marketing lead does it."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phare.catalog.models import Service
from phare.jobs.models import Job
from tests.catalog.factories import make_service


def test_the_marketing_lead_exports_the_catalogue_in_both_formats(login, families):
    make_service("teletravail", name_fr="Télétravail")
    client = login("marketing")
    workbook = client.get(reverse("catalog:export", args=["xlsx"]))
    assert workbook["Content-Disposition"].startswith('attachment; filename="catalogue-')
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == ["families", "services", "commitments", "faqs", "news"]
    archive = client.get(reverse("catalog:export", args=["csv"]))
    assert archive.content.startswith(b"PK")
    assert client.get(reverse("catalog:export", args=["pdf"])).status_code == 404


def test_a_web_import_runs_as_a_job_and_lists_every_error(login, families,
                                                          django_capture_on_commit_callbacks):
    make_service("teletravail", name_fr="Télétravail")
    client = login("marketing")
    exported = client.get(reverse("catalog:export", args=["xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = book["services"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("unit_cost") + 1, value="beaucoup")
    sheet.cell(row=2, column=header.index("family") + 1, value="nowhere")
    bad = io.BytesIO()
    book.save(bad)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:import"), {
            "file": SimpleUploadedFile("catalogue.xlsx", bad.getvalue())})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert {(e["table"], e["line"], e["column"]) for e in job.result["errors"]} >= {
        ("services", 2, "unit_cost"), ("services", 2, "family")}
    page = client.get(response["Location"]).content.decode()
    assert "Table" in page and "unit_cost" in page
    assert Service.objects.get().family.code == "collab"  # nothing written


def test_importing_an_unchanged_export_changes_nothing(login, families,
                                                       django_capture_on_commit_callbacks):
    make_service("teletravail", name_fr="Télétravail")
    client = login("marketing")
    exported = client.get(reverse("catalog:export", args=["csv"])).content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalog:import"), {
            "file": SimpleUploadedFile("catalogue.zip", exported)})
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["services_unchanged"] == 1
    assert job.result["services_updated"] == job.result["services_created"] == 0


def test_the_import_page_refuses_other_files(login, families):
    page = login("marketing").post(reverse("catalog:import"), {
        "file": SimpleUploadedFile("catalogue.pdf", b"%PDF")}).content.decode()
    assert "Un fichier .xlsx, .zip ou .csv est attendu" in page
    assert not Job.objects.exists()
