"""The ``phare`` command. What only a real process proves (it starts, reads its settings, finds
an unmigrated database, ``phare demo`` prepares a home) runs in a separate process, as a person
runs it; the rest goes through the same entry point, ``phare.cli.main``, in the test's
process."""

from __future__ import annotations

from io import StringIO
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from phare.accounts.models import User
from phare.cli import main
from tests.core.factories import run_phare


def run_in_process(*args: str) -> int:
    """``phare ARGS`` through the command's entry point; its exit status. A command closes the
    database connections when done: here that would end the test's transaction."""
    try:
        with patch.object(connections, "close_all"):
            main(["phare", *args])
    except SystemExit as exc:
        return 0 if exc.code is None else int(exc.code)
    return 0


def test_it_runs_django_commands(tmp_path):
    result = run_phare("check", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_stops_on_a_bad_setting_with_the_variable_named(tmp_path):
    result = run_phare("check", home=tmp_path, PHARE_DEBUG="maybe")
    assert result.returncode == 2
    assert "PHARE_DEBUG: expected true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_accepts_hyphenated_command_names(capsys):
    assert run_in_process("import-directory", "--help") == 0
    assert "usage: phare import_directory" in capsys.readouterr().out


@pytest.fixture
def demo(demo_through):
    return demo_through("directory", seed=3, employees=100)


def test_demo_keeps_a_database_that_already_holds_data(demo):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already holds data" in out.getvalue()


def test_demo_rejects_an_impossible_size(capsys):
    assert run_in_process("demo", "--no-serve", "--employees", "5") == 1
    assert "--employees: expected 100 to 200000, got 5" in capsys.readouterr().err


def test_createadmin_without_a_terminal(tmp_path, db, settings, capsys):
    ok = run_phare("createadmin", "--noinput", "--username", "root2", home=tmp_path,
                   PHARE_ADMIN_PASSWORD="a-Long-and-unusual-passphrase")
    assert ok.returncode == 1
    assert "run `phare migrate` first" in ok.stderr
    settings.PHARE_ADMIN_PASSWORD = "a-Long-and-unusual-passphrase"
    assert run_in_process("createadmin", "--noinput", "--username", "root2") == 0
    assert User.objects.get(username="root2").role == "admin"
    settings.PHARE_ADMIN_PASSWORD = "password"
    translation.deactivate()  # as in a new process: nothing but PHARE_LANGUAGE (fr) chosen
    assert run_in_process("createadmin", "--noinput", "--username", "root3") == 1
    assert "trop courant" in capsys.readouterr().err  # commands speak PHARE_LANGUAGE
