"""``phare privacy-erase EMPLOYEE_ID --yes``: erase a person across every module (right to
erasure), in one transaction; audited under the person's pseudonym."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from phare.directory.models import Person
from phare.privacy.services.erasure import ErasureRefused, erase, pseudonym_label


class Command(BaseCommand):
    help = ("Erase the person of EMPLOYEE_ID: their record and accounts pseudonymised, their "
            "data detached, deleted or pseudonymised in every module. Cannot be undone.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("employee_id")
        parser.add_argument("--yes", action="store_true",
                            help="confirm the erasure (required: it cannot be undone)")

    def handle(self, *args, **options) -> None:
        employee_id = options["employee_id"].strip()
        if not options["yes"]:
            raise CommandError(gettext("The erasure cannot be undone: add --yes to confirm."))
        try:
            person = Person.objects.get(employee_id=employee_id)
        except Person.DoesNotExist:
            raise CommandError(gettext("No person has the employee id “%(id)s”.")
                               % {"id": employee_id}) from None
        try:
            done = erase(person, actor=None)
        except ErasureRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(gettext("Erased: now “%(name)s”.") % {"name": pseudonym_label(person)})
        for section, count in sorted(done.items()):
            if count:
                self.stdout.write(f"  {section}: {count}")
