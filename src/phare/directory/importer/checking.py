"""Every rule of the directory file, checked line by line and then across lines.

Nothing stops at the first error: each one is collected with its line and column, so a person
can fix the whole file in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils.translation import gettext

from phare.directory.importer.reading import (
    REQUIRED_COLUMNS,
    Header,
    count_lines,
    normalise,
    records,
)
from phare.directory.importer.report import DirectoryImportError, Progress
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.lib.imports import RowError

if TYPE_CHECKING:
    from phare.directory.importer.writing import Snapshot

# Calling back on every line would cost more than the checks themselves.
PROGRESS_EVERY = 1000
LANGUAGE_WORDS = {"fr": "fr", "francais": "fr", "french": "fr",
                  "en": "en", "english": "en", "anglais": "en"}
ACTIVE_WORDS = {"1": True, "true": True, "yes": True, "oui": True, "vrai": True,
                "0": False, "false": False, "no": False, "non": False, "faux": False}
# kind -> the attributes lines may give for it (column "<kind>_<attribute>").
REF_ATTRIBUTES = {"business_unit": ("name", "parent"), "site": ("name", "city", "country"),
                  "job_family": ("name",)}
# What a person is, as compared between the file and the database. Units, sites, job families
# and managers are compared by code / employee id; "" means none.
STATE_FIELDS = ("first_name", "last_name", "email", "language", "business_unit", "site",
                "job_family", "manager_id", "active")
STATE_DEFAULTS = ("", "", "", "fr", "", "", "", "", True)
MANAGER = STATE_FIELDS.index("manager_id")


def _max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a field with a max_length")
    return field.max_length


MAX_LENGTHS = {
    "employee_id": _max_length(Person, "employee_id"),
    "first_name": _max_length(Person, "first_name"),
    "last_name": _max_length(Person, "last_name"),
    "email": _max_length(Person, "email"),
    "manager_id": _max_length(Person, "employee_id"),
    "business_unit": _max_length(BusinessUnit, "code"),
    "business_unit_name": _max_length(BusinessUnit, "name"),
    "business_unit_parent": _max_length(BusinessUnit, "code"),
    "site": _max_length(Site, "code"),
    "site_name": _max_length(Site, "name"),
    "site_city": _max_length(Site, "city"),
    "job_family": _max_length(JobFamily, "code"),
    "job_family_name": _max_length(JobFamily, "name"),
}
_validate_email = EmailValidator()


@dataclass(slots=True)
class Row:
    """One person as the file describes them; None: the column is absent from the file."""

    line: int
    employee_id: str
    first_name: str
    last_name: str
    email: str
    language: str | None
    business_unit: str | None
    site: str | None
    job_family: str | None
    manager_id: str | None
    active: bool

    def state(self, old: tuple | None) -> tuple:
        """The person once imported: the file's values, or the old ones for absent columns."""
        values = (self.first_name, self.last_name, self.email, self.language,
                  self.business_unit, self.site, self.job_family, self.manager_id, self.active)
        base = old or STATE_DEFAULTS
        return tuple(base[i] if value is None else value for i, value in enumerate(values))


@dataclass(slots=True)
class Ref:
    """A unit, site or job family the file mentions: attribute -> (first value given, line)."""

    attrs: dict[str, tuple[str, int]] = field(default_factory=dict)


