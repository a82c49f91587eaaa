"""Who sees and who changes which service: the catalogue's access rules, in one place.

- Employees (and executives) see a service only when it is published, live or retiring, and meant
  for them: for everyone, or matching every audience dimension that lists something (one of the
  business units — or a unit above theirs —, one of the sites, one of the job families).
- The marketing lead and administrators see and change every service.
- A service owner sees every service they own or back up (any state) besides what they may see
  as an employee, and changes only those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from phare.accounts.roles import CATALOG_EDITORS, CATALOG_MANAGERS, INSIGHTS_READERS, Role
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, Person

__all__ = ["CATALOG_EDITORS", "CATALOG_MANAGERS"]

PORTAL_LIFECYCLES = (Service.Lifecycle.LIVE, Service.Lifecycle.RETIRING)


def unit_ancestors(unit_id: int | None) -> list[int]:
    """The unit and every unit above it: a service for "Finance" is for its sub-units too."""

    parents = dict(BusinessUnit.objects.values_list("id", "parent_id"))
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit_id = parents.get(unit_id)
    return chain


def unit_parents() -> dict[str, str | None]:
    """Each business unit's code and its parent's (the unit tree, in one query)."""
    return dict(BusinessUnit.objects.values_list("code", "parent__code"))


def unit_descendants(codes: Iterable[str], parents: Mapping[str, str | None] | None = None
                     ) -> set[str]:
    """The units of ``codes`` and every unit below them (codes)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for code, parent in (parents if parents is not None else unit_parents()).items():
        children[parent].append(code)
    found, stack = set(codes), list(codes)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def audience_people(service: Service, parents: Mapping[str, str | None] | None = None
                    ) -> QuerySet[Person]:
    """The active directory people a service is for — the reverse of
    :func:`audience_filter`: everyone, or those matching every audience dimension that lists
    something (a unit covers its sub-units)."""
    people = Person.objects.filter(active=True)
    if service.audience_everyone:
        return people
    units = list(service.audience_units.values_list("code", flat=True))
    if units:
        people = people.filter(business_unit__code__in=unit_descendants(units, parents))
    sites = list(service.audience_sites.values_list("pk", flat=True))
    if sites:
        people = people.filter(site__in=sites)
    families = list(service.audience_job_families.values_list("pk", flat=True))
    if families:
        people = people.filter(job_family__in=families)
    return people


def audience_filter(person: Any) -> Q:
    """Services whose audience includes ``person`` (a directory Person, or None)."""
    everyone = Q(audience_everyone=True)
    if person is None:
        return everyone
    units = unit_ancestors(person.business_unit_id)
    targeted = Q(audience_everyone=False)
    for field, values in (("audience_units", units),
                          ("audience_sites", [person.site_id] if person.site_id else []),
                          ("audience_job_families",
                           [person.job_family_id] if person.job_family_id else [])):
        # A dimension that lists nothing does not restrict; one that lists something must match.
        targeted &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": values})
    return everyone | targeted


def portal_services(person: Any) -> QuerySet[Service]:
    """What the portal shows this person: published, live or retiring, meant for them."""
    ids = (Service.objects.filter(publication=Service.Publication.PUBLISHED,
                                  lifecycle__in=PORTAL_LIFECYCLES)
           .filter(audience_filter(person)).values("pk"))
    # The audience joins can repeat a service; selecting by id keeps each once.
    return Service.objects.filter(pk__in=ids)


def services_visible_to(user: Any) -> QuerySet[Service]:
    """Every service this user may open (portal and management pages, search, API)."""
    if user.role in CATALOG_MANAGERS:
        return Service.objects.all()
    person = user.person if user.person_id else None
    visible = Q(pk__in=portal_services(person).values("pk"))
    if user.role == Role.OWNER and person is not None:
        visible |= Q(owner=person) | Q(deputy=person)
    return Service.objects.filter(visible)


def services_managed_by(user: Any) -> QuerySet[Service]:
    """The services this user may change."""
    if user.role in CATALOG_MANAGERS:
        return Service.objects.all()
    if user.role == Role.OWNER and user.person_id:
        return Service.objects.filter(Q(owner_id=user.person_id) | Q(deputy_id=user.person_id))
    return Service.objects.none()


def can_edit(user: Any, service: Service) -> bool:
    if user.role in CATALOG_MANAGERS:
        return True
    return (user.role == Role.OWNER and user.person_id is not None
            and user.person_id in (service.owner_id, service.deputy_id))


def can_publish(user: Any) -> bool:
    return user.role in CATALOG_MANAGERS


def can_see_value_card(user: Any, service: Service) -> bool:
    """The marketing lead, executives and administrators; an owner for their own service."""
    if not user.is_authenticated:
        return False
    if user.role in INSIGHTS_READERS:
        return True
    return (user.role == Role.OWNER and user.person_id is not None
            and user.person_id in (service.owner_id, service.deputy_id))
