"""``phare catalog-import catalogue.xlsx [--dry-run]``: import the catalogue from a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from phare.catalog.transfer import CatalogImportError, ImportReport, import_catalog


class Command(BaseCommand):
    help = ("Import the catalogue from an Excel workbook (.xlsx), a .zip of CSV files, or a "
            "single services.csv. The whole file is checked first: if any row is wrong, every "
            "error is listed and nothing is written. The import runs as an administrator; its "
            "history entries name no user.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .xlsx, .zip or .csv file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and print the counts without writing anything")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("%(path)s: no such file") % {"path": path})
        try:
            report = import_catalog(path.read_bytes(), filename=path.name, user=None,
                                    dry_run=options["dry_run"])
        except CatalogImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        self._print_report(report)

    def _print_report(self, report: ImportReport) -> None:
        counts = report.as_dict()
        if report.dry_run:
            self.stdout.write(gettext("Dry run: nothing was written. The import would give:"))
        self.stdout.write(gettext(
            "Services: %(services_created)d created, %(services_updated)d updated, "
            "%(services_unchanged)d unchanged; %(lifecycle_changes)d lifecycle changes, "
            "%(publication_changes)d publication changes.") % counts)
        self.stdout.write(gettext(
            "Offer families: %(families_created)d created, %(families_updated)d updated, "
            "%(families_unchanged)d unchanged.") % counts)