class Checker:
    """Checks lines one by one (``check_line``), then across lines; collects every error."""

    def __init__(self, header: Header, snapshot: Snapshot, errors: list[RowError]) -> None:
        self.header, self.snapshot, self.errors = header, snapshot, errors
        self.rows: dict[str, Row] = {}
        # Employee ids seen on lines too broken to check, so they are not "unknown managers".
        self.unreadable_ids: set[str] = set()
        self.emails: dict[str, int] = {}
        self.refs: dict[str, dict[str, Ref]] = {kind: {} for kind in REF_ATTRIBUTES}
        # kind -> [(attribute, column key)] for the attribute columns this file has.
        self.ref_columns = {
            kind: [(name, f"{kind}_{name}") for name in names if header.has(f"{kind}_{name}")]
            for kind, names in REF_ATTRIBUTES.items()
        }
        # The last (code, attributes) seen per kind: most lines repeat the previous unit/site.
        self.last_ref: dict[str, tuple] = {}

    def error(self, line: int, key: str, reason: str) -> None:
        self.errors.append(RowError(line, self.header.names.get(key, key), reason))

    def check_line(self, line: int, fields: list[str]) -> None:
        header = self.header
        if len(fields) != header.width:
            self._wrong_width(line, fields)
            return
        values = {key: fields[position].strip() for key, position in header.index.items()}
        for key, value in values.items():
            limit = MAX_LENGTHS.get(key)
            if limit and len(value) > limit:
                shown = value if len(value) <= 60 else f"{value[:60]}…"
                self.error(line, key, gettext("'%(value)s' is longer than %(limit)d characters")
                           % {"value": shown, "limit": limit})
        for key in REQUIRED_COLUMNS:
            if not values[key]:
                self.error(line, key, gettext("a value is required"))
        row = Row(
            line=line, employee_id=values["employee_id"], first_name=values["first_name"],
            last_name=values["last_name"], email=values["email"],
            language=self._language(line, values.get("language")),
            business_unit=values.get("business_unit"), site=values.get("site"),
            job_family=values.get("job_family"), manager_id=values.get("manager_id"),
            active=self._active(line, values.get("active")),
        )
        self._check_email(row)
        for kind in REF_ATTRIBUTES:
            self._declare_ref(line, kind, values)
        if not row.employee_id:
            return
        first = self.rows.setdefault(row.employee_id, row)
        if first is not row:
            self.error(line, "employee_id", gettext(
                "employee id '%(value)s' is already on line %(other)d") % {
                "value": row.employee_id, "other": first.line})

    def _wrong_width(self, line: int, fields: list[str]) -> None:
        found, expected = len(fields), self.header.width
        reason = gettext("this line has %(found)d fields, the header has %(expected)d") % {
            "found": found, "expected": expected}
        if any("\n" in value for value in fields):
            reason += gettext(" (a quote may be missing: the line runs onto the next ones)")
        self.error(line, "", reason)
        position = self.header.index.get("employee_id")
        if position is not None and position < found:
            self.unreadable_ids.add(fields[position].strip())

    def _language(self, line: int, value: str | None) -> str | None:
        if value is None:
            return None
        if not value:
            return "fr"
        language = LANGUAGE_WORDS.get(value.lower()) or LANGUAGE_WORDS.get(normalise(value))
        if language is None:
            self.error(line, "language", gettext(
                "'%(value)s' is not a language; use fr or en") % {"value": value})
        return language or "fr"

    def _active(self, line: int, value: str | None) -> bool:
        if not value:
            return True
        active = ACTIVE_WORDS.get(value.lower())
        if active is None:
            self.error(line, "active", gettext(
                "'%(value)s' is not a yes/no value; use 1/0, true/false, yes/no or oui/non")
                % {"value": value})
        return active is not False

    def _check_email(self, row: Row) -> None:
        if not row.email:
            return
        try:
            _validate_email(row.email)
        except ValidationError:
            self.error(row.line, "email", gettext("'%(value)s' is not a valid email address")
                       % {"value": row.email})
            return
        if not row.active:
            return
        other = self.emails.setdefault(row.email.lower(), row.line)
        if other != row.line:
            self.error(row.line, "email", gettext(
                "'%(value)s' is already the email address of an active person on line "
                "%(other)d") % {"value": row.email, "other": other})

    def _declare_ref(self, line: int, kind: str, values: dict[str, str]) -> None:
        code = values.get(kind)
        given = [(name, values[key]) for name, key in self.ref_columns[kind] if values[key]]
        if code and self.last_ref.get(kind) == (code, given):
            return  # Same as a line already checked without error.
        errors_before = len(self.errors)
        if not code:
            for name, _value in given:
                self.error(line, f"{kind}_{name}", gettext(
                    "a value is given here but column %(column)s is empty") % {
                    "column": self.header.names.get(kind, kind)})
            return
        ref = self.refs[kind].setdefault(code, Ref())
        for name, value in given:
            if name == "country":
                value = self._country(line, value)
            first = ref.attrs.setdefault(name, (value, line))
            if first[0] != value:
                self.error(line, f"{kind}_{name}", gettext(
                    "'%(value)s' differs from '%(other)s' given for %(code)s on line %(line)d")
                    % {"value": value, "other": first[0], "code": code, "line": first[1]})
        if len(self.errors) == errors_before:
            self.last_ref[kind] = (code, given)

    def _country(self, line: int, value: str) -> str:
        country = value.upper()
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            self.error(line, "site_country", gettext(
                "'%(value)s' is not a two-letter country code (ISO 3166-1)") % {"value": value})
        return country

    def check_managers(self) -> None:
        if not self.header.has("manager_id"):
            return
        known = self.snapshot.people
        for row in self.rows.values():
            manager = row.manager_id
            if not manager:
                continue
            if manager == row.employee_id:
                self.error(row.line, "manager_id", gettext("a person cannot be their own manager"))
            elif not (manager in self.rows or manager in known or manager in self.unreadable_ids):
                self.error(row.line, "manager_id", gettext(
                    "'%(value)s' is neither an employee id in the file nor a person in the "
                    "directory") % {"value": manager})

        def manager_of(employee_id: str) -> str | None:
            row = self.rows.get(employee_id)
            if row is not None:
                manager = row.manager_id
            else:
                old = known.get(employee_id)
                manager = old.state[MANAGER] if old else ""
            return manager if manager and manager != employee_id else None

        for cycle in find_cycles(self.rows, manager_of):
            path = " → ".join([*cycle, cycle[0]])
            for employee_id in cycle:
                if employee_id in self.rows:
                    self.error(self.rows[employee_id].line, "manager_id", gettext(
                        "managers form a cycle: %(path)s") % {"path": path})

    def check_unit_parents(self) -> None:
        units, known = self.refs["business_unit"], self.snapshot.refs["business_unit"]
        for code, ref in units.items():
            if "parent" not in ref.attrs:
                continue
            parent, line = ref.attrs["parent"]
            if parent == code:
                self.error(line, "business_unit_parent", gettext(
                    "a business unit cannot be its own parent"))
            elif parent not in units and parent not in known:
                self.error(line, "business_unit_parent", gettext(
                    "'%(value)s' is neither a business unit in the file nor in the directory")
                    % {"value": parent})

        def parent_of(code: str) -> str | None:
            if code in units and "parent" in units[code].attrs:
                parent = units[code].attrs["parent"][0]
            else:
                parent = known[code]["parent"] if code in known else ""
            return parent if parent and parent != code else None

        for cycle in find_cycles(units, parent_of):
            path = " → ".join([*cycle, cycle[0]])
            for code in cycle:
                if code in units and "parent" in units[code].attrs:
                    self.error(units[code].attrs["parent"][1], "business_unit_parent",
                               gettext("business units form a cycle: %(path)s") % {"path": path})


