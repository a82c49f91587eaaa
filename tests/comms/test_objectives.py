"""Objectives measured live (:mod:`phare.comms.objectives`): each figure read from the module
that releases it, suppressed groups shown as nothing, the status against the target line, and
parameters that name nothing refused field by field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from phare.comms import objectives as O
from phare.comms.models import Objective
from phare.directory.models import BusinessUnit
from phare.insights import store
from phare.listening import services as listening_services
from phare.listening.models import Invitation, Survey
from phare.needs import services as needs_services
from phare.needs.models import Need
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.comms.factories import make_objective, make_plan
from tests.insights.factories import add_wave, answer, rate
from tests.listening.factories import make_barometer, make_crowd, plan
from tests.needs.factories import make_campaign, make_need
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as usage_service

M = Objective.Metric


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


def _objective(metric: str, params: dict, **extra) -> Objective:
    plan_ = make_plan(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    return make_objective(plan_, metric=metric, params=params, **extra)


# -- the barometer: NPS and an attribute's satisfaction ----------------------------------------

def _grid(satisfaction: int) -> dict:
    return {code: {"importance": 5, "satisfaction": satisfaction}
            for code in ("reactivite", "competence", "communication")}


@pytest.fixture
def barometer(org) -> Survey:
    """Wave 1: 8 answers in Ventes and 4 in DSI (NPS 25); wave 2: 10 in Ventes (NPS 40),
    more satisfied with responsiveness (4.5 against 3)."""
    survey = make_barometer("barometre-2025")
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(12):
        answer(survey, first, nps=[10, 9, 7, 3][i % 4], unit="VEN" if i < 8 else "DSI",
               day=dt.date(2025, 1, 8))
    for i in range(10):
        grid = _grid(3)
        grid["reactivite"]["satisfaction"] = 4 + i % 2
        answer(survey, second, nps=[10, 9, 9, 8, 2][i % 5], unit="VEN",
               day=dt.date(2025, 7, 9), grid=grid)
    return survey


def test_it_reads_the_nps_of_the_latest_released_wave_and_the_one_before(barometer):
    objective = _objective(M.NPS, {"survey": barometer.slug}, baseline=Decimal("25"),
                           target=Decimal("50"), due_on=dt.date(2025, 12, 31))
    live = O.live(objective, today=dt.date(2025, 9, 1))
    assert (live.value, live.previous, live.n, live.unit) == (40.0, 25.0, 10, "points")
    assert live.as_of == dt.date(2025, 7, 27)  # the wave's closing day
    assert live.change == 15.0
    # The line from 25 (1 January) to 50 (31 December) stood at about 39.4 on 27 July.
    assert live.expected == pytest.approx(25 + 25 * 207 / 364, abs=0.01)
    assert live.status == O.ON_TRACK and not live.suppressed


def test_it_shows_nothing_for_units_too_small_and_says_nothing_of_their_size(barometer):
    # DSI gave 4 answers in wave 1 and none in wave 2: nothing is released about it.
    live = O.live(_objective(M.NPS, {"survey": barometer.slug, "units": ["DSI"]},
                             target=Decimal("10")))
    assert live.suppressed and live.value is None and live.n is None
    assert live.previous is None and live.status == O.NO_DATA
    with translation.override("en"):
        assert live.note == "Not enough answers to show."
    # Ventes in wave 1 is the total minus DG's 4: hidden; in wave 2 it is everyone.
    sales = O.live(_objective(M.NPS, {"survey": barometer.slug, "units": ["VEN"]}))
    assert (sales.value, sales.n, sales.previous) == (40.0, 10, None)


def test_it_reads_an_attributes_satisfaction_as_the_barometer_shows_it(barometer):
    objective = _objective(M.SATISFACTION, {"survey": barometer.slug, "question": "grid",
                                            "option": "reactivite"},
                           baseline=Decimal("3"), target=Decimal("4.2"))
    live = O.live(objective, today=dt.date(2025, 9, 1))
    assert (live.value, live.previous, live.n) == (4.5, 3.0, 10)
    assert live.unit == "score" and live.scale == (1, 5)
    assert live.status == O.REACHED
    with translation.override("en"):
        label = O.live(objective).label
    assert label == "Satisfaction with Responsiveness (IT satisfaction barometer)"


def test_a_second_read_comes_from_the_dashboards_cache(barometer, tickets, monkeypatch):
    nps = _objective(M.NPS, {"survey": barometer.slug})
    happiness = _objective(M.TICKET_HAPPINESS, {})
    first = [O.live(nps), O.live(happiness, today=dt.date(2026, 4, 15))]
    calls: list[str] = []
    real = store.query

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "query", counted)
    again = [O.live(nps), O.live(happiness, today=dt.date(2026, 4, 15))]
    assert again == first and calls == []


def test_an_attribute_of_a_group_too_small_is_not_shown(barometer):
    live = O.live(_objective(M.SATISFACTION, {"survey": barometer.slug, "question": "grid",
                                              "option": "reactivite", "units": ["DSI"]}))
    assert live.suppressed and live.value is None and live.n is None


# -- tickets --------------------------------------------------------------------------------------

@pytest.fixture
def tickets(org):
    """March 2026: 20 happy ratings and 10 unhappy ones, 12 of them (8 happy) on Collab;
    February 2026: three ratings of Tiny; December 2025: 10 delighted ratings."""
    survey = ticket_survey_create()
    listening_services.survey_set_status(survey, Survey.Status.OPEN)
    for i in range(20):
        rate(survey, None, i, rating=9 + i % 2, lost="none")
    for i in range(20, 30):
        rate(survey, None, i, rating=3, lost="day")
    for i in range(30, 40):
        rate(survey, None, i, rating=10, lost="none", day=dt.date(2025, 12, 1 + i % 20))
    for i in range(40, 43):  # a service rated by three people only
        rate(survey, None, i, rating=10, lost="none", day=dt.date(2026, 2, 10))
    collab, tiny = usage_service("collab", name="Collab"), usage_service("tiny", name="Tiny")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in (*range(8), *range(20, 24))]
                          ).update(service=collab)
    Ticket.objects.filter(external_id__in=["INC00040", "INC00041", "INC00042"]).update(
        service=tiny)
    return survey


def test_it_reads_ticket_happiness_over_the_last_three_whole_months(tickets):
    live = O.live(_objective(M.TICKET_HAPPINESS, {}, target=Decimal("60")),
                  today=dt.date(2026, 4, 15))
    # January to March 2026: 20 promoters and 10 detractors of 30 ratings (February's three
    # people are too few to be added in).
    assert live.value == pytest.approx(round(100 * (20 - 10) / 30, 1))
    assert live.n == 30 and live.as_of == dt.date(2026, 3, 31)
    assert live.previous == 100.0  # October to December 2025
    assert live.status == O.AT_RISK  # after the plan's end, under the target


def test_it_reads_ticket_happiness_per_service_and_hides_a_small_one(tickets):
    collab = O.live(_objective(M.TICKET_HAPPINESS, {"service": "collab"}),
                    today=dt.date(2026, 4, 15))
    assert collab.value == pytest.approx(round(100 * (8 - 4) / 12, 1)) and collab.n == 12
    tiny = O.live(_objective(M.TICKET_HAPPINESS, {"service": "tiny"}),
                  today=dt.date(2026, 4, 15))
    assert tiny.suppressed and tiny.value is None and tiny.n is None
    assert tiny.status == O.NO_DATA
    assert collab.label == O.describe(M.TICKET_HAPPINESS, {"service": "collab"})
    with translation.override("en"):
        assert O.describe(M.TICKET_HAPPINESS, {"service": "collab"}) == (
            "Ticket happiness for Collab")


def test_there_is_no_ticket_figure_before_any_rating(tickets):
    live = O.live(_objective(M.TICKET_HAPPINESS, {}), today=dt.date(2025, 9, 15))
    assert live.value is None and not live.suppressed and live.status == O.NO_DATA


# -- usage ----------------------------------------------------------------------------------------

USAGE_DAY = dt.date(2026, 6, 15)


@pytest.fixture
def usage(org):
    """DSI: 20 people, 10 active in April and 12 in May; Ventes: 15 people, 8 active in May
    and 3 in April."""
    dsi = make_people(org, "dsi", 20)
    sales = make_people(org, "ven", 15, unit="sales", site="lyon", family="sell")
    service = usage_service("collab", name="Collab")
    rows = (use(dsi[:10], "collab", dt.date(2026, 4, 7)) + use(sales[:3], "collab",
                                                                 dt.date(2026, 4, 8))
            + use(dsi[:12], "collab", dt.date(2026, 5, 4))
            + use(sales[:8], "collab", dt.date(2026, 5, 5)))
    report = import_events(rows, today=USAGE_DAY)
    assert report.unmatched == 0
    return service


def test_it_reads_adoption_of_the_last_released_month(usage):
    live = O.live(_objective(M.ADOPTION, {"service": "collab"}, target=Decimal("80")),
                  today=USAGE_DAY)
    assert (live.value, live.n, live.unit) == (round(100 * 20 / 35, 1), 35, "%")
    assert live.as_of == dt.date(2026, 5, 31)
    assert live.previous == round(100 * 13 / 35, 1)


def test_it_reads_adoption_in_units_from_their_released_cells(usage):
    sales = O.live(_objective(M.ADOPTION, {"service": "collab", "units": ["VEN"]}),
                   today=USAGE_DAY)
    assert (sales.value, sales.n) == (round(100 * 8 / 15, 1), 15)
    # April in Ventes: 3 active people, hidden (and DG's 10 of 20 with it).
    assert sales.previous is None
    # Two units added up; DSI inside DG counts once.
    both = O.live(_objective(M.ADOPTION, {"service": "collab",
                                          "units": ["DG", "DSI", "VEN"]}), today=USAGE_DAY)
    assert (both.value, both.n) == (round(100 * 20 / 35, 1), 35)
    with translation.override("en"):
        assert O.describe(M.ADOPTION, {"service": "collab", "units": ["VEN"]}) == (
            "Adoption of Collab in Ventes")


def test_adoption_in_a_unit_too_small_is_not_shown(usage, org):
    org["rh"] = BusinessUnit.objects.create(code="RH", name="Ressources humaines")
    make_people(org, "rh", 3, unit="rh")
    live = O.live(_objective(M.ADOPTION, {"service": "collab", "units": ["RH"]}),
                  today=USAGE_DAY)
    assert live.suppressed and live.value is None and live.n is None


def test_there_is_no_adoption_before_a_month_is_over(usage):
    live = O.live(_objective(M.ADOPTION, {"service": "collab"}), today=dt.date(2026, 4, 20))
    assert live.value is None and not live.suppressed and live.status == O.NO_DATA


# -- waves and needs ------------------------------------------------------------------------------

def _launched(survey: Survey, answered: list[str]):
    wave = plan(survey)
    listening_services.wave_launch(wave)
    Invitation.objects.filter(wave=wave).update(sent_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    Invitation.objects.filter(wave=wave, person__employee_id__in=answered).update(
        responded_on=dt.date(2025, 3, 2))
    return wave


def test_it_reads_the_response_rate_of_a_wave(org):
    make_crowd(org)
    survey = make_barometer()
    wave = _launched(survey, ["C000", "C001", "C002", "C004", "C008", "C012"])
    live = O.live(_objective(M.RESPONSE_RATE, {"wave": wave.pk}, target=Decimal("30")))
    assert (live.value, live.n, live.unit) == (15.0, 40, "%")
    assert live.previous is None and live.status == O.AT_RISK


def test_the_response_rate_of_a_wave_too_small_is_not_shown(org):
    make_people(org, "T", 3)
    survey = make_barometer()
    wave = _launched(survey, ["T0000"])
    live = O.live(_objective(M.RESPONSE_RATE, {"wave": wave.pk}))
    assert live.suppressed and live.value is None and live.n is None


def test_it_counts_needs_answered_in_the_plans_period(org, personas):
    person = personas["employee"].person
    lead = personas["marketing"]
    needs = [make_need(person, f"Besoin {i}") for i in range(5)]
    needs_services.need_set_status(user=lead, need=needs[0], to=Need.Status.UNDER_STUDY)
    needs_services.need_set_status(user=lead, need=needs[1], to=Need.Status.DECLINED,
                                   reason="Hors périmètre")
    needs_services.need_set_status(user=lead, need=needs[2], to=Need.Status.QUALIFIED)
    needs_services.need_merge(user=lead, duplicate=needs[4], into=needs[3])
    today = dt.date.today()
    plan_ = make_plan(starts_on=today.replace(month=1, day=1),
                      ends_on=today.replace(month=12, day=31))
    live = O.live(make_objective(plan_, metric=M.NEEDS_ANSWERED, params={},
                                 target=Decimal("50")))
    # Four needs (the merged one lives on in another): two answered, qualified is not.
    assert (live.value, live.n, live.unit) == (50.0, 4, "%")
    assert live.status == O.REACHED
    total, answered = O.answered_needs(campaign=make_campaign(lead, needs[2:4]))
    assert (total, answered) == (2, 0)


# -- status ---------------------------------------------------------------------------------------

def _status(value, *, baseline=20.0, target=40.0, at=dt.date(2025, 7, 2)):
    return O.status(metric=M.NPS, value=value, baseline=baseline, target=target,
                    starts_on=dt.date(2025, 1, 1), due_on=dt.date(2025, 12, 31), at=at)


def test_the_status_follows_the_line_from_baseline_to_target():
    # Halfway through the year the line stands at 30.
    assert _status(31.0) == (O.ON_TRACK, pytest.approx(30.0, abs=0.1))
    assert _status(29.0)[0] == O.AT_RISK
    assert _status(40.0)[0] == O.REACHED
    assert _status(39.0, at=dt.date(2026, 2, 1))[0] == O.AT_RISK  # past due, unreached
    assert _status(21.0, at=dt.date(2024, 10, 1))[0] == O.ON_TRACK  # data before the start
    assert _status(None)[0] == O.NO_DATA
    assert _status(25.0, target=None)[0] == O.NO_TARGET
    assert _status(25.0, baseline=None) == (O.ON_TRACK, None)
    assert _status(25.0, baseline=None, at=dt.date(2026, 1, 5))[0] == O.AT_RISK


def test_an_objective_without_a_figure_is_not_measured(db):
    live = O.live(_objective(M.NONE, {}, target=Decimal("10")))
    assert live.status == O.NOT_MEASURED and live.value is None and live.unit == ""
    assert live.due_on == dt.date(2025, 12, 31)  # the plan's end


def test_an_objective_naming_what_is_gone_says_so(db):
    live = O.live(_objective(M.ADOPTION, {"service": "gone"}))
    assert live.status == O.NO_DATA and "gone" in live.problem


# -- parameters -----------------------------------------------------------------------------------

def test_it_normalises_good_parameters(barometer, org):
    assert O.check_params(M.NPS, {"survey": " barometre-2025 ", "units": ["VEN", "DSI", "VEN"]}
                          ) == {"survey": "barometre-2025", "units": ["DSI", "VEN"]}
    assert O.check_params(M.TICKET_HAPPINESS, {"service": ""}) == {}
    assert O.check_params(M.SATISFACTION, {"survey": "barometre-2025", "question": "grid",
                                           "option": "competence"})["option"] == "competence"


def test_it_names_each_bad_parameter(barometer, org):
    ticket = ticket_survey_create()
    cases = [
        (M.NPS, {}, {"survey"}),
        (M.NPS, {"survey": "nope", "units": ["VEN", "ZZZ"], "colour": "blue"},
         {"survey", "units", "colour"}),
        (M.NPS, {"survey": ticket.slug}, {"survey"}),
        (M.NPS, {"survey": barometer.slug, "units": "VEN"}, {"units"}),
        (M.SATISFACTION, {"survey": barometer.slug, "question": "tools", "option": "vpn"},
         {"question"}),
        (M.SATISFACTION, {"survey": barometer.slug, "question": "grid", "option": "price"},
         {"option"}),
        (M.ADOPTION, {"service": "nope"}, {"service"}),
        (M.RESPONSE_RATE, {"wave": "x"}, {"wave"}),
        (M.RESPONSE_RATE, {"wave": 999999}, {"wave"}),
        (M.RESPONSE_RATE, {"wave": True}, {"wave"}),
        (M.NEEDS_ANSWERED, {"campaign": 999999}, {"campaign"}),
        (M.NONE, {"survey": barometer.slug}, {"survey"}),
        ("weather", {}, {"metric"}),
        (M.NPS, ["barometre"], {"params"}),
    ]
    for metric, params, fields in cases:
        with pytest.raises(O.ParamsInvalid) as refused:
            O.check_params(metric, params)
        assert {field for field, _reason in refused.value.details} == fields, (metric, params)
        assert set(refused.value.message_dict) == fields
    with translation.override("en"), pytest.raises(O.ParamsInvalid) as refused:
        O.check_params(M.ADOPTION, {"service": "nope"})
    assert refused.value.details == [("service", "No catalogue service is named “nope”.")]


def test_labels_name_what_the_figure_is_of(barometer, org):
    with translation.override("en"):
        assert O.describe(M.NPS, {"survey": barometer.slug, "units": ["VEN"]}) == (
            "NPS of IT satisfaction barometer in Ventes")
        wave = barometer.waves.get(number=2)
        assert O.describe(M.RESPONSE_RATE, {"wave": wave.pk}) == (
            "Response rate of Vague 2 (IT satisfaction barometer)")
        assert O.describe(M.NONE, {}) == "Not measured by Phare"
    with translation.override("fr"):
        assert O.describe(M.NPS, {"survey": barometer.slug}).endswith(
            "Baromètre de satisfaction IT")

