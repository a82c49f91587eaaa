"""Checking a catalogue file: every table, every row, every rule, every error with its place.

Header errors (unknown, duplicate, missing or unnamed columns, unknown or repeated tables) are
reported alone: with a wrong header every row would be read wrongly. Then each row is checked,
and each service the file changes is checked whole by ``content.check_content``, whose
``commitments[2].target`` keys are placed on the row of that commitment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from django.utils.translation import gettext as _

from phare.catalog.content import CHILD_FIELDS, Content, check_content, normalise
from phare.catalog.models import Service
from phare.catalog.services import LIFECYCLE_TRANSITIONS, RESERVED_SLUGS
from phare.catalog.transfer.report import CatalogImportError, TableError
from phare.catalog.transfer.snapshot import ServiceState, Snapshot
from phare.catalog.transfer.tables import (
    CHILD_TABLES,
    LIST_FIELDS,
    SERVICE_FIELDS,
    TABLES,
    Sheet,
    cell_text,
    parse_flag,
    parse_list,
)

SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's slug
CHILD_KEY = re.compile(r"(\w+)\[(\d+)\]\.(\w+)")
L = Service.Lifecycle


@dataclass
class Row:
    number: int  # the spreadsheet row: the header is row 1
    values: dict[str, str]


@dataclass
class Requested:
    """A service the file names, as the file wants it."""

    slug: str
    row: int  # its row in the services table; 0 when the file has no services table
    existing: ServiceState | None
    lifecycle: str
    publication: str
    content: Content  # normalised; children in file order
    child_rows: dict[str, list[int]] = field(default_factory=dict)  # parallel to content[kind]


class Checker:
    """Reads the sheets into rows, checks them, and keeps what the file asks for."""

    def __init__(self, sheets: list[Sheet], snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.errors: list[TableError] = []
        self.tables: dict[str, list[Row]] = {}
        self.families: dict[str, dict[str, object]] = {}  # code -> values, from the file
        self.requested: dict[str, Requested] = {}
        self._read(sheets)
        if self.errors:
            raise CatalogImportError(self.errors)
        if "families" in self.tables:
            self._check_families()
        self._check_services()
        if self.errors:
            raise CatalogImportError(self.errors)

    def error(self, table: str, row: int, column: str, reason: str) -> None:
        self.errors.append(TableError(table, row, column, reason))

    # Reading ------------------------------------------------------------------------------

    def _read(self, sheets: list[Sheet]) -> None:
        for sheet in sheets:
            name = sheet.name.strip().lower()
            if name not in TABLES:
                self.error(sheet.name, 0, "", _("unknown table; the tables are: %(tables)s") % {
                    "tables": ", ".join(TABLES)})
            elif name in self.tables:
                self.error(sheet.name, 0, "", _("this table appears twice in the file"))
            elif not sheet.cells or not any(cell.strip() for cell in sheet.cells[0]):
                self.error(name, 1, "", _("the header row is missing"))
                self.tables[name] = []
            else:
                self.tables[name] = self._rows(name, sheet.cells)
        if not sheets:
            self.error("", 0, "", _("the file holds none of the tables %(tables)s") % {
                "tables": ", ".join(TABLES)})

    def _rows(self, table: str, cells: list[list[str]]) -> list[Row]:
        header = [cell.strip().lower() for cell in cells[0]]
        columns: dict[str, int] = {}
        for index, name in enumerate(header):
            if not name:
                if any(index < len(row) and row[index].strip() for row in cells[1:]):
                    self.error(table, 1, "", _("column %(number)d has values but no name") % {
                        "number": index + 1})
            elif name not in TABLES[table]:
                self.error(table, 1, cells[0][index].strip(), _(
                    "unknown column; the columns are: %(columns)s") % {
                        "columns": ", ".join(TABLES[table])})
            elif name in columns:
                self.error(table, 1, name, _("this column appears twice"))
            else:
                columns[name] = index
        for name in TABLES[table]:
            if name not in columns:
                self.error(table, 1, name, _("this column is missing"))
        rows = []
        for number, cells_of_row in enumerate(cells[1:], start=2):
            values = {name: cell_text(table, name, cells_of_row[index].strip())
                      if index < len(cells_of_row) else "" for name, index in columns.items()}
            if any(values.values()):  # blank rows are skipped
                rows.append(Row(number, values))
        return rows

    # Families -----------------------------------------------------------------------------

    def _check_families(self) -> None:
        seen: dict[str, int] = {}
        for row in self.tables["families"]:
            values: dict[str, object] = dict(row.values)
            code = row.values["code"]
            if self._check_code(row, "families", "code", 40, seen):
                self.families[code] = values
            for name, limit, required in (("name_fr", 120, True), ("name_en", 120, True),
                                          ("description_fr", 300, False),
                                          ("description_en", 300, False)):
                self._check_text(row, "families", name, limit, required=required)
            position = row.values["position"] or "0"
            if not position.isdigit() or int(position) > 32767:
                self.error("families", row.number, "position", _(
                    "'%(value)s' is not a whole number from 0 to 32767") % {"value": position})
            else:
                values["position"] = int(position)

    def _check_code(self, row: Row, table: str, column: str, limit: int,
                    seen: dict[str, int]) -> bool:
        value = row.values[column]
        if not value:
            self.error(table, row.number, column, _("a value is required"))
        elif len(value) > limit:
            self.error(table, row.number, column, _("at most %(limit)d characters") % {
                "limit": limit})
        elif not SLUG.fullmatch(value):
            self.error(table, row.number, column, _(
                "'%(value)s' may hold only letters, digits, hyphens and underscores") % {
                    "value": value})
        elif value in seen:
            self.error(table, row.number, column, _("'%(value)s' is already on row %(row)d") % {
                "value": value, "row": seen[value]})
        else:
            seen[value] = row.number
            return True
        return False

    def _check_text(self, row: Row, table: str, column: str, limit: int, *,
                    required: bool) -> None:
        value = row.values[column]
        if required and not value:
            self.error(table, row.number, column, _("a value is required"))
        elif len(value) > limit:
            self.error(table, row.number, column, _(
                "at most %(limit)d characters (%(count)d given)") % {
                    "limit": limit, "count": len(value)})

    # Services -----------------------------------------------------------------------------

    def _check_services(self) -> None:
        in_file = "services" in self.tables
        seen: dict[str, int] = {}
        unnamed: list[Requested] = []  # rows whose slug is wrong: still checked, never written
        for row in self.tables.get("services", []):
            slug = row.values["slug"]
            valid = self._check_code(row, "services", "slug", 80, seen)
            if valid and slug in RESERVED_SLUGS and slug not in self.snapshot.services:
                # The catalogue's own pages use these words in their addresses.
                self.error("services", row.number, "slug", _(
                    "'%(value)s' is reserved by Phare; choose another identifier") % {
                        "value": slug})
                valid = False
            existing = self.snapshot.services.get(slug) if valid else None
            requested = Requested(slug, row.number, existing, *self._states(row, existing),
                                  content=self._row_content(row, existing))
            if valid:
                self.requested[slug] = requested
            else:
                unnamed.append(requested)
        children = self._children(set(seen) if in_file else set(self.snapshot.services))
        if not in_file:  # child tables alone: the services they name, as they are
            for slug in children:
                existing = self.snapshot.services[slug]
                self.requested[slug] = Requested(slug, 0, existing, existing.lifecycle,
                                                 existing.publication, dict(existing.content))
        for requested in self.requested.values():
            for kind in CHILD_TABLES:
                if kind in self.tables:
                    found = children.get(requested.slug, {}).get(kind, [])
                    requested.content[kind] = [values for _number, values in found]
                    requested.child_rows[kind] = [number for number, _values in found]
        for requested in [*self.requested.values(), *unnamed]:
            requested.content = normalise(requested.content)
        known = set(self.snapshot.services) | set(self.requested)
        for requested in [*self.requested.values(), *unnamed]:
            if requested.existing is None or is_changed(requested):
                self._check_content(requested, known)
                self._check_lifecycle(requested)

    def _states(self, row: Row, existing: ServiceState | None) -> tuple[str, str]:
        states = []
        for name, choices, default in (("lifecycle", Service.Lifecycle, L.PROPOSED),
                                       ("publication", Service.Publication,
                                        Service.Publication.DRAFT)):
            value = row.values[name]
            if not value:  # empty: as it is, or the default for a new service
                value = getattr(existing, name) if existing else default
            elif value not in choices.values:
                self.error("services", row.number, name, _(
                    "'%(value)s' is not one of %(choices)s") % {
                        "value": value, "choices": ", ".join(choices.values)})
            states.append(value)
        return states[0], states[1]

    def _row_content(self, row: Row, existing: ServiceState | None) -> Content:
        data = dict(existing.content) if existing else normalise({})
        for name in SERVICE_FIELDS:
            value = row.values[name]
            if name in LIST_FIELDS:
                data[name] = parse_list(value)
            elif name == "audience_everyone":
                flag = parse_flag(value)
                if flag is None:
                    self.error("services", row.number, name, _(
                        "'%(value)s' is not 1 (yes) or 0 (no)") % {"value": value})
                data[name] = True if flag is None else flag
            else:
                data[name] = value
        return data

    def _children(self, services: set[str]) -> dict[str, dict[str, list[tuple[int, dict]]]]:
        """service slug -> table -> (row number, values) of its children, in file order."""
        found: dict[str, dict[str, list[tuple[int, dict]]]] = {}
        where = (_("'%(value)s' is not in the services table") if "services" in self.tables
                 else _("'%(value)s' is not a service of the catalogue"))
        for kind in CHILD_TABLES:
            for row in self.tables.get(kind, []):
                slug = row.values["service"]
                if not slug:
                    self.error(kind, row.number, "service", _("a value is required"))
                elif slug not in services:
                    self.error(kind, row.number, "service", where % {"value": slug})
                else:
                    values = {key: row.values[key] for key in CHILD_FIELDS[kind]}
                    found.setdefault(slug, {}).setdefault(kind, []).append((row.number, values))
        return found

    def _check_content(self, requested: Requested, known: set[str]) -> None:
        problems = check_content(requested.content, slug=requested.slug, known_slugs=known)
        if requested.content["family"] in self.families:
            problems.pop("family", None)  # created by this import
        for key, reason in problems.items():
            self.error(*self._place(requested, key), reason)

    def _place(self, requested: Requested, key: str) -> tuple[str, int, str]:
        match = CHILD_KEY.fullmatch(key)
        if match:
            kind, index, column = match[1], int(match[2]), match[3]
            rows = requested.child_rows.get(kind, [])
            if index <= len(rows):
                return kind, rows[index - 1], column
        if requested.row:
            return "services", requested.row, key
        # A child table alone, for a service whose stored content is wrong: name the service.
        for kind, rows in requested.child_rows.items():
            if rows:
                return kind, rows[0], "service"
        return "services", 0, f"{requested.slug}.{key}"

    def _check_lifecycle(self, requested: Requested) -> None:
        existing, row = requested.existing, requested.row
        moves = existing is not None and requested.lifecycle != existing.lifecycle
        if existing is not None and moves and requested.lifecycle in L.values:
            allowed = LIFECYCLE_TRANSITIONS.get(existing.lifecycle, set())
            if requested.lifecycle not in allowed:
                self.error("services", row, "lifecycle", _(
                    "a service cannot go from %(from)s to %(to)s; allowed: %(allowed)s") % {
                        "from": existing.lifecycle, "to": requested.lifecycle,
                        "allowed": ", ".join(sorted(allowed)) or _("none")})
        if (requested.lifecycle == L.RETIRING and not requested.content["replacement"]
                and (existing is None or moves or existing.content["replacement"])):
            self.error("services", row, "replacement", _(
                "a retiring service must name the service that replaces it"))


def sorted_news(data: Content) -> Content:
    """The content with its news in the order the catalogue keeps them: newest first, entries
    of one day in file order."""
    return {**data, "news": sorted(data["news"], key=lambda item: item["date"], reverse=True)}


def same_line_ends(before: object, after: object) -> object:
    """``after``, but with ``before``'s texts wherever they differ only by CRLF/LF line ends
    (a browser sends CRLF; a spreadsheet gives LF back): that is no change."""
    if isinstance(before, str) and isinstance(after, str):
        return before if before.replace("\r\n", "\n") == after.replace("\r\n", "\n") else after
    if isinstance(before, dict) and isinstance(after, dict):
        return {key: same_line_ends(before.get(key), value) for key, value in after.items()}
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [same_line_ends(old, new) for old, new in zip(before, after, strict=True)]
    return after


def final_content(requested: Requested) -> Content:
    """What the service will hold: news in catalogue order, line ends as stored."""
    data = sorted_news(requested.content)
    if requested.existing is not None:
        # same_line_ends keeps the shape of what it is given: a content dict stays one.
        data = cast(Content, same_line_ends(requested.existing.content, data))
    return data


def is_changed(requested: Requested) -> bool:
    existing = requested.existing
    return (existing is None or requested.lifecycle != existing.lifecycle
            or requested.publication != existing.publication
            or final_content(requested) != existing.content)
