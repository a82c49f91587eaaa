"""Usage figures computed once per state of their data, kept in Django's cache.

As insights' dashboards (:mod:`phare.insights.memo`), a usage figure depends only on what its
key is made of, and nothing is ever invalidated:

- the usage store, by its fingerprint (:func:`phare.usage.store.fingerprint`: it changes with
  every merge, fold or new directory dimension);
- the database rows the figures read besides the store, taken by value (:func:`reference`):
  the directory (people's count and last change, the unit tree, sites, job families), the
  services' audiences, licences, seats and deployments;
- what is asked (the figure, its arguments) and the day (what is released depends on it).

The cache is insights' (``caches["insights"]``: files shared by every worker, or Redis), with
its lifetime ``PHARE_INSIGHTS_CACHE_SECONDS`` (0: computed at every view).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.utils import timezone

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.lib.cache import held, remembered
from phare.usage import store
from phare.usage.models import Deployment, Licence, Seats
from phare.usage.services import directory_stamp

T = TypeVar("T")

PREFIX = "phare:usage:"


def reference() -> list[Any]:
    """The database rows usage figures read besides the store, by value (a few small
    queries: aggregates and short lists)."""
    licences = Licence.objects.aggregate(n=Count("pk"), top=Max("pk"), seen=Max("seen_on"))
    return [
        directory_stamp(), sorted(licences.items()),
        list(BusinessUnit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id")),
        list(Site.objects.order_by("pk").values_list("pk", "code", "name")),
        list(JobFamily.objects.order_by("pk").values_list("pk", "code", "name")),
        list(Service.objects.order_by("pk").values_list("pk", "audience_everyone",
                                                         "annual_run_cost")),
        list(Service.audience_units.through.objects.order_by("pk")
             .values_list("service_id", "businessunit_id")),
        list(Service.audience_sites.through.objects.order_by("pk")
             .values_list("service_id", "site_id")),
        list(Service.audience_job_families.through.objects.order_by("pk")
             .values_list("service_id", "jobfamily_id")),
        list(Seats.objects.order_by("service_id").values_list(
            "service_id", "seats", "cost_per_seat", "currency")),
        list(Deployment.objects.order_by("service_id").values_list(
            "service_id", "launched_on", "target_rate", "target_weeks", "shape")),
    ]


def _reference() -> list[Any]:
    return held(("usage.memo",), reference)


def enabled() -> bool:
    return bool(settings.PHARE_INSIGHTS_CACHE_SECONDS)


def key(kind: str, parts: Iterable[Any]) -> str:
    material = pickle.dumps([kind, list(parts), store.fingerprint(), _reference(),
                             timezone.localdate().isoformat()])
    return PREFIX + kind + ":" + hashlib.sha256(material).hexdigest()


def remember(kind: str, parts: Iterable[Any], compute: Callable[[], T]) -> T:
    """``compute()``'s value, from the cache when the same data was computed before."""
    if not enabled():
        return compute()
    return remembered(caches["insights"], key(kind, parts),
                      settings.PHARE_INSIGHTS_CACHE_SECONDS, compute)
