"""``phare backup`` and ``phare restore``, as a person runs them: separate processes, each with
its own PHARE_HOME and database. The demo is built once (on SQLite), backed up, and restored
into empty homes; the restored Phare must hold the same rows in every model, show the same
figures (through the same functions as its pages) and the same files, byte for byte. On
PostgreSQL (``PHARE_TEST_DATABASE_URL``) the demo goes SQLite → portable archive → PostgreSQL
→ ``pg_dump`` archive → a second PostgreSQL database, and is compared again."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sqlite3
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from phare.lib.backup import REMOVED, settings_without_secrets
from tests.core.factories import SECRET_KEY, DemoHome, ok, phare

#: One worker runs the whole module (xdist sends it tests one at a time, between other modules'
#: tests, so a module fixture would be torn down and built again: the demo is per session).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("backup")]
#: These tests run ``phare`` in subprocesses on homes of their own (SQLite), whatever database
#: the suite runs on: the PostgreSQL pass runs only the one that needs its server.
on_sqlite_pass = pytest.mark.skipif(
    bool(os.environ.get("PHARE_TEST_DATABASE_URL")),
    reason="vendor-independent (subprocesses on SQLite homes): run by the SQLite pass")

SMTP_PASSWORD = "Smtp-Pa55word-of-the-backup-test"
ADMIN_PASSWORD = "Admin-Pa55phrase-of-the-backup-test"

#: Run by `phare shell -c` in a home: every model's rows, the barometer's NPS as the cockpit
#: and the insights home show it, and the adoption headlines (from the usage store).
PROBE = """
import json
from django.apps import apps
from phare.accounts.models import User
from phare.insights.headlines import adoption, barometer_nps
user = User.objects.get(username="marketing")
nps = barometer_nps(user)
rows = {m._meta.label: m._base_manager.count()
        for m in apps.get_models(include_auto_created=True)}
print("PROBE" + json.dumps({
    "rows": rows, "nps": [nps.value, nps.low, nps.high, nps.n],
    "adoption": [[h.label, h.value, h.n] for h in adoption(user)]}))
"""


def probe(home: Path, **extra_env: str) -> dict[str, Any]:
    out = ok(phare("shell", "-c", PROBE, home=home, **extra_env)).stdout
    return json.loads(next(line for line in out.splitlines()
                           if line.startswith("PROBE"))[len("PROBE"):])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes (lock files left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def repack(archive: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of ``archive`` with its members changed by ``change`` (manifest still first)."""
    contents = members(archive)
    change(contents)
    with tarfile.open(target, "w:gz") as tar:
        for name in ["manifest.json", *(n for n in contents if n != "manifest.json")]:
            info = tarfile.TarInfo(name)
            info.size = len(contents[name])
            tar.addfile(info, io.BytesIO(contents[name]))
    return target


def is_empty(home: Path) -> bool:
    return not home.exists() or not any(p.is_file() for p in home.rglob("*"))


class Demo:
    def __init__(self, home: Path, archive: Path, figures: dict[str, Any]) -> None:
        self.home, self.archive, self.figures = home, archive, figures


@pytest.fixture(scope="session")
def demo(demo_home: DemoHome, tmp_path_factory) -> Demo:
    """The demo in a home of its own, with uploaded and generated files, its analytical store
    built, backed up while the settings hold an SMTP password and an administrator's one."""
    home = demo_home.copy(tmp_path_factory.mktemp("demo") / "home")
    rng = random.Random(5)
    report = home / "files" / "reports" / "2026" / "05" / "rapport-t2.pdf"
    report.parent.mkdir(parents=True)
    report.write_bytes(rng.randbytes(70_000))
    upload = home / "files" / "jobs" / "2026" / "05" / "annuaire-é.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes("employee_id;first_name\r\nE1;Anaïs\r\n".encode("cp1252"))
    figures = probe(home)  # builds the barometer's Parquet files
    assert figures["nps"][0] is not None and figures["adoption"]
    assert list((home / "analytics").glob("*/manifest.json"))
    archive = tmp_path_factory.mktemp("archives") / "phare.tar.gz"
    ok(phare("backup", str(archive), home=home,
             PHARE_EMAIL_URL=f"smtp://phare:{SMTP_PASSWORD}@mail.example.invalid:25",
             PHARE_ADMIN_PASSWORD=ADMIN_PASSWORD))
    return Demo(home, archive, figures)


