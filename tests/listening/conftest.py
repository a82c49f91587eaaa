"""Listening fixtures: a barometer with every question type (the helpers are in
``factories.py``)."""

from __future__ import annotations

import pytest

from phare.listening.models import Survey
from tests.listening.factories import make_barometer


@pytest.fixture
def barometer(personas) -> Survey:
    return make_barometer(created_by=personas["marketing"])
