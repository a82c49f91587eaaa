"""Keeping Phare's directory in step with the LDAP / Active Directory server.

:func:`sync` reads every person under ``PHARE_LDAP_BASE_DN`` that ``PHARE_LDAP_SYNC_FILTER``
finds (by default: every person with an employee id), in pages (Active Directory answers 1,000
entries at most at a time), and turns them into the directory importer's input: one CSV line
per entry, with the employee id, names, email, language, business unit, manager and whether
the account is enabled. That goes through the very path of a CSV import
(:func:`phare.directory.importer.import_people`): every rule checked, every error collected,
nothing written when there is one, everything written in one transaction otherwise, the same
:class:`ImportReport`, and the same audit entry (action "import", with ``"origin": "ldap"``).
People the server no longer lists are deactivated (``deactivate_missing``).

What an entry gives:

- the employee id, names and email from their attributes (``PHARE_LDAP_*_ATTRIBUTE``);
- the language (``PHARE_LDAP_LANGUAGE_ATTRIBUTE``, ``fr``/``en``, ``fr-FR`` read as ``fr``)
  when the entry has one Phare knows; otherwise the person keeps the language they have
  (French for someone new);
- the business unit (``PHARE_LDAP_UNIT_FROM``): an attribute's value, the nearest OU of the
  entry's DN, or nothing read (``none``: units stay as they are). Units are found by code and
  created when new, as in a CSV import;
- the manager (``PHARE_LDAP_MANAGER_ATTRIBUTE``), a DN: the employee id of that entry, which
  must be among the people read — otherwise the entry is refused, Phare does not guess;
- active unless Active Directory's ``userAccountControl`` says the account is disabled.

Errors name the entry's DN and the attribute instead of a line and a column.
``PHARE_LDAP_SYNC_HOURS`` runs :func:`periodic_step` from the worker's tick; ``phare ldap-sync``
runs it by hand (``--dry-run`` checks and counts without writing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext, ngettext, pgettext
from ldap3 import SUBTREE
from ldap3.core.exceptions import LDAPException
from ldap3.utils.dn import parse_dn

from phare.directory.importer import (
    DirectoryImportError,
    ImportReport,
    Progress,
    RowError,
    import_people,
)
from phare.directory.importer.checking import LANGUAGE_WORDS
from phare.directory.models import Person
from phare.lib.imports import ImportFailed
from phare.signon import ldap
from phare.signon.ldap import DirectoryUnavailable

logger = logging.getLogger(__name__)

#: Entries asked for at a time (Active Directory's MaxPageSize is 1,000).
PAGE_SIZE = 500
#: The cache key that keeps the periodic sync to one run per PHARE_LDAP_SYNC_HOURS.
_DUE_KEY = "phare:signon:ldap-sync-due"
#: How the importer's reasons point at another line ("already on line 12").
_LINE = re.compile(r"\b(?:line|ligne) (\d+)")
__all__ = ["EntryError", "LDAPSyncError", "periodic_step", "sync"]


@dataclass(frozen=True, slots=True)
class EntryError:
    """One problem of the directory: which entry (its DN), which attribute, and why."""

    dn: str
    attribute: str
    reason: str

    def __str__(self) -> str:
        if not self.attribute:
            return gettext("%(dn)s: %(reason)s") % asdict(self)
        return gettext("%(dn)s, attribute %(attribute)s: %(reason)s") % asdict(self)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class LDAPSyncError(ImportFailed):
    """The entries have errors and nothing was written; ``errors`` lists every one
    (:class:`EntryError`), in the order the server gave the entries."""

    def __str__(self) -> str:
        count = len(self.errors)
        return ngettext("The LDAP directory has %(count)d error; nothing was imported.",
                        "The LDAP directory has %(count)d errors; nothing was imported.",
                        count) % {"count": count}


def sync_filter() -> str:
    """``PHARE_LDAP_SYNC_FILTER``, or every person with an employee id."""
    return settings.PHARE_LDAP_SYNC_FILTER or (
        f"(&(objectClass=person)({settings.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE}=*))")


def _unit_attribute() -> str:
    kind, _sep, attribute = settings.PHARE_LDAP_UNIT_FROM.partition(":")
    return attribute if kind == "attribute" else ""


def _attributes() -> list[str]:
    names = [settings.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE, settings.PHARE_LDAP_FIRST_NAME_ATTRIBUTE,
             settings.PHARE_LDAP_LAST_NAME_ATTRIBUTE, settings.PHARE_LDAP_EMAIL_ATTRIBUTE,
             settings.PHARE_LDAP_LANGUAGE_ATTRIBUTE, settings.PHARE_LDAP_MANAGER_ATTRIBUTE,
             _unit_attribute(), "userAccountControl"]
    return list(dict.fromkeys(name for name in names if name))


def read_entries() -> list[tuple[str, dict[str, list[str]]]]:
    """Every person the sync reads, as ``(dn, {attribute: values})``, page after page."""
    base, query = settings.PHARE_LDAP_BASE_DN, sync_filter()
    with ldap.service_connection() as conn:
        try:
            items = conn.extend.standard.paged_search(
                base, query, search_scope=SUBTREE, attributes=_attributes(),
                paged_size=PAGE_SIZE, generator=False)
        except LDAPException as exc:
            raise DirectoryUnavailable(f"search of {base} with {query}: {exc}") from exc
        if conn.result and conn.result.get("result") not in (0, 4):
            raise DirectoryUnavailable(f"search of {base} with {query}: "
                                       f"{conn.result.get('description')} "
                                       f"{conn.result.get('message') or ''}".strip())
        found = [ldap.entry(item) for item in items or [] if item.get("type") == "searchResEntry"]
    # In the order of their DNs, whatever order the server answers in: reports and errors are
    # the same from one run to the next.
    return sorted(found, key=lambda item: ldap.normal_dn(item[0]))


def _nearest_ou(dn: str) -> str:
    try:
        parts = parse_dn(dn, escape=False, strip=True)
    except LDAPException:
        return ""
    return next((value.strip() for name, value, _sep in parts if name.strip().lower() == "ou"),
                "")


@dataclass
class Batch:
    """The entries as the importer's CSV input, and which DN each line of it comes from."""

    text: str
    columns: dict[str, str]  # CSV column -> the LDAP attribute it comes from
    dns: dict[int, str] = field(default_factory=dict)  # physical line -> DN
    errors: list[RowError] = field(default_factory=list)  # found before the importer's checks

    @classmethod
    def make(cls, entries: list[tuple[str, dict[str, list[str]]]],
             languages: Mapping[str, str]) -> Batch:
        s = settings
        columns = {"employee_id": s.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE,
                   "first_name": s.PHARE_LDAP_FIRST_NAME_ATTRIBUTE,
                   "last_name": s.PHARE_LDAP_LAST_NAME_ATTRIBUTE,
                   "email": s.PHARE_LDAP_EMAIL_ATTRIBUTE}
        if s.PHARE_LDAP_LANGUAGE_ATTRIBUTE:
            columns["language"] = s.PHARE_LDAP_LANGUAGE_ATTRIBUTE
        if s.PHARE_LDAP_UNIT_FROM != "none":
            columns["business_unit"] = _unit_attribute() or "dn (ou)"
        if s.PHARE_LDAP_MANAGER_ATTRIBUTE:
            columns["manager_id"] = s.PHARE_LDAP_MANAGER_ATTRIBUTE
        columns["active"] = "userAccountControl"
        employee_of = {ldap.normal_dn(dn): ldap.first(values, s.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE)
                       for dn, values in entries}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(list(columns))
        batch = cls(text="", columns=columns)
        line = 2
        for dn, values in entries:
            row = batch._row(dn, values, line, employee_of, languages)
            start = out.tell()
            writer.writerow([row[column] for column in columns])
            batch.dns[line] = dn
            line += out.getvalue()[start:].count("\n")
        batch.text = out.getvalue()
        return batch

    def _row(self, dn: str, values: Mapping[str, list[str]], line: int,
             employee_of: Mapping[str, str], languages: Mapping[str, str]) -> dict[str, str]:
        s, columns = settings, self.columns
        employee_id = ldap.first(values, s.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE)
        row = {column: ldap.first(values, attribute) for column, attribute in columns.items()
               if column in ("employee_id", "first_name", "last_name", "email")}
        if "language" in columns:
            row["language"] = _language(ldap.first(values, columns["language"])) \
                or languages.get(employee_id, "")
        if "business_unit" in columns:
            unit = _unit_attribute()
            row["business_unit"] = ldap.first(values, unit) if unit else _nearest_ou(dn)
        if "manager_id" in columns:
            manager = ldap.first(values, columns["manager_id"])
            row["manager_id"] = employee_of.get(ldap.normal_dn(manager), "") if manager else ""
            if manager and not row["manager_id"]:
                self.errors.append(RowError(line, "manager_id", gettext(
                    "the manager %(manager)s is not among the people the sync reads (with an "
                    "employee id, under PHARE_LDAP_BASE_DN, found by PHARE_LDAP_SYNC_FILTER)")
                    % {"manager": manager}))
        row["active"] = "0" if ldap.disabled(values) else "1"
        return row

    def entry_errors(self, errors: Iterable[RowError]) -> list[EntryError]:
        """The importer's errors (by line and column) told by DN and attribute."""
        found = []
        order = list(self.columns)
        for error in sorted(errors, key=lambda error: (
                error.line, order.index(error.column) if error.column in order else -1)):
            dn = self.dns.get(error.line) or settings.PHARE_LDAP_BASE_DN
            reason = _LINE.sub(lambda match: self._entry(int(match.group(1)), match.group(0)),
                               error.reason)
            found.append(EntryError(dn, self.columns.get(error.column, error.column), reason))
        return found

    def _entry(self, line: int, text: str) -> str:
        dn = self.dns.get(line)
        if dn is None:
            return text
        return pgettext("an LDAP entry, in place of 'line 12' in an import error",
                        "entry %(dn)s") % {"dn": dn}


