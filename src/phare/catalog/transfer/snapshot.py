"""The whole catalogue as plain data, loaded in a dozen queries whatever its size.

``Snapshot.load()`` gives every family and every service with its content dict — exactly what
``content.content_of`` gives for each service (the tests compare them), without the handful of
queries ``content_of`` makes per service. Exports read it; imports compare the file to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models

from phare.catalog.content import (
    CHILD_FIELDS,
    CODE_LISTS,
    MONEY_FIELDS,
    TEXT_FIELDS,
    Content,
    _money,
    _number,
)
from phare.catalog.models import Commitment, Faq, NewsEntry, OfferFamily, Service

FAMILY_FIELDS = ["code", "name_fr", "name_en", "description_fr", "description_en", "position"]


@dataclass
class FamilyState:
    pk: int
    values: dict[str, Any]  # FAMILY_FIELDS, position an int


@dataclass
class ServiceState:
    pk: int
    lifecycle: str
    publication: str
    content: Content


@dataclass
class Snapshot:
    """What the catalogue holds: families by code, services by slug."""

    families: dict[str, FamilyState]
    services: dict[str, ServiceState]

    @classmethod
    def load(cls) -> Snapshot:
        families = {row["code"]: FamilyState(row.pop("pk"), row)
                    for row in OfferFamily.objects.values("pk", *FAMILY_FIELDS)}
        return cls(families=families, services=_services())


def m2m_through(name: str) -> tuple[type[models.Model], str, str]:
    """The through model of Service's many-to-many field ``name``, and the names of its foreign
    keys to the service and to the target (``get_field`` is typed to answer any field, and
    ``through`` to be unset before the models are ready)."""
    field = Service._meta.get_field(name)
    if not isinstance(field, models.ManyToManyField) or field.remote_field.through is None:
        raise TypeError(f"Service.{name} is not a many-to-many field")
    return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def _m2m(name: str, target: str) -> dict[int, list[str]]:
    """service pk -> sorted codes (or slugs) of one many-to-many field, in one query."""
    through, source_name, target_name = m2m_through(name)
    values: dict[int, list[str]] = defaultdict(list)
    for service_id, code in through._default_manager.values_list(
            f"{source_name}_id", f"{target_name}__{target}"):
        values[service_id].append(code)
    return {pk: sorted(codes) for pk, codes in values.items()}


def _children() -> dict[str, dict[int, list[dict[str, str]]]]:
    """kind -> service pk -> child dicts, in the order the models sort them (as content_of)."""
    out: dict[str, dict[int, list[dict[str, str]]]] = {
        kind: defaultdict(list) for kind in CHILD_FIELDS}
    for item in Commitment.objects.order_by(*Commitment._meta.ordering or ()).values(
            "service_id", "text_fr", "text_en", "target", "unit"):
        out["commitments"][item["service_id"]].append(
            {"text_fr": item["text_fr"], "text_en": item["text_en"],
             "target": _number(item["target"]), "unit": item["unit"]})
    for row in Faq.objects.order_by(*Faq._meta.ordering or ()).values(
            "service_id", *CHILD_FIELDS["faqs"]):
        out["faqs"][row.pop("service_id")].append(row)
    for row in NewsEntry.objects.order_by(*NewsEntry._meta.ordering or ()).values(
            "service_id", *CHILD_FIELDS["news"]):
        out["news"][row.pop("service_id")].append({**row, "date": row["date"].isoformat()})
    return out


def _services() -> dict[str, ServiceState]:
    lists = {name: _m2m(name, "code") for name in CODE_LISTS}
    lists["related"] = _m2m("related", "slug")
    children = _children()
    services: dict[str, ServiceState] = {}
    rows = Service.objects.values(
        "pk", "slug", "lifecycle", "publication", *TEXT_FIELDS, "family__code",
        "audience_everyone", "cost_unit", "unit_cost", "charging", "annual_run_cost",
        "owner__employee_id", "deputy__employee_id", "replacement__slug")
    for row in rows:
        pk = row["pk"]
        data: Content = {name: row[name] for name in TEXT_FIELDS}
        data["family"] = row["family__code"]
        data["audience_everyone"] = row["audience_everyone"]
        for name in CODE_LISTS:
            data[name] = lists[name].get(pk, [])
        data["cost_unit"], data["charging"] = row["cost_unit"], row["charging"]
        for name in MONEY_FIELDS:
            data[name] = _money(row[name])
        data["owner"] = row["owner__employee_id"] or ""
        data["deputy"] = row["deputy__employee_id"] or ""
        data["related"] = lists["related"].get(pk, [])
        data["replacement"] = row["replacement__slug"] or ""
        for kind in CHILD_FIELDS:
            data[kind] = children[kind].get(pk, [])
        services[row["slug"]] = ServiceState(pk, row["lifecycle"], row["publication"], data)
    return services
