"""Dashboards computed once per state of their data, kept in Django's cache.

A dashboard's figures (aggregates, intervals, drivers, themes, the charts' specifications)
depend on three things only, and its cache key is made of all three:

- the analytical store's partitions it reads, by their fingerprint
  (:func:`phare.insights.store.fingerprint`: it changes whenever a partition is rebuilt);
- the reference data read from the database while computing them — the surveys' settings
  (thresholds), waves and invitations, questions, the directory's units, sites and job
  families, the active people, the catalogue's services — taken *by value* (:func:`reference`):
  a renamed unit or a raised threshold changes the key, whatever path changed it;
- what the page asks for: the dashboard, its filters, the reader's scope, the language (labels
  are translated in the figures) and the day (what is released depends on the date).

Nothing is ever invalidated: a change of any of these makes a new key, and old entries expire
after ``PHARE_INSIGHTS_CACHE_SECONDS`` (0 turns the cache off: every view computes afresh,
which the page benchmark measures as its baseline). The cache is the project's default cache
(the ``insights`` cache: :mod:`phare.lib.cache`'s file cache in its own folder, or Redis with
``PHARE_CACHE_URL``), shared by every gunicorn worker.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.utils import timezone, translation

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.insights import store
from phare.lib.cache import held, remembered
from phare.listening.models import Invitation, Question, Survey, Wave

T = TypeVar("T")

PREFIX = "phare:insights:"


def reference(surveys: Sequence[Survey]) -> list[Any]:
    """The database rows a dashboard of these surveys reads besides the store, by value.

    A handful of small queries (the largest are two aggregates): cheap next to the figures, and
    exact — the key does not rely on anyone remembering to invalidate it."""
    ids = sorted(survey.pk for survey in surveys)
    return [
        list(Survey.objects.filter(pk__in=ids).order_by("pk").values_list(
            "pk", "slug", "kind", "status", "updated_at", "min_group_size",
            "min_verbatim_group_size", "service_id", "title_fr", "title_en")),
        list(Wave.objects.filter(survey_id__in=ids).order_by("survey_id", "number").values_list(
            "survey_id", "number", "name_fr", "name_en", "status", "closes_on")),
        list(Invitation.objects.filter(survey_id__in=ids, wave__isnull=False)
             .values("wave_id").annotate(n=Count("id")).order_by("wave_id")
             .values_list("wave_id", "n")),
        list(Question.objects.filter(version__survey_id__in=ids).order_by("pk").values_list(
            "pk", "version_id", "code", "type", "text_fr", "text_en", "options")),
        list(BusinessUnit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id")),
        list(Site.objects.order_by("pk").values_list("code", "name")),
        list(JobFamily.objects.order_by("pk").values_list("code", "name")),
        Person.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Service.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    ]


def _reference(surveys: Sequence[Survey]) -> list[Any]:
    """The reference rows of ``surveys``, read once per set of surveys within a page's
    :func:`phare.lib.cache.reading` block (the cockpit computes six keys of the same surveys;
    at 300,000 people the rows cost 60-100 ms a time, most of it counting a barometer's
    invitations)."""
    ids = tuple(sorted(survey.pk for survey in surveys))
    return held(("insights.memo", ids), lambda: reference(surveys))


def key(kind: str, surveys: Sequence[Survey], *parts: Any, database: bool = True) -> str:
    """The cache key of dashboard ``kind`` over ``surveys`` for the request's ``parts``
    (``database=False``: a figure read from the store alone, with no reference row)."""
    digest = hashlib.sha256()
    rows = _reference(surveys) if database else None
    for part in (kind, store.fingerprint(surveys), rows, translation.get_language(),
                 timezone.localdate(), *parts):
        digest.update(pickle.dumps(part, protocol=5))
        digest.update(b"\0")
    return f"{PREFIX}{kind}:{digest.hexdigest()}"


def enabled() -> bool:
    return settings.PHARE_INSIGHTS_CACHE_SECONDS > 0


def remember(kind: str, surveys: Sequence[Survey], parts: Iterable[Any],
             compute: Callable[[], T], *, database: bool = True) -> T:
    """``compute()``, or what it returned for the same data and request; ``database=False``
    for what reads the store alone (its key skips the reference rows)."""
    if not enabled():
        return compute()
    return remembered(caches["insights"], key(kind, surveys, *parts, database=database),
                      settings.PHARE_INSIGHTS_CACHE_SECONDS, compute)
