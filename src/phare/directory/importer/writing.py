"""What the directory holds before an import, the writes the import needs, and the writes.

The plan is worked out from a snapshot loaded in a few queries, before anything is written: a dry
run stops there. Writing then takes a handful of bulk queries, whatever the number of lines.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext

from phare.directory.importer.checking import MANAGER, STATE_FIELDS, Checker, Ref, Row
from phare.directory.importer.report import ImportReport, Progress
from phare.directory.models import BusinessUnit, JobFamily, Person, Site

BATCH_SIZE = 2000
# kind, model, the attributes an import may set besides the code (a unit's parent comes apart).
REF_KINDS: tuple[tuple[str, type[models.Model], tuple[str, ...]], ...] = (
    ("business_unit", BusinessUnit, ("name",)),
    ("site", Site, ("name", "city", "country")),
    ("job_family", JobFamily, ("name",)),
)


class Existing(NamedTuple):
    pk: int
    state: tuple


@dataclass
class Snapshot:
    """What the directory holds before the import, loaded in four queries."""

    people: dict[str, Existing]
    # kind -> code -> {"pk", "name", …}; a unit's "parent" is the parent's code ("" for none).
    refs: dict[str, dict[str, dict[str, Any]]]

    @classmethod
    def load(cls, around: Collection[str] | None = None) -> Snapshot:
        """The whole directory; or, with ``around`` (employee ids), only those people and
        their chains of managers: enough to check and write a few people (SCIM)."""
        refs: dict[str, dict[str, dict[str, Any]]] = {}
        for kind, model, names in REF_KINDS:
            extra = ["parent_id"] if model is BusinessUnit else []
            refs[kind] = {row["code"]: row for row in model._default_manager.values(
                "pk", "code", *names, *extra)}
        code_of = {kind: {row["pk"]: code for code, row in rows.items()}
                   for kind, rows in refs.items()}
        for row in refs["business_unit"].values():
            row["parent"] = code_of["business_unit"].get(row.pop("parent_id"), "")
        # Tuples, not model instances: a tenth of the memory and time for 100,000 people.
        raw = (list(Person.objects.values_list(*PERSON_VALUES)) if around is None
               else _people_around(around))
        employee_of = {pk: employee_id for pk, employee_id, *_rest in raw}
        people = {}
        for pk, employee_id, first, last, email, language, unit, site, job, manager, active in raw:
            state = (first, last, email, language, code_of["business_unit"].get(unit, ""),
                     code_of["site"].get(site, ""), code_of["job_family"].get(job, ""),
                     employee_of.get(manager, ""), active)
            people[employee_id] = Existing(pk, state)
        return cls(people=people, refs=refs)


PERSON_VALUES = ("pk", "employee_id", "first_name", "last_name", "email", "language",
                 "business_unit_id", "site_id", "job_family_id", "manager_id", "active")


def _people_around(employee_ids: Collection[str]) -> list[tuple]:
    """The rows of these people and of every manager above them, one query per level."""
    rows = list(Person.objects.filter(employee_id__in=employee_ids).values_list(*PERSON_VALUES))
    seen = {row[0] for row in rows}
    managers = {row[9] for row in rows} - seen - {None}
    while managers:
        found = list(Person.objects.filter(pk__in=managers).values_list(*PERSON_VALUES))
        rows += found
        seen |= {row[0] for row in found}
        managers = {row[9] for row in found} - seen - {None}
    return rows


@dataclass
class Plan:
    """Every write the import needs, worked out before writing anything."""

    report: ImportReport
    # kind -> code -> attribute values, for the units/sites/job families to create or update.
    refs_create: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    refs_update: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    create: list[tuple[str, tuple]] = field(default_factory=list)
    update: list[tuple[int, tuple]] = field(default_factory=list)
    # Only the columns that changed somewhere go into the UPDATE statement.
    update_fields: set[str] = field(default_factory=set)
    # (employee id, manager's employee id) for existing people whose manager changes.
    managers: list[tuple[str, str]] = field(default_factory=list)
    deactivate: list[int] = field(default_factory=list)
    # Employee id -> id of the people already in the directory.
    person_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def make(cls, checker: Checker, snapshot: Snapshot, *, deactivate_missing: bool) -> Plan:
        plan = cls(ImportReport(lines=len(checker.rows)))
        plan.person_ids = {employee_id: old.pk for employee_id, old in snapshot.people.items()}
        for kind, _model, names in REF_KINDS:
            attributes = (*names, "parent") if kind == "business_unit" else names
            plan._plan_refs(kind, checker.refs[kind], snapshot.refs[kind], attributes)
        report = plan.report
        report.units_created = len(plan.refs_create["business_unit"])
        report.units_updated = len(plan.refs_update["business_unit"])
        report.sites_created = len(plan.refs_create["site"])
        report.sites_updated = len(plan.refs_update["site"])
        report.job_families_created = len(plan.refs_create["job_family"])
        report.job_families_updated = len(plan.refs_update["job_family"])
        for employee_id, row in checker.rows.items():
            plan._plan_person(employee_id, row, snapshot.people.get(employee_id))
        if deactivate_missing:
            plan.deactivate = [old.pk for employee_id, old in snapshot.people.items()
                               if old.state[-1] and employee_id not in checker.rows]
            report.deactivated = len(plan.deactivate)
        return plan

    def _plan_refs(self, kind: str, declared: dict[str, Ref],
                   existing: dict[str, dict[str, Any]], attributes: tuple[str, ...]) -> None:
        create = self.refs_create.setdefault(kind, {})
        update = self.refs_update.setdefault(kind, {})
        for code, ref in declared.items():
            old = existing.get(code)
            values = {}
            for name in attributes:
                if name in ref.attrs:
                    values[name] = ref.attrs[name][0]
                elif old is not None:
                    values[name] = old[name]
                else:
                    values[name] = code if name == "name" else ""
            if old is None:
                create[code] = values
            elif any(values[name] != old[name] for name in attributes):
                update[code] = values

    def _plan_person(self, employee_id: str, row: Row, old: Existing | None) -> None:
        state = row.state(old.state if old else None)
        if old is None:
            self.report.created += 1
            self.create.append((employee_id, state))
            return
        if state == old.state:
            self.report.unchanged += 1
            return
        self.report.updated += 1
        changed = {name for name, new, before in zip(STATE_FIELDS, state, old.state, strict=True)
                   if new != before}
        if changed - {"manager_id"}:
            self.update.append((old.pk, state))
            self.update_fields |= changed - {"manager_id"}
        if "manager_id" in changed:
            self.managers.append((employee_id, state[MANAGER]))


def write(plan: Plan, progress: Progress) -> None:
    """Carry the plan out; the caller holds the transaction."""
    ids = {kind: _write_refs(model, names, plan.refs_create[kind], plan.refs_update[kind])
           for kind, model, names in REF_KINDS}
    now = timezone.now()
    total = len(plan.create) + len(plan.update) + len(plan.managers) + len(plan.deactivate)
    done, message = 0, gettext("Writing")

    def advance(count: int) -> None:
        nonlocal done
        done += count
        progress(done, total, message)

    person_ids, later = _create_people(plan.create, plan.person_ids, ids, advance)
    fields = [name for name in STATE_FIELDS if name in plan.update_fields]
    attnames = [_person_field(name).attname for name in fields]
    for batch in _batches(plan.update):
        rows = []
        for pk, state in batch:
            values = _person_values(state, ids)
            rows.append([values[name] for name in attnames] + [pk])
        _update_people(fields, rows, now=now)
        advance(len(batch))
    # Second pass: managers of existing people, and of new people listed before their manager.
    managers = plan.managers + later
    total += len(later)
    if managers and None in person_ids.values():
        person_ids = dict(Person.objects.values_list("employee_id", "pk"))
    for batch in _batches(managers):
        _update_people(["manager"], [[person_ids.get(manager), person_ids[employee_id]]
                                     for employee_id, manager in batch], now=now)
        advance(len(batch))
    for batch in _batches(plan.deactivate):
        Person.objects.filter(pk__in=batch).update(active=False, updated_at=now)
        advance(len(batch))


def _create_people(
    create: list[tuple[str, tuple]], existing: dict[str, int], ids: dict[str, dict[str, int]],
    advance: Callable[[int], None],
) -> tuple[dict[str, int | None], list[tuple[str, str]]]:
    """Create people; return every person's id by employee id, and the managers left to set.

    A manager already in the directory, or created in an earlier batch, is set right away:
    bulk_create gives back the new ids on SQLite and PostgreSQL. The others wait for the second
    pass (with a database that gives no ids back, an id of None sends everyone there).
    """
    person_ids: dict[str, int | None] = dict(existing)
    later = []
    for batch in _batches(create):
        people = []
        for employee_id, state in batch:
            manager = state[MANAGER]
            manager_id = person_ids.get(manager) if manager else None
            if manager and manager_id is None:
                later.append((employee_id, manager))
            people.append(Person(employee_id=employee_id, manager_id=manager_id,
                                 **_person_values(state, ids)))
        Person.objects.bulk_create(people)
        person_ids.update((person.employee_id, person.pk) for person in people)
        advance(len(batch))
    return person_ids, later


def _write_refs(model: type[models.Model], names: tuple[str, ...],
                create: dict[str, dict[str, str]], update: dict[str, dict[str, str]],
                ) -> dict[str, int]:
    """Create and update units, sites or job families; return every id by code."""
    model._default_manager.bulk_create(
        [model(code=code, **{name: values[name] for name in names})
         for code, values in create.items()], batch_size=BATCH_SIZE)
    ids = dict(model._default_manager.values_list("code", "pk"))
    has_parent = model is BusinessUnit
    changed = []
    # New units get their parent now that every unit of the file has an id.
    for code, values in [*update.items(), *create.items()]:
        if code in create and not values.get("parent"):
            continue
        obj = model(pk=ids[code], code=code, **{name: values[name] for name in names})
        if isinstance(obj, BusinessUnit):  # as has_parent, but narrowed for the type checker
            obj.parent_id = ids.get(values["parent"])
        changed.append(obj)
    if changed:
        model._default_manager.bulk_update(changed, [*names, *(["parent"] if has_parent else [])],
                                  batch_size=BATCH_SIZE)
    return ids


def _person_values(state: tuple, ids: dict[str, dict[str, int]]) -> dict[str, Any]:
    first, last, email, language, unit, site, job, _manager, active = state
    return {"first_name": first, "last_name": last, "email": email, "language": language,
            "business_unit_id": ids["business_unit"].get(unit), "site_id": ids["site"].get(site),
            "job_family_id": ids["job_family"].get(job), "active": active}


def _update_people(names: Sequence[str], rows: list[list[Any]], *, now: datetime) -> None:
    """``UPDATE … SET <names>, updated_at = now WHERE id = …`` for each row (values, then pk).

    Not ``bulk_update``: its CASE WHEN expressions cost about half a millisecond of Python per
    row (a re-organisation touching 100,000 people would take a minute), where one statement
    run with ``executemany`` costs a few microseconds on SQLite and PostgreSQL alike.
    """
    meta, quote = Person._meta, connection.ops.quote_name
    fields = [_person_field(name) for name in names]
    stamp = _person_field("updated_at")
    assignments = ", ".join(f"{quote(_column(f))} = %s" for f in [*fields, stamp])
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(_column(meta.pk))} = %s"
    now_value = stamp.get_db_prep_save(now, connection)
    params = [[f.get_db_prep_save(value, connection)
               for f, value in zip(fields, row[:-1], strict=True)] + [now_value, row[-1]]
              for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _batches(items: list) -> Iterator[list]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start:start + BATCH_SIZE]


def _person_field(name: str) -> models.Field[Any, Any]:
    """Person's concrete field ``name`` (``get_field`` is typed to answer reverse relations too)."""
    field = Person._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"Person.{name} is not a concrete field")
    return field


def _column(field: models.Field[Any, Any] | None) -> str:
    """The column of a concrete field (``column`` is typed optional for non-concrete ones)."""
    if field is None or field.column is None:
        raise TypeError(f"{field} has no column")
    return field.column
