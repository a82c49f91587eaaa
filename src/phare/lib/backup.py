"""Backup archives of a whole Phare: the database, the analytical stores, the files, and a
manifest that describes them without any secret.

An archive is a gzip-compressed tar file::

    manifest.json            format, Phare's version, when, the database's vendor and how it
                             was dumped, every app's applied migrations, every table's row
                             count, every other member's size and SHA-256, the settings with
                             every secret-like value removed, a check of the secret key
    database/phare.sqlite3   SQLite: a copy made with SQLite's online backup API, or
    database/phare.pgdump    PostgreSQL: ``pg_dump --format=custom`` in an exported snapshot, or
    database/data.jsonl      either vendor, "portable": Django's dump of every model, read in
                             one snapshot; the only kind another vendor can load
    files/…                  MEDIA_ROOT: uploaded and generated files (job inputs, reports, …)
    analytics/…              PHARE_ANALYTICS_DIR: the surveys' Parquet files, each folder copied
                             under its lock (phare.lib.locks), so never half a write
    usage/…                  PHARE_USAGE_DIR: usage events (the only copy: not in the database)

This module knows archives, dumps and files; ``phare backup`` and ``phare restore``
(core/management/commands) decide what to do with them. Every refusal is a
:class:`BackupError` that says what is wrong and where.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from phare.lib.locks import folder_lock

FORMAT = "phare-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_DUMP = "database/phare.sqlite3"
POSTGRESQL_DUMP = "database/phare.pgdump"
PORTABLE_DUMP = "database/data.jsonl"
#: The parts of PHARE_HOME an archive holds, by their folder in the archive.
FILES, ANALYTICS, USAGE = "files", "analytics", "usage"
#: What a removed secret is replaced with in the manifest.
REMOVED = "(removed)"
_CHUNK = 1 << 20


class BackupError(Exception):
    """An archive cannot be written or restored; the message says what and where."""


# --- Settings without secrets --------------------------------------------------------------

#: Names of settings (or of keys inside them) whose values are secrets.
_SECRET_NAME = re.compile(
    r"SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIAL|PRIVATE|SALT|SIGNING|"
    r"(^|_)(API_?)?KEYS?($|_)|(^|_)DSN$|(^|_)PASS$", re.IGNORECASE)
#: Django's settings whose names sound secret but hold none.
_NOT_SECRET = {"PASSWORD_HASHERS", "AUTH_PASSWORD_VALIDATORS", "PASSWORD_RESET_TIMEOUT",
               "SECRET_KEY_FALLBACKS_COUNT"}
#: ``scheme://user:password@host``: the password of a URL.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*):(?P<password>[^@\s/]*)@",
                           re.IGNORECASE)
#: ``?password=…``, ``&token=…`` in a URL's query.
_QUERY_SECRET = re.compile(
    r"(?P<head>[?&;](?:password|passwd|pass|secret|token|key|api_?key|access_token|"
    r"client_secret)=)[^&;\s]+", re.IGNORECASE)


def _is_secret_name(name: object) -> bool:
    return isinstance(name, str) and name not in _NOT_SECRET and bool(_SECRET_NAME.search(name))


def _secret_values(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield str(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _secret_values(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _secret_values(item)
    elif isinstance(value, bytes) and value:
        yield value.decode(errors="replace")


def _collect(name: object, value: Any, found: set[str]) -> None:
    if _is_secret_name(name):
        found.update(_secret_values(value))
        return
    if isinstance(value, str):
        found.update(m["password"] for m in _URL_PASSWORD.finditer(str(value))
                     if m["password"])
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _collect(key, item, found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(None, item, found)


def _cleaned(name: object, value: Any, secrets: list[str]) -> Any:
    if _is_secret_name(name):
        return REMOVED if value not in (None, "", [], {}, ()) else value
    if isinstance(value, Mapping):
        return {str(key): _cleaned(key, item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_cleaned(None, item, secrets) for item in items]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}:{REMOVED}@", text)
    text = _QUERY_SECRET.sub(lambda m: f"{m['head']}{REMOVED}", text)
    for secret in secrets:
        text = text.replace(secret, REMOVED)
    return text


def settings_without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (settings by name) as JSON-ready data with every secret removed: the values
    of secret-like names (at any depth), the passwords of URLs and the secret parameters of
    their queries, and any other place where one of those secrets appears."""
    found: set[str] = set()
    for name, value in values.items():
        _collect(name, value, found)
    # Longest first: a secret that contains another is removed whole.
    secrets = sorted((s for s in found if len(s) >= 4), key=len, reverse=True)
    return {name: _cleaned(name, value, secrets) for name, value in sorted(values.items())}


