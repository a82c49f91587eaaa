"""Reads for the catalogue pages and API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from phare.catalog import access
from phare.catalog.content import diff, normalise
from phare.catalog.history import Readable, as_text
from phare.catalog.models import NewsEntry, OfferFamily, Service
from phare.lib.i18n import ordered_by

#: Services shown per family on the portal home; the family's own view lists them all.
PER_FAMILY = 12


def portal_home(person: Any, *, family: str = "", news_count: int = 6) -> dict[str, Any]:
    """Families with the services this person may see (all of one family when ``family`` is
    given, else the first ``PER_FAMILY`` of each), and the newest news of those services."""
    visible = access.portal_services(person)
    counts = dict(visible.values_list("family_id").annotate(n=Count("pk")).order_by())
    families = [f for f in OfferFamily.objects.all()
                if f.pk in counts and (not family or f.code == family)]
    services = visible.filter(family__in=families).select_related("family")
    if not family:
        # The first services of each family by name, without loading the whole catalogue.
        ranked = services.annotate(rank=Window(RowNumber(), partition_by="family_id",
                                               order_by=[ordered_by("name")]))
        services = Service.objects.filter(pk__in=[
            pk for pk, rank in ranked.values_list("pk", "rank") if rank <= PER_FAMILY])
    by_family: dict[int, list[Service]] = {}
    for service in services.select_related("family").order_by(ordered_by("name")):
        by_family.setdefault(service.family_id, []).append(service)
    news = list(NewsEntry.objects.filter(service__in=visible.values("pk"))
                .select_related("service").order_by("-date", "-pk")[:news_count])
    return {"families": [(f, by_family.get(f.pk, []), counts[f.pk]) for f in families],
            "news": news, "family": family}


def service_page(user: Any, slug: str) -> Service | None:
    """The service with everything its page shows, if this user may see it."""
    return (access.services_visible_to(user)
            .select_related("family", "owner__business_unit", "deputy", "replacement")
            .prefetch_related("commitments", "faqs", "news", "audience_units",
                              "audience_sites", "audience_job_families")
            .filter(slug=slug).first())


def service_choices(exclude: Service | None = None) -> list[tuple[str, str]]:
    """Every service as (slug, name in the reader's language), for choosing related services
    or a replacement; ``exclude``: the service being edited."""
    rows = Service.objects.exclude(pk=exclude.pk) if exclude is not None else Service.objects
    return [(s.slug, s.name) for s in rows.order_by(ordered_by("name"))
            .only("slug", "name_fr", "name_en")]


def related_visible(user: Any, service: Service) -> list[Service]:
    visible = access.services_visible_to(user).values("pk")
    return list(service.related.filter(pk__in=visible).order_by(ordered_by("name")))


def replacement_visible(user: Any, service: Service) -> Service | None:
    if not service.replacement_id:
        return None
    return access.services_visible_to(user).filter(pk=service.replacement_id).first()


@dataclass(frozen=True)
class ManageFilter:
    q: str = ""
    family: str = ""
    lifecycle: str = ""
    publication: str = ""
    owner: str = ""


def manage_list(user: Any, f: ManageFilter) -> QuerySet[Service]:
    services = access.services_managed_by(user).select_related("family", "owner", "deputy")
    if f.q:
        services = services.filter(Q(name_fr__icontains=f.q) | Q(name_en__icontains=f.q)
                                   | Q(slug__icontains=f.q))
    if f.family:
        services = services.filter(family__code=f.family)
    if f.lifecycle:
        services = services.filter(lifecycle=f.lifecycle)
    if f.publication == "pending":
        services = services.filter(pending__isnull=False)
    elif f.publication:
        services = services.filter(publication=f.publication)
    if f.owner:
        services = services.filter(Q(owner__employee_id=f.owner)
                                   | Q(deputy__employee_id=f.owner))
    return services.order_by("family__position", ordered_by("name"))


def review_queue(user: Any) -> QuerySet[Service]:
    """Services waiting for the marketing lead: in review, or with submitted changes."""
    if not access.can_publish(user):
        return Service.objects.none()
    return (Service.objects.filter(Q(publication=Service.Publication.REVIEW)
                                   | Q(pending_submitted=True))
            .select_related("family", "owner").order_by("updated_at"))


def history(service: Service, *, limit: int = 100) -> list[dict[str, Any]]:
    """The service's revisions, newest first, each with its field changes labelled."""
    revisions = (service.revisions.select_related("by__person")
                 .prefetch_related(Prefetch("changes")).order_by("-at", "-pk")[:limit])
    readable = Readable((c.field, c.old, c.new) for r in revisions for c in r.changes.all())
    # A field empty before and after (a new service's blank fields) says nothing.
    return [{"revision": r, "changes": [readable.change(c.field, c.old, c.new)
                                        for c in r.changes.all() if c.old or c.new]}
            for r in revisions]


def pending_changes(service: Service, current: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The changes waiting to be published, as (field label, published, proposed) in words."""
    if not service.pending:
        return []
    changes = [(name, as_text(before), as_text(after)) for name, before, after in
               diff(current, normalise({**current, **service.pending}))]
    readable = Readable(changes)
    return [readable.change(*change) for change in changes]


#: The offer family whose first service is the service desk the portal points to when a
#: search finds nothing (the demo's "Centre de services informatiques").
SERVICE_DESK_FAMILY = "support"


def service_desk(user: Any) -> Service | None:
    """The service desk's service as this user may open it, or None."""
    return (access.services_visible_to(user)
            .filter(family__code=SERVICE_DESK_FAMILY, publication=Service.Publication.PUBLISHED)
            .exclude(lifecycle=Service.Lifecycle.RETIRED)
            .order_by("name_fr", "pk").first())
