"""``phare privacy-export EMPLOYEE_ID -o FILE``: the archive of everything Phare holds about a
person (right of access), written to FILE; the export is audited."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from phare.directory.models import Person
from phare.privacy.services.access import access_archive


class Command(BaseCommand):
    help = ("Write the archive (ZIP: JSON, CSV, README) of everything Phare holds about the "
            "person of EMPLOYEE_ID.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("employee_id")
        parser.add_argument("-o", "--output", required=True, help="the ZIP file to write")

    def handle(self, *args, **options) -> None:
        employee_id = options["employee_id"].strip()
        try:
            person = Person.objects.get(employee_id=employee_id)
        except Person.DoesNotExist:
            raise CommandError(gettext("No person has the employee id “%(id)s”.")
                               % {"id": employee_id}) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(gettext("%(path)s: no such folder.") % {"path": output.parent})
        content = access_archive(person, actor=None)
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(output)
        self.stdout.write(gettext("Archive written: %(path)s (%(size)s bytes)")
                          % {"path": output, "size": len(content)})
