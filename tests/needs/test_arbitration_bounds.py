"""Explanations within a time budget: an answer cut short keeps the least change the solver
proved necessary, and the sentences say "perhaps less, not below …" instead of claiming it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from phare.analysis import portfolio_explain
from phare.analysis.portfolio import select_portfolio
from phare.analysis.portfolio_explain import CapacityGrowth, Explanation
from phare.needs import arbitration
from phare.needs.arbitration import EXPLAIN_BUDGET, explain_need, explanation_data
from phare.needs.explaining import describe, plain, plain_context

INPUTS = {
    "needs": [{"id": 10, "title": "Portail fournisseurs"}, {"id": 11, "title": "Signature"}],
    "constraints": [{"key": "one_off", "capacity": 500.0},
                    {"key": "team:DATA", "name": "Données", "capacity": 120.0}],
    "requires": [], "excludes": [], "mandatory": [],
}
IDS = [10, 11]


def cut_short() -> Explanation:
    """Need 0 left out: the budget growth found is 98 (the least proven 34.6), team DATA's
    is exact (12), the cost cut found 31.3 % (the least proven 6.5 %)."""
    return Explanation(
        0, False, exact=False, cost_cut=0.313, cost_cut_at_least=0.065,
        growth=(CapacityGrowth(0, "one_off", 98.0, 598.0, False, at_least=34.6),
                CapacityGrowth(1, "team", 12.0, 132.0, True, at_least=12.0)))


def spaced(text: str) -> str:
    return text.translate(str.maketrans({"\u202f": " ", "\xa0": " "}))


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_the_data_keeps_the_bound_only_where_the_answer_may_be_less():
    data = explanation_data(cut_short(), IDS, INPUTS, set())
    assert data["exact"] is False
    assert data["growth"] == [
        {"key": "one_off", "increase": 98.0, "capacity": 598.0, "at_least": 34.6},
        {"key": "team:DATA", "increase": 12.0, "capacity": 132.0},
    ]
    assert data["cost_cut"] == 0.313 and data["cost_cut_at_least"] == 0.065
    exact = Explanation(0, False, exact=True, cost_cut=0.2, cost_cut_at_least=0.2,
                        growth=(CapacityGrowth(0, "one_off", 5.0, 505.0, True, at_least=5.0),))
    data = explanation_data(exact, IDS, INPUTS, set())
    assert "at_least" not in data["growth"][0] and "cost_cut_at_least" not in data


def test_the_lead_and_the_employee_read_perhaps_less_not_below(en):
    data = explanation_data(cut_short(), IDS, INPUTS, set())
    lead = spaced(describe(data, {"constraints": {"team:DATA": "Données"}, "titles": {}}))
    assert lead == (
        "Not selected. It would come in if the one-off budget grew by 98 k€ (perhaps less, "
        "not below 34 k€), or if team Données had 12 more person-days, or if its cost fell "
        "by 31.3 % (perhaps less, not below 6.5 %).")
    employee = spaced(plain(data, plain_context(INPUTS, [11], 10, data)))
    assert employee == (
        "Not this time: it would have needed 98 k€ more in the budget (perhaps less, not "
        "below 34 k€) or 12 more days of work from the team “Données” or a cost lower by "
        "31 % (perhaps less, not below 6.5 %).")


def test_each_need_is_explained_within_the_budget(monkeypatch):
    asked = []

    def spy(portfolio, **options):
        asked.append(options)
        return real(portfolio, **options)

    real = portfolio_explain.explain_portfolio
    monkeypatch.setattr(arbitration, "explain_portfolio", spy)
    portfolio = select_portfolio([10, 7], [[6, 5], [1, 1]], [10, 2])
    data = explain_need(SimpleNamespace(inputs=INPUTS), portfolio, IDS, 11)
    assert asked[0]["budget"] == EXPLAIN_BUDGET and asked[0]["time_limit"] > 0
    # Ample for two needs: exact, so no bound is kept.
    assert data["exact"] is True and all("at_least" not in s for s in data["growth"])
