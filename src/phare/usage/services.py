"""Every write of the usage app: imports (files and API batches), product links, seats,
deployments, the directory dimension of the store, and retention.

An import reads and checks the whole file first (:mod:`phare.usage.sources`); a file with
errors is refused and nothing is written. Then people are matched to the directory (by email /
user principal name, or employee id) and products to catalogue services; rows that match no
one are counted and the first 100 listed with their line — never dropped without a word. The
activity is merged into the store (de-duplicated by source, person, service, day and metric,
so re-importing a file changes nothing), and the database rows (the import's report, licences,
seats, tenant counts) are written in the same transaction: if the store refuses the merge, the
database keeps nothing either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.audit.actions import Action as AuditAction
from phare.audit.services import record as audit_record
from phare.catalog.models import Service
from phare.directory.models import Person
from phare.lib.imports import ImportFailed, RowError
from phare.lib.pseudonyms import pseudonym
from phare.usage import sources, store
from phare.usage.models import Deployment, Licence, ProductLink, Seats, TenantCount, UsageImport
from phare.usage.records import Activity, Reading
from phare.usage.records import Licence as RecordLicence
from phare.usage.records import Seats as SeatsRecord

#: At most this many unmatched rows are listed in an import's report (all are counted).
UNMATCHED_LISTED = 100
#: Sources whose licences describe every seat of the products they cover (a snapshot):
#: licences of those products that the file no longer lists are removed.
SNAPSHOT_LICENCES = ("m365-active-users", "m365-teams", "licences")

Progress = Callable[[int, int, str], None]


class UsageImportFailed(ImportFailed):
    """The usage file has errors; nothing was written."""

    order = staticmethod(lambda error: error.line)


@dataclass
class ImportReport:
    """What an import did, in the figures the command line, the job page and the API print."""

    source: str
    rows_read: int = 0
    imported: int = 0
    unchanged: int = 0
    replaced: int = 0
    unmatched: int = 0
    refused: int = 0
    licences: int = 0
    seats: int = 0
    tenant_counts: int = 0
    concealed: bool = False
    skipped: dict[str, int] = field(default_factory=dict)
    unmatched_rows: list[dict[str, Any]] = field(default_factory=list)
    import_id: int | None = None

    def counts(self) -> dict[str, int]:
        return {"rows_read": self.rows_read, "imported": self.imported,
                "unchanged": self.unchanged, "replaced": self.replaced,
                "unmatched": self.unmatched, "refused": self.refused,
                "licences": self.licences, "seats": self.seats,
                "tenant_counts": self.tenant_counts}

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, **self.counts(), "concealed": self.concealed,
                "skipped": dict(self.skipped), "unmatched_rows": list(self.unmatched_rows),
                "import_id": self.import_id}


def person_key(person_id: int) -> str:
    """The pseudonym a person's activity is stored under (never their id or name)."""
    return pseudonym("usage-person", person_id)


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def import_usage(data: bytes, *, file_name: str = "", source: str = "auto",
                 period_days: int | None = None, user: Any = None,
                 today: dt.date | None = None, progress: Progress | None = None
                 ) -> ImportReport:
    """Import a usage file (a Microsoft 365 report, events, licences); refuse it whole with
    every error (:class:`UsageImportFailed`) when it has any."""
    progress = progress or _no_progress
    progress(0, 3, _("Reading the file"))
    reading = sources.read(data, source=source, period_days=period_days,
                           time_zone=settings.TIME_ZONE)
    if reading.errors:
        raise UsageImportFailed(reading.errors)
    progress(1, 3, _("Matching people and services"))
    report = _apply(reading, file_name=file_name, sha256=hashlib.sha256(data).hexdigest(),
                    user=user, today=today or timezone.localdate())
    progress(3, 3, _("Done"))
    return report


def import_event_items(items: Sequence[Mapping[str, object]], *, user: Any = None,
                       today: dt.date | None = None) -> ImportReport:
    """Import a batch of events from the API, all or nothing (errors name ``events[i].field``)."""
    reading = sources.read_event_items(items, time_zone=settings.TIME_ZONE)
    if reading.errors:
        raise UsageImportFailed(reading.errors)
    return _apply(reading, file_name="", sha256="", user=user,
                  today=today or timezone.localdate(), require_people=True)


# -- matching ---------------------------------------------------------------------------------

