"""The writes a checked file needs, worked out before writing (a dry run stops there), and the
writes: a few bulk queries per table, then one history entry per changed service.

Related services go both ways (``Service.related`` is symmetrical). When two rows of the file
disagree about a pair — A lists B, B does not list A — the row that differs from the catalogue
wins: someone edited it, the other row is as exported. A service outside the file that a row
adds or drops is changed too, and gets its history entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from phare.catalog.content import CHILD_FIELDS, CODE_LISTS, MONEY_FIELDS, TEXT_FIELDS, Content, diff
from phare.catalog.history import as_text
from phare.catalog.models import (
    Commitment,
    Faq,
    FieldChange,
    NewsEntry,
    OfferFamily,
    Revision,
    Service,
)
from phare.catalog.transfer.checking import Checker, final_content
from phare.catalog.transfer.report import ImportReport
from phare.catalog.transfer.snapshot import FAMILY_FIELDS, ServiceState, m2m_through
from phare.directory.models import Person

BATCH = 500
P = Service.Publication


@dataclass
class Change:
    """One service to create or change, and what its history will say."""

    slug: str
    existing: ServiceState | None
    lifecycle: str
    publication: str
    content: Content
    changes: list[tuple[str, Any, Any]]  # for the "imported" history entry


@dataclass
class Plan:
    report: ImportReport
    families_create: list[dict[str, Any]] = field(default_factory=list)
    families_update: dict[int, dict[str, Any]] = field(default_factory=dict)
    services: list[Change] = field(default_factory=list)

    @classmethod
    def make(cls, checker: Checker) -> Plan:
        snapshot = checker.snapshot
        plan = cls(ImportReport(tables=list(checker.tables)))
        report = plan.report
        for code, values in checker.families.items():
            family = snapshot.families.get(code)
            if family is None:
                plan.families_create.append(values)
            elif family.values != values:
                plan.families_update[family.pk] = values
            else:
                report.families_unchanged += 1
        report.families_created = len(plan.families_create)
        report.families_updated = len(plan.families_update)
        wanted = {slug: final_content(requested) for slug, requested in
                  checker.requested.items()}
        if "services" in checker.tables:
            related = _related(snapshot.services, wanted)
            for slug, slugs in related.items():
                if slug not in wanted:
                    wanted[slug] = {**snapshot.services[slug].content}
                wanted[slug]["related"] = slugs
        for slug, data in wanted.items():
            requested = checker.requested.get(slug)
            existing = snapshot.services.get(slug)
            # A service the file does not list is only here for its related services: it exists.
            state = requested if requested is not None else snapshot.services[slug]
            lifecycle, publication = state.lifecycle, state.publication
            if existing is None:
                changes = [*diff({}, data), ("lifecycle", "", lifecycle),
                           ("publication", "", publication)]
                report.services_created += 1
            else:
                changes = diff(existing.content, data)
                if publication != existing.publication:
                    changes.append(("publication", existing.publication, publication))
                    report.publication_changes += 1
                report.lifecycle_changes += lifecycle != existing.lifecycle
                if not changes and lifecycle == existing.lifecycle:
                    report.services_unchanged += requested is not None
                    continue
                report.services_updated += 1
            plan.services.append(Change(slug, existing, lifecycle, publication, data, changes))
        return plan


def _related(services: dict[str, ServiceState],
             wanted: dict[str, Content]) -> dict[str, list[str]]:
    """slug -> its related services after the import, for every service whose list changes."""
    before = {frozenset((slug, other)) for slug, state in services.items()
              for other in state.content["related"]}
    pairs = {pair for pair in before if pair & wanted.keys()}
    pairs |= {frozenset((slug, other)) for slug, data in wanted.items()
              for other in data["related"]}
    after = before - pairs  # pairs between services outside the file stay as they are
    for pair in pairs:
        existed = pair in before
        # Each row of the file that names one side says whether the pair should exist.
        says = [other in wanted[slug]["related"] for slug in pair if slug in wanted
                for other in pair - {slug}]
        if all(says) if existed else any(says):
            after.add(pair)
    lists: dict[str, set[str]] = {}
    for pair in after:
        members = sorted(pair)  # one member only: a service related to itself
        a, b = members[0], members[-1]
        lists.setdefault(a, set()).add(b)
        lists.setdefault(b, set()).add(a)
    changed = {}
    for slug in {s for pair in before ^ after for s in pair}:
        changed[slug] = sorted(lists.get(slug, set()))
    for slug in wanted:  # rows of the file always get the final list
        changed.setdefault(slug, sorted(lists.get(slug, set())))
    return changed


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def write(plan: Plan, *, user: Any, note: str) -> None:
    """Every write of the plan; the caller holds the transaction."""
    now = timezone.now()
    OfferFamily.objects.bulk_create([OfferFamily(**values) for values in plan.families_create])
    families = OfferFamily.objects.in_bulk(list(plan.families_update))
    for pk, values in plan.families_update.items():
        for name, value in values.items():
            setattr(families[pk], name, value)
    OfferFamily.objects.bulk_update(families.values(), FAMILY_FIELDS[1:], batch_size=BATCH)
    if not plan.services:
        return
    refs = _References.load(plan.services)
    created = [_apply(Service(slug=change.slug), change, refs, now)
               for change in plan.services if change.existing is None]
    Service.objects.bulk_create(created, batch_size=BATCH)
    refs.services.update({service.slug: service.pk for service in created})
    # A new service's replacement may be another new one, known only now.
    replaced = [s for s in created if refs.replacement[s.slug] and not s.replacement_id]
    for service in replaced:
        service.replacement_id = refs.services[refs.replacement[service.slug]]
    _update_rows(replaced, ["replacement"])
    existing = Service.objects.in_bulk([c.existing.pk for c in plan.services if c.existing])
    for change in plan.services:
        if change.existing:
            _apply(existing[change.existing.pk], change, refs, now)
    _update_rows(list(existing.values()), _SERVICE_COLUMNS)
    _write_lists(plan.services, refs)
    _write_children(plan.services, refs)
    _write_history(plan.services, refs, user=user, note=note)


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """``model``'s concrete field ``name`` (``get_field`` is typed to answer reverse relations
    too, which have no column)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def _column(field: models.Field[Any, Any]) -> str:
    """The column of a concrete field (``column`` is typed optional for non-concrete ones)."""
    if field.column is None:
        raise TypeError(f"{field} has no column")
    return field.column


