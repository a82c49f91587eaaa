"""``phare import-directory FILE [--keep-missing] [--dry-run]``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from phare.directory.management.commands.import_directory import Command
from phare.directory.models import Person

pytestmark = pytest.mark.django_db

GOOD = ("employee_id;first_name;last_name;email;business_unit;manager_id\n"
        "E1;Ann;Lee;ann@x.fr;DSI;\nE2;Bob;Lee;bob@x.fr;DSI;E1\n")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_a_file_and_prints_the_counts(tmp_path):
    Person.objects.create(employee_id="OLD", first_name="Old", last_name="Timer",
                          email="old@x.fr")

    out, err = run(str(csv_file(tmp_path, GOOD)))

    assert out == ("2 people in the file: 2 created, 0 updated, 0 unchanged, 1 deactivated.\n"
                   "Business units: 1 created, 0 updated. Sites: 0 created, 0 updated. "
                   "Job families: 0 created, 0 updated.\n")
    assert "Checking lines" in err and "Writing" in err  # the progress bars
    assert Person.objects.get(employee_id="E2").manager.employee_id == "E1"
    assert not Person.objects.get(employee_id="OLD").active


def test_it_keeps_missing_people_with_keep_missing(tmp_path):
    Person.objects.create(employee_id="OLD", first_name="Old", last_name="Timer",
                          email="old@x.fr")

    out, _err = run(str(csv_file(tmp_path, GOOD)), "--keep-missing")

    assert "2 created, 0 updated, 0 unchanged, 0 deactivated." in out
    assert Person.objects.get(employee_id="OLD").active


def test_it_writes_nothing_on_a_dry_run(tmp_path):
    out, _err = run(str(csv_file(tmp_path, GOOD)), "--dry-run")

    assert out.startswith("Dry run: nothing was written. The import would give:\n"
                          "2 people in the file: 2 created,")
    assert not Person.objects.exists()


def test_it_prints_every_error_and_writes_nothing(tmp_path):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email\n"
                    + "E1,Ann,Lee,ann@x.fr\n" * 11 + "E12,Bob,Lee,x@\nE13,,Lee,y@\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^The file has 23 errors; nothing was imported\.$"):
        call_command("import_directory", str(path), stdout=io.StringIO(), stderr=err,
                     verbosity=0)

    lines = err.getvalue().splitlines()
    assert lines[:2] == ["line 3, column employee_id: employee id 'E1' is already on line 2",
                         "line 3, column email: 'ann@x.fr' is already the email address of an "
                         "active person on line 2"]
    assert lines[-3:] == ["line 13, column email: 'x@' is not a valid email address",
                          "line 14, column first_name: a value is required",
                          "line 14, column email: 'y@' is not a valid email address"]
    assert len(lines) == 23  # 10 × 2 for the repeated E1, then 3: every error, no bar
    assert not Person.objects.exists()


def test_it_exits_with_status_1_on_a_bad_file(tmp_path, capsys):
    path = csv_file(tmp_path, "employee_id,first_name,last_name,email,unit\nE1,A,B,a@x.fr,X\n")

    with pytest.raises(SystemExit) as info:
        Command().run_from_argv(["phare", "import_directory", str(path), "--verbosity", "0"])

    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "line 1, column unit: unknown column" in err
    assert "The file has 1 error; nothing was imported." in err


def test_it_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.csv"))
