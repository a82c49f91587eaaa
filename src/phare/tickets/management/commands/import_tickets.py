"""``phare import-tickets FILE``: import an ITSM's ticket export (ServiceNow, GLPI, an event
log, Phare's columns; CSV or .xlsx) and print the report. Exit status 0 when the file was read
(whatever was left out is in the report), 2 when it was refused."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from phare.tickets.imports import ORDERS, SYSTEMS, TicketImportError
from phare.tickets.jobs import skipped_label
from phare.tickets.services import import_tickets

REFUSED = 2


class Command(BaseCommand):
    help = ("Import closed tickets from a ServiceNow or GLPI export, an event log or Phare's "
            "own columns (CSV or Excel). Tickets that cannot be imported are left out and "
            "reported by line; services not in the catalogue are listed as unmapped. The file "
            "is refused (exit status 2) only when it cannot be used at all, or with --strict "
            "on any problem.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the export to import (.csv, .txt or .xlsx)")
        parser.add_argument("--system", choices=("auto", *SYSTEMS), default="auto",
                            help="which system wrote it (default: told by its header)")
        parser.add_argument("--strict", action="store_true",
                            help="import nothing if any line has a problem")
        parser.add_argument("--date-order", choices=ORDERS, default="",
                            help="dmy (day first) or mdy (month first), for files whose "
                                 "dates do not tell")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(gettext("%(path)s: no such file") % {"path": path})
        as_json = options["json"]
        try:
            report = import_tickets(path.read_bytes(), system=options["system"],
                                    strict=options["strict"],
                                    date_order=options["date_order"])
        except TicketImportError as exc:
            if as_json:
                self.stdout.write(json.dumps({
                    "refused": True, "imported": 0, "message": str(exc),
                    "errors": [asdict(error) for error in exc.errors]},
                    ensure_ascii=False, indent=2))
            else:
                for error in exc.errors:
                    self.stderr.write(str(error))
                self.stderr.write(gettext("The file was refused; nothing was imported."))
            sys.exit(REFUSED)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self._print(report)

    def _print(self, report: Any) -> None:
        write = self.stdout.write
        write(gettext("Format: %(format)s") % {"format": report.as_dict()["format"]})
        if report.event_log:
            write(gettext("Event log: %(rows)d rows became %(tickets)d tickets.") % {
                "rows": report.rows_read, "tickets": report.tickets + sum(
                    report.skipped.values())})
        write(gettext("%(rows)d rows read; %(imported)d tickets imported, %(known)d received "
                      "before (left as they were).") % {
            "rows": report.rows_read, "imported": report.imported,
            "known": report.counts.get("already_received", 0)})
        for reason, count in sorted(report.skipped.items()):
            write(gettext("Skipped: %(reason)s: %(count)d") % {
                "reason": skipped_label(reason), "count": count})
        for label, count in report.unmapped:
            write(ngettext("Not in the catalogue: “%(label)s”: %(count)d ticket",
                           "Not in the catalogue: “%(label)s”: %(count)d tickets", count) % {
                "label": label, "count": count})
        for warning in report.warnings:
            write(str(warning))
