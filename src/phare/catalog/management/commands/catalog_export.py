"""``phare catalog-export catalogue.xlsx`` (or ``.zip``): write the whole catalogue to a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from phare.catalog.transfer import Format, export_catalog

FORMATS: dict[str, Format] = {".xlsx": "xlsx", ".zip": "csv"}


class Command(BaseCommand):
    help = ("Export the whole catalogue (families, services, commitments, FAQ, news) as an Excel "
            "workbook (FILE.xlsx) or a .zip of CSV files (FILE.zip). Pending changes are not "
            "exported.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="where to write: a .xlsx or .zip file")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise CommandError(gettext(
                "%(path)s: the file name must end with .xlsx (Excel) or .zip (CSV files)") % {
                    "path": path})
        try:
            path.write_bytes(export_catalog(fmt))
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        self.stdout.write(gettext("Catalogue exported to %(path)s.") % {"path": path})
