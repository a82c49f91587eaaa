"""CSV export and import of needs: a round trip, and every error with its line and column."""

from __future__ import annotations

import csv
import io

import pytest

from phare.needs import services
from phare.needs.models import Need, StatusChange
from phare.needs.transfer import NeedImportError, export_needs, import_needs
from tests.needs.factories import score


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_the_export_has_every_need_with_scores_and_efforts(people, teams, need, org):
    score(need, value=4, one_off=12.5, efforts={"data": 8})
    services.vote_cast(person=people["owner"], need=need)
    need.concerned_units.set([org["dg"], org["sales"]])
    [row] = _rows(export_needs())
    assert row["number"] == str(need.pk) and row["title"] == need.title
    assert row["business_unit"] == "VEN" and row["concerned_units"] == "DG|VEN"
    assert row["score_business_value"] == "4" and row["score_one_off_cost"] == "12.5"
    assert row["score_reach"] == ""  # computed from the directory: not frozen by export
    assert row["days_data"] == "8" and row["days_apps"] == ""
    assert row["votes"] == "1" and row["followers"] == "1" and row["submitter"] == "E0005"


def test_an_unchanged_export_imports_as_unchanged(people, teams, need):
    score(need, value=4, efforts={"data": 8})
    report = import_needs(export_needs())
    assert report.as_dict() == {"lines": 1, "created": 0, "updated": 0, "unchanged": 1}


def test_it_creates_and_updates_needs(personas, people, teams, need):
    rows = _rows(export_needs())
    rows[0]["title"] = "Signature électronique (tous contrats)"
    rows[0]["score_risk"] = "3"
    rows.append({**dict.fromkeys(rows[0], ""), "title": "Coffre-fort numérique",
                 "description": "Archiver les bulletins.", "business_unit": "DG",
                 "status": "qualified", "submitter": "E0003", "days_apps": "15",
                 "urgency": "low"})
    report = import_needs(_csv(rows), user=personas["marketing"])
    assert (report.created, report.updated) == (1, 1)
    need.refresh_from_db()
    assert need.title == "Signature électronique (tous contrats)"
    assert float(need.scores.get(criterion__code="risk").value) == 3
    new = Need.objects.get(title="Coffre-fort numérique")
    assert new.status == "qualified" and new.submitter == people["owner"]
    assert float(new.efforts.get().days) == 15
    assert StatusChange.objects.get(need=new).to_status == "qualified"


def test_every_error_is_reported_with_line_and_column_and_nothing_is_written(people, teams,
                                                                            need):
    rows = _rows(export_needs())
    good = {**dict.fromkeys(rows[0], ""), "title": "Correct", "description": "OK",
            "business_unit": "DG"}
    rows += [
        {**good, "business_unit": "NOPE", "score_business_value": "7"},
        {**good, "title": "", "urgency": "tomorrow", "days_data": "beaucoup"},
        {**good, "number": "999999"},
        {**good},
    ]
    rows[0]["status"] = "delivered"  # an existing need's status changes on its page
    with pytest.raises(NeedImportError) as caught:
        import_needs(_csv(rows))
    found = [(e.line, e.column) for e in caught.value.errors]
    assert found == [(2, "status"), (3, "business_unit"), (3, "score_business_value"),
                     (4, "title"), (4, "urgency"), (4, "days_data"), (5, "number")]
    assert Need.objects.count() == 1
    assert not Need.objects.filter(title="Correct").exists()


def test_a_bad_header_is_refused(db):
    with pytest.raises(NeedImportError) as caught:
        import_needs(b"title;colour\nX;blue\n")
    assert {(e.line, e.column) for e in caught.value.errors} == {
        (1, "colour"), (1, "description"), (1, "business_unit")}
    with pytest.raises(NeedImportError):
        import_needs(b"")


def test_the_import_page_runs_a_job(login, teams, need, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("marketing")
    upload = SimpleUploadedFile("needs.csv", export_needs(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/needs/import/", {"file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    from phare.jobs.models import Job

    job = Job.objects.get(kind="needs.import")
    assert job.status == "succeeded" and job.result["unchanged"] == 1
    export = client.get("/needs/export.csv")
    assert export["Content-Type"].startswith("text/csv")


def test_line_numbers_are_the_files_own_when_a_description_spans_lines(people, teams, need):
    data = (b"title,description,business_unit,urgency\n"
            b'"Badge","Une description\nsur deux lignes",DG,low\n'
            b"Wifi,Dans les ateliers,DG,someday\n")
    with pytest.raises(NeedImportError) as caught:
        import_needs(data)
    assert [(e.line, e.column) for e in caught.value.errors] == [(4, "urgency")]


def test_a_line_cut_short_by_an_unclosed_quote_is_reported_not_raised(people, teams, need):
    # The quote swallows the rest of the file: the line has no business unit left.
    data = b'title,description,business_unit\nBadge,"Sans fin,DG\n'
    with pytest.raises(NeedImportError) as caught:
        import_needs(data)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "business_unit")]
    assert Need.objects.count() == 1


def test_the_export_neutralises_formulas_and_reads_back_unchanged(people, teams, need):
    Need.objects.filter(pk=need.pk).update(title='=HYPERLINK("http://x")',
                                           description="@SUM(1)")
    score(need, value=4, efforts={"data": 8})
    data = export_needs()
    [row] = _rows(data)
    assert row["title"] == "'=HYPERLINK(\"http://x\")"
    assert row["description"] == "'@SUM(1)"
    assert row["days_data"] == "8"
    report = import_needs(data)
    assert report.as_dict() == {"lines": 1, "created": 0, "updated": 0, "unchanged": 1}
    need.refresh_from_db()
    assert (need.title, need.description) == ('=HYPERLINK("http://x")', "@SUM(1)")
