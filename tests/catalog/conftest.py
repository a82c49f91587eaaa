"""Catalogue fixtures: a few offer families (the helpers are in ``factories.py``)."""

from __future__ import annotations

import pytest

from phare.catalog.models import OfferFamily
from tests.catalog.factories import make_families


@pytest.fixture
def families(db) -> dict[str, OfferFamily]:
    return make_families()
