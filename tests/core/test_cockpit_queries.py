"""The cockpit's pages make a bounded number of queries on the demo (150 people, 20 services,
120 needs, four surveys with their waves, a year of tickets), whatever the number of rows.

Each bound is the count measured when it was set plus a small margin (the first visit after
a change of the data computes the dashboards it reads; the bound is that visit's).
Measured: admin 9, marketing 146 (82 once computed), CIO 98 (45), owner 62 (33),
employee 9."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phare.accounts.models import User
from phare.core.demo import DemoContext

#: (username, most queries). What each home reads:
BOUNDS: list[tuple[str, int]] = [
    # The directory's figures (5) and the services waiting for a publication (1).
    ("admin", 14),
    # The barometer's and ticket experience's pages' figures (their cache keys and, the
    # first time, their computation), the usage of the costliest services, the needs
    # answered, the plan's objectives, the to-do finders (about one query each, one per open
    # wave for its response rates), the significant changes (the barometer's last two
    # closed waves and the unit tree; each survey with comments: its waves) and the recent
    # activity (4).
    ("marketing", 155),
    # The same figures, the actions waiting for an executive, the costliest services.
    ("cio", 108),
    # Their services, their tickets' figures and usage, the needs about them, the portal's.
    ("owner", 70),
    # The portal: popular services, news, their needs, votes and open surveys.
    ("employee", 14),
]


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # The same build as tests/test_query_counts.py: one build serves both.
    return demo_through("needs", seed=3, employees=150, needs=120, services=20)


@pytest.mark.parametrize(("username", "most"), BOUNDS)
def test_each_home_makes_a_bounded_number_of_queries(demo, client, username, most):
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as first:
        response = client.get("/")
    assert response.status_code == 200
    assert len(first) <= most, [q["sql"] for q in first.captured_queries]
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    assert len(again) <= len(first)  # the dashboards it reads are computed once
