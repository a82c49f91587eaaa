"""CSV export and import of needs, all or nothing.

One need a line. Columns: ``number`` (empty for a new need), ``title``, ``description``,
``expected_benefit``, ``urgency`` (low, medium, high, critical), ``business_unit`` (code),
``concerned_units`` and ``services`` (codes and catalogue identifiers separated by ``|``),
``status``, ``submitter`` (employee id), then ``score_<criterion>`` for each criterion (reach and
urgency only when scored by hand: computed values are not frozen by a round trip) and
``days_<team>`` for each delivery team. ``submitted_at``, ``votes`` and ``followers`` are
exported for reading and ignored on import.

The import reads every line first and reports each problem with its line and column; only a
file without any is written, in one transaction. A line with a number updates that need; its
status cannot change through a file (a status change is told to followers, with its reason: it
goes through the need's page). A new need may come with any status but "merged".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import record
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, Person
from phare.lib.csvtext import TextError, csv_writer, decode, records
from phare.lib.imports import ImportFailed, RowError
from phare.needs.models import Criterion, DeliveryTeam, Follow, Need, StatusChange
from phare.needs.scoring import criteria_ensure, figures_of

BASE = ["number", "title", "description", "expected_benefit", "urgency", "business_unit",
        "concerned_units", "services", "status", "submitter"]
READ_ONLY = ["submitted_at", "votes", "followers"]
REQUIRED = ["title", "description", "business_unit"]
SEPARATOR = "|"


class NeedImportError(ImportFailed):
    """The file has errors and nothing was written; ``errors`` by line."""

    order = staticmethod(lambda error: error.line)


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"lines": self.lines, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged}


def _columns() -> tuple[list[Criterion], list[DeliveryTeam], list[str]]:
    criteria = [c for c in criteria_ensure() if c.code != "effort"]
    teams = list(DeliveryTeam.objects.all())
    header = (BASE + [f"score_{c.code}" for c in criteria] + [f"days_{t.code}" for t in teams]
              + READ_ONLY)
    return criteria, teams, header


def _figure(value: float | None) -> float | int | str:
    # A number, not text: the CSV writer guards text starting with "-", never a number.
    if value is None:
        return ""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def export_needs() -> bytes:
    """Every need (merged ones too), one a line, as UTF-8 CSV with a BOM for Excel."""
    from django.db.models import Count

    criteria, teams, header = _columns()
    needs = list(Need.objects.select_related("business_unit", "submitter")
                 .prefetch_related("concerned_units", "services")
                 .annotate(n_votes=Count("votes", distinct=True),
                           n_followers=Count("follows", distinct=True)).order_by("pk"))
    figures = figures_of(needs)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    for need in needs:
        fig = figures[need.pk]
        row = [need.pk, need.title, need.description, need.expected_benefit, need.urgency,
               need.business_unit.code,
               SEPARATOR.join(sorted(u.code for u in need.concerned_units.all())),
               SEPARATOR.join(sorted(s.slug for s in need.services.all())), need.status,
               need.submitter.employee_id if need.submitter is not None else ""]
        row += [_figure(fig.values.get(c.code)) if fig.sources.get(c.code) == "scored" else ""
                for c in criteria]
        row += [_figure(fig.efforts.get(t.code)) for t in teams]
        row += [need.created_at.isoformat(timespec="seconds"), need.n_votes, need.n_followers]
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")


@dataclass
class _Row:
    line: int
    need: Need | None
    fields: dict[str, Any] = field(default_factory=dict)
    #: None when the file has no such column (the need keeps its units, services).
    units: list[BusinessUnit] | None = None
    services: list[Service] | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    days: dict[str, Any] = field(default_factory=dict)


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def import_needs(data: bytes, *, user: Any = None) -> ImportReport:
    """Check the whole file, then write it in one transaction; :class:`NeedImportError`."""
    try:
        text = decode(data)
    except TextError as exc:
        raise NeedImportError([RowError(exc.line, "", exc.reason)]) from None
    # Physical line numbers: a quoted description spanning lines counts all of them.
    lines = records(text)
    first = next(lines, None)
    if first is None:
        raise NeedImportError([RowError(1, "", _("the file is empty"))])
    names = first[1]
    if names is None:
        raise NeedImportError([RowError(1, "", _(
            "the header cannot be read (an unclosed quote?)"))])
    header = [name.strip() for name in names]
    criteria, teams, known = _columns()
    errors: list[RowError] = []
    for name in header:
        if name not in known:
            errors.append(RowError(1, name, _("unknown column")))
    for name in REQUIRED:
        if name not in header:
            errors.append(RowError(1, name, _("this column is missing")))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("a column appears twice")))
    if errors:
        raise NeedImportError(errors)

    units = {u.code: u for u in BusinessUnit.objects.all()}
    services = {s.slug: s for s in Service.objects.all()}
    people = dict(Person.objects.values_list("employee_id", "pk"))
    rows: list[_Row] = []
    for line, values in lines:
        if values is None:
            errors.append(RowError(line, "", _("this line cannot be read (an unclosed quote?)")))
            break
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            errors.append(RowError(line, "", _("more cells than columns")))
            continue
        cells = dict(zip(header, [v.strip() for v in values], strict=False))
        rows.append(_check(line, cells, units, services, people, criteria, teams, errors))
    if errors:
        raise NeedImportError(errors)
    return _write(rows, user)


def _check(line: int, cells: dict[str, str], units: dict[str, BusinessUnit],
           services: dict[str, Service], people: dict[str, int], criteria: list[Criterion],
           teams: list[DeliveryTeam], errors: list[RowError]) -> _Row:
    def error(column: str, reason: str) -> None:
        errors.append(RowError(line, column, reason))

    need = None
    if cells.get("number"):
        if not cells["number"].isdigit():
            error("number", _("a need number is a whole number"))
        else:
            need = Need.objects.filter(pk=int(cells["number"])).first()
            if need is None:
                error("number", _("no need has number %(n)s") % {"n": cells["number"]})
    row = _Row(line=line, need=need)
    for name, limit in (("title", 200), ("description", None)):
        if name in cells or need is None:
            value = cells.get(name, "")
            if not value:
                error(name, _("required"))
            elif limit and len(value) > limit:
                error(name, _("at most %(n)d characters") % {"n": limit})
            row.fields[name] = value
    if "expected_benefit" in cells:
        row.fields["expected_benefit"] = cells["expected_benefit"]
    if cells.get("urgency"):
        if cells["urgency"] not in Need.Urgency.values:
            error("urgency", _("expected one of %(values)s") % {
                "values": ", ".join(Need.Urgency.values)})
        row.fields["urgency"] = cells["urgency"]
    if "business_unit" in cells or need is None:
        # A short line lacks the cell: a new need still needs its unit.
        code = cells.get("business_unit", "")
        unit = units.get(code)
        if not code:
            error("business_unit", _("required"))
        elif unit is None:
            error("business_unit", _("no business unit has code “%(code)s”") % {"code": code})
        row.fields["business_unit"] = unit
    for name, table in (("concerned_units", units), ("services", services)):
        if name not in cells:
            continue
        found = []
        for code in filter(None, (c.strip() for c in cells[name].split(SEPARATOR))):
            if code in table:
                found.append(table[code])
            else:
                error(name, _("“%(code)s” is unknown") % {"code": code})
        setattr(row, "units" if name == "concerned_units" else "services", found)
    status = cells.get("status", "")
    if status:
        if status not in Need.Status.values or status == Need.Status.MERGED:
            error("status", _("expected one of %(values)s") % {"values": ", ".join(
                s for s in Need.Status.values if s != Need.Status.MERGED)})
        elif need is not None and status != need.status:
            error("status", _("the status of an existing need changes on its page, where its "
                              "followers are told why"))
        row.fields["status"] = status
    if cells.get("submitter"):
        if cells["submitter"] not in people:
            error("submitter", _("no person has employee id “%(id)s”") % {
                "id": cells["submitter"]})
        else:
            row.fields["submitter_id"] = people[cells["submitter"]]
    for criterion in criteria:
        column = f"score_{criterion.code}"
        if column in cells:
            raw = cells[column]
            number = _number(raw) if raw else None
            if raw and number is None:
                error(column, _("expected a number of zero or more"))
            elif number is not None and criterion.kind == Criterion.Kind.RATING and (
                    number != number.to_integral_value() or not 1 <= number <= 5):
                error(column, _("rate from 1 to 5"))
            row.scores[criterion.code] = raw
    for team in teams:
        column = f"days_{team.code}"
        if column in cells:
            if cells[column] and _number(cells[column]) is None:
                error(column, _("expected a number of person-days"))
            row.days[team.code] = cells[column]
    return row


@transaction.atomic
def _write(rows: list[_Row], user: Any) -> ImportReport:
    from phare.needs.services import need_score

    report = ImportReport(lines=len(rows))
    for row in rows:
        need = row.need
        created = need is None
        if need is None:
            need = Need(**row.fields)
        before = (need.title, need.description, need.expected_benefit, need.urgency,
                  need.business_unit_id, need.submitter_id)
        for name, value in row.fields.items():
            setattr(need, name, value)
        after = (need.title, need.description, need.expected_benefit, need.urgency,
                 need.business_unit_id, need.submitter_id)
        if created or before != after:
            need.save()
        if created:
            StatusChange.objects.create(need=need, to_status=need.status, by=user,
                                        reason=_("Imported from a file."))
            if need.submitter_id:
                Follow.objects.get_or_create(need=need, person_id=need.submitter_id)
        changed = before != after
        if row.units is not None:
            changed |= set(need.concerned_units.all()) != set(row.units)
            need.concerned_units.set(row.units)
        if row.services is not None:
            changed |= set(need.services.all()) != set(row.services)
            need.services.set(row.services)
        if row.scores or row.days:
            figures = figures_of([need])[need.pk]
            old = ({c: v for c, v in figures.values.items() if figures.sources.get(c) == "scored"},
                   dict(figures.efforts))
            need_score(need=need, values=row.scores, efforts=row.days)
            figures = figures_of([need])[need.pk]
            changed |= old != ({c: v for c, v in figures.values.items()
                                if figures.sources.get(c) == "scored"}, dict(figures.efforts))
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    record(action=Action.IMPORT, actor=user, target=("needs.need", "", "Needs"),
           details=report.as_dict())
    return report