def assert_same_phare(restored: Path, demo: Demo, *, backups_before: int = 0,
                      **extra_env: str) -> None:
    """``restored`` holds what the demo held when it was first backed up, and the audit
    entries of the ``backups_before`` backups taken since, before the one restored."""
    # The restored store is read as it is (no refresh from the database behind it).
    figures = probe(restored, PHARE_ANALYTICS_MAX_AGE="1000000000", **extra_env)
    expected = {**demo.figures["rows"]}
    expected["audit.Entry"] += backups_before
    assert figures["rows"] == expected
    assert figures["nps"] == demo.figures["nps"]
    assert figures["adoption"] == demo.figures["adoption"]
    for part in ("files", "analytics"):
        assert tree(restored / part) == tree(demo.home / part), part


@on_sqlite_pass
def test_it_restores_the_demo_into_an_empty_home(demo, tmp_path):
    restored = tmp_path / "new-machine" / "phare"
    result = ok(phare("restore", str(demo.archive), home=restored))
    assert "Restored" in result.stdout
    assert_same_phare(restored, demo)
    assert sum(demo.figures["rows"].values()) > 10_000


@pytest.fixture(scope="session")
def portable(demo, tmp_path_factory) -> Path:
    """The demo's archive with Django's dump of the database, for any vendor."""
    archive = tmp_path_factory.mktemp("portable") / "portable.tar.gz"
    ok(phare("backup", "--portable", str(archive), home=demo.home))
    return archive


@on_sqlite_pass
def test_it_restores_a_portable_archive(demo, portable, tmp_path):
    manifest = json.loads(members(portable)["manifest.json"])
    assert manifest["database"] == {"vendor": "sqlite", "dump": "portable",
                                    "file": "database/data.jsonl"}
    ok(phare("restore", str(portable), home=tmp_path / "home"))
    assert_same_phare(tmp_path / "home", demo, backups_before=1)  # the first backup's entry


@on_sqlite_pass
def test_it_keeps_secrets_out_of_the_archive(demo):
    contents = members(demo.archive)
    everything = b"".join(contents.values())
    for secret in (SECRET_KEY, SMTP_PASSWORD, ADMIN_PASSWORD):
        assert secret.encode() not in everything
    manifest = json.loads(contents["manifest.json"])
    assert manifest["settings"]["EMAIL_HOST_PASSWORD"] == REMOVED
    assert manifest["settings"]["PHARE_ADMIN_PASSWORD"] == REMOVED
    assert manifest["settings"]["SECRET_KEY"] == REMOVED
    assert manifest["settings"]["EMAIL_HOST"] == "mail.example.invalid"
    assert manifest["database"] == {"vendor": "sqlite", "dump": "native",
                                    "file": "database/phare.sqlite3"}
    assert "0001_initial" in manifest["migrations"]["directory"]
    listed = {f["path"] for f in manifest["files"]}
    assert listed == set(contents) - {"manifest.json"}
    assert "files/reports/2026/05/rapport-t2.pdf" in listed
    assert any(path.startswith("usage/") for path in listed)


@on_sqlite_pass
def test_it_removes_every_secret_like_setting():
    cleaned = settings_without_secrets({
        "CACHES": {"default": {"LOCATION": "redis://:r3dis-pass@cache:6379/0"}},
        "PHARE_SCIM_TOKEN": "scim-token-value",
        "OIDC": {"CLIENT_ID": "phare", "CLIENT_SECRET": "oidc-client-secret"},
        "WEBHOOK": "https://hooks.example/x?token=hook-token-value&channel=it",
        "ELSEWHERE": "copy of oidc-client-secret",
        "PASSWORD_HASHERS": ["md5"],
        "PHARE_LANGUAGE": "fr",
    })
    text = json.dumps(cleaned)
    for secret in ("r3dis-pass", "scim-token-value", "oidc-client-secret", "hook-token-value"):
        assert secret not in text
    assert cleaned["OIDC"]["CLIENT_ID"] == "phare"
    assert cleaned["PHARE_LANGUAGE"] == "fr" and cleaned["PASSWORD_HASHERS"] == ["md5"]
    assert cleaned["CACHES"]["default"]["LOCATION"] == f"redis://:{REMOVED}@cache:6379/0"


