"""The published decision in plain words: what an employee reads of their need's outcome,
built from the solver's explanation data."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from phare.needs.explaining import describe, money, plain, plain_context

INPUTS = {
    "needs": [{"id": 1, "title": "Signature électronique", "unit": "PROD-FAB"},
              {"id": 2, "title": "Portail fournisseurs", "unit": "FIN"},
              {"id": 3, "title": "Tableau de bord qualité", "unit": "PROD-FAB"},
              {"id": 4, "title": "Application de congés", "unit": "RH"}],
    "constraints": [{"key": "one_off", "capacity": 500.0},
                    {"key": "recurring", "capacity": 80.0},
                    {"key": "team:PROD-FAB", "name": "Fabrication numérique",
                     "capacity": 120.0}],
    "requires": [[3, 2]],
    "excludes": [[4, 1]],
}
CHOSEN = [1]


def words(need_id, explanation):
    """The sentence, its no-break spaces (between a figure and its unit) read as spaces."""
    return plain(explanation, plain_context(INPUTS, CHOSEN, need_id, explanation)).translate(
        str.maketrans({"\u202f": " ", "\xa0": " "}))


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_a_need_left_out_for_money_says_how_much_more_in_whole_k_euros(en):
    explanation = {"chosen": False, "growth": [{"key": "one_off", "increase": 240.37,
                                                "capacity": 500.0}], "cost_cut": None}
    assert words(2, explanation) == "Not this time: it would have needed 241 k€ more in the budget."


def test_team_time_and_running_budget_are_named_and_rounded_up(en):
    explanation = {"chosen": False, "cost_cut": 0.184,
                   "growth": [{"key": "team:PROD-FAB", "increase": 11.2, "capacity": 120.0},
                              {"key": "recurring", "increase": 1530.0, "capacity": 80.0}]}
    sentence = words(2, explanation)
    assert sentence == ("Not this time: it would have needed 12 more days of work from the team "
                        "“Fabrication numérique” or 1.6 M€ more a year in the running budget "
                        "or a cost lower by 18 %.")
    assert "PROD-FAB" not in sentence


def test_a_dependency_left_out_and_an_exclusion_taken_are_the_reason(en):
    by_money = {"chosen": False, "growth": [{"key": "one_off", "increase": 10.0,
                                             "capacity": 500.0}], "cost_cut": 0.1}
    assert words(3, by_money) == ("Not this time: it depends on “Portail fournisseurs”, which "
                                  "was not selected.")
    assert words(4, {"chosen": False, "growth": [], "cost_cut": None}) == (
        "Not this time: it cannot be done together with “Signature électronique”, which was "
        "selected.")


def test_a_need_selected_says_why_without_solver_terms(en):
    displacing = {"chosen": True, "exact": True, "displaces": [2, 3], "also_out": [],
                  "value_loss": 18.4}
    sentence = words(1, displacing)
    assert sentence == ("Selected because it brings more for what it costs than “Portail "
                        "fournisseurs” and “Tableau de bord qualité”, which could have been done "
                        "in its place.")
    assert "18.4" not in sentence and "total value" not in sentence
    assert "total value would fall by 18.4" in describe(displacing, plain_context(
        INPUTS, CHOSEN, 1, displacing))  # the marketing lead's detailed view keeps it
    assert words(1, {"chosen": True, "exact": True, "lock": "mandatory"}) == (
        "Selected because it had to be done: the campaign made it a must.")
    assert words(1, {"chosen": True, "exact": True, "displaces": [], "also_out": [],
                     "value_loss": 2.0}) == (
        "Selected because it brings value and fits in the budget and the teams’ time.")


def test_a_tie_and_a_need_set_aside_are_said_plainly(en):
    assert words(2, {"chosen": False, "growth": [{"key": "one_off", "increase": 0.0,
                                                  "capacity": 500.0}], "cost_cut": None}) == (
        "Not this time, by a narrow margin: another choice of needs worth as much was made.")
    assert words(2, {"aside": True, "text": "not fully scored (missing: Cost)"}) == (
        "Not considered this time: not fully scored (missing: Cost).")


def test_in_french_money_uses_french_numbers_and_no_code_appears():
    spaces = str.maketrans({"\u202f": " ", "\xa0": " "})  # French puts no-break spaces
    with translation.override("fr"):
        assert money(1530).translate(spaces) == "1,6 M€"
        assert money(12480.2).translate(spaces) == "12,5 M€"
        assert money(0.2).translate(spaces) == "1 k€"
        explanation = {"chosen": False, "cost_cut": None,
                       "growth": [{"key": "team:PROD-FAB", "increase": 3.01, "capacity": 120.0},
                                  {"key": "one_off", "increase": 999.2, "capacity": 500.0}]}
        sentence = words(2, explanation)
    assert "Fabrication numérique" in sentence and "PROD-FAB" not in sentence
    assert "4" in sentence and re.search(r"1\W?000 k€", sentence)
