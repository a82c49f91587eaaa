"""``phare import-usage FILE``: import a usage file (Microsoft 365 report, events, licences)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from phare.usage.records import SOURCES
from phare.usage.services import UsageImportFailed, import_usage, skipped_label
from phare.usage.sources import concealed_notice


class Command(BaseCommand):
    help = ("Import a usage file: a Microsoft 365 usage report (CSV as downloaded or as the "
            "Graph reports API returns it), events (CSV or Parquet) or licences and seats. The "
            "whole file is checked first: if any line is wrong, every error is listed and "
            "nothing is written. Importing the same file again changes nothing.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--source", choices=("auto", *SOURCES), default="auto",
                            help="what the file is (default: detected from its headers)")
        parser.add_argument("--period", type=int, choices=(7, 30, 90, 180), default=None,
                            help="the report period in days when the file does not say it")
        parser.add_argument("--json", action="store_true",
                            help="print the counts (or the errors) as JSON")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("%(path)s: no such file") % {"path": path})
        as_json = options["json"]
        try:
            report = import_usage(path.read_bytes(), file_name=path.name,
                                  source=options["source"], period_days=options["period"])
        except UsageImportFailed as exc:
            if as_json:
                self.stdout.write(json.dumps({
                    "imported": 0, "refused": len({error.line for error in exc.errors}),
                    "errors": [asdict(error) for error in exc.errors]},
                    ensure_ascii=False, indent=2))
                sys.exit(1)
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(),
                                         ensure_ascii=False, indent=2))
            return
        counts = report.counts()
        self.stdout.write(gettext(
            "%(rows_read)d rows read: %(imported)d records imported, %(replaced)d replaced, "
            "%(unchanged)d unchanged; %(unmatched)d rows matched no one in the directory; "
            "%(licences)d licences, %(seats)d seat records, %(tenant_counts)d tenant-wide "
            "counts.") % counts)
        for code, n in sorted(report.skipped.items()):
            self.stdout.write(gettext("Skipped: %(reason)s: %(n)d") % {
                "reason": skipped_label(code), "n": n})
        for row in report.unmatched_rows:
            self.stdout.write(gettext("line %(line)d: %(identifier)s: %(reason)s") % row)
        if report.concealed:
            self.stdout.write(concealed_notice())