def _update_rows(services: list[Service], names: list[str]) -> None:
    """One UPDATE per service with its own values, sent together (``executemany``):
    ``bulk_update`` builds a CASE per column and row, which takes a minute for 5,000."""
    if not services:
        return
    connection = connections[router.db_for_write(Service)]
    fields = [_concrete(Service, name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Service._meta.db_table), ", ".join(f"{quote(_column(f))} = %s" for f in fields),
        quote(_column(Service._meta.pk)))
    params = [[f.get_db_prep_save(getattr(service, f.attname), connection) for f in fields]
              + [service.pk] for service in services]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _write_history(changes: list[Change], refs: _References, *, user: Any, note: str) -> None:
    """What ``services.record_revision`` writes, for every service at once."""
    entries: list[tuple[Revision, list[tuple[str, Any, Any]]]] = []
    for change in changes:
        pk = refs.services[change.slug]
        if change.changes:
            entries.append((Revision(service_id=pk, action=Revision.Action.IMPORTED, by=user,
                                     note=note[:500]), change.changes))
        if change.existing and change.lifecycle != change.existing.lifecycle:
            entries.append((Revision(service_id=pk, action=Revision.Action.LIFECYCLE, by=user,
                                     note=note[:500]),
                            [("lifecycle", change.existing.lifecycle, change.lifecycle)]))
    Revision.objects.bulk_create([revision for revision, _changes in entries], batch_size=BATCH)
    # Plain text columns, inserted 200 rows a statement (800 parameters: under SQLite's oldest
    # limit): a new service lists every field, and bulk_create's model instances would cost
    # seconds for 5,000 new services.
    rows = [(revision.pk, name, as_text(old), as_text(new))
            for revision, fields in entries for name, old, new in fields]
    connection = connections[router.db_for_write(FieldChange)]
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}, {}, {}, {}) VALUES ".format(
        quote(FieldChange._meta.db_table),
        *(quote(_column(_concrete(FieldChange, name)))
          for name in ("revision", "field", "old", "new")))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start:start + 200]
            cursor.execute(insert + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),
                           [value for row in chunk for value in row])


