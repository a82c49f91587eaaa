"""``phare restore PATH``: bring a ``phare backup`` archive back into an empty PHARE_HOME.

Everything is checked before anything is written: the archive (every member's size and
SHA-256 against its manifest), that this Phare knows every migration it records (an archive
from a newer Phare is refused), that the database can be loaded here (a vendor's own dump only
into the same vendor; a portable one into either), and that the secret key is the one the
archive was made with. The database is then replaced in one step (SQLite: a new file renamed
into place; PostgreSQL: one transaction), the files moved into place, and ``migrate`` brings an
archive from an older Phare up to date. See docs/DEPLOY.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from phare.catalog.search import reindex_all
from phare.core.management.home import has_secret_key, prepare_home
from phare.env import SECRET_FILE
from phare.lib import backup
from phare.usage import objectstore

_VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _holds_something(folder: Path) -> bool:
    return any(child.is_file() or child.is_symlink() or _holds_something(child)
               for child in folder.iterdir()) if folder.is_dir() else folder.exists()


def _usage_dir() -> Path | None:
    """The usage store's folder; None when it is an object store (its own copies: not placed
    by a restore)."""
    kind, place = objectstore.parse(str(settings.PHARE_USAGE_DIR))
    return Path(place).resolve() if kind == "local" else None


def migration_targets(loader: MigrationLoader, archived: dict[str, list[str]]
                      ) -> list[tuple[str, str | None]]:
    """Per app of this Phare, the last migration the archive's database had applied (None:
    none), so that a portable dump is loaded into the schema it was dumped from."""
    targets: list[tuple[str, str | None]] = []
    for app in sorted(loader.migrated_apps):
        applied = {name for name in archived.get(app, [])
                   if (app, name) in loader.graph.node_map}
        last = [name for name in applied
                if not any(child.key[0] == app and child.key[1] in applied
                           for child in loader.graph.node_map[(app, name)].children)]
        targets.append((app, max(last) if last else None))
    return targets


class Command(BaseCommand):
    help = ("Restore a `phare backup` archive into an empty PHARE_HOME and database (refused "
            "otherwise unless --force), then apply the migrations the archive's Phare lacked.")
    # Nothing may open the database before it is checked and replaced.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the archive written by `phare backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace the database and the files even if they hold data")
        parser.add_argument("--new-secret-key", action="store_true",
                            help="restore although this installation's secret key is not the "
                                 "archive's: sessions, API tokens' signatures and the usage "
                                 "store's pseudonyms made with the old key stop matching")

    def handle(self, *args: Any, path: str, force: bool, new_secret_key: bool,
               **options: Any) -> None:
        archive = Path(path).expanduser().resolve()
        home = Path(settings.PHARE_HOME)
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor not in _VENDORS:
            raise CommandError(_("Backups know SQLite and PostgreSQL, not %(vendor)s.")
                               % {"vendor": connection.vendor})
        if not force:
            self._refuse_if_not_empty(home, connection)
        made_home = not home.exists()
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".phare-restore-", dir=home))
        done = False
        try:
            manifest = backup.extract_archive(archive, staging)
            self._check(manifest, connection, new_secret_key=new_secret_key)
            if _usage_dir() is None and (staging / backup.USAGE).exists():
                raise backup.BackupError(_(
                    "The archive holds usage events, but PHARE_USAGE_DIR is an object store "
                    "(%(url)s): restore with PHARE_USAGE_DIR set to a folder, then copy that "
                    "folder into the bucket. Nothing was restored.")
                    % {"url": settings.PHARE_USAGE_DIR})
            self._restore_database(manifest, staging, connection, force=force)
            self._place_files(staging)
            done = True
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if not done and made_home and not any(home.iterdir()):
                home.rmdir()
        prepare_home()
        call_command("migrate", interactive=False, verbosity=options.get("verbosity", 1),
                     stdout=self.stdout)
        if manifest["database"]["dump"] == "portable":
            reindex_all()  # the search index is the vendor's own (FTS5 or tsvector)
        if force:
            # Computed dashboards are keyed by the data; the replaced data may share its keys.
            for alias in settings.CACHES:
                caches[alias].clear()
        self.stdout.write(_("Restored %(path)s, made %(created)s by Phare %(version)s: database "
                            "%(vendor)s (%(dump)s), %(files)s files.") % {
            "path": archive, "created": manifest.get("created_at"),
            "version": manifest.get("phare_version"),
            "vendor": _VENDORS.get(manifest["database"]["vendor"], "?"),
            "dump": manifest["database"]["dump"], "files": len(manifest["files"])})

    # --- Checks, before anything is written ----------------------------------------------

    def _refuse_if_not_empty(self, home: Path, connection: BaseDatabaseWrapper) -> None:
        if home.is_dir():
            held = sorted(child.name for child in home.iterdir()
                          if child.name != SECRET_FILE and _holds_something(child))
            if held:
                raise CommandError(_(
                    "PHARE_HOME (%(home)s) is not empty (it holds %(names)s): restore into an "
                    "empty folder (a secret_key file may be there), or give --force to replace "
                    "its database and files.") % {"home": home, "names": ", ".join(held[:5])})
        for folder in (Path(settings.MEDIA_ROOT), Path(settings.PHARE_ANALYTICS_DIR),
                       _usage_dir()):
            if folder is not None and _holds_something(folder):  # set outside PHARE_HOME
                raise CommandError(_(
                    "%(folder)s is not empty: restore into empty folders, or give --force to "
                    "replace them.") % {"folder": folder})
        if connection.vendor == "sqlite":
            holds = backup.sqlite_holds_tables(Path(connection.settings_dict["NAME"]))
        else:
            try:
                holds = bool(connection.introspection.table_names())
            except DatabaseError as exc:
                raise CommandError(_("The database cannot be opened: %(error)s")
                                   % {"error": exc}) from None
        if holds:
            raise CommandError(_(
                "The database %(name)s already holds tables: restore into an empty database, "
                "or give --force to replace it.") % {"name": connection.settings_dict["NAME"]})

    def _check(self, manifest: dict[str, Any], connection: BaseDatabaseWrapper, *,
               new_secret_key: bool) -> None:
        database = manifest["database"]
        if database["dump"] == "native" and database["vendor"] != connection.vendor:
            raise backup.BackupError(_(
                "This archive holds a %(vendor)s database in %(vendor)s's own format, which "
                "%(target)s cannot load. Make a portable archive on the installation it comes "
                "from (`phare backup --portable PATH`) and restore that one.") % {
                "vendor": _VENDORS.get(database["vendor"], database["vendor"]),
                "target": _VENDORS[connection.vendor]})
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = set(loader.disk_migrations)
        unknown = [f"{app}.{name}" for app, names in sorted(manifest["migrations"].items())
                   for name in names if (app, name) not in known]
        if unknown:
            raise backup.BackupError(_(
                "This archive comes from a newer Phare (%(version)s): its database has "
                "migrations this Phare does not know (%(names)s). Install that version or a "
                "later one, then restore.") % {"version": manifest.get("phare_version"),
                                               "names": ", ".join(unknown[:10])})
        check = manifest.get("secret_key_check")
        if check and not new_secret_key:
            if not has_secret_key():
                raise backup.BackupError(_(
                    "No secret key: set PHARE_SECRET_KEY to the key of the installation the "
                    "archive comes from (or put its secret_key file into PHARE_HOME), or give "
                    "--new-secret-key to start with a new one."))
            if backup.key_check(settings.SECRET_KEY) != check:
                raise backup.BackupError(_(
                    "The secret key is not the one the archive was made with: set "
                    "PHARE_SECRET_KEY to the old installation's key, or give --new-secret-key "
                    "(sessions end, and the usage store's people no longer match the "
                    "directory)."))

    # --- Writing ---------------------------------------------------------------------------

    def _restore_database(self, manifest: dict[str, Any], staging: Path,
                          connection: BaseDatabaseWrapper, *, force: bool) -> None:
        dump = staging / manifest["database"]["file"]
        portable = manifest["database"]["dump"] == "portable"
        if connection.vendor == "sqlite":
            target = Path(connection.settings_dict["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            new = target.with_name(f"{target.name}.restoring")
            try:
                new.unlink(missing_ok=True)
                if portable:
                    # Filled through the default connection, pointed at the new file: some
                    # migrations (django-tasks') write through the default alias whatever the
                    # connection migrated.
                    connection.close()
                    name = connection.settings_dict["NAME"]
                    connection.settings_dict["NAME"] = str(new)
                    try:
                        self._load_portable(connection, manifest, dump)
                    finally:
                        connection.close()
                        connection.settings_dict["NAME"] = name
                else:
                    shutil.copyfile(dump, new)
                connection.close()
                for suffix in ("-wal", "-shm"):
                    target.with_name(target.name + suffix).unlink(missing_ok=True)
                os.replace(new, target)
            finally:
                new.unlink(missing_ok=True)
            return
        clear = backup.postgresql_clear_sql(connection) if force else []
        if not portable:
            backup.postgresql_restore(connection, dump, clear=clear)
            connection.close()
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in clear:
                cursor.execute(statement)
            self._load_portable(connection, manifest, dump)

    def _load_portable(self, connection: BaseDatabaseWrapper, manifest: dict[str, Any],
                       dump: Path) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(migration_targets(executor.loader, manifest["migrations"]))
        backup.portable_load(connection.alias, dump)
        restored = backup.state_of(connection).tables
        wrong = [f"{table} ({restored.get(table)} rows, {count} in the archive)"
                 for table, count in sorted(manifest["tables"].items())
                 if table in backup.model_tables() and restored.get(table) != count]
        if wrong:
            raise backup.BackupError(_("The restored database does not hold what the archive "
                                       "says: %(tables)s. Nothing was restored.")
                                     % {"tables": "; ".join(wrong[:10])})

    def _place_files(self, staging: Path) -> None:
        usage = _usage_dir()
        places = [(staging / backup.ANALYTICS, Path(settings.PHARE_ANALYTICS_DIR).resolve()),
                  *([(staging / backup.USAGE, usage)] if usage is not None else []),
                  (staging / backup.FILES, Path(settings.MEDIA_ROOT).resolve())]
        aside: list[Path] = []
        for _source, target in places:
            if target.exists():
                moved = target.with_name(f".{target.name}.replaced")
                shutil.rmtree(moved, ignore_errors=True)
                os.replace(target, moved)
                aside.append(moved)
        for source, target in places:
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
        for moved in aside:
            shutil.rmtree(moved, ignore_errors=True)
