"""Insights fixtures: a barometer with two waves of answers from several units."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer


@pytest.fixture
def two_waves(personas):
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(12):
        answer(survey, first, nps=[10, 9, 7, 3][i % 4], unit="VEN" if i < 8 else "DSI",
               day=dt.date(2025, 1, 8))
    for i in range(10):
        answer(survey, second, nps=[10, 9, 9, 8, 2][i % 5], unit="VEN",
               day=dt.date(2025, 7, 9))
    return survey, first, second


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