_SERVICE_COLUMNS = [*TEXT_FIELDS, "family", "audience_everyone", "cost_unit", "charging",
                    *MONEY_FIELDS, "owner", "deputy", "replacement", "lifecycle", "publication",
                    "published_at", "updated_at"]


@dataclass
class _References:
    """Primary keys by code, employee id and slug: what the content dicts name."""

    families: dict[str, int]
    people: dict[str, int]
    codes: dict[str, dict[str, int]]
    services: dict[str, int]
    replacement: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, changes: list[Change]) -> _References:
        ids = sorted({c.content[n] for c in changes for n in ("owner", "deputy")} - {""})
        people: dict[str, int] = {}
        for chunk in _chunks(ids):
            people.update(Person.objects.filter(employee_id__in=chunk)
                          .values_list("employee_id", "pk"))
        return cls(
            families=dict(OfferFamily.objects.values_list("code", "pk")), people=people,
            codes={name: dict(model.objects.values_list("code", "pk"))
                   for name, model in CODE_LISTS.items()},
            services=dict(Service.objects.values_list("slug", "pk")))


def _apply(service: Service, change: Change, refs: _References, now: dt.datetime) -> Service:
    """The service's own columns, as ``services.apply_content`` sets them."""
    data = change.content
    for name in TEXT_FIELDS:
        setattr(service, name, data[name])
    service.family_id = refs.families[data["family"]]
    service.audience_everyone = data["audience_everyone"]
    service.cost_unit, service.charging = data["cost_unit"], data["charging"]
    for name in MONEY_FIELDS:
        setattr(service, name, Decimal(data[name]) if data[name] else None)
    service.owner_id = refs.people.get(data["owner"])
    service.deputy_id = refs.people.get(data["deputy"])
    service.replacement_id = refs.services.get(data["replacement"])
    refs.replacement[change.slug] = data["replacement"]
    if change.publication == P.PUBLISHED and service.publication != P.PUBLISHED:
        service.published_at = now
    service.lifecycle, service.publication = change.lifecycle, change.publication
    service.updated_at = now
    return service


def _write_lists(changes: list[Change], refs: _References) -> None:
    for name in [*CODE_LISTS, "related"]:
        through, source_name, target_name = m2m_through(name)
        source, target = f"{source_name}_id", f"{target_name}_id"
        lookup = refs.services if name == "related" else refs.codes[name]
        todo = [c for c in changes
                if c.content[name] != (c.existing.content[name] if c.existing else [])]
        pks = [refs.services[c.slug] for c in todo]
        for chunk in _chunks(pks):
            through._default_manager.filter(**{f"{source}__in": chunk}).delete()
        through._default_manager.bulk_create(
            [through(**{source: refs.services[c.slug], target: lookup[code]})
             for c in todo for code in c.content[name]], batch_size=BATCH)


def _write_children(changes: list[Change], refs: _References) -> None:
    children: list[tuple[str, type[models.Model]]] = [
        ("commitments", Commitment), ("faqs", Faq), ("news", NewsEntry)]
    for kind, model in children:
        todo = [c for c in changes
                if c.content[kind] != (c.existing.content[kind] if c.existing else [])]
        for chunk in _chunks([refs.services[c.slug] for c in todo]):
            model._default_manager.filter(service_id__in=chunk).delete()
        rows: list[models.Model] = []
        for change in todo:
            service_id = refs.services[change.slug]
            items = change.content[kind]
            if kind == "news":
                # Entries of one day show newest primary key first: insert them in reverse.
                rows.extend(NewsEntry(service_id=service_id, date=dt.date.fromisoformat(
                    item["date"]), **{k: item[k] for k in CHILD_FIELDS["news"][1:]})
                    for item in reversed(items))
            elif kind == "commitments":
                rows.extend(Commitment(service_id=service_id, position=i, text_fr=item["text_fr"],
                                       text_en=item["text_en"], target=Decimal(item["target"]),
                                       unit=item["unit"]) for i, item in enumerate(items))
            else:
                rows.extend(Faq(service_id=service_id, position=i, **item)
                            for i, item in enumerate(items))
        model._default_manager.bulk_create(rows, batch_size=BATCH)
