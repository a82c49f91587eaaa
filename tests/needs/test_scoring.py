"""Scoring: reach from the directory, and the three methods checked by hand."""

from __future__ import annotations

import pytest

from phare.needs.models import Criterion
from phare.needs.scoring import criteria_as_data, criteria_ensure, figures_of, reach_of, score_needs
from tests.needs.factories import make_need, score


@pytest.fixture
def two(people, teams):
    a = score(make_need(people["employee"], "A", urgency="high"), value=5, fit=3, risk=2,
              efforts={"data": 30, "apps": 10})
    b = score(make_need(people["employee"], "B"), value=1, fit=1, risk=5, one_off=20)
    return a, b


def _scores(method, needs):
    return score_needs(method, criteria_as_data(criteria_ensure()), figures_of(needs))


def test_reach_counts_active_people_of_the_units_and_their_sub_units(org, people):
    plain = make_need(people["employee"], "Pour les ventes")  # unit VEN: the employee only
    wide = make_need(people["employee"], "Pour la direction", concerned_units=[org["dg"]])
    assert reach_of([plain, wide]) == {plain.pk: 1, wide.pk: 4}  # DG and DSI below it
    people["owner"].active = False
    people["owner"].save()
    assert reach_of([wide]) == {wide.pk: 3}


def test_figures_say_where_each_value_comes_from(two):
    a, _b = two
    fig = figures_of([a])[a.pk]
    assert fig.values["urgency"] == 4 and fig.sources["urgency"] == "declared"
    assert fig.values["reach"] == 1 and fig.sources["reach"] == "directory"
    assert fig.values["effort"] == 40 and fig.efforts == {"data": 30, "apps": 10}
    assert fig.sources["business_value"] == "scored"


def test_the_weighted_score_follows_its_formula(two):
    a, b = two
    result = _scores("weighted", [a, b])
    # Weights 3, 2, 2, 2, 1 (risk: lower is better); total 10.
    # A: 3·1 + 2·1 + 2·0.75 + 2·0.5 + 1·(1 − 0.25) = 8.25 → 82.5
    # B: 3·0 + 2·1 + 2·0.5 + 2·0 + 1·(1 − 1) = 3 → 30
    assert result[a.pk].value == pytest.approx(82.5)
    assert result[b.pk].value == pytest.approx(30.0)
    rows = {row["code"]: row for row in result[a.pk].parts["rows"]}
    assert rows["risk"]["normalised"] == pytest.approx(0.75)
    assert sum(row["contribution"] for row in rows.values()) == pytest.approx(82.5)


def test_rice_and_wsjf_follow_their_formulas(two):
    a, b = two
    rice = _scores("rice", [a, b])
    # A: reach 1 × impact 3 × confidence 100 % ÷ 2 person-months; B: 1 × 0.25 × 50 % ÷ 0.05.
    assert rice[a.pk].value == pytest.approx(1.5)
    assert rice[b.pk].value == pytest.approx(2.5)
    wsjf = _scores("wsjf", [a, b])
    # A: (5 + 4 + 3) ÷ 2; B: (1 + 3 + 1) ÷ 0.05 (no effort counts as one day).
    assert wsjf[a.pk].value == pytest.approx(6.0)
    assert wsjf[b.pk].value == pytest.approx(100.0)


def test_a_need_missing_a_weighted_criterion_is_incomplete(people, teams):
    need = make_need(people["employee"], "Pas encore évaluée")
    result = _scores("weighted", [need])[need.pk]
    assert set(result.missing) == {"business_value", "strategic_fit", "risk"}
    Criterion.objects.filter(code__in=["strategic_fit", "risk"]).update(weight=0)
    assert _scores("weighted", [need])[need.pk].missing == ("business_value",)
    assert _scores("wsjf", [need])[need.pk].missing == ("business_value", "strategic_fit")