def find_cycles(starts: Iterable[str], parent_of: Callable[[str], str | None],
                ) -> list[list[str]]:
    """The cycles reachable from ``starts`` when following ``parent_of``, each found once."""
    walk_of: dict[str, int] = {}
    cycles = []
    for walk, start in enumerate(starts):
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in walk_of:
            walk_of[node] = walk
            path.append(node)
            node = parent_of(node)
        # Back on this walk's own path: a cycle. On an earlier walk's: already handled.
        if node is not None and walk_of[node] == walk:
            cycles.append(path[path.index(node):])
    return cycles


def check_file(text: str, snapshot: Snapshot, progress: Progress) -> Checker:
    """Check every line of the file; the checker holds the rows, references and errors."""
    errors: list[RowError] = []
    lines = records(text)
    total = count_lines(text)
    first = next(lines, None)
    if first is None or first[1] is None or not any(f.strip() for f in first[1]):
        errors.append(RowError(1, "", gettext("the first line must name the columns")))
        raise DirectoryImportError(errors)
    header = Header(first[1], errors)
    if errors:
        raise DirectoryImportError(errors)
    checker = Checker(header, snapshot, errors)
    message = gettext("Checking lines")
    for count, (line, fields) in enumerate(lines, start=1):
        if fields is None:
            checker.error(line, "", gettext(
                "this line cannot be read as CSV (a quote may be missing); the lines after it "
                "were not checked"))
        elif any(value.strip() for value in fields):
            checker.check_line(line, fields)
        if count % PROGRESS_EVERY == 0:
            progress(line, total, message)
    if not checker.rows and not errors:
        # Most likely a truncated export: importing it would deactivate everyone.
        checker.error(1, "", gettext("the file lists nobody: no line follows the header"))
    checker.check_managers()
    checker.check_unit_parents()
    # Line by line, and left to right within a line, as a person reads the file.
    position = {header.names[key]: index for key, index in header.index.items()}
    errors.sort(key=lambda error: (error.line, position.get(error.column, -1)))
    progress(total, total, message)
    return checker
