"""Insights fixtures: a barometer with two waves of answers from several units."""

from __future__ import annotations

import datetime as dt

import pytest

from phare.listening import services
from phare.listening.models import Response, Wave
from tests.listening.conftest import full_answers, make_barometer


def add_wave(survey, number: int, opens: dt.date) -> Wave:
    return Wave.objects.create(survey=survey, version=survey.current_version(), number=number,
                               name=f"Vague {number}", opens_on=opens,
                               closes_on=opens + dt.timedelta(days=20), status="closed")


def answer(survey, wave, *, nps: int, unit: str = "VEN", site: str = "LYS", job: str = "COM",
           day: dt.date | None = None, **overrides) -> Response:
    answers = {**full_answers(nps), **overrides}
    response = services.response_submit(
        survey=survey, wave=wave, answers=answers, channel="invitation",
        segment={"unit_code": unit, "site_code": site, "job_family_code": job})
    if day is not None:
        Response.objects.filter(pk=response.pk).update(submitted_on=day)
    return response


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
