"""Settings read, never write: every ``PHARE_*`` through ``phare.env`` in ``settings.py``; the data
folder and the secret key made by ``phare migrate`` only; no process invents a secret key."""

from __future__ import annotations

import ast
import os
import runpy
import stat
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

import phare
from phare import env
from phare.core.management.commands.serve import Command as Serve
from phare.core.management.home import prepare_home
from phare.env import ConfigError
from tests.core import factories

SRC = Path(phare.__file__).resolve().parent
# The settings and their typed readers read the environment; the test plugin sets it.
READERS = {SRC / "settings.py", SRC / "env.py", SRC / "testing" / "plugin.py"}


def run_phare(*args: str, home: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return factories.run_phare(*args, home=home, timeout=120, **extra_env)


def load_settings(**variables: str) -> dict[str, object]:
    """The settings module run afresh with these variables (it has no side effect to undo)."""
    with mock.patch.dict(os.environ, variables):
        return runpy.run_path(str(SRC / "settings.py"))


def test_a_bad_web_worker_count_is_refused_naming_the_variable():
    with pytest.raises(ConfigError, match="PHARE_WEB_WORKERS: expected a whole number, got 'many'"):
        load_settings(PHARE_WEB_WORKERS="many")
    with pytest.raises(ConfigError, match="PHARE_WEB_WORKERS: expected a number of at least 1"):
        load_settings(PHARE_WEB_WORKERS="0")
    values = load_settings(PHARE_WEB_WORKERS="5", PHARE_BIND="0.0.0.0:9000")
    assert (values["PHARE_WEB_WORKERS"], values["PHARE_BIND"]) == (5, "0.0.0.0:9000")


def test_serve_takes_its_defaults_from_the_settings(settings):
    settings.PHARE_BIND, settings.PHARE_WEB_WORKERS = "0.0.0.0:9000", 5
    options = Serve().create_parser("phare", "serve").parse_args([])
    assert (options.bind, options.workers) == ("0.0.0.0:9000", 5)


def _environment_reads(path: Path) -> list[str]:
    """``os.environ[...]``, ``os.environ.get(...)`` and ``os.getenv(...)`` of a PHARE_ name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        key = None
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in {
                "os.environ.get", "os.getenv", "os.environ.setdefault", "os.environ.pop"}:
            key = node.args[0]
        if isinstance(key, ast.Constant) and str(key.value).startswith("PHARE_"):
            found.append(f"{path}:{node.lineno} {key.value}")
    return found


def test_no_module_reads_a_phare_variable_but_the_settings():
    reads = [read for path in sorted(SRC.rglob("*.py")) if path not in READERS
             for read in _environment_reads(path)]
    assert reads == []


def test_the_check_finds_a_variable_read_outside_the_settings(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\nBIND = os.environ.get('PHARE_BIND', '')\n"
                      "N = int(os.environ['PHARE_WEB_WORKERS'])\nOTHER = os.getenv('HOME')\n")
    assert [read.split()[-1] for read in _environment_reads(module)] == [
        "PHARE_BIND", "PHARE_WEB_WORKERS"]


@pytest.mark.slow
def test_a_process_without_a_secret_key_creates_nothing_and_says_how_to_make_one(tmp_path):
    home = tmp_path / "home"
    result = run_phare("tick", home=home)  # settings imported, apps set up, system checks run
    assert result.returncode == 2
    assert ("phare: configuration error: PHARE_SECRET_KEY: no secret key: set PHARE_SECRET_KEY"
            in result.stderr)
    assert f"run `phare migrate` once to create {home / 'secret_key'}" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no data folder, no key, no cache folder


@pytest.mark.slow
def test_migrate_creates_the_secret_key_that_later_processes_use(tmp_path):
    home = tmp_path / "home"
    assert run_phare("migrate", home=home).returncode == 0
    secret = home / "secret_key"
    key = secret.read_text()
    assert len(key) >= 32
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    shell = run_phare("shell", "-v", "0", "-c",
                      "from django.conf import settings; print(settings.SECRET_KEY)", home=home)
    assert shell.stdout.strip() == key
    assert secret.read_text() == key


def _point_home_at(settings, home: Path) -> None:
    settings.PHARE_HOME, settings.PHARE_ASSETS = home, home / "assets"
    settings.STATIC_ROOT, settings.MEDIA_ROOT = home / "static", home / "files"
    settings.PHARE_ANALYTICS_DIR = home / "analytics"


def test_preparing_the_home_makes_the_key_once_and_uses_it_at_once(settings, tmp_path):
    home = tmp_path / "home"
    _point_home_at(settings, home)
    settings.SECRET_KEY = ""
    prepare_home()
    key = (home / "secret_key").read_text()
    assert key == settings.SECRET_KEY  # this process signs with it from now on
    for folder in ("assets", "static", "files", "analytics"):
        assert (home / folder).is_dir()
    settings.SECRET_KEY = ""  # as a later process that found no key in its environment
    prepare_home()
    assert (home / "secret_key").read_text() == key == settings.SECRET_KEY


def test_preparing_the_home_writes_no_key_file_when_the_key_is_set(settings, tmp_path):
    _point_home_at(settings, tmp_path / "home")
    settings.SECRET_KEY = "k" * 40
    prepare_home()
    assert (tmp_path / "home" / "assets").is_dir()
    assert not (tmp_path / "home" / "secret_key").exists()
    assert settings.SECRET_KEY == "k" * 40


@pytest.mark.parametrize("command", [["serve", "--no-migrate"], ["worker", "--batch"], ["tick"]])
def test_the_commands_that_serve_refuse_to_start_without_a_secret_key(settings, command):
    settings.SECRET_KEY = ""
    serve = "phare.core.management.commands.serve"
    # Were the check missing, serve would go on to build assets and start gunicorn: not here.
    with mock.patch(f"{serve}.run_web"), mock.patch(f"{serve}.collect_static"), \
            mock.patch(f"{serve}.call_command"), \
            pytest.raises(ConfigError, match="PHARE_SECRET_KEY: no secret key"):
        call_command(*command)


def test_the_web_workers_default_to_the_usable_processors():
    if "PHARE_WEB_WORKERS" in os.environ:
        pytest.skip("PHARE_WEB_WORKERS is set here")
    values = load_settings()
    assert values["PHARE_WEB_WORKERS"] == env.default_web_workers(env.usable_cpus())
