"""Reads for the directory: filtered people lists, the unit tree, summaries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.directory.search import COUNT_CAP, people_matching


@dataclass(frozen=True)
class PeopleFilter:
    """What a directory search asks for; empty values mean "any"."""

    q: str = ""
    business_unit: str = ""
    site: str = ""
    job_family: str = ""
    status: str = "active"  # active | inactive | all
    include_sub_units: bool = True


def unit_and_descendants(code: str) -> list[int]:
    """Ids of the unit with this code and every unit below it."""
    units = list(BusinessUnit.objects.values_list("id", "code", "parent_id"))
    children: dict[int | None, list[int]] = {}
    start = None
    for unit_id, unit_code, parent_id in units:
        children.setdefault(parent_id, []).append(unit_id)
        if unit_code == code:
            start = unit_id
    if start is None:
        return []
    found, todo = [], [start]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def people_search(f: PeopleFilter) -> QuerySet[Person]:
    people = Person.objects.select_related("business_unit", "site", "job_family", "manager")
    if f.status == "active":
        people = people.filter(active=True)
    elif f.status == "inactive":
        people = people.filter(active=False)
    search = people_matching(f.q, emails=True)
    for found in search.filters:
        people = people.filter(found)
    if f.business_unit:
        if f.include_sub_units:
            people = people.filter(business_unit_id__in=unit_and_descendants(f.business_unit))
        else:
            people = people.filter(business_unit__code=f.business_unit)
    if f.site:
        people = people.filter(site__code=f.site)
    if f.job_family:
        people = people.filter(job_family__code=f.job_family)
    return people.order_by(*search.order)


class PeoplePaginator(Paginator):
    """The directory list's pages. A search counts at most COUNT_CAP people (``capped`` when
    more match, and the pages then hold the first COUNT_CAP): counting every match of a
    common word would read the whole directory. Without words the count is exact."""

    def __init__(self, people: QuerySet[Person], per_page: int, *, searched: bool) -> None:
        super().__init__(people, per_page)
        self.people, self.searched = people, searched

    @cached_property
    def _found(self) -> int:
        """The count, or COUNT_CAP + 1 for "more" (a search's count stops there)."""
        if not self.searched:
            return self.people.count()
        # Without the joins, in the search's order: the way its page is read (through a rare
        # word's index, or a common word's people in the directory's order) counts fastest.
        return self.people.values("pk")[:COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, COUNT_CAP) if self.searched else self._found

    @property
    def capped(self) -> bool:
        return self.searched and self._found > COUNT_CAP


#: At most this many people answer a picker's search: enough to find someone by name.
PICK_LIMIT = 20


def people_to_pick(q: str) -> list[dict[str, str]]:
    """Active people whose names (or employee id) match every word of ``q``, for a picker:
    their employee id, name and unit only (no email, no manager), at most PICK_LIMIT."""
    words = q.split()
    if not words or len(q.strip()) < 2:
        return []
    search = people_matching(q, emails=False)
    people = Person.objects.filter(active=True)
    for found in search.filters:
        people = people.filter(found)
    rows = people.order_by(*search.order).values_list(
        "employee_id", "first_name", "last_name", "business_unit__name")[:PICK_LIMIT]
    return [{"value": employee_id, "label": f"{first} {last}", "detail": unit or ""}
            for employee_id, first, last, unit in rows]


def unit_tree() -> list[dict[str, Any]]:
    """Units as nested dicts (code, name, people, total people below, children), by name."""
    units = list(
        BusinessUnit.objects.annotate(people_count=Count("people", filter=Q(people__active=True)))
        .values("id", "code", "name", "parent_id", "people_count")
        .order_by("name")
    )
    nodes: dict[int, dict[str, Any]] = {u["id"]: {**u, "children": []} for u in units}
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["parent_id"])
        (parent["children"] if parent else roots).append(node)

    def total(node: dict[str, Any]) -> int:
        node["total"] = node["people_count"] + sum(total(c) for c in node["children"])
        return node["total"]

    for root in roots:
        total(root)
    return roots


def directory_summary() -> dict[str, int]:
    return {
        "people": Person.objects.filter(active=True).count(),
        "inactive": Person.objects.filter(active=False).count(),
        "units": BusinessUnit.objects.count(),
        "sites": Site.objects.count(),
        "job_families": JobFamily.objects.count(),
    }


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "units": list(BusinessUnit.objects.order_by("name").values_list("code", "name")),
        "sites": list(Site.objects.order_by("name").values_list("code", "name")),
        "job_families": list(JobFamily.objects.order_by("name").values_list("code", "name")),
    }
