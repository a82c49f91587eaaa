"""The cockpit's ticket happiness by business unit: a unit whose happiness fell significantly
from one released month to the next, or that is significantly below the company, is on the
marketing lead's to-do (Holm-adjusted) — never a unit the ticket page hides."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from phare.core.cockpit import changes, cockpit_for
from phare.listening import services
from phare.listening.models import Survey
from phare.tickets.services import ticket_survey_create
from tests.directory.factories import make_person
from tests.insights.factories import rate

TODAY = dt.date(2026, 4, 15)  # February and March 2026 are released
FEBRUARY, MARCH = dt.date(2026, 2, 10), dt.date(2026, 3, 10)
STEADY = [10, 9, 9, 8, 7, 3] * 5  # 30 ratings, happiness +33
UNHAPPY = [3, 2, 0, 7, 9, 5] * 5  # 30 ratings, happiness −50
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def survey(personas):
    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    return survey


def _ratings(survey, org, unit: str, ratings: list[int], day: dt.date) -> None:
    """One rated ticket per requester of ``unit``, each a person of their own."""
    for rating in ratings:
        number = next(_numbers)
        person = make_person(org, f"T{number:05d}", "Req", f"T{number}", business_unit=org[unit])
        rate(survey, person, number, rating=rating, lost="none", day=day)


def _items(user):
    with translation.override("en"):
        todo = cockpit_for(user, language="en", today=TODAY).todo
    return [item for item in todo if item.text.startswith("Ticket happiness in")]


def test_a_unit_whose_happiness_fell_is_listed_with_its_interval_and_link(survey, org,
                                                                          personas):
    _ratings(survey, org, "dg", STEADY, FEBRUARY)
    _ratings(survey, org, "sales", STEADY, FEBRUARY)
    _ratings(survey, org, "dg", STEADY, MARCH)
    _ratings(survey, org, "sales", UNHAPPY, MARCH)
    [item] = _items(personas["marketing"])
    assert item.text.startswith("Ticket happiness in the business unit “Ventes” fell by 83 "
                                "points from February 2026 to March 2026 (95 % interval: ")
    assert item.text.endswith("now −50, n = 30).")
    assert item.priority == "high"
    assert item.url == reverse("insights:tickets") + "?unit=VEN&month=2026-03"
    found = changes.unit_happiness_changes(None, TODAY)
    drop = next(c for c in found if c.by == "ticket_unit")
    assert (drop.key, drop.previous, drop.latest) == ("VEN", "2026-02", "2026-03")
    assert drop.value == pytest.approx(-250 / 3)
    assert drop.low < drop.value < drop.high < 0 and drop.adjusted_p < changes.ALPHA
    # Half of the company, Sales is not significantly below it; the steady unit is not listed.
    assert {(c.by, c.key) for c in found} == {("ticket_unit", "VEN")}
    with translation.override("fr"):
        [french] = [item for item in cockpit_for(personas["marketing"], language="fr",
                                                 today=TODAY).todo if "Ventes" in item.text]
    assert "février 2026" in french.text and "mars 2026" in french.text


def test_a_unit_below_the_company_without_a_previous_month_is_listed(survey, org, personas):
    _ratings(survey, org, "dg", STEADY * 2, MARCH)
    _ratings(survey, org, "sales", UNHAPPY, MARCH)
    [item] = _items(personas["marketing"])
    assert item.text.startswith("Ticket happiness in the business unit “Ventes” is ")
    assert "points below the company's in March 2026" in item.text
    assert item.url == reverse("insights:tickets") + "?unit=VEN&month=2026-03"


def test_a_change_within_the_noise_gives_no_item(survey, org, personas):
    _ratings(survey, org, "dg", STEADY, FEBRUARY)
    _ratings(survey, org, "sales", STEADY, FEBRUARY)
    _ratings(survey, org, "dg", STEADY, MARCH)
    _ratings(survey, org, "sales", [10, 9, 8, 8, 7, 3] * 5, MARCH)  # +33 → +17
    assert _items(personas["marketing"]) == []
    assert changes.unit_happiness_changes(None, TODAY) == []


def test_a_unit_under_the_threshold_never_appears(survey, org, personas):
    _ratings(survey, org, "dg", STEADY, FEBRUARY)
    _ratings(survey, org, "sales", STEADY, FEBRUARY)
    _ratings(survey, org, "dg", STEADY, MARCH)
    _ratings(survey, org, "sales", [0, 0, 0], MARCH)  # three unhappy people: under 5
    assert _items(personas["marketing"]) == []
    assert all(c.key != "VEN" for c in changes.unit_happiness_changes(None, TODAY))
