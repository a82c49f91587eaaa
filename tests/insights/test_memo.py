"""Dashboards' cache keys: their reference rows read once per page, the keys unchanged."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from phare.insights import memo
from phare.lib import cache
from phare.listening.models import Invitation, Wave
from tests.listening.factories import make_barometer


def _reads(queries: CaptureQueriesContext) -> int:
    """How many times the reference rows were read (their invitations' count per wave)."""
    return sum('FROM "listening_invitation"' in q["sql"] and "COUNT" in q["sql"]
               for q in queries.captured_queries)


def test_a_page_reads_each_surveys_reference_rows_once_and_its_keys_stay_the_same(two_waves):
    survey, *_ = two_waves
    other = make_barometer("autre")
    alone = [memo.key("barometer", [survey], n) for n in range(3)]
    with CaptureQueriesContext(connection) as outside:
        [memo.key("barometer", [survey], n) for n in range(3)]
    assert _reads(outside) == 3
    with CaptureQueriesContext(connection) as inside, cache.reading():
        held = [memo.key("barometer", [survey], n) for n in range(3)]
        memo.key("barometer", [other])
        memo.key("barometer", [other, survey])
    assert _reads(inside) == 3  # one per set of surveys: [survey], [other], both
    assert held == alone


def test_what_changes_after_the_page_changes_the_key(two_waves):
    survey, first, _second = two_waves
    with cache.reading():
        before = memo.key("barometer", [survey])
    Invitation.objects.create(survey=survey, version=survey.current_version(),
                              wave=Wave.objects.get(pk=first.pk), email="new@example.com")
    assert memo.key("barometer", [survey]) != before
    with cache.reading():
        assert memo.key("barometer", [survey]) != before