class _People:
    """The directory's people by lower-cased email and by employee id (read once)."""

    #: Above this many identifiers, the whole directory is read rather than looked up.
    WHOLE_DIRECTORY = 2000

    def __init__(self, identifiers: Iterable[str]) -> None:
        wanted = set(identifiers)
        emails = {i for i in wanted if "@" in i}
        ids = wanted - emails
        self.by_email: dict[str, int] = {}
        self.by_id: dict[str, int] = {}
        if len(wanted) > self.WHOLE_DIRECTORY:
            # A tenant-wide report: reading the directory once beats a query with as many
            # parameters as people (and SQLite's limit on them).
            for email, employee_id, pk in (Person.objects.order_by("pk")
                                           .values_list("email", "employee_id", "pk")
                                           .iterator(chunk_size=20_000)):
                self.by_email.setdefault(email.lower(), pk)
                self.by_id[employee_id] = pk
            return
        if emails:
            rows = (Person.objects.annotate(lower_email=Lower("email"))
                    .filter(lower_email__in=emails).order_by("pk")
                    .values_list("lower_email", "pk"))
            for email, pk in rows.iterator(chunk_size=5000):
                self.by_email.setdefault(email, pk)
        if ids:
            self.by_id = dict(Person.objects.filter(employee_id__in=ids)
                              .values_list("employee_id", "pk"))

    def get(self, identifier: str) -> int | None:
        if "@" in identifier:
            return self.by_email.get(identifier)
        return self.by_id.get(identifier) or self.by_email.get(identifier)


def _services(products: Iterable[str]) -> dict[str, int | None]:
    """Each product's service id: a catalogue slug is the service itself; any other product
    (``m365:teams``) goes through its link, recorded (unlinked) the first time it is seen."""
    products = set(products)
    found: dict[str, int | None] = dict(
        Service.objects.filter(slug__in=products).values_list("slug", "pk"))
    others = products - set(found)
    links = dict(ProductLink.objects.filter(product__in=others)
                 .values_list("product", "service_id"))
    new = sorted(others - set(links))
    ProductLink.objects.bulk_create([ProductLink(product=p) for p in new],
                                    ignore_conflicts=True)
    found.update(links)
    found.update(dict.fromkeys(new))
    return found


def _check_services(reading: Reading, services: Mapping[str, int | None]) -> None:
    """Events and licence files name catalogue services: an unknown one refuses the file."""
    if reading.source not in ("events", "licences"):
        return
    errors = []
    records: list[Activity | RecordLicence | SeatsRecord] = [
        *reading.activities, *reading.licences, *reading.seats]
    for record in records:
        product = record.product
        if services.get(product) is None and not product.startswith("m365:"):
            errors.append(RowError(record.line, "service",
                                   _("no service of the catalogue has the identifier “%s”")
                                   % product))
    if errors:
        raise UsageImportFailed(errors)


#: Why records were left aside, as codes (an import's report is read in any language):
#: ``deleted`` (the readers': deleted accounts), and these.
RETENTION = "retention"
FUTURE = "future"
UNLINKED = "unlinked:"


def skipped_label(code: str) -> str:
    """A reason records were left aside, in the reader's language."""
    if code.startswith(UNLINKED):
        return _("product not linked to a service: %s") % code.removeprefix(UNLINKED)
    labels = {"deleted": _("deleted accounts"), RETENTION: _("older than the retention period"),
              FUTURE: _("dated in the future")}
    return labels.get(code, code)


def _unmatched_reason() -> str:
    return _("no one in the directory has this email or employee id")


