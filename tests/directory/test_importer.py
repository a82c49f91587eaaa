"""The directory import service: file format, every check, and what it writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from phare.directory.importer import DirectoryImportError, import_people, writing
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.jobs.models import Job
from phare.jobs.services import job_run

pytestmark = pytest.mark.django_db

FULL_HEADER = ("employee_id,first_name,last_name,email,language,business_unit,"
               "business_unit_name,business_unit_parent,site,site_name,site_city,site_country,"
               "job_family,job_family_name,manager_id,active\n")


@pytest.fixture(autouse=True)
def english():
    # Reasons are asserted in English whatever PHARE_LANGUAGE the test run uses.
    with translation.override("en"):
        yield


def csv_file(tmp_path: Path, text: str, *, encoding: str = "utf-8",
             name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def errors_of(path: Path, **options: object) -> list[str]:
    with pytest.raises(DirectoryImportError) as info:
        import_people(path, **options)
    return [str(error) for error in info.value.errors]


def person(employee_id: str, **values: object) -> Person:
    defaults = {"first_name": "Ann", "last_name": employee_id, "email": f"{employee_id}@x.fr"}
    return Person.objects.create(employee_id=employee_id, **{**defaults, **values})


def test_it_creates_people_units_sites_and_job_families(tmp_path):
    path = csv_file(tmp_path, FULL_HEADER
                    + "E1,Alice,Martin,alice@x.fr,fr,DG,Direction,,PAR,Paris,Paris,fr,IT,"
                      "Informatique,,1\n"
                    + "E2,Bob,Durand,bob@x.fr,en,DSI,Systèmes,DG,PAR,,,,IT,,E1,1\n"
                    + "E3,Chloé,Roux,chloe@x.fr,,DSI,,,LYS,,,,,,E2,\n")

    report = import_people(path)

    assert report.as_dict() == {
        "lines": 3, "created": 3, "updated": 0, "unchanged": 0, "deactivated": 0,
        "units_created": 2, "units_updated": 0, "sites_created": 2, "sites_updated": 0,
        "job_families_created": 1, "job_families_updated": 0, "dry_run": False,
    }
    bob = Person.objects.get(employee_id="E2")
    assert (bob.first_name, bob.email, bob.language, bob.active) == ("Bob", "bob@x.fr", "en", True)
    assert (bob.business_unit.code, bob.site.code, bob.job_family.code) == ("DSI", "PAR", "IT")
    assert bob.manager.employee_id == "E1"
    assert Person.objects.get(employee_id="E3").manager == bob
    assert Person.objects.get(employee_id="E3").language == "fr"
    assert Person.objects.get(employee_id="E3").job_family is None
    dsi = BusinessUnit.objects.get(code="DSI")
    assert (dsi.name, dsi.parent.code) == ("Systèmes", "DG")
    paris = Site.objects.get(code="PAR")
    assert (paris.name, paris.city, paris.country) == ("Paris", "Paris", "FR")
    # Codes without a name are named after their code.
    assert Site.objects.get(code="LYS").name == "LYS"
    assert JobFamily.objects.get(code="IT").name == "Informatique"


def test_it_changes_nothing_when_the_same_file_is_imported_again(tmp_path):
    path = csv_file(tmp_path, FULL_HEADER
                    + "E1,Alice,Martin,alice@x.fr,fr,DG,Direction,,PAR,Paris,Paris,FR,IT,,,1\n"
                    + "E2,Bob,Durand,bob@x.fr,en,DSI,Systèmes,DG,PAR,,,,IT,,E1,1\n"
                    + "E3,Carl,Petit,carl@x.fr,en,DSI,,,,,,,,,E2,0\n")
    import_people(path)
    before = list(Person.objects.values_list("pk", "updated_at").order_by("pk"))

    report = import_people(path)

    assert (report.created, report.updated, report.unchanged, report.deactivated) == (0, 0, 3, 0)
    assert (report.units_created, report.units_updated, report.sites_created) == (0, 0, 0)
    assert list(Person.objects.values_list("pk", "updated_at").order_by("pk")) == before


def test_it_updates_only_the_people_who_changed(tmp_path, org):
    same = person("E1", first_name="Alice", business_unit=org["dsi"])
    moved = person("E2", first_name="Bob", business_unit=org["dsi"])
    moved_at = moved.updated_at
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,business_unit\n"
                              "E1,Alice,E1,E1@x.fr,DSI\nE2,Bob,E2,bob.new@x.fr,VEN\n")

    report = import_people(path)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    moved.refresh_from_db()
    assert (moved.email, moved.business_unit) == ("bob.new@x.fr", org["sales"])
    assert moved.updated_at > moved_at
    assert Person.objects.get(pk=same.pk).updated_at == same.updated_at


def test_it_deactivates_active_people_missing_from_the_file(tmp_path):
    person("E1")
    person("E2")
    person("E3", active=False)
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\nE1,Ann,E1,E1@x.fr\n")

    report = import_people(path)

    assert (report.unchanged, report.deactivated, report.updated) == (1, 1, 0)
    assert dict(Person.objects.values_list("employee_id", "active")) == {
        "E1": True, "E2": False, "E3": False}


def test_it_keeps_missing_people_active_when_asked(tmp_path):
    person("E1")
    person("E2")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\nE1,Ann,E1,E1@x.fr\n")

    report = import_people(path, deactivate_missing=False)

    assert report.deactivated == 0
    assert Person.objects.filter(active=True).count() == 2


def test_it_counts_a_person_marked_inactive_in_the_file_as_updated(tmp_path):
    person("E1")
    person("E2", active=False)
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,active\n"
                              "E1,Ann,E1,E1@x.fr,0\nE2,Ann,E2,E2@x.fr,1\n")

    report = import_people(path)

    # E1 leaves through the file (updated), E2 comes back (updated): nobody is "deactivated".
    assert (report.updated, report.deactivated) == (2, 0)
    assert dict(Person.objects.values_list("employee_id", "active")) == {"E1": False, "E2": True}


def test_it_leaves_fields_of_absent_columns_as_they_are(tmp_path, org):
    boss = person("B1")
    person("E1", language="en", business_unit=org["dsi"], site=org["lyon"],
           job_family=org["it"], manager=boss)
    path = csv_file(tmp_path, "matricule;prénom;nom;courriel\nB1;Ann;B1;B1@x.fr\n"
                              "E1;Ann;E1;E1@x.fr\n")

    report = import_people(path)

    assert (report.updated, report.unchanged) == (0, 2)
    kept = Person.objects.get(employee_id="E1")
    assert (kept.language, kept.business_unit, kept.site, kept.job_family, kept.manager) == (
        "en", org["dsi"], org["lyon"], org["it"], boss)


def test_it_clears_a_value_left_empty_in_a_present_column(tmp_path, org):
    boss = person("B1")
    person("E1", language="en", business_unit=org["dsi"], manager=boss)
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,language,business_unit,"
                              "manager_id\nB1,Ann,B1,B1@x.fr,fr,,\nE1,Ann,E1,E1@x.fr,,,\n")

    report = import_people(path)

    assert report.updated == 1
    cleared = Person.objects.get(employee_id="E1")
    assert (cleared.language, cleared.business_unit, cleared.manager) == ("fr", None, None)


def test_it_reads_french_excel_files(tmp_path):
    text = ("Matricule;Prénom;Nom;E-mail;Langue;Entité;Responsable;Actif\r\n"
            "E1;Éloïse;Lefèvre;eloise@x.fr;Français;DSI;;oui\r\n"
            "E2;Noël;Garçon;noel@x.fr;english;DSI;E1;non\r\n")
    path = csv_file(tmp_path, text, encoding="cp1252")

    report = import_people(path)

    assert report.created == 2
    eloise = Person.objects.get(employee_id="E1")
    assert (eloise.first_name, eloise.last_name, eloise.language) == ("Éloïse", "Lefèvre", "fr")
    noel = Person.objects.get(employee_id="E2")
    assert (noel.last_name, noel.language, noel.active, noel.manager) == (
        "Garçon", "en", False, eloise)


def test_it_reads_utf8_with_a_bom_and_tabs(tmp_path):
    path = csv_file(tmp_path, " Employee_ID \tFirst Name\tLAST_NAME\tMail\n"
                              "E1\tZoé\tMartin\tzoe@x.fr\n", encoding="utf-8-sig")

    import_people(path)

    assert Person.objects.get(employee_id="E1").first_name == "Zoé"


def test_it_reads_utf16_text_from_excel(tmp_path):
    path = csv_file(tmp_path, "employee_id\tfirst_name\tlast_name\temail\n"
                              "E1\tZoé\tMartin\tzoe@x.fr\n", encoding="utf-16")

    import_people(path)

    assert Person.objects.get(employee_id="E1").first_name == "Zoé"


def test_it_reads_a_binary_file_object(tmp_path):
    data = b"employee_id,first_name,last_name,email\nE1,Ann,Lee,ann@x.fr\n"

    report = import_people(io.BytesIO(data))

    assert report.created == 1


def test_it_rejects_bytes_that_are_neither_utf8_nor_windows_1252(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"employee_id,first_name,last_name,email\nE1,Ann,Lee\x81,a@x.fr\n")

    assert errors_of(path) == [
        "line 2: the file is neither UTF-8 nor Windows-1252 text (byte 0x81 cannot be read)"]


def test_it_reports_unknown_duplicate_and_missing_columns_on_line_1(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,emial,nom,last_name,\n"
                              "E1,Ann,a@x.fr,Lee,Lee,\n")

    errors = errors_of(path)

    assert errors[0].startswith("line 1, column emial: unknown column; the columns are: "
                                "employee_id, first_name, last_name, email, language")
    assert errors[1:] == [
        "line 1, column last_name: this column repeats column nom",
        "line 1: column 6 has no name",
        "line 1, column email: this required column is missing",
    ]
    assert Person.objects.count() == 0


def test_it_requires_the_code_column_of_unit_site_and_job_family_columns(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,site_name,"
                              "business_unit_parent\nE1,Ann,Lee,ann@x.fr,Paris,DG\n")

    assert errors_of(path) == [
        "line 1, column site_name: this column needs column site",
        "line 1, column business_unit_parent: this column needs column business_unit",
    ]


def test_it_reports_an_empty_file(tmp_path):
    assert errors_of(csv_file(tmp_path, "")) == ["line 1: the first line must name the columns"]


def test_it_refuses_a_file_with_a_header_and_nobody(tmp_path):
    person("E1")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\n\n")

    assert errors_of(path) == ["line 1: the file lists nobody: no line follows the header"]
    assert Person.objects.get(employee_id="E1").active


def test_it_rejects_binary_files(tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"employee_id,first_name,last_name,email\nPK\x03\x04\x00\x00\n")

    assert errors_of(path) == [
        "line 2: the file contains NUL characters, so it is not CSV text (an Excel workbook? "
        "Save it as CSV)"]


def test_it_collects_every_error_and_writes_nothing(tmp_path):
    person("E9", first_name="Kept")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,language,active\n"
                              "E1,,Lee,x@,de,maybe\n"
                              "E2,Bob,Lee,bob@x.fr,en,1\n"
                              "E3,Cy,,cy@x.fr,fr,0\n")

    errors = errors_of(path)

    assert errors == [
        "line 2, column first_name: a value is required",
        "line 2, column email: 'x@' is not a valid email address",
        "line 2, column language: 'de' is not a language; use fr or en",
        "line 2, column active: 'maybe' is not a yes/no value; use 1/0, true/false, yes/no or "
        "oui/non",
        "line 4, column last_name: a value is required",
    ]
    assert list(Person.objects.values_list("employee_id", "active")) == [("E9", True)]


def test_it_summarises_the_error_count(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\n,A,B,a@x.fr\n,C,D,x\n")

    with pytest.raises(DirectoryImportError) as info:
        import_people(path)

    assert len(info.value.errors) == 3
    assert str(info.value) == "The file has 3 errors; nothing was imported."
    assert (info.value.errors[0].line, info.value.errors[0].column) == (2, "employee_id")


def test_it_counts_physical_lines_across_quoted_line_breaks(tmp_path):
    path = csv_file(tmp_path, 'employee_id,first_name,last_name,email\n'
                              'E1,"Ann\nMarie\nLouise",Lee,ann@x.fr\n'
                              '\n'
                              'E2,Bob,Lee,bob@\n')

    assert errors_of(path) == ["line 6, column email: 'bob@' is not a valid email address"]


def test_it_skips_blank_lines(tmp_path):
    path = csv_file(tmp_path, "employee_id;first_name;last_name;email\n\n"
                              "E1;Ann;Lee;ann@x.fr\n;;;\n   \n")

    assert import_people(path).created == 1


def test_it_reports_a_duplicate_employee_id_with_its_first_line(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\n"
                              "E1,Ann,Lee,ann@x.fr\nE2,Bob,Lee,bob@x.fr\nE1,Cy,Lee,cy@x.fr\n")

    assert errors_of(path) == ["line 4, column employee_id: employee id 'E1' is already on line 2"]


def test_it_rejects_duplicate_emails_among_active_people_only(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,courriel,actif\n"
                              "E1,Ann,Lee,ann@x.fr,1\nE2,Ann,Lee,ANN@x.fr,1\n"
                              "E3,Ann,Lee,ann@x.fr,0\n")

    assert errors_of(path) == [
        "line 3, column courriel: 'ANN@x.fr' is already the email address of an active person "
        "on line 2"]


def test_it_reports_lines_with_the_wrong_number_of_fields(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              "E1,Ann,Lee,ann@x.fr,\nE2,Bob,Lee,bob@x.fr,E1,extra\n"
                              "E3,Cy,Lee,cy@x.fr,E2\n")

    # E3's manager is on the broken line: not also reported as unknown.
    assert errors_of(path) == ["line 3: this line has 6 fields, the header has 5"]


def test_it_reports_an_unclosed_quote(tmp_path):
    path = csv_file(tmp_path, 'employee_id,first_name,last_name,email\n'
                              'E1,"Ann,Lee,ann@x.fr\nE2,Bob,Lee,bob@x.fr\n')

    assert errors_of(path) == [
        "line 2: this line has 2 fields, the header has 4 (a quote may be missing: the line "
        "runs onto the next ones)"]


def test_it_stops_reading_at_a_line_the_csv_module_cannot_read(tmp_path):
    path = csv_file(tmp_path, 'employee_id,first_name,last_name,email\n'
                              'E1,Ann,Lee,x@\n'
                              f'E2,"{"x" * 200_000}\nE3,Bob,Lee,bob@x.fr\n')

    assert errors_of(path) == [
        "line 2, column email: 'x@' is not a valid email address",
        "line 3: this line cannot be read as CSV (a quote may be missing); the lines after it "
        "were not checked",
    ]


def test_it_reports_values_too_long_for_the_database(tmp_path):
    long_code = "U" * 41
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,business_unit,site,"
                              f"site_country\nE1,Ann,Lee,ann@x.fr,{long_code},,FR\n")

    assert errors_of(path) == [
        f"line 2, column business_unit: '{long_code}' is longer than 40 characters",
        "line 2, column site_country: a value is given here but column site is empty",
    ]


def test_it_reports_unknown_managers_and_accepts_existing_ones(tmp_path):
    boss = person("B1")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              "E1,Ann,Lee,ann@x.fr,B1\nE2,Bob,Lee,bob@x.fr,NOPE\n")

    assert errors_of(path) == [
        "line 3, column manager_id: 'NOPE' is neither an employee id in the file nor a person in "
        "the directory"]

    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              "E1,Ann,Lee,ann@x.fr,B1\n")
    import_people(path, deactivate_missing=False)
    assert Person.objects.get(employee_id="E1").manager == boss


def test_it_reports_a_person_who_is_their_own_manager(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager\n"
                              "E1,Ann,Lee,ann@x.fr,E1\n")

    assert errors_of(path) == ["line 2, column manager: a person cannot be their own manager"]


def test_it_reports_a_manager_cycle_on_each_line_of_it(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              "E1,Ann,Lee,ann@x.fr,E3\nE2,Bob,Lee,bob@x.fr,E1\n"
                              "E3,Cy,Lee,cy@x.fr,E2\nE4,Di,Lee,di@x.fr,E3\n")

    assert errors_of(path) == [
        f"line {line}, column manager_id: managers form a cycle: E1 → E3 → E2 → E1"
        for line in (2, 3, 4)
    ]


def test_it_reports_a_cycle_through_a_person_already_in_the_directory(tmp_path):
    first = person("E1")
    person("E2", manager=first)
    # E2 is not in the file (and keeps E1 as manager); E1 now reports to E2.
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              "E1,Ann,E1,E1@x.fr,E2\n")

    assert errors_of(path, deactivate_missing=False) == [
        "line 2, column manager_id: managers form a cycle: E1 → E2 → E1"]


def test_it_sets_managers_listed_after_their_reports_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "BATCH_SIZE", 3)
    lines = [f"E{n},Ann,Lee,e{n}@x.fr,{f'E{n + 4}' if n < 7 else ''}" for n in range(10)]
    lines += ["E10,Ann,Lee,e10@x.fr,E0"]
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,manager_id\n"
                              + "\n".join(lines))

    report = import_people(path)

    assert report.created == 11
    managers = dict(Person.objects.values_list("employee_id", "manager__employee_id"))
    assert managers == {**{f"E{n}": f"E{n + 4}" for n in range(7)},
                        "E7": None, "E8": None, "E9": None, "E10": "E0"}
    assert import_people(path).unchanged == 11


def test_it_reports_conflicting_unit_site_and_job_family_attributes(tmp_path):
    path = csv_file(tmp_path, FULL_HEADER
                    + "E1,Ann,Lee,a@x.fr,fr,DSI,Info,,PAR,Paris,,FR,IT,Tech,,1\n"
                    + "E2,Bob,Lee,b@x.fr,fr,DSI,,,PAR,,,,IT,,,1\n"
                    + "E3,Cy,Lee,c@x.fr,fr,DSI,IT dept,,PAR,Paris,,BE,IT,Info,,1\n")

    assert errors_of(path) == [
        "line 4, column business_unit_name: 'IT dept' differs from 'Info' given for DSI on "
        "line 2",
        "line 4, column site_country: 'BE' differs from 'FR' given for PAR on line 2",
        "line 4, column job_family_name: 'Info' differs from 'Tech' given for IT on line 2",
    ]


def test_it_reports_unknown_parent_units_and_parent_cycles(tmp_path, org):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,unité,business_unit_parent\n"
                              "E1,Ann,Lee,a@x.fr,A,B\nE2,Bob,Lee,b@x.fr,B,A\n"
                              "E3,Cy,Lee,c@x.fr,C,NOPE\nE4,Di,Lee,d@x.fr,D,D\n"
                              "E5,Ed,Lee,e@x.fr,DG,DSI\n")

    assert errors_of(path) == [
        "line 2, column business_unit_parent: business units form a cycle: A → B → A",
        "line 3, column business_unit_parent: business units form a cycle: A → B → A",
        "line 4, column business_unit_parent: 'NOPE' is neither a business unit in the file nor "
        "in the directory",
        "line 5, column business_unit_parent: a business unit cannot be its own parent",
        # DSI's parent is DG in the directory.
        "line 6, column business_unit_parent: business units form a cycle: DG → DSI → DG",
    ]


def test_it_updates_units_whose_name_or_parent_changed(tmp_path, org):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,business_unit,"
                              "business_unit_name,business_unit_parent,site,site_city\n"
                              "E1,Ann,Lee,a@x.fr,DSI,DSI Groupe,,PAR,Puteaux\n"
                              "E2,Bob,Lee,b@x.fr,VEN,,DG,LYS,Lyon\n"
                              "E3,Cy,Lee,c@x.fr,DG,Direction générale,,LYS,\n")

    report = import_people(path)

    assert (report.units_created, report.units_updated) == (0, 2)
    assert (report.sites_created, report.sites_updated) == (0, 1)
    assert BusinessUnit.objects.get(code="DSI").name == "DSI Groupe"
    assert BusinessUnit.objects.get(code="DSI").parent == org["dg"]  # not given: kept
    assert BusinessUnit.objects.get(code="VEN").parent == org["dg"]
    assert Site.objects.get(code="PAR").city == "Puteaux"
    assert import_people(path).units_updated == 0


def test_it_accepts_language_and_active_words(tmp_path):
    rows = [("FR", "OUI"), ("EN", "yes"), ("français", "true"), ("English", "Non"),
            ("anglais", "false"), ("fr", "0")]
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,language,active\n" + "".join(
        f"E{n},Ann,Lee,e{n}@x.fr,{language},{active}\n"
        for n, (language, active) in enumerate(rows)))

    import_people(path)

    assert list(Person.objects.order_by("employee_id").values_list("language", "active")) == [
        ("fr", True), ("en", True), ("fr", True), ("en", False), ("en", False), ("fr", False)]


def test_it_writes_nothing_on_a_dry_run(tmp_path):
    person("E9")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,business_unit\n"
                              "E1,Ann,Lee,a@x.fr,NEW\n")

    report = import_people(path, dry_run=True)

    assert (report.created, report.deactivated, report.units_created) == (1, 1, 1)
    assert report.dry_run
    assert list(Person.objects.values_list("employee_id", "active")) == [("E9", True)]
    assert not BusinessUnit.objects.exists()


def test_it_reports_progress(tmp_path):
    person("GONE")
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\n" + "".join(
        f"E{n},Ann,Lee,e{n}@x.fr\n" for n in range(2500)))
    calls = []

    import_people(path, progress=lambda done, total, message: calls.append(
        (done, total, message)))

    checking = [call for call in calls if call[2] == "Checking lines"]
    assert checking[0] == (1001, 2501, "Checking lines")
    assert checking[-1] == (2501, 2501, "Checking lines")
    writing_calls = [call for call in calls if call[2] == "Writing"]
    assert writing_calls[-1] == (2501, 2501, "Writing")  # 2,500 created, 1 deactivated


def test_it_runs_as_a_background_job(tmp_path):
    person("E9")
    job = Job(kind="directory.import", title="Import",
              params={"deactivate_missing": False, "language": "en"})
    job.input_file.save("people.csv", ContentFile(
        b"employee_id,first_name,last_name,email\nE1,Ann,Lee,a@x.fr\n"), save=False)
    job.save()

    job = job_run(job)

    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.result["created"], job.result["deactivated"]) == (1, 0)
    assert (job.done, job.total) == (1, 1)


def test_it_fails_the_job_with_the_first_500_errors(tmp_path):
    job = Job(kind="directory.import", title="Import", params={"language": "en"})
    job.input_file.save("people.csv", ContentFile(
        b"employee_id,first_name,last_name,email\n" + b"E1,Ann,Lee,nope\n" * 600), save=False)
    job.save()

    job = job_run(job)

    assert job.status == Job.Status.FAILED
    assert job.error == "The file has 1199 errors; nothing was imported."
    assert job.result["error_count"] == 1199
    assert len(job.result["errors"]) == 500
    assert job.result["errors"][0] == {
        "line": 2, "column": "email", "reason": "'nope' is not a valid email address"}
    assert job.input_file  # kept, so nothing the person sent is lost
    assert Person.objects.count() == 0


def test_it_does_not_query_once_per_line(tmp_path, django_assert_max_num_queries):
    lines = "".join(f"E{n},Ann,Lee,e{n}@x.fr,U{n % 7},S{n % 3},{f'E{n + 1}' if n < 299 else ''}\n"
                    for n in range(300))
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,business_unit,site,"
                              "manager_id\n" + lines)

    # Snapshot (4), units/sites/job families (3 × 2), a few INSERT/UPDATE batches, savepoints.
    with django_assert_max_num_queries(20):
        assert import_people(path).created == 300
    with django_assert_max_num_queries(20):
        assert import_people(path).unchanged == 300
