"""Usage figures come from the cache only while their data is the same."""

from __future__ import annotations

import datetime as dt

from phare.lib import cache
from phare.usage import queries, services
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service

TODAY = dt.date(2026, 6, 15)


def test_it_computes_once_and_follows_a_new_import_and_new_licences(org, settings):
    settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
    people = make_people(org, "dsi", 20)
    service = make_service("collab", name="Collab")
    import_events(use(people[:10], "collab", dt.date(2026, 5, 4)), today=TODAY)
    first = queries.trend(service, today=TODAY)
    assert first[0].active_users == 10
    assert queries.trend(service, today=TODAY) == first
    # New usage: the store's fingerprint changes, so does the figure.
    import_events(use(people[10:16], "collab", dt.date(2026, 5, 5)), today=TODAY)
    assert queries.trend(service, today=TODAY)[0].active_users == 16
    # New licences: the reference rows change, so does the licence figure.
    assert queries.licence_use(service, today=TODAY) is None
    lines = ["service,person"] + [f"collab,{p.email}" for p in people]
    services.import_usage("\n".join(lines).encode(), source="licences", today=TODAY)
    assert queries.licence_use(service, today=TODAY).assigned == 20


def test_it_gives_the_same_figures_cached_or_not(org, settings):
    people = make_people(org, "dsi", 30)
    service = make_service("collab", name="Collab")
    import_events(use(people[:12], "collab", dt.date(2026, 5, 4))
                  + use(people[:7], "collab", dt.date(2026, 4, 6)), today=TODAY)
    settings.PHARE_INSIGHTS_CACHE_SECONDS = 0
    fresh = (queries.trend(service, today=TODAY), queries.cohorts(service, today=TODAY),
             queries.adoption(service, today=TODAY).rows)
    settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
    with cache.reading():
        queries.trend(service, today=TODAY)
        cached = (queries.trend(service, today=TODAY), queries.cohorts(service, today=TODAY),
                  queries.adoption(service, today=TODAY).rows)
    assert cached == fresh
