"""``phare ldap-sync``: bring the directory in step with the LDAP / Active Directory server."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from phare.directory.importer import ImportReport
from phare.signon.ldap import DirectoryUnavailable
from phare.signon.ldap_sync import LDAPSyncError, sync


class Command(BaseCommand):
    help = ("Import the people of the LDAP directory (PHARE_LDAP_URL) as a CSV import would: "
            "every entry is checked first; if any is wrong, every error is listed by DN and "
            "nothing is written. People the directory no longer lists are deactivated.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="check the entries and print the counts without writing anything")
        parser.add_argument("--keep-missing", action="store_true",
                            help="leave active the people the directory no longer lists "
                                 "(default: deactivate them)")
        parser.add_argument("--json", action="store_true",
                            help="print the report (or the errors) as JSON")

    def handle(self, *args, **options) -> None:
        if not settings.PHARE_LDAP_URL:
            raise CommandError(gettext("PHARE_LDAP_URL is not set: there is no LDAP server "
                                       "to read."))
        as_json = options["json"]
        try:
            report = sync(dry_run=options["dry_run"],
                          deactivate_missing=not options["keep_missing"])
        except LDAPSyncError as exc:
            if as_json:
                self.stdout.write(json.dumps({"errors": [e.as_dict() for e in exc.errors]},
                                             ensure_ascii=False, indent=2))
            else:
                for error in exc.errors:
                    self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        except DirectoryUnavailable as exc:
            if as_json:
                self.stdout.write(json.dumps({"unavailable": exc.detail}, ensure_ascii=False))
            raise CommandError(gettext("The LDAP server could not be read: %(detail)s")
                               % {"detail": exc.detail}) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self._print_report(report)

    def _print_report(self, report: ImportReport) -> None:
        counts = report.as_dict()
        if report.dry_run:
            self.stdout.write(gettext("Dry run: nothing was written. The sync would give:"))
        self.stdout.write(gettext(
            "%(lines)d people in the LDAP directory: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(deactivated)d deactivated.") % counts)
        self.stdout.write(gettext(
            "Business units: %(units_created)d created, %(units_updated)d updated.") % counts)