@on_sqlite_pass
def test_it_refuses_a_home_that_is_not_empty(demo, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    result = phare("restore", str(demo.archive), home=home)
    assert result.returncode == 1
    assert "is not empty (it holds notes.txt)" in result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt"]


@on_sqlite_pass
def test_it_refuses_a_truncated_archive(demo, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    data = demo.archive.read_bytes()
    truncated.write_bytes(data[:len(data) // 2])
    home = tmp_path / "home"
    result = phare("restore", str(truncated), home=home)
    assert result.returncode == 1
    assert "is damaged or truncated" in result.stderr
    assert is_empty(home)


@on_sqlite_pass
def test_it_refuses_an_altered_file(demo, tmp_path):
    def alter(contents: dict[str, bytes]) -> None:
        name = "files/reports/2026/05/rapport-t2.pdf"
        contents[name] = contents[name][:-1] + bytes([contents[name][-1] ^ 1])

    altered = repack(demo.archive, tmp_path / "altered.tar.gz", alter)
    home = tmp_path / "home"
    result = phare("restore", str(altered), home=home)
    assert result.returncode == 1
    assert ("files/reports/2026/05/rapport-t2.pdf: its SHA-256 does not match the manifest"
            in result.stderr)
    assert is_empty(home)


@on_sqlite_pass
def test_it_refuses_an_archive_from_a_newer_schema(demo, tmp_path):
    def newer(contents: dict[str, bytes]) -> None:
        manifest = json.loads(contents["manifest.json"])
        manifest["migrations"]["directory"].append("9999_from_the_future")
        manifest["phare_version"] = "9.0"
        contents["manifest.json"] = json.dumps(manifest).encode()

    archive = repack(demo.archive, tmp_path / "newer.tar.gz", newer)
    home = tmp_path / "home"
    result = phare("restore", str(archive), home=home)
    assert result.returncode == 1
    assert "comes from a newer Phare (9.0)" in result.stderr
    assert "directory.9999_from_the_future" in result.stderr
    assert is_empty(home)


@on_sqlite_pass
def test_it_refuses_another_secret_key(demo, tmp_path):
    home = tmp_path / "home"
    result = phare("restore", str(demo.archive), home=home,
                   PHARE_SECRET_KEY="another-key-another-key-another-key-0123")
    assert result.returncode == 1
    assert "not the one the archive was made with" in result.stderr
    assert is_empty(home)


# --- PostgreSQL ------------------------------------------------------------------------------

@pytest.fixture
def postgresql() -> Iterator[Callable[[str], str]]:
    """``database("c")``: the URL of a new, empty PostgreSQL database (dropped afterwards) on
    the server of PHARE_TEST_DATABASE_URL."""
    url = os.environ.get("PHARE_TEST_DATABASE_URL")
    if not url:
        pytest.skip("backups on PostgreSQL: run with PHARE_TEST_DATABASE_URL=postgres://…")
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    made: list[str] = []

    def database(suffix: str) -> str:
        name = f"phare_backup_{os.getpid()}_{suffix}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return urlunsplit(parts._replace(path=f"/{name}"))

    yield database
    with psycopg.connect(server, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_moves_the_demo_to_postgresql_and_back_up_with_pg_dump(demo, portable, postgresql,
                                                                  tmp_path):
    first, second = postgresql("a"), postgresql("b")
    native = phare("restore", str(demo.archive), home=tmp_path / "refused",
                   PHARE_DATABASE_URL=first)
    assert native.returncode == 1
    assert "phare backup --portable" in native.stderr

    ok(phare("restore", str(portable), home=tmp_path / "pg-a", PHARE_DATABASE_URL=first))
    assert_same_phare(tmp_path / "pg-a", demo, backups_before=1, PHARE_DATABASE_URL=first)

    dumped = tmp_path / "pg.tar.gz"
    ok(phare("backup", str(dumped), home=tmp_path / "pg-a", PHARE_DATABASE_URL=first))
    manifest = json.loads(members(dumped)["manifest.json"])
    assert manifest["database"]["dump"] == "native"
    assert "database/phare.pgdump" in {f["path"] for f in manifest["files"]}
    ok(phare("restore", str(dumped), home=tmp_path / "pg-b", PHARE_DATABASE_URL=second))
    assert_same_phare(tmp_path / "pg-b", demo, backups_before=1, PHARE_DATABASE_URL=second)

    # A database that holds data is replaced only when asked, in one transaction.
    again = phare("restore", str(dumped), home=tmp_path / "pg-c", PHARE_DATABASE_URL=second)
    assert again.returncode == 1
    assert "already holds tables" in again.stderr
    ok(phare("restore", "--force", str(dumped), home=tmp_path / "pg-b",
             PHARE_DATABASE_URL=second))
    assert_same_phare(tmp_path / "pg-b", demo, backups_before=1, PHARE_DATABASE_URL=second)


@on_sqlite_pass
def test_the_backup_is_recorded_in_the_audit_trail(demo):
    with contextlib.closing(sqlite3.connect(demo.home / "phare.sqlite3")) as db:
        rows = db.execute("SELECT action, target_type, target_label FROM audit_entry "
                          "WHERE target_type = 'backup'").fetchall()
    assert ("export", "backup", str(demo.archive)) in rows  # (the portable one may follow)
