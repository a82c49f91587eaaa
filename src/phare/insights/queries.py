"""Reads for the insights pages: which surveys have results, segment and service names,
filter choices. Names are given in the reader's language."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.insights import release, store
from phare.insights.tickets import MONTH, TicketFilters, ticket_surveys
from phare.listening.models import Response, Survey, Wave
from phare.tickets.models import Ticket


def barometers(surveys: QuerySet[Survey]) -> list[Survey]:
    """The barometers among ``surveys`` with at least one response, newest first, with their
    counts: ``n`` responses, ``n_waves`` waves (each counted on its own: joined together,
    every response was counted once per wave)."""
    return list(surveys.filter(kind=Survey.Kind.BAROMETER)
                .annotate(n=_count(Response), n_waves=_count(Wave))
                .filter(n__gt=0).order_by("-created_at"))


def _count(model: type[Response] | type[Wave]) -> Coalesce:
    """The rows of ``model`` of each survey, as a subquery."""
    rows = (model.objects.filter(survey=OuterRef("pk")).order_by().values("survey")
            .annotate(c=Count("pk")).values("c"))
    return Coalesce(Subquery(rows), 0)


def service_names(services: QuerySet[Service] | None = None) -> dict[str, str]:
    """Each service's name in the reader's language (French when it has no English name),
    by slug: every service, or those of ``services``."""
    services = Service.objects.all() if services is None else services
    return {service.slug: service.name
            for service in services.only("slug", "name_fr", "name_en")}


def service_choices(services: QuerySet[Service]) -> list[tuple[str, str]]:
    """``services`` as filter choices, by name in the reader's language."""
    return sorted(service_names(services).items(), key=lambda item: item[1].casefold())


def ticket_names() -> dict[str, dict[str, str]]:
    """Display names of the ticket breakdowns' keys: services and channels."""
    return {"service": service_names(),
            "channel": {value: str(label) for value, label in Ticket.Channel.choices}}


def channel_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Ticket.Channel.choices]


def ticket_months(scope: tuple[str, ...] | None) -> list[str]:
    """The months ("YYYY-MM") with released ticket ratings within a reader's scope."""
    surveys = ticket_surveys()
    if not surveys:
        return []
    where, params = TicketFilters(scope=scope).base(release.release_before())
    frame = store.query(surveys, f"""SELECT DISTINCT {MONTH} AS key FROM tickets
                                     WHERE {where} ORDER BY 1""", params)
    return [str(key) for key in frame["key"]]


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
        "waves": [(str(wave.number), wave.name) for wave in survey.waves.filter(
            responses__isnull=False).distinct().order_by("number").only(
                "survey", "number", "name_fr", "name_en")],
        "unit": sorted(names["unit"].items(), key=lambda item: item[1]),
        "site": sorted(names["site"].items(), key=lambda item: item[1]),
        "job_family": sorted(names["job_family"].items(), key=lambda item: item[1]),
    }


def unit_choices() -> list[tuple[str, str]]:
    """The directory's business units, by name."""
    return sorted(BusinessUnit.objects.values_list("code", "name"), key=lambda item: item[1])


def filter_choices_all() -> dict[str, list[tuple[str, str]]]:
    """Segment choices from the directory (units, sites, job families) and the catalogue's
    services, by name."""
    names = segment_names()
    choices = {key: sorted(names[key].items(), key=lambda item: item[1])
               for key in ("unit", "site", "job_family")}
    choices["service"] = service_choices(Service.objects.all())
    return choices
