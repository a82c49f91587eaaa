"""Needs fixtures: needs raised by the personas, delivery teams (the helpers are in
``factories.py``)."""

from __future__ import annotations

import pytest

from phare.needs.models import DeliveryTeam, Need
from tests.needs.factories import make_need, make_teams


@pytest.fixture
def teams(db) -> dict[str, DeliveryTeam]:
    return make_teams()


@pytest.fixture
def people(personas):
    return {name: user.person for name, user in personas.items()}


@pytest.fixture
def need(people) -> Need:
    return make_need(people["employee"], "Signature électronique des contrats",
                     "Signer les contrats clients sans imprimer.")
