"""The ``phare`` command, run as a person runs it: in a separate process."""

from __future__ import annotations

import os
import subprocess
import sys


def run_phare(*args: str, home, **extra_env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PHARE_")}
    environ.update(PHARE_HOME=str(home), **extra_env)
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "phare", *args], env=environ,
                          capture_output=True, text=True, timeout=120)


def test_it_runs_django_commands(tmp_path):
    result = run_phare("check", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_stops_on_a_bad_setting_with_the_variable_named(tmp_path):
    result = run_phare("check", home=tmp_path, PHARE_DEBUG="maybe")
    assert result.returncode == 2
    assert "PHARE_DEBUG: expected true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_accepts_hyphenated_command_names(tmp_path):
    result = run_phare("import-directory", "--help", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage: phare import_directory" in result.stdout


def test_demo_prepares_a_fresh_home_without_serving(tmp_path):
    home = tmp_path / "fresh"
    result = run_phare("demo", "--no-serve", "--employees", "100", "--seed", "3", home=home)
    assert result.returncode == 0, result.stderr
    assert (home / "phare.sqlite3").exists()
    assert "marketing" in result.stdout and "phare-demo" in result.stdout
    assert "http://127.0.0.1:8000/" in result.stdout
    again = run_phare("demo", "--no-serve", home=home)
    assert again.returncode == 0, again.stderr
    assert "already holds data" in again.stdout


def test_demo_rejects_an_impossible_size(tmp_path):
    result = run_phare("demo", "--no-serve", "--employees", "5", home=tmp_path)
    assert result.returncode == 1
    assert "--employees: expected 100 to 200000, got 5" in result.stderr


def test_createadmin_without_a_terminal(tmp_path):
    ok = run_phare("createadmin", "--noinput", "--username", "root2", home=tmp_path,
                   PHARE_ADMIN_PASSWORD="a-Long-and-unusual-passphrase")
    assert ok.returncode == 1
    assert "run `phare migrate` first" in ok.stderr
    assert run_phare("migrate", home=tmp_path).returncode == 0
    ok = run_phare("createadmin", "--noinput", "--username", "root2", home=tmp_path,
                   PHARE_ADMIN_PASSWORD="a-Long-and-unusual-passphrase")
    assert ok.returncode == 0, ok.stderr
    weak = run_phare("createadmin", "--noinput", "--username", "root3", home=tmp_path,
                     PHARE_ADMIN_PASSWORD="password")
    assert weak.returncode == 1
    assert "trop courant" in weak.stderr  # commands speak PHARE_LANGUAGE
