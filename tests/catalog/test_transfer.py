"""Catalogue import and export: round trips in both formats, every error at once, Excel's ways."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from phare.catalog.content import content_of
from phare.catalog.models import FieldChange, OfferFamily, Revision, Service
from phare.catalog.search import search_services
from phare.catalog.transfer import (
    CatalogImportError,
    export_catalog,
    export_filename,
    import_catalog,
)
from phare.catalog.transfer.snapshot import Snapshot
from phare.catalog.transfer.tables import TABLES
from phare.directory.models import Person
from tests.catalog.factories import make_service

MARKDOWN = ("## Pour qui ?\r\n\r\nLes équipes « nomades », y compris :\r\n\r\n- les commerciaux, "
            "les consultants ;\r\n- les \"astreintes\".\r\n\r\n= pas une formule")


@pytest.fixture(autouse=True)
def _english():
    # Error reasons are asserted in English, the source language (tests run in French).
    with translation.override("en"):
        yield


@pytest.fixture
def catalog(families, personas, org):
    """Three services with every field filled, accents, Markdown, commas and children."""
    OfferFamily.objects.filter(code="remote").update(description_fr="Où que vous soyez, même loin")
    teams = make_service("teams", name_fr="Équipes", promise_fr="Réunions, chats et fichiers",
                         family="collab", owner="E0003")
    visio = make_service(
        "visio", lifecycle="retiring", name_fr="Visio (ancienne)", promise_fr="Se voir",
        family="collab", replacement="teams", keywords="=1+1, #N/A")
    vpn = make_service(
        "vpn", name_fr="Accès à distance", name_en="Remote access",
        promise_fr="Travaillez, où que vous soyez", promise_en="Work, wherever you are",
        description_fr=MARKDOWN, description_en="Line one\nline two, with a comma",
        how_to_get_fr="1. Demandez\n2. Installez", how_to_get_en="Ask, then install",
        request_url="https://support.example.com/vpn?x=1,2", keywords="vpn, télétravail",
        family="remote", audience_everyone=False, audience_units=["DSI", "VEN"],
        audience_sites=["PAR"], audience_job_families=["IT"], cost_unit="user_month",
        unit_cost="12.5", charging="charged_back", annual_run_cost="123456.78", owner="E0003",
        deputy="E0002", related=["visio", "teams"],
        commitments=[{"text_fr": "Compte créé en 1 jour", "text_en": "Account in 1 day",
                      "target": "95", "unit": "percent"},
                     {"text_fr": "Réponse, vite", "text_en": "", "target": "4.5",
                      "unit": "hours"}],
        faqs=[{"question_fr": "Ça coupe ?", "question_en": "Does it drop?",
               "answer_fr": "Non.\n\n- jamais\n- presque", "answer_en": "No, never."},
              {"question_fr": "Mac ?", "question_en": "", "answer_fr": "Oui", "answer_en": ""}],
        news=[{"date": "2025-03-01", "title_fr": "Nouveau client", "title_en": "New client",
               "body_fr": "Plus rapide, « enfin »", "body_en": ""},
              {"date": "2025-03-01", "title_fr": "Même jour", "title_en": "", "body_fr": "",
               "body_en": ""},
              {"date": "2024-12-24", "title_fr": "Noël", "title_en": "Christmas",
               "body_fr": "Fermé", "body_en": "Closed"}])
    return {"teams": teams, "visio": visio, "vpn": vpn}


def contents() -> dict[str, dict]:
    return {s.slug: (s.lifecycle, s.publication, content_of(s)) for s in Service.objects.all()}


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def save(book: openpyxl.Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def service_row(**values: str) -> list[str]:
    base = {"lifecycle": "proposed", "publication": "draft", "family": "collab",
            "audience_everyone": "1", "cost_unit": "none", "charging": "included"}
    return [{**base, **values}.get(name, "") for name in TABLES["services"]]


def errors_of(exc: pytest.ExceptionInfo[CatalogImportError]) -> list[tuple[str, int, str]]:
    return [(e.table, e.row, e.column) for e in exc.value.errors]


def test_it_builds_every_content_as_content_of_does(catalog):
    snapshot = Snapshot.load()
    assert {slug: s.content for slug, s in snapshot.services.items()} == {
        s.slug: content_of(s) for s in Service.objects.all()}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_reimports_an_export_to_no_change(catalog, fmt):
    before, revisions = contents(), Revision.objects.count()
    report = import_catalog(export_catalog(fmt), filename=export_filename(fmt), user=None)
    assert (report.services_created, report.services_updated, report.services_unchanged) == (
        0, 0, 3)
    assert (report.families_created, report.families_updated) == (0, 0)
    assert Revision.objects.count() == revisions
    assert contents() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_rebuilds_the_catalogue_from_an_export(catalog, fmt, personas):
    before, data = contents(), export_catalog(fmt)
    Service.objects.all().delete()
    OfferFamily.objects.all().delete()
    report = import_catalog(data, filename=f"x.{fmt}", user=personas["marketing"])
    assert (report.families_created, report.services_created) == (3, 3)
    after = contents()
    if fmt == "xlsx":  # a workbook keeps the line breaks; whether CRLF comes back as CRLF or
        # LF depends on openpyxl's XML parser (lxml keeps it): the same Markdown either way
        for content in (before, after):
            text = content["vpn"][2]["description_fr"]
            content["vpn"][2]["description_fr"] = text.replace("\r\n", "\n")
    assert after == before
    revision = Revision.objects.get(service__slug="vpn")
    assert (revision.action, revision.by, revision.note) == (
        "imported", personas["marketing"], f"imported from x.{fmt}")
    changed = dict(FieldChange.objects.filter(revision=revision).values_list("field", "new"))
    assert changed["unit_cost"] == "12.50" and changed["lifecycle"] == "live"
    assert [hit.service.slug for hit in search_services(
        "distance", within=Service.objects.all(), language="fr")] == ["vpn"]


def test_it_writes_a_workbook_people_can_read(catalog):
    book = workbook(export_catalog("xlsx"))
    assert book.sheetnames == list(TABLES)
    services = book["services"]
    assert services.freeze_panes == "A2"
    assert [c.value for c in services[1]] == TABLES["services"]
    assert all(c.font.b for c in services[1])
    assert 8 <= services.column_dimensions["D"].width <= 60
    row = {h: c.value for h, c in zip(TABLES["services"], services[4], strict=True)}
    assert row["slug"] == "vpn" and row["unit_cost"] == 12.5
    assert row["audience_units"] == "DSI, VEN" and row["audience_everyone"] == 0
    assert services["B2"].value == "live" and book["services"]["A3"].value == "visio"
    keywords = services.cell(3, TABLES["services"].index("keywords") + 1)
    assert (keywords.value, keywords.data_type) == ("=1+1, #N/A", "s")
    assert book["news"]["B2"].value == dt.datetime(2025, 3, 1)
    assert [c.value for c in book["commitments"]["D"]][1:] == [95, 4.5]
    assert services.cell(4, TABLES["services"].index("unit_cost") + 1).number_format == "0.00"


def test_it_writes_csv_files_excel_opens_with_accents(catalog):
    archive = zipfile.ZipFile(io.BytesIO(export_catalog("csv")))
    assert archive.namelist() == [f"{name}.csv" for name in TABLES]
    raw = archive.read("services.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == TABLES["services"]
    vpn = dict(zip(rows[0], rows[3], strict=True))
    assert vpn["promise_fr"] == "Travaillez, où que vous soyez"
    assert vpn["description_fr"] == MARKDOWN
    assert (vpn["unit_cost"], vpn["related"]) == ("12.50", "teams, visio")


def test_it_exports_and_reimports_in_a_few_queries(catalog, django_assert_max_num_queries):
    for n in range(20):
        make_service(f"s{n}", commitments=[{"text_fr": "x", "target": "1", "unit": "hours"}],
                     related=["vpn"], audience_everyone=False, audience_sites=["LYS"])
    with django_assert_max_num_queries(12):
        data = export_catalog("xlsx")
    with django_assert_max_num_queries(12):
        assert import_catalog(data, filename="c.xlsx", user=None).services_unchanged == 23


def test_it_updates_what_the_file_changes_and_records_it(catalog):
    book = workbook(export_catalog("xlsx"))
    book["services"]["D4"] = "Accès à distance (VPN)"  # name_fr of vpn
    book["services"].cell(2, TABLES["services"].index("keywords") + 1, "visio, meet")
    report = import_catalog(save(book), filename="c.xlsx", user=None)
    assert (report.services_updated, report.services_unchanged) == (2, 1)
    revision = Revision.objects.get(service__slug="vpn")
    assert (revision.action, revision.by, revision.note) == (
        "imported", None, "imported from c.xlsx")
    assert list(revision.changes.values_list("field", "old", "new")) == [
        ("name_fr", "Accès à distance", "Accès à distance (VPN)")]
    assert Service.objects.get(slug="teams").keywords == "visio, meet"


def test_it_reports_every_error_of_many_bad_rows_and_writes_nothing(catalog):
    Person.objects.filter(employee_id="E0005").update(active=False)
    before, revisions = contents(), Revision.objects.count()
    book = workbook(export_catalog("xlsx"))
    sheet = book["services"]
    column = {name: i + 1 for i, name in enumerate(TABLES["services"])}
    sheet.cell(2, column["unit_cost"], "12,5,0")  # teams
    sheet.cell(2, column["cost_unit"], "request")
    sheet.cell(3, column["lifecycle"], "live")  # visio: retiring → live is allowed
    sheet.cell(3, column["family"], "nowhere")
    sheet.cell(4, column["owner"], "E0005")  # vpn: an inactive person
    sheet.cell(4, column["audience_everyone"], "maybe")
    sheet.append(service_row(slug="Bad slug!", name_fr="Nom", promise_fr="Promesse"))
    sheet.append(service_row(slug="teams", name_fr="Dup", promise_fr="Dup"))
    sheet.append(service_row(slug="new-one", lifecycle="flying", promise_fr="Promesse",
                             replacement="ghost"))
    book["commitments"]["D3"] = "beaucoup"
    book["faqs"]["B2"] = ""
    book["news"]["B3"] = "32/13/2025"
    book["news"].append(["nobody", "2025-01-01", "Titre"])
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(save(book), filename="c.xlsx", user=None)
    assert errors_of(exc) == [
        ("services", 2, "unit_cost"), ("services", 3, "family"),
        ("services", 4, "audience_everyone"), ("services", 4, "owner"),
        ("services", 5, "slug"), ("services", 6, "slug"), ("services", 7, "lifecycle"),
        ("services", 7, "name_fr"), ("services", 7, "replacement"),
        ("commitments", 3, "target"), ("faqs", 2, "question_fr"), ("news", 3, "date"),
        ("news", 5, "service")]
    messages = [str(e) for e in exc.value.errors]
    assert "services row 2, column unit_cost: '12,5,0' is not an amount" in messages
    assert "services row 6, column slug: 'teams' is already on row 2" in messages
    assert "news row 3, column date: '32/13/2025' is not a date (YYYY-MM-DD)" in messages
    assert str(exc.value) == "The file has 13 errors; nothing was imported."
    assert contents() == before and Revision.objects.count() == revisions


def test_it_reports_header_errors_alone(catalog):
    book = workbook(export_catalog("xlsx"))
    book["services"]["A1"] = "identifier"
    book["services"].cell(1, len(TABLES["services"]) + 1, "unit_cost")
    book["services"]["B2"] = "nonsense"
    book.create_sheet("notes")
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(save(book), filename="c.xlsx", user=None)
    assert [str(e) for e in exc.value.errors] == [
        "notes: unknown table; the tables are: families, services, commitments, faqs, news",
        "services row 1, column identifier: unknown column; the columns are: "
        + ", ".join(TABLES["services"]),
        "services row 1, column unit_cost: this column appears twice",
        "services row 1, column slug: this column is missing"]


def test_it_reads_numbers_and_dates_as_excel_types_them(catalog):
    book = workbook(export_catalog("xlsx"))
    services = book["services"]
    column = {name: i + 1 for i, name in enumerate(TABLES["services"])}
    services.cell(4, column["unit_cost"], 12.5)
    services.cell(4, column["annual_run_cost"], 2000)
    services.cell(4, column["audience_everyone"], False)
    services.cell(4, column["owner"], "E0003")
    book["families"]["F2"] = 0.0
    book["commitments"]["D2"], book["commitments"]["D3"] = 95, 4.5
    book["news"]["B2"] = dt.datetime(2025, 3, 1)
    book["news"]["B4"] = dt.datetime(2024, 12, 24, 0, 0)
    report = import_catalog(save(book), filename="c.xlsx", user=None)
    assert (report.services_updated, report.families_updated) == (1, 0)
    vpn = Service.objects.get(slug="vpn")
    assert str(vpn.unit_cost) == "12.50" and str(vpn.annual_run_cost) == "2000.00"
    assert [str(c.target) for c in vpn.commitments.all()] == ["95.00", "4.50"]
    assert list(Revision.objects.get(service=vpn).changes.values_list("field", flat=True)) == [
        "annual_run_cost"]


def test_it_accepts_a_csv_saved_by_french_excel(catalog):
    rows = list(csv.reader(io.StringIO(
        zipfile.ZipFile(io.BytesIO(export_catalog("csv"))).read("services.csv").decode(
            "utf-8-sig"), newline="")))
    vpn = rows[3]
    vpn[TABLES["services"].index("unit_cost")] = "13,5"
    vpn[TABLES["services"].index("annual_run_cost")] = "1\u00a0000,00"
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    report = import_catalog(text.getvalue().encode("cp1252"), filename="services.csv",
                            user=None)
    assert (report.services_updated, report.services_unchanged) == (1, 2)
    vpn = Service.objects.get(slug="vpn")
    assert (str(vpn.unit_cost), str(vpn.annual_run_cost)) == ("13.50", "1000.00")
    assert vpn.name_fr == "Accès à distance" and vpn.description_fr == MARKDOWN
    assert vpn.commitments.count() == 2 and vpn.news.count() == 3


def test_it_reads_french_excel_dates_in_news(catalog):
    text = ("service;date;title_fr;title_en;body_fr;body_en\r\n"
            "vpn;24/12/2024;Noël;Christmas;Fermé;Closed\r\n").encode("cp1252")
    import_catalog(text, filename="news.csv", user=None)
    vpn = Service.objects.get(slug="vpn")
    assert [(n.date, n.title_fr) for n in vpn.news.all()] == [(dt.date(2024, 12, 24), "Noël")]
    assert Service.objects.get(slug="teams").keywords == ""  # others untouched


def test_it_numbers_rows_as_the_spreadsheet_shows_them(catalog):
    header = ",".join(TABLES["services"])
    text = f'{header}\r\nvpn,live,,"Accès,\r\nsur deux lignes"\r\n\r\nwifi,dead\r\n'
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(text.encode(), filename="export (2).csv", user=None)
    assert ("services", 4, "lifecycle") in errors_of(exc)  # header, vpn, a blank row, wifi
    assert ("services", 2, "promise_fr") in errors_of(exc)
    book = workbook(export_catalog("xlsx"))
    book["faqs"]["A6"], book["faqs"]["B6"] = "vpn", "Sans réponse ?"  # rows 4 and 5 blank
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(save(book), filename="c.xlsx", user=None)
    assert errors_of(exc) == [("faqs", 6, "answer_fr")]


def test_it_updates_families_alone(catalog):
    text = ("code;name_fr;name_en;description_fr;description_en;position\n"
            "remote;À distance;Remote;;;7\n")
    report = import_catalog(text.encode("cp1252"), filename="families.csv", user=None)
    assert (report.families_updated, report.tables) == (1, ["families"])
    assert OfferFamily.objects.get(code="remote").position == 7
    assert not Revision.objects.exists()


def test_it_lets_a_child_table_replace_the_children_of_the_services_table_only(catalog):
    make_service("other", commitments=[{"text_fr": "x", "target": "1", "unit": "hours"}])
    archive = zipfile.ZipFile(io.BytesIO(export_catalog("csv")))
    services = archive.read("services.csv").decode("utf-8-sig").splitlines()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as new:
        new.writestr("catalogue/services.csv", "\n".join(
            line for line in services if not line.startswith("other,")))
        new.writestr("catalogue/commitments.csv", "service,text_fr,text_en,target,unit\n"
                                                  "teams,Réponse en 1 h,,1,hours\n")
        new.writestr("__MACOSX/catalogue/._services.csv", b"junk")
    report = import_catalog(output.getvalue(), filename="c.zip", user=None)
    assert (report.services_updated, report.services_unchanged) == (2, 1)
    assert report.tables == ["services", "commitments"]
    assert Service.objects.get(slug="vpn").commitments.count() == 0
    assert Service.objects.get(slug="teams").commitments.get().text_fr == "Réponse en 1 h"
    assert Service.objects.get(slug="other").commitments.count() == 1
    assert Service.objects.get(slug="vpn").faqs.count() == 2  # no faqs table: as it was


def test_it_moves_the_lifecycle_as_its_own_revision(catalog):
    book = workbook(export_catalog("xlsx"))
    column = {name: i + 1 for i, name in enumerate(TABLES["services"])}
    book["services"].cell(2, column["lifecycle"], "retiring")  # teams, live, no replacement
    book["services"].cell(4, column["lifecycle"], "proposed")  # vpn, live
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(save(book), filename="c.xlsx", user=None)
    assert [str(e) for e in exc.value.errors] == [
        "services row 2, column replacement: a retiring service must name the service that "
        "replaces it",
        "services row 4, column lifecycle: a service cannot go from live to proposed; "
        "allowed: retiring"]
    book["services"].cell(2, column["replacement"], "vpn")
    book["services"].cell(4, column["lifecycle"], "live")
    book["services"].cell(4, column["publication"], "draft")
    report = import_catalog(save(book), filename="c.xlsx", user=None)
    assert (report.lifecycle_changes, report.publication_changes) == (1, 1)
    teams = Service.objects.get(slug="teams")
    assert (teams.lifecycle, teams.replacement.slug) == ("retiring", "vpn")
    assert [(r.action, list(r.changes.values_list("field", "old", "new")))
            for r in teams.revisions.order_by("pk")] == [
        ("imported", [("replacement", "", "vpn")]),
        ("lifecycle", [("lifecycle", "live", "retiring")])]
    assert list(Revision.objects.get(service__slug="vpn").changes.values_list(
        "field", "old", "new")) == [("publication", "published", "draft")]


def test_it_creates_services_families_and_relations_together(catalog):
    book = workbook(export_catalog("xlsx"))
    book["families"].append(["data", "Données", "Data", "", "", 4])
    book["services"].append(service_row(slug="lake", lifecycle="design",
                                        publication="published", name_fr="Lac",
                                        promise_fr="Tout", family="data", related="vpn"))
    report = import_catalog(save(book), filename="c.xlsx", user=None)
    assert (report.families_created, report.services_created, report.services_updated) == (
        1, 1, 1)  # vpn gains "lake" among its related services
    lake = Service.objects.get(slug="lake")
    assert (lake.family.code, lake.published_at is not None) == ("data", True)
    assert content_of(Service.objects.get(slug="vpn"))["related"] == ["lake", "teams", "visio"]


def test_it_lets_the_edited_row_decide_a_relation(catalog):
    book = workbook(export_catalog("xlsx"))
    related = TABLES["services"].index("related") + 1
    book["services"].cell(4, related, "teams")  # vpn drops visio; visio's row still lists vpn
    report = import_catalog(save(book), filename="c.xlsx", user=None)
    assert (report.services_updated, report.services_unchanged) == (2, 1)
    assert content_of(Service.objects.get(slug="visio"))["related"] == []
    assert list(Revision.objects.get(service__slug="visio").changes.values_list(
        "field", "old", "new")) == [("related", "vpn", "")]


def test_it_leaves_unchanged_services_unchecked(catalog):
    Person.objects.filter(employee_id="E0003").update(active=False)  # owner of vpn and teams
    report = import_catalog(export_catalog("csv"), filename="c.zip", user=None)
    assert report.services_unchanged == 3


def test_it_checks_without_writing_on_a_dry_run(catalog):
    data = export_catalog("xlsx")
    Service.objects.filter(slug="teams").update(name_fr="Autre")
    report = import_catalog(data, filename="c.xlsx", user=None, dry_run=True)
    assert (report.dry_run, report.services_updated) == (True, 1)
    assert Service.objects.get(slug="teams").name_fr == "Autre"


def test_it_refuses_people_who_may_not_publish(catalog, personas):
    with pytest.raises(PermissionDenied):
        import_catalog(export_catalog("csv"), filename="c.zip", user=personas["owner"])


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04 broken", "File is not a zip file"),
    (b"\xd0\xcf\x11\xe0\x00\x00", "the file contains NUL characters"),
    (b"slug,name\xff\x81", "the file is neither UTF-8 nor Windows-1252"),
])
def test_it_explains_files_it_cannot_read(db, data, message):
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(data, filename="catalogue.csv", user=None)
    assert message in str(exc.value.errors[0])


def test_it_refuses_a_slug_the_catalogue_pages_use(families):
    import io

    import openpyxl
    import pytest as _pytest

    from phare.catalog.transfer import CatalogImportError, export_catalog, import_catalog
    from tests.catalog.factories import make_service

    make_service("teletravail")
    book = openpyxl.load_workbook(io.BytesIO(export_catalog("xlsx")))
    book["services"]["A2"] = "search"
    for name in ("commitments", "faqs", "news"):
        del book[name]
    out = io.BytesIO()
    book.save(out)
    with _pytest.raises(CatalogImportError) as caught:
        import_catalog(out.getvalue(), filename="catalogue.xlsx", user=None)
    assert [(e.table, e.row, e.column) for e in caught.value.errors] == [
        ("services", 2, "slug")]
    assert "reserved" in caught.value.errors[0].reason


def test_the_csv_export_neutralises_formulas_and_reads_back_unchanged(catalog):
    Service.objects.filter(slug="teams").update(name_fr='=HYPERLINK("http://x")',
                                                promise_fr="@SUM(1)")
    before = contents()
    data = export_catalog("csv")
    raw = zipfile.ZipFile(io.BytesIO(data)).read("services.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    teams = next(row for row in rows if row[0] == "teams")
    assert "'=HYPERLINK(\"http://x\")" in teams and "'@SUM(1)" in teams
    assert not any(cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row)
    report = import_catalog(data, filename=export_filename("csv"), user=None)
    assert report.services_unchanged == 3
    assert contents() == before