def configured_settings(settings: Any) -> dict[str, Any]:
    """The settings this installation sets (those that differ from Django's defaults)."""
    found = {}
    for name in (name for name in dir(settings) if name.isupper()):
        try:
            value = getattr(settings, name)
        except ImproperlyConfigured:  # an empty SECRET_KEY: nothing to record anyway
            continue
        if not hasattr(global_settings, name) or value != getattr(global_settings, name):
            found[name] = value
    return found


def key_check(secret_key: str) -> str:
    """A keyed digest that tells whether two installations share a secret key, without
    revealing it (sessions, signed links and the usage store's pseudonyms depend on it)."""
    return hmac.new(secret_key.encode(), b"phare-backup:secret-key-check",
                    hashlib.sha256).hexdigest()[:16]


# --- Files ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    """One file of an archive: its path inside it, size and SHA-256."""

    path: str
    size: int
    sha256: str


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _skipped(name: str) -> bool:
    # Lock files and the temporary files of writes under way are not data.
    return name == ".lock" or name.endswith((".tmp", ".part"))


def _copy_folder(source: Path, target: Path, *, leave_out: Path | None) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for child in sorted(source.iterdir()):
        if leave_out is not None and child.resolve() == leave_out or _skipped(child.name):
            continue
        if child.is_dir() and not child.is_symlink():
            copy_store(child, target / child.name, leave_out=leave_out)
        elif child.is_file():
            shutil.copy2(child, target / child.name)


def copy_store(source: Path, target: Path, *, leave_out: Path | None = None) -> None:
    """Copy the folder ``source`` into ``target``. A folder that holds a ``.lock`` (a store
    written under :func:`phare.lib.locks.folder_lock`) is copied while holding that lock, so
    the copy never has half of a write. ``leave_out``: a folder inside not to copy."""
    if not source.is_dir():
        return
    if (source / ".lock").exists():
        with folder_lock(source):
            _copy_folder(source, target, leave_out=leave_out)
    else:
        _copy_folder(source, target, leave_out=leave_out)


def members_of(staging: Path) -> list[Member]:
    """Every file under ``staging`` with its size and SHA-256, by path inside the archive."""
    found = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        size, sha256 = _digest(path)
        found.append(Member(path=path.relative_to(staging).as_posix(), size=size,
                            sha256=sha256))
    return found


# --- Archives ------------------------------------------------------------------------------

def write_archive(path: Path, staging: Path, manifest: Mapping[str, Any]) -> None:
    """Write the archive: the manifest first, then the files it lists, taken from
    ``staging``. Written beside ``path`` and renamed into place: no half archive is left."""
    partial = path.with_name(f".{path.name}.part")
    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
    try:
        with open(partial, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz",
                                                       compresslevel=6) as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mode = 0o600
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(body))
            for member in manifest["files"]:
                info = tar.gettarinfo(str(staging / member["path"]), arcname=member["path"])
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(staging / member["path"], "rb") as handle:
                    tar.addfile(info, handle)
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _safe_member_path(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("..", "") for p in path.parts):
        return None
    return path.as_posix()


def read_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise BackupError(_("The archive's manifest.json is not valid JSON: %(error)s")
                          % {"error": exc}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Phare backup (its manifest.json does not say "
                            "%(format)s).") % {"format": FORMAT})
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(_("This archive has format version %(found)s; this Phare reads "
                            "version %(known)s and older: upgrade Phare first.")
                          % {"found": version, "known": FORMAT_VERSION})
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str)
            and isinstance(f.get("size"), int) and isinstance(f.get("sha256"), str)
            for f in files):
        raise BackupError(_("The archive's manifest.json has no valid list of files."))
    return manifest