def _language(value: str) -> str:
    """``fr`` or ``en`` from ``fr``, ``fr-FR``, ``en_GB``, ``French``…; "" for anything else."""
    word = value.strip().lower()
    code = re.split(r"[-_;,\s]", word, maxsplit=1)[0] if word else ""
    return LANGUAGE_WORDS.get(word) or LANGUAGE_WORDS.get(code) or ""


def sync(*, dry_run: bool = False, deactivate_missing: bool = True, user: Any = None,
         progress: Progress | None = None) -> ImportReport:
    """Import the people of the LDAP directory as a CSV import would; the report.

    Raises :class:`LDAPSyncError` (every error, by DN; nothing written) or
    :class:`DirectoryUnavailable` (the server could not be read; nothing written)."""
    entries = read_entries()
    if not entries:
        # Most likely a wrong base or filter: importing nobody would deactivate everyone.
        raise LDAPSyncError([EntryError(settings.PHARE_LDAP_BASE_DN, "", gettext(
            "the search (filter %(filter)s) found nobody; nothing was imported, since that "
            "would deactivate everyone") % {"filter": sync_filter()})])
    # Everyone's, in one query (as the importer loads the directory): an IN list of 100,000
    # employee ids would be more than SQLite takes.
    languages = dict(Person.objects.values_list("employee_id", "language"))
    batch = Batch.make(entries, languages)
    try:
        # With errors already found, the importer only checks (a dry run), to list its own too.
        report = import_people(io.BytesIO(batch.text.encode()),
                               deactivate_missing=deactivate_missing,
                               dry_run=dry_run or bool(batch.errors), progress=progress,
                               user=user, origin=ldap.PROVIDER)
    except DirectoryImportError as exc:
        raise LDAPSyncError(batch.entry_errors([*batch.errors, *exc.errors])) from None
    if batch.errors:
        raise LDAPSyncError(batch.entry_errors(batch.errors))
    return report


def periodic_step(now: dt.datetime) -> dict[str, Any] | None:
    """The worker's step: a sync every ``PHARE_LDAP_SYNC_HOURS`` (None when none was due).

    A refused or impossible sync is logged and reported, and tried again at the next interval,
    not at every tick."""
    hours = settings.PHARE_LDAP_SYNC_HOURS
    if not hours or not ldap.enabled():
        return None
    if not cache.add(_DUE_KEY, now.isoformat(), timeout=hours * 3600):
        return None
    try:
        report = sync()
    except LDAPSyncError as exc:
        logger.error("LDAP sync refused: %s\n%s", exc, "\n".join(map(str, exc.errors[:100])))
        return {"refused": [error.as_dict() for error in exc.errors[:100]],
                "errors": len(exc.errors)}
    except DirectoryUnavailable as exc:
        logger.error("LDAP sync impossible: %s", exc.detail)
        return {"unavailable": exc.detail}
    return report.as_dict()