def _apply(reading: Reading, *, file_name: str, sha256: str, user: Any, today: dt.date,
           require_people: bool = False) -> ImportReport:
    report = ImportReport(source=reading.source, rows_read=reading.rows_read,
                          concealed=reading.concealed, skipped=dict(reading.skipped))
    with transaction.atomic():
        products = ({a.product for a in reading.activities}
                    | {item.product for item in reading.licences}
                    | {item.product for item in reading.seats}
                    | {c.product for c in reading.tenant_counts})
        services = _services(products)
        _check_services(reading, services)
        people = _People({a.person for a in reading.activities}
                         | {item.person for item in reading.licences})
        unmatched: dict[int, str] = {}
        skipped: Counter[str] = Counter(reading.skipped)
        oldest = today - dt.timedelta(days=settings.PHARE_USAGE_RETENTION_DAYS)
        rows: list[tuple[str, int, dt.date, str, float, float | None, int]] = []
        keys: dict[int, str] = {}
        for activity in reading.activities:
            pk = people.get(activity.person)
            if pk is None:
                unmatched.setdefault(activity.line, activity.person)
                continue
            service = services.get(activity.product)
            if service is None:
                skipped[UNLINKED + activity.product] += 1
                continue
            if activity.day < oldest:
                skipped[RETENTION] += 1
                continue
            if activity.day > today:
                skipped[FUTURE] += 1
                continue
            key = keys.get(pk)
            if key is None:
                key = keys[pk] = person_key(pk)
            rows.append((key, service, activity.day, activity.metric, float(activity.value),
                         activity.duration, activity.period_days))
        licences = _licences(reading, people, services, unmatched, skipped, today)
        if require_people and unmatched:
            raise UsageImportFailed([RowError(line, "person", _unmatched_reason())
                                     for line in sorted(unmatched)])
        report.licences = licences
        report.seats = _seats(reading, services)
        report.tenant_counts = _tenant_counts(reading)
        report.unmatched = len(unmatched)
        listed = sorted(unmatched.items())[:UNMATCHED_LISTED]
        # The reason in the caller's language for the answer; the record keeps no text (its
        # page says the reason in its reader's language).
        report.unmatched_rows = [{"line": line, "identifier": identifier,
                                  "reason": _unmatched_reason()} for line, identifier in listed]
        report.skipped = dict(skipped)
        record = UsageImport(
            source=reading.source, file_name=file_name[:255], sha256=sha256, created_by=user,
            report_date=reading.report_date, period_days=reading.period_days,
            concealed=reading.concealed, rows_read=reading.rows_read,
            unmatched=report.unmatched, skipped=report.skipped,
            unmatched_rows=[{"line": line, "identifier": identifier}
                            for line, identifier in listed])
        if rows:
            sync_people()
            merged = store.merge(reading.source, _frame(rows))
            report.imported, report.unchanged = merged.imported, merged.unchanged
            report.replaced = merged.replaced
        record.imported = report.imported + report.replaced
        record.unchanged = report.unchanged
        record.full_clean()
        record.save()
        report.import_id = record.pk
        audit_record(action=AuditAction.IMPORT, actor=user, target=record,
                     details={"file": file_name, "source": reading.source, **report.counts()})
    return report


def _frame(rows: list[tuple[str, int, dt.date, str, float, float | None, int]]) -> pd.DataFrame:
    # One file may list a person twice (a report concatenated): store.merge keeps the last
    # row of each key.
    return pd.DataFrame(rows, columns=["person", "service", "day", "metric", "value",
                                       "duration", "period_days"])


def _licences(reading: Reading, people: _People, services: Mapping[str, int | None],
              unmatched: dict[int, str], skipped: Counter[str], today: dt.date) -> int:
    wanted: dict[tuple[int, int], dt.date | None] = {}
    covered: set[int] = set()
    for licence in reading.licences:
        service = services.get(licence.product)
        if service is None:
            skipped[UNLINKED + licence.product] += 1
            continue
        covered.add(service)
        pk = people.get(licence.person)
        if pk is None:
            unmatched.setdefault(licence.line, licence.person)
            continue
        wanted[(pk, service)] = licence.assigned_on
    if not covered:
        return 0
    # Plain tuples, not model instances: a tenant's report holds hundreds of thousands.
    existing = {(person, service): (pk, assigned_on) for pk, person, service, assigned_on in
                Licence.objects.filter(service_id__in=covered)
                .values_list("pk", "person_id", "service_id", "assigned_on").iterator(10_000)}
    new: list[tuple[int, int, dt.date | None, dt.date]] = []
    changed: list[Licence] = []
    seen: list[int] = []
    for (person, service), assigned_on in wanted.items():
        known = existing.get((person, service))
        if known is None:
            new.append((person, service, assigned_on, today))
        # A report that does not say when a licence was assigned keeps the known date.
        elif assigned_on is not None and known[1] != assigned_on:
            changed.append(Licence(pk=known[0], person_id=person, service_id=service,
                                   assigned_on=assigned_on, seen_on=today))
        else:
            seen.append(known[0])
    _insert_licences(new)
    Licence.objects.bulk_update(changed, ["assigned_on", "seen_on"], batch_size=2000)
    if reading.source in SNAPSHOT_LICENCES:
        gone = [pk for key, (pk, _date) in existing.items() if key not in wanted]
        for start in range(0, len(gone), 5000):
            Licence.objects.filter(pk__in=gone[start:start + 5000]).delete()
        # Every licence left of these services is in the file: seen today, in one statement.
        Licence.objects.filter(service_id__in=covered).exclude(seen_on=today).update(
            seen_on=today)
    else:
        for start in range(0, len(seen), 5000):
            Licence.objects.filter(pk__in=seen[start:start + 5000]).exclude(
                seen_on=today).update(seen_on=today)
    return len(wanted)


