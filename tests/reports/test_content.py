"""The report's content: sections present by data, figures read from the released ones,
hidden groups shown without a count."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.utils import timezone, translation

from phare.insights.barometer import Filters, wave_figures
from phare.listening import services as listening
from phare.listening.models import Survey
from phare.needs.services import (
    arbitration_explain,
    arbitration_run,
    decision_publish,
    decision_record,
)
from phare.reports import content as C
from phare.tickets.services import ticket_survey_create
from tests.insights.factories import make_two_waves, rate
from tests.needs.factories import make_campaign, make_need, score

Q3_2025 = {"starts_on": dt.date(2025, 7, 1), "ends_on": dt.date(2025, 9, 30)}


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def two_waves(personas):
    return make_two_waves(personas["marketing"])[0]


def _section(report, title):
    return next((s for s in report.sections if s.title == title), None)


def test_a_period_without_data_has_no_section(personas):
    report = C.build(**Q3_2025, language="en")
    assert report.sections == []
    assert report.period_label == "2025-07-01 to 2025-09-30"
    assert report.title == "Quarterly report" and report.unit_name is None


def test_bad_input_names_the_field(personas):
    with pytest.raises(C.ReportError, match="ends_on"):
        C.build(starts_on=dt.date(2025, 9, 30), ends_on=dt.date(2025, 7, 1))
    with pytest.raises(C.ReportError, match="unit_code"):
        C.build(**Q3_2025, unit_code="NOPE")
    with pytest.raises(C.ReportError, match="language"):
        C.build(**Q3_2025, language="de")


def test_the_barometer_reads_the_released_wave_figures(two_waves):
    report = C.build(**Q3_2025, language="en")
    section = _section(report, "Barometer")
    assert section is not None
    figure = section.figures[0]
    waves, _csat = wave_figures(two_waves, Filters())
    assert list(figure.table["Answers (n)"]) == [w.responses for w in waves] == [12, 10]
    assert list(figure.table["NPS"]) == [round(w.nps.value, 1) for w in waves]
    assert figure.n == 10 and figure.chart is not None
    assert "NPS 40.0 in Vague 2 (n = 10)" in section.message
    assert "not a significant change" in section.message
    # A quarter in which no wave closed has no barometer.
    assert _section(C.build(starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2025, 12, 31),
                            language="en"), "Barometer") is None


def test_a_unit_too_small_says_so_and_never_gives_its_count(two_waves):
    report = C.build(**Q3_2025, unit_code="DSI", language="en")
    assert report.unit_name and report.title.endswith(report.unit_name)
    section = _section(report, "Barometer")
    table = section.figures[0].table
    # DSI gave 4 answers in wave 1 and none in wave 2: both hidden, without a count.
    unit = report.unit_name
    assert list(table[f"{unit}: answers (n)"]) == ["too few answers", "too few answers"]
    assert table[f"{unit}: NPS"].isna().all()
    assert "too few answers" in section.message
    for value in table.astype(object).to_numpy().ravel():
        assert value != 4
    # The company's figures are still there, beside it.
    assert list(table["Answers (n)"]) == [12, 10]


def test_the_report_speaks_the_language_asked(two_waves):
    with translation.override("en"):
        report = C.build(**Q3_2025, language="fr")
    # Strings the translators have already (the report's own come with the lead's .po).
    assert report.sections[0].title == "Baromètre"
    assert "Vague" in report.sections[0].figures[0].table.columns
    assert "2025-07-01" in report.period_label and "2025-09-30" in report.period_label


@pytest.fixture
def rated(personas):
    survey = ticket_survey_create()
    listening.survey_set_status(survey, Survey.Status.OPEN)
    for i in range(20):
        rate(survey, None, i, rating=9 + i % 2, lost="none")
    for i in range(20, 30):
        rate(survey, None, i, rating=3, lost="day", reassignments=2)
    return survey


def test_ticket_experience_of_the_quarter(rated):
    report = C.build(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), language="en")
    section = _section(report, "Ticket experience")
    total = section.figures[0].table.iloc[0]
    assert total["Answers (n)"] == 30 and section.figures[0].n == 30
    assert total["Ticket happiness"] == pytest.approx(round(100 * (20 - 10) / 30, 1))
    assert total["Lost time per ticket (h)"] == pytest.approx(round(10 * 7.5 / 30, 2))
    # Named and written as the pages write them (the metrics registry).
    assert section.message == "Ticket happiness 33 (n = 30), lost time per ticket 2.5\u00a0h"
    # Beside a unit with no rating: "too few answers", no count, no figure.
    report = C.build(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31),
                     unit_code="DSI", language="en")
    unit_row = _section(report, "Ticket experience").figures[0].table.iloc[1]
    assert unit_row["Group"] == report.unit_name
    assert unit_row["Answers (n)"] == "too few answers" and pd.isna(unit_row["Ticket happiness"])
    monthly = section.figures[1].table
    assert list(monthly["Group"]) == ["2026-03"]
    # The quarter before has no rated ticket: no section.
    assert _section(C.build(starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2025, 12, 31)),
                    "Ticket experience") is None


@pytest.mark.slow
def test_decisions_published_in_the_period(personas, db):
    from phare.needs.models import DeliveryTeam

    DeliveryTeam.objects.create(code="data", name="Data")
    person = personas["employee"].person
    needs = [score(make_need(person, f"Besoin {i}"), value=v, one_off=c)
             for i, (v, c) in enumerate([(5, 30), (4, 25), (3, 80)])]
    lead = personas["marketing"]
    campaign = make_campaign(lead, needs, budget=60, name="Arbitrage T4")
    arbitration = arbitration_run(user=lead, campaign=campaign, explain=False)
    decision_record(user=lead, campaign=campaign, arbitration=arbitration, reason="Budget")
    arbitration_explain(arbitration)
    decision_publish(user=lead, campaign=campaign)
    today = timezone.localdate()
    report = C.build(starts_on=today - dt.timedelta(days=30), ends_on=today, language="en")
    section = _section(report, "Needs decisions")
    row = section.figures[0].table.iloc[0]
    chosen = len(arbitration.result["chosen"])
    assert row["Campaign"] == "Arbitrage T4" and row["Needs considered"] == 3
    assert row["Needs taken"] == chosen
    assert section.message.startswith(f"{chosen} needs taken out of 3")
    assert len(section.figures[1].table) == chosen
    before = today - dt.timedelta(days=60)
    assert _section(C.build(starts_on=before, ends_on=before + dt.timedelta(days=10)),
                    "Needs decisions") is None


def test_value_cards_of_the_costliest_services(personas):
    from decimal import Decimal

    from tests.catalog.factories import make_families, make_service

    make_families()
    for slug, name, cost in (("vpn", "VPN", "90000"), ("visio", "Visio", "30000"),
                             ("free", "Gratuit", "0")):
        service = make_service(slug, name_fr=name, name_en=name, family="remote")
        service.annual_run_cost = Decimal(cost)
        service.save()
    section = _section(C.build(**Q3_2025, language="en"), "Value of the services")
    table = section.figures[0].table
    assert list(table["Service"]) == ["VPN", "Visio"]  # the free one is not among the costly
    assert list(table["Annual run cost (€)"]) == [90000.0, 30000.0]
    # No survey and no rated ticket: no figure, and no count either.
    assert list(table["Ticket ratings (n)"]) == ["too few answers"] * 2
    assert section.message.startswith("VPN costs the most: €90,000 a year")


def test_the_plans_objectives_with_their_live_figure(two_waves, personas):
    from phare.comms import objectives
    from phare.comms.models import Objective
    from tests.comms.factories import make_objective, make_plan

    plan = make_plan(name="Plan 2025", starts_on=dt.date(2025, 1, 1),
                     ends_on=dt.date(2025, 12, 31))
    objective = make_objective(plan, title="Remonter le NPS", metric=Objective.Metric.NPS,
                               params={"survey": two_waves.slug})
    make_plan(name="Plan 2027")  # another year: not in this report
    section = _section(C.build(**Q3_2025, language="en"), "Communication plan")
    rows = section.figures[0].table
    assert list(rows["Plan"]) == ["Plan 2025 (in French)"]  # written in French
    live = objectives.live(objective, today=dt.date(2025, 9, 30))
    assert rows.iloc[0]["Value"] == round(live.value, 1)
    assert rows.iloc[0]["n"] == live.n and section.figures[0].n == live.n


def test_adoption_of_the_services_with_usage(org):
    from phare.usage import queries as usage
    from tests.usage.factories import import_events, make_people, use
    from tests.usage.factories import service as make_service

    people = make_people(org, "u", 20)
    collab = make_service("collab", name="Collab")
    import_events(use(people[:12], "collab", dt.date(2026, 5, 4)), today=dt.date(2026, 6, 15))
    quarter = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2026, 6, 30)}
    section = _section(C.build(**quarter, language="en"), "Adoption of the services")
    row = section.figures[0].table.iloc[0]
    summary = usage.summary(collab, today=dt.date(2026, 7, 1))
    assert row["Service"] == "Collab" and row["Month"] == summary.month.strftime("%Y-%m")
    assert row["Audience (n)"] == summary.audience == section.figures[0].n
    assert row["Adoption (%)"] == round(100 * summary.adoption.value, 1)
    # Before any usage: no section.
    assert _section(C.build(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 3, 31)),
                    "Adoption of the services") is None
