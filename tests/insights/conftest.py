"""Insights fixtures: a barometer with two waves of answers from several units."""

from __future__ import annotations

import pytest

from tests.insights.factories import make_two_waves


@pytest.fixture
def two_waves(personas):
    return make_two_waves(personas["marketing"])


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