def extract_archive(path: Path, into: Path) -> dict[str, Any]:
    """Read the archive at ``path`` into the folder ``into``, checking every member against
    the manifest (no member missing, none unknown, each size and SHA-256 right); the manifest.
    A damaged, truncated or altered archive raises :class:`BackupError` naming what is wrong."""
    if not path.is_file():
        raise BackupError(_("%(path)s: no such file.") % {"path": path})
    try:
        with tarfile.open(path, mode="r:*") as tar:
            return _extract(tar, into)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(_("%(path)s is damaged or truncated and cannot be read: %(error)s")
                          % {"path": path, "error": exc}) from None


def _extract(tar: tarfile.TarFile, into: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError(_("This file is not a Phare backup: it does not start with "
                            "manifest.json."))
    handle = tar.extractfile(first)
    assert handle is not None  # a regular file
    manifest = read_manifest(handle.read())
    expected = {f["path"]: f for f in manifest["files"]}
    seen: set[str] = set()
    for member in tar:
        if member.offset == first.offset:
            continue
        name = _safe_member_path(member.name)
        if member.isdir():
            continue
        if name is None or not member.isfile() or name not in expected or name in seen:
            raise BackupError(_("The archive holds %(name)s, which its manifest does not list: "
                                "it was altered.") % {"name": member.name})
        seen.add(name)
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None
        digest, size = hashlib.sha256(), 0
        with open(target, "wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        want = expected[name]
        if size != want["size"]:
            raise BackupError(_("%(name)s: %(size)s bytes in the archive, %(expected)s in its "
                                "manifest: the archive is truncated or altered.")
                              % {"name": name, "size": size, "expected": want["size"]})
        if digest.hexdigest() != want["sha256"]:
            raise BackupError(_("%(name)s: its SHA-256 does not match the manifest: the archive "
                                "is damaged or altered.") % {"name": name})
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(_("The archive lacks %(names)s, listed in its manifest: it is "
                            "truncated.") % {"names": ", ".join(missing)})
    return manifest


# --- Databases -----------------------------------------------------------------------------

@dataclass
class DatabaseState:
    """What a dump holds: the applied migrations by app, and the rows of every table."""

    migrations: dict[str, list[str]]
    tables: dict[str, int]


def _state_from_cursor(cursor: Any, tables: Iterable[str], quote: Any) -> DatabaseState:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return DatabaseState(migrations=migrations, tables=counts)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    return [row[0] for row in cursor.fetchall()]


def sqlite_state(path: Path) -> DatabaseState:
    """The state of the SQLite database file at ``path`` (read only)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        cursor = db.cursor()
        return _state_from_cursor(cursor, sqlite_tables(cursor), _quote)


def sqlite_copy(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the SQLite database of ``connection`` into the file ``target`` with SQLite's
    online backup API: one consistent state, even while the server and the worker write."""
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        # One self-contained file (the copy inherits the source's WAL mode).
        copy.execute("PRAGMA journal_mode=DELETE")


def sqlite_holds_tables(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return bool(sqlite_tables(db.cursor()))
    except sqlite3.DatabaseError:
        return True  # not a database we can read: something is there


def postgresql_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def postgresql_environment(config: Mapping[str, Any]) -> dict[str, str]:
    """The libpq variables that connect PostgreSQL's tools to the database of ``config``
    (the password never on a command line)."""
    environ = dict(os.environ)
    pairs = {"PGHOST": config.get("HOST"), "PGPORT": config.get("PORT"),
             "PGUSER": config.get("USER"), "PGPASSWORD": config.get("PASSWORD"),
             "PGDATABASE": config.get("NAME")}
    options = config.get("OPTIONS") or {}
    pairs.update(PGSSLMODE=options.get("sslmode"), PGSSLROOTCERT=options.get("sslrootcert"))
    for name, value in pairs.items():
        if value not in (None, ""):
            environ[name] = str(value)
    return environ


def tool(name: str) -> str | None:
    """The path of a PostgreSQL client program, or None when it is not installed."""
    return shutil.which(name)


def _run(command: list[str], environ: Mapping[str, str], what: str) -> None:
    result = subprocess.run(command, env=dict(environ), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(what)s failed: %(error)s")
                          % {"what": what, "error": result.stderr.strip() or result.returncode})


@contextmanager
def snapshot(connection: BaseDatabaseWrapper) -> Iterator[Any]:
    """One read-only transaction that sees one state of the database from its first read to
    its end: REPEATABLE READ on PostgreSQL. (On SQLite, dump a copy instead.)"""
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield cursor


def postgresql_dump(connection: BaseDatabaseWrapper, target: Path) -> DatabaseState:
    """``pg_dump --format=custom`` of the database, and its state read in the same snapshot
    (exported to pg_dump), so the row counts are those of the dump."""
    pg_dump = tool("pg_dump")
    if pg_dump is None:
        raise BackupError(_("pg_dump is not installed."))
    with snapshot(connection) as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        exported = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={exported}", f"--file={target}"],
             postgresql_environment(connection.settings_dict), "pg_dump")
        return _state_from_cursor(cursor, postgresql_tables(cursor),
                                  connection.ops.quote_name)


def postgresql_clear_sql(connection: BaseDatabaseWrapper) -> list[str]:
    """Statements that drop every table, view, sequence and function of the database's schema
    (``--force``), to run in the same transaction as what replaces them."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = postgresql_tables(cursor)
        cursor.execute("SELECT viewname FROM pg_views WHERE schemaname = current_schema()")
        views = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT sequence_name FROM information_schema.sequences "
                       "WHERE sequence_schema = current_schema()")
        sequences = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid "
            "AND d.deptype = 'e')")
        functions = [row[0] for row in cursor.fetchall()]
    return ([f"DROP VIEW IF EXISTS {quote(v)} CASCADE;" for v in views]
            + [f"DROP TABLE IF EXISTS {quote(t)} CASCADE;" for t in tables]
            + [f"DROP SEQUENCE IF EXISTS {quote(s)} CASCADE;" for s in sequences]
            + [f"DROP FUNCTION IF EXISTS {f} CASCADE;" for f in functions])


def postgresql_restore(connection: BaseDatabaseWrapper, dump: Path, *, clear: list[str]) -> None:
    """Load a ``pg_dump`` custom-format file in ONE transaction (after ``clear``, the
    statements dropping what was there): all of it, or nothing on any error."""
    pg_restore, psql = tool("pg_restore"), tool("psql")
    if pg_restore is None or psql is None:
        raise BackupError(_("pg_restore and psql are needed to restore a PostgreSQL dump: "
                            "install PostgreSQL's client programs (Debian: postgresql-client)."))
    environ = postgresql_environment(connection.settings_dict)
    script = dump.with_suffix(".sql")
    _run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(dump)],
         environ, "pg_restore")
    prelude = dump.with_suffix(".clear.sql")
    prelude.write_text("\n".join(clear) + "\n")
    _run([psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
          f"--file={prelude}", f"--file={script}"], environ, "psql")


@contextmanager
def database_alias(alias: str, config: Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection named ``alias`` to the database of ``config`` for the block's length
    (an SQLite copy being dumped, a new SQLite file being filled)."""
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: dict(connections.settings[DEFAULT_DB_ALIAS]), alias: dict(config)})
    connections.settings[alias] = configured[alias]
    try:
        yield connections[alias]
    finally:
        if alias in connections:
            connections[alias].close()
            del connections[alias]
        del connections.settings[alias]


def model_tables() -> set[str]:
    """The tables of Django's models (and their many-to-many tables)."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True)}


def portable_dump(alias: str, target: Path) -> None:
    """Django's dump of every model as JSON lines, primary keys kept (content types and
    permissions too, so that every reference to them stays right)."""
    call_command("dumpdata", format="jsonl", output=str(target), database=alias,
                 verbosity=0, all=True)


def portable_load(alias: str, dump: Path) -> None:
    """Load a portable dump into a database migrated to the archive's state, emptied first of
    what data migrations may have written, within the caller's transaction."""
    connection = connections[alias]
    tables = sorted(model_tables() & set(connection.introspection.table_names()))
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    if connection.vendor == "postgresql":
        # Rows refer to rows later in the dump: foreign keys are checked at the end.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("loaddata", str(dump), database=alias, verbosity=0)


def state_of(connection: BaseDatabaseWrapper) -> DatabaseState:
    """The migrations and row counts of a database through its Django connection."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _state_from_cursor(cursor, tables, connection.ops.quote_name)
