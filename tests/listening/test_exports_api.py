"""Exports through the API and the export page, for those who may and may not."""

from __future__ import annotations

import csv
import io

import pyreadstat
import pytest
from django.utils.html import escape
from openpyxl import load_workbook

from phare.accounts.services import token_create
from phare.listening.exports.formats import FORMATS, XLSX_TYPE, export_csv
from phare.listening.exports.rules import ExportRefused
from phare.listening.exports.table import build_table
from phare.listening.models import Survey
from tests.listening.factories import SEGMENT, fill, make_export_survey

URL = "/api/v1/surveys/barometre/responses/export"


@pytest.fixture
def survey(db) -> Survey:
    survey = make_export_survey(anonymity=Survey.Anonymity.ANONYMOUS)
    fill(survey, 10, segments=[SEGMENT] * 6 + [("VEN", "LYS", "COM")] * 4)
    return survey


@pytest.fixture
def api(client, personas):
    def call(persona: str, url: str = URL, **params):
        _token, raw = token_create(user=personas[persona], name="test")
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {raw}")

    return call


def test_it_exports_csv_through_the_api(survey, api):
    response = api("marketing", format="csv", language="fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="barometre-responses.csv"'
    assert response.content == export_csv(survey, labels=False, language="fr")
    labelled = api("admin", format="csv", labels="true", language="en")
    assert labelled.content == export_csv(survey, labels=True, language="en")
    assert labelled["Content-Disposition"].endswith('barometre-responses.labels.csv"')


def test_it_exports_excel_and_spss_through_the_api(survey, api, tmp_path):
    workbook = api("marketing", format="xlsx")
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == XLSX_TYPE
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames == [
        "responses", "labels", "variables", "notes"]
    sav = api("marketing", format="sav", language="en")
    assert sav.status_code == 200
    assert sav["Content-Disposition"].endswith('barometre-responses.sav"')
    (tmp_path / "r.sav").write_bytes(sav.content)
    frame, meta = pyreadstat.read_sav(str(tmp_path / "r.sav"), user_missing=True)
    assert len(frame) == 10 and meta.file_label == survey.title_en
    assert set(frame["unit"]) == {""}  # a group of 4 never shows, even through the API


def test_the_api_refuses_below_the_threshold(survey, api):
    from phare.listening.models import Wave

    Wave.objects.create(survey=survey, version=survey.current_version(), number=1, name="V1",
                        opens_on="2025-03-01", closes_on="2025-03-31")
    response = api("marketing", format="sav", wave=1)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "below_threshold"
    assert error["details"][0]["field"] == "responses"
    unknown = api("marketing", wave=9)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"] == [
        {"field": "wave", "reason": unknown.json()["error"]["message"]}]
    assert api("marketing", format="pdf").status_code == 422
    assert api("marketing", language="de").status_code == 422


def test_the_api_is_for_survey_managers_only(survey, api, client):
    assert api("employee").status_code == 403
    assert api("owner").status_code == 403
    assert api("executive").status_code == 403
    assert client.get(URL).status_code == 401
    assert api("marketing", "/api/v1/surveys/nothing/responses/export").status_code == 404


# --- pages -------------------------------------------------------------------------------------

def test_the_export_page_shows_the_choices_and_the_rules(survey, login):
    page = login("marketing").get("/surveys/barometre/export/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("format", "language", "wave", "version"):
        assert f'name="{name}"' in html
    table = build_table(survey, language="fr")
    assert len(table.notes()) == 3
    for note in table.notes():  # the columns blanked to protect the group of 4
        assert escape(note) in html
    partial = login("marketing").get("/surveys/barometre/export/", {"language": "en"},
                                     HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b'id="export-rules"' in partial.content and b"<html" not in partial.content


def test_the_page_says_why_nothing_can_be_exported(db, login):
    survey = make_export_survey()
    fill(survey, 4)
    page = login("admin").get("/surveys/barometre/export/")
    assert page.status_code == 200
    with pytest.raises(ExportRefused) as refused:
        build_table(survey, language="fr")
    assert escape(refused.value.message) in page.content.decode()
    download = login("admin").get("/surveys/barometre/export.sav")
    assert download.status_code == 422
    assert escape(refused.value.message) in download.content.decode()


def test_the_page_downloads_each_format(survey, login):
    client = login("marketing")
    chosen = client.get("/surveys/barometre/export/", {"format": "labels.csv", "language": "en",
                                                      "download": "1"})
    assert chosen.status_code == 302
    assert chosen["Location"] == "/surveys/barometre/export.labels.csv?language=en"
    response = client.get(chosen["Location"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="barometre-responses.labels.csv"')
    assert response.content == export_csv(survey, labels=True, language="en")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 11
    for fmt in ("csv", "xlsx", "sav"):
        file = client.get(f"/surveys/barometre/export.{fmt}", {"language": "fr"})
        assert file.status_code == 200, fmt
        assert file["Content-Type"] == FORMATS[fmt][0]
    assert client.get("/surveys/barometre/export.pdf").status_code == 404
    assert client.get("/surveys/barometre/export.csv", {"language": "xx"}).status_code == 400


@pytest.mark.parametrize("persona", ["owner", "executive", "employee"])
def test_the_pages_are_for_survey_managers_only(survey, login, persona):
    client = login(persona)
    assert client.get("/surveys/barometre/export/").status_code == 403
    assert client.get("/surveys/barometre/export.csv").status_code == 403
