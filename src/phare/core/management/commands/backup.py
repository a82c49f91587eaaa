"""``phare backup PATH``: one consistent archive of this Phare (see docs/DEPLOY.md).

The database is dumped first, in one consistent state while the server and the worker keep
running: SQLite through its online backup API, PostgreSQL with ``pg_dump`` in a snapshot that
this command exports (or, without ``pg_dump``, Django's dump read in one REPEATABLE READ
transaction). ``--portable`` writes Django's dump on either vendor: the only kind another
vendor can restore. Then the analytical stores (each folder under its lock) and the files;
the manifest (phare.lib.backup) holds their checksums and the settings without secrets.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

import phare
from phare.audit.actions import Action
from phare.audit.services import record
from phare.core.dbstate import pending_migrations
from phare.core.management.home import has_secret_key
from phare.lib import backup
from phare.usage import objectstore


def _within(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


class Command(BaseCommand):
    help = ("Write a consistent archive of this Phare (database, analytical stores, uploaded "
            "and generated files, settings without secrets) to PATH; `phare restore PATH` "
            "brings it back.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the archive to write (a .tar.gz file)")
        parser.add_argument("--portable", action="store_true",
                            help="dump the database with Django (JSON lines) instead of the "
                                 "vendor's own format: slower, but restorable into SQLite or "
                                 "PostgreSQL alike")

    #: The object store holding the usage events, when they are not in a folder (not copied).
    remote_usage = ""

    def handle(self, *args: Any, path: str, portable: bool, **options: Any) -> None:
        target = Path(path).expanduser().resolve()
        if target.is_dir():
            raise CommandError(_("%(path)s is a folder: give the archive's file name, such as "
                                 "%(example)s.") % {"path": target,
                                                    "example": target / "phare-backup.tar.gz"})
        if not target.parent.is_dir():
            raise CommandError(_("%(path)s: the folder %(folder)s does not exist.")
                               % {"path": target, "folder": target.parent})
        home = Path(settings.PHARE_HOME)
        if _within(target, home):
            raise CommandError(_("%(path)s is inside PHARE_HOME (%(home)s): write the archive "
                                 "somewhere else.") % {"path": target, "home": home})
        staging = Path(tempfile.mkdtemp(prefix=".phare-backup-", dir=target.parent))
        try:
            manifest = self._gather(staging, portable=portable)
            backup.write_archive(target, staging, manifest)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        size = target.stat().st_size
        if self.remote_usage:
            self.stdout.write(_("The usage events are in an object store (%(url)s): they are not "
                                "in this archive. Keep the bucket versioned or replicated.")
                              % {"url": self.remote_usage})
        # After the archive is whole (it does not hold its own entry): who took everything.
        record(action=Action.EXPORT, actor=None, target=("backup", "", str(target)),
               details={"format": "backup", "portable": portable, "bytes": size,
                        "files": len(manifest["files"])})
        self.stdout.write(_("Backup written to %(path)s: %(files)s files, %(mb)s MB, database "
                            "%(vendor)s (%(dump)s).") % {
            "path": target, "files": len(manifest["files"]),
            "mb": f"{size / 1e6:.1f}", "vendor": manifest["database"]["vendor"],
            "dump": manifest["database"]["dump"]})

    def _gather(self, staging: Path, *, portable: bool) -> dict[str, Any]:
        created = dt.datetime.now(dt.UTC)
        database, state = self._dump_database(staging, portable=portable)
        media = Path(settings.MEDIA_ROOT).resolve()
        analytics = Path(settings.PHARE_ANALYTICS_DIR).resolve()
        kind, place = objectstore.parse(str(settings.PHARE_USAGE_DIR))
        backup.copy_store(media, staging / backup.FILES)
        if kind == "local":
            usage = Path(place).resolve()
            backup.copy_store(analytics, staging / backup.ANALYTICS, leave_out=usage)
            backup.copy_store(usage, staging / backup.USAGE)
        else:
            # The object store keeps its own copies (versioning, replication): docs/DEPLOY.md.
            backup.copy_store(analytics, staging / backup.ANALYTICS)
            self.remote_usage = f"s3://{place}"
        members = backup.members_of(staging)
        return {
            "format": backup.FORMAT,
            "format_version": backup.FORMAT_VERSION,
            "phare_version": phare.__version__,
            "created_at": created.isoformat(timespec="seconds"),
            "database": database,
            "migrations": state.migrations,
            "tables": state.tables,
            "files": [{"path": m.path, "size": m.size, "sha256": m.sha256} for m in members],
            "settings": backup.settings_without_secrets(backup.configured_settings(settings)),
            "secret_key_check": backup.key_check(settings.SECRET_KEY)
            if has_secret_key() else None,
        }

    def _dump_database(self, staging: Path, *, portable: bool
                       ) -> tuple[dict[str, str], backup.DatabaseState]:
        connection = connections[DEFAULT_DB_ALIAS]
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(_("Backups know SQLite and PostgreSQL, not %(vendor)s.")
                               % {"vendor": vendor})
        (staging / "database").mkdir()
        if portable and pending_migrations(connection.alias):
            # Django's dump reads every model as this code defines it.
            raise CommandError(_("A portable dump needs the database migrated to this Phare: "
                                 "run `phare migrate` first (or back up without --portable)."))
        if vendor == "sqlite":
            copy = staging / backup.SQLITE_DUMP
            backup.sqlite_copy(connection, copy)
            state = backup.sqlite_state(copy)
            if not portable:
                return {"vendor": vendor, "dump": "native", "file": backup.SQLITE_DUMP}, state
            dump = staging / backup.PORTABLE_DUMP
            # Dumped from the copy: one state, and the server is never held up.
            with backup.database_alias("phare_backup", {**connection.settings_dict,
                                                        "NAME": str(copy)}) as copied:
                backup.portable_dump(copied.alias, dump)
            copy.unlink()
            return {"vendor": vendor, "dump": "portable", "file": backup.PORTABLE_DUMP}, state
        if not portable and backup.tool("pg_dump") is not None:
            state = backup.postgresql_dump(connection, staging / backup.POSTGRESQL_DUMP)
            return {"vendor": vendor, "dump": "native", "file": backup.POSTGRESQL_DUMP}, state
        if not portable:
            self.stderr.write(_("pg_dump is not installed (Debian: postgresql-client): the "
                                "database is dumped by Django instead (portable)."))
        with backup.snapshot(connection):
            backup.portable_dump(connection.alias, staging / backup.PORTABLE_DUMP)
            state = backup.state_of(connection)
        return {"vendor": vendor, "dump": "portable", "file": backup.PORTABLE_DUMP}, state