def _insert_licences(rows: list[tuple[int, int, dt.date | None, dt.date]]) -> None:
    """New licences in plain INSERTs: a tenant's first report brings hundreds of thousands,
    and model instances through bulk_create cost four times as much. The rows were checked
    above (people and services exist, each pair once, not yet stored)."""
    table = connection.ops.quote_name(Licence._meta.db_table)
    columns = "(person_id, service_id, assigned_on, seen_on)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk path (psycopg 3), ten times an INSERT per row.
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s)"
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start:start + 10_000])


def _seats(reading: Reading, services: Mapping[str, int | None]) -> int:
    done = 0
    for item in reading.seats:
        service = services.get(item.product)
        if service is None:
            continue
        row = Seats.objects.filter(service_id=service).first() or Seats(service_id=service)
        if item.seats is not None:
            row.seats = item.seats
        if item.cost_per_seat is not None:
            row.cost_per_seat = Decimal(str(item.cost_per_seat))
        row.currency = item.currency
        row.full_clean()
        row.save()
        done += 1
    return done


def _tenant_counts(reading: Reading) -> int:
    for count in reading.tenant_counts:
        TenantCount.objects.update_or_create(
            product=count.product, day=count.day, metric=count.metric,
            period_days=count.period_days, defaults={"value": count.value})
    return len(reading.tenant_counts)


# -- the directory dimension and retention ----------------------------------------------------

def people_frame() -> pd.DataFrame:
    """Every person in the directory today, by pseudonym, with the codes of their unit, site
    and job family (people who left count as active users, in no unit)."""
    rows = Person.objects.filter(active=True).values_list(
        "pk", "business_unit__code", "site__code", "job_family__code")
    return pd.DataFrame([(person_key(pk), unit, site, family) for pk, unit, site, family in rows],
                        columns=["person", "unit", "site", "job_family"])


def sync_people() -> bool:
    """Rewrite the store's directory dimension when the directory changed since; True if so."""
    stamp = directory_stamp()
    if store.people_stamp() == stamp:
        return False
    store.write_people(people_frame(), stamp=stamp)
    return True


def directory_stamp() -> str:
    """The directory's state in one line: how many people, the last added, the last change."""
    agg = Person.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return f"{agg['n']}:{agg['top']}:{agg['last'].isoformat() if agg['last'] else ''}"


def apply_retention(*, today: dt.date | None = None) -> int:
    """Fold raw events older than ``PHARE_USAGE_RETENTION_DAYS`` into monthly aggregates."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.PHARE_USAGE_RETENTION_DAYS)
    sync_people()
    return store.purge(before=cutoff.replace(day=1))


def periodic_step(now: dt.datetime) -> None:
    """The usage app's periodic step: the directory dimension kept current, retention applied
    (:func:`apply_retention` does both), and the person-months written for the months of a
    store kept before they existed (``store.summarise``: nothing when every month has them)."""
    apply_retention(today=timezone.localdate(now))
    store.summarise()


# -- settings the lead edits -------------------------------------------------------------------

def link_product(*, product: str, service: Service | None) -> ProductLink:
    """Say which catalogue service a source's product is (None: not one of ours)."""
    link, _created = ProductLink.objects.get_or_create(product=product)
    link.service = service
    link.full_clean()
    link.save()
    return link


def deployment_set(*, service: Service, launched_on: dt.date, target_rate: float,
                   target_weeks: int, shape: str = Deployment.Shape.S) -> Deployment:
    """Record (or change) a service's roll-out and the adoption curve it should follow."""
    row = Deployment.objects.filter(service=service).first() or Deployment(service=service)
    row.launched_on, row.target_rate, row.target_weeks, row.shape = (
        launched_on, target_rate, target_weeks, shape)
    row.full_clean()
    row.save()
    return row


def deployment_remove(*, service: Service) -> None:
    Deployment.objects.filter(service=service).delete()
