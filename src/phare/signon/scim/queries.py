"""SCIM's reads: a user or group by id, and lists with a filter and paging (RFC 7644 §3.4.2).

Only people a SCIM client provisioned are SCIM users: a person imported from a CSV file is
found by nobody's ``userName`` until a ``POST`` with their employeeNumber links them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from phare.directory.models import Person
from phare.signon.models import ScimGroup, ScimUser
from phare.signon.scim import filters
from phare.signon.scim.errors import invalid_value, not_found
from phare.signon.scim.resources import GROUP, GROUP_FIELDS, USER, USER_FIELDS

#: The most resources one page of a list holds (ServiceProviderConfig's filter.maxResults).
MAX_RESULTS = 1000
DEFAULT_COUNT = 100


@dataclass(frozen=True)
class Paging:
    start: int  # 1-based
    count: int


def paging(start_index: str | None, count: str | None) -> Paging:
    """``startIndex`` (from 1; less means 1) and ``count`` (0 to MAX_RESULTS; more means
    MAX_RESULTS, less than 0 means 0), as RFC 7644 §3.4.2.4 says."""
    def number(value: str | None, name: str, default: int) -> int:
        if value in (None, ""):
            return default
        try:
            return int(value)
        except ValueError:
            raise invalid_value(_("%(name)s must be a whole number, not '%(value)s'")
                                % {"name": name, "value": value}) from None

    start = max(1, number(start_index, "startIndex", 1))
    size = min(MAX_RESULTS, max(0, number(count, "count", DEFAULT_COUNT)))
    return Paging(min(start, 10**9), size)


def _filtered(queryset: QuerySet, text: str | None, core: str,
              fields: dict[str, filters.Field]) -> QuerySet:
    if text is None:
        return queryset
    condition: Q = filters.to_q(filters.parse(text, core), fields)
    return queryset.filter(pk__in=queryset.filter(condition).values("pk"))


def users(text: str | None, page: Paging) -> tuple[list[ScimUser], int]:
    """One page of the users ``text`` (a SCIM filter, or None) selects, and how many it selects."""
    queryset = _filtered(ScimUser.objects.all(), text, USER, USER_FIELDS)
    total = queryset.count()
    rows = list(queryset.select_related(
        "person", "person__business_unit", "person__site", "person__job_family")
        .order_by("person_id")[page.start - 1:page.start - 1 + page.count])
    return rows, total


def groups(text: str | None, page: Paging) -> tuple[list[ScimGroup], int]:
    queryset = _filtered(ScimGroup.objects.all(), text, GROUP, GROUP_FIELDS)
    total = queryset.count()
    return list(queryset.order_by("pk")[page.start - 1:page.start - 1 + page.count]), total


def user(scim_id: str) -> ScimUser:
    found = None
    if scim_id.isdigit() and len(scim_id) < 19:
        found = ScimUser.objects.select_related(
            "person", "person__business_unit", "person__site", "person__job_family",
        ).filter(person_id=int(scim_id)).first()
    if found is None:
        raise not_found(_("no user has the id '%(id)s'") % {"id": scim_id})
    return found


def group(scim_id: str) -> ScimGroup:
    found = None
    if scim_id.isdigit() and len(scim_id) < 19:
        found = ScimGroup.objects.filter(pk=int(scim_id)).first()
    if found is None:
        raise not_found(_("no group has the id '%(id)s'") % {"id": scim_id})
    return found


def employee_id_of(scim_id: str) -> str | None:
    """The employee id of the person whose SCIM id is ``scim_id`` (a manager), or None."""
    if not (scim_id.isdigit() and len(scim_id) < 19):
        return None
    return Person.objects.filter(pk=int(scim_id)).values_list("employee_id", flat=True).first()


def groups_of(person: Person) -> list[ScimGroup]:
    return list(ScimGroup.objects.filter(members=person).order_by("display_name"))


def groups_of_people(people: list[int]) -> dict[int, list[ScimGroup]]:
    found: dict[int, list[ScimGroup]] = {pk: [] for pk in people}
    through = ScimGroup.members.through.objects.filter(person_id__in=people).select_related(
        "scimgroup").order_by("scimgroup__display_name")
    for link in through:
        found[link.person_id].append(link.scimgroup)
    return found


def members_of(group: ScimGroup) -> list[Person]:
    return list(group.members.order_by("pk"))

