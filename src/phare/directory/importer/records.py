"""A few people given as records, not as a file: the provisioning of one person at a time (SCIM).

The records go through the very :class:`~phare.directory.importer.checking.Checker` of the CSV
import, line by line and then across lines (employee id required and unique, valid email,
codes found or created, managers known and without cycles), then through the same plan and
writes; nobody absent from the records is deactivated. One rule more than a file needs: an
active person's email may not be the email of another active person of the directory (a whole
file is checked against itself; a few records are checked against everyone).

Each record maps column keys (``employee_id``, ``first_name``… as in the CSV header, see
:data:`~phare.directory.importer.reading.COLUMNS`) to text; every record gives the same keys,
and a key left out leaves that field as it is. Errors carry the record's position (1 for the
first) as their line and the column key as their column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from phare.directory.importer.checking import Checker
from phare.directory.importer.reading import Header
from phare.directory.importer.report import DirectoryImportError, ImportReport
from phare.directory.importer.writing import Plan, Snapshot, write
from phare.directory.models import Person
from phare.lib.imports import RowError


def upsert_people(records: Sequence[Mapping[str, str]]) -> ImportReport:
    """Check ``records``, then create or update those people; or raise
    :class:`DirectoryImportError` with every error and write nothing. The caller records the
    change in the audit trail (in its own transaction, which this one joins)."""
    errors: list[RowError] = []
    if not records:
        return ImportReport()
    keys = list(records[0])
    if any(list(record) != keys for record in records):
        raise ValueError("every record must give the same keys, in the same order")
    header = Header(keys, errors)
    if errors:
        raise DirectoryImportError(errors)
    around = {record["employee_id"].strip() for record in records}
    around |= {record["manager_id"].strip() for record in records if record.get("manager_id")}
    snapshot = Snapshot.load(around - {""})
    checker = Checker(header, snapshot, errors)
    for line, record in enumerate(records, start=1):
        checker.check_line(line, [record[key] for key in keys])
    checker.check_managers()
    checker.check_unit_parents()
    _check_emails_against_directory(checker)
    if errors:
        raise DirectoryImportError(errors)
    plan = Plan.make(checker, snapshot, deactivate_missing=False)
    with transaction.atomic():
        write(plan, _no_progress)
    return plan.report


def _check_emails_against_directory(checker: Checker) -> None:
    active = {row.email.lower(): row for row in checker.rows.values() if row.active and row.email}
    if not active:
        return
    any_email = Q()
    for email in active:
        any_email |= Q(email__iexact=email)
    others = (Person.objects.filter(any_email, active=True)
              .exclude(employee_id__in=checker.rows).values_list("email", "employee_id"))
    for email, employee_id in others:
        row = active.get(email.lower())
        if row is not None:
            checker.error(row.line, "email", gettext(
                "'%(value)s' is already the email address of an active person (employee id "
                "%(other)s)") % {"value": row.email, "other": employee_id})


def _no_progress(done: int, total: int, message: str) -> None:
    pass
