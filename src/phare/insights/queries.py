"""Reads for the insights pages: which surveys have results, segment names, filter choices."""

from __future__ import annotations

from django.db.models import Count

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.listening.models import Survey


def barometers() -> list[Survey]:
    """Barometer surveys with at least one response, newest first, with their counts."""
    return list(Survey.objects.filter(kind=Survey.Kind.BAROMETER)
                .annotate(n=Count("responses"), n_waves=Count("waves", distinct=True))
                .filter(n__gt=0).order_by("-created_at"))


def segment_names() -> dict[str, dict[str, str]]:
    return {
        "unit": dict(BusinessUnit.objects.values_list("code", "name")),
        "site": dict(Site.objects.values_list("code", "name")),
        "job_family": dict(JobFamily.objects.values_list("code", "name")),
    }


def unit_and_descendants(code: str) -> tuple[str, ...]:
    """A unit's code and its sub-units' codes (a parent covers its sub-units)."""
    parents: dict[int | None, list[tuple[int, str]]] = {}
    root = None
    for pk, unit_code, parent in BusinessUnit.objects.values_list("pk", "code", "parent_id"):
        parents.setdefault(parent, []).append((pk, unit_code))
        if unit_code == code:
            root = pk
    if root is None:
        return (code,)
    found, stack = [code], [root]
    while stack:
        for pk, unit_code in parents.get(stack.pop(), []):
            found.append(unit_code)
            stack.append(pk)
    return tuple(found)


def filter_choices(survey: Survey) -> dict[str, list[tuple[str, str]]]:
    """Choices for the filter form: the waves, and the segments present in the answers."""
    names = segment_names()
    return {
        "waves": [(str(n), name) for n, name in survey.waves.filter(responses__isnull=False)
                  .distinct().order_by("number").values_list("number", "name")],
        "unit": sorted(names["unit"].items(), key=lambda item: item[1]),
        "site": sorted(names["site"].items(), key=lambda item: item[1]),
        "job_family": sorted(names["job_family"].items(), key=lambda item: item[1]),
    }


def filter_choices_all() -> dict[str, list[tuple[str, str]]]:
    """Segment choices from the directory (units, sites, job families), by name."""

    names = segment_names()
    choices = {key: sorted(names[key].items(), key=lambda item: item[1])
               for key in ("unit", "site", "job_family")}
    choices["service"] = list(Service.objects.order_by("name_fr").values_list("slug", "name_fr"))
    return choices
