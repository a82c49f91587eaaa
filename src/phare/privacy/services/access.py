"""The right of access: everything Phare holds about a person, as a ZIP archive.

``person.json`` holds every section (the directory record, the account, named responses,
needs, votes, comments, invitations, tickets, deliveries, usage events, audit entries…), each
table-like section is also a CSV file, and ``README.txt`` says in the person's language what is
inside — and that answers to anonymous surveys are linked to no one, so not included.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phare.audit import services as audit
from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.directory.models import Person
from phare.lib import privacy
from phare.lib.csvtext import csv_writer
from phare.privacy import usage_events
from phare.privacy.holdings import Identity, archived, as_record, identity, rows
from phare.reports.models import Schedule

Records = list[dict[str, Any]]


def _audit_entries(who: Identity, holding: privacy.Holding) -> Records:
    found = Q(target_type="directory.person", target_id=str(who.person.pk))
    for user in who.users:
        found |= Q(actor_id=user.pk) | Q(target_type="accounts.user", target_id=str(user.pk))
    return [{"at": e.at, "action": e.action, "actor_name": e.actor_name, "ip": e.ip,
             "user_agent": e.user_agent, "target_type": e.target_type, "target_id": e.target_id,
             "target_label": e.target_label, "details": e.details}
            for e in Entry.objects.filter(found).order_by("at", "id")]


def _schedules(who: Identity, holding: privacy.Holding) -> Records:
    emails = set(who.emails)
    return [{"id": s.pk, "schedule": str(s), "recipients": [r for r in s.recipients
                                                             if str(r).lower() in emails]}
            for s in Schedule.objects.order_by("pk")
            if any(str(r).lower() in emails for r in s.recipients)]


#: The sections the generic rows cannot give (not a filter, or more than one filter).
CUSTOM: dict[str, Callable[[Identity, privacy.Holding], Records]] = {
    "audit.Entry.actor_id": _audit_entries,
    "reports.Schedule.recipients": _schedules,
}


def collect(person: Person) -> dict[str, Any]:
    """Everything held about ``person`` as plain data: ``person`` (the directory record),
    ``sections`` (name → rows), ``work_records`` (records their account created: counted,
    not copied), ``usage_events``."""
    who = identity(person)
    sections: dict[str, Records] = {}
    work: dict[str, int] = {}
    seen: dict[str, set[Any]] = {}
    for holding in archived():
        if holding.key in CUSTOM:
            found = CUSTOM[holding.key](who, holding)
            sections.setdefault(holding.section, []).extend(found)
            continue
        queryset = rows(holding, who)
        if queryset is None:
            continue
        if not holding.export:
            if count := queryset.count():
                work[holding.model] = work.get(holding.model, 0) + count
            continue
        done = seen.setdefault(f"{holding.section}:{holding.model}", set())
        section = sections.setdefault(holding.section, [])
        for obj in queryset.order_by("pk"):
            if obj.pk in done:  # one row found by two holdings (its person and its address)
                continue
            done.add(obj.pk)
            section.append(as_record(obj, holding))
    sections["usage_events"] = usage_events.events(person.pk)
    record = as_record(person, privacy.Holding(model="directory.Person", field="email",
                                               by="email", erase=privacy.CUSTOM,
                                               section="person"))
    return {"person": record,
            "sections": sections,
            "work_records": dict(sorted(work.items()))}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv(records: Records) -> bytes:
    columns: list[str] = []
    for record in records:
        columns.extend(name for name in record if name not in columns)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in columns])
    return ("\ufeff" + out.getvalue()).encode()


def archive(data: dict[str, Any], person: Person, *, now: dt.datetime) -> bytes:
    """The ZIP of :func:`collect`'s data."""
    sections = {name: found for name, found in data["sections"].items() if found}
    language = person.language or "fr"
    with translation.override(language):
        readme = render_to_string("privacy/README.txt", {
            "person": person, "now": now, "sections": sorted(
                (name, len(found)) for name, found in sections.items()),
            "work_records": data["work_records"]})
    document = {"generated_at": now, "person": data["person"], "sections": sections,
                "work_records": data["work_records"],
                "anonymous_surveys": "not included: anonymous answers are linked to no one"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", readme)
        zf.writestr("person.json", json.dumps(document, cls=DjangoJSONEncoder,
                                              ensure_ascii=False, indent=1, sort_keys=True))
        zf.writestr("person.csv", _csv([data["person"]]))
        for name, found in sorted(sections.items()):
            zf.writestr(f"{name}.csv", _csv(found))
    return buffer.getvalue()


@transaction.atomic
def access_archive(person: Person, *, actor: Any = None) -> bytes:
    """The archive of everything held about ``person`` (a ZIP), its export audited."""
    now = timezone.now()
    data = collect(person)
    content = archive(data, person, now=now)
    audit.record(action=Action.EXPORT, actor=actor, target=person,
                 details={"format": "privacy-archive",
                          "sections": {name: len(found)
                                       for name, found in sorted(data["sections"].items())
                                       if found}})
    return content
