"""A value card's trends: its service survey's satisfaction per wave or month (NPS or CSAT,
whichever the survey asks), its tickets' happiness per month, each released or withheld by the
disclosure layer, and the card's change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phare.insights import dashboards, store
from phare.insights import value as V
from phare.listening import services
from phare.listening.models import Response, Survey
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate


@pytest.fixture
def vpn(personas):
    make_families()
    service = make_service("vpn", name_fr="VPN", family="remote", owner="E0003")
    service.annual_run_cost = Decimal("6000")
    service.save()
    return service


def answered(survey, day: dt.date, answers: dict) -> None:
    response = services.response_submit(survey=survey, answers=answers, channel="open_link")
    Response.objects.filter(pk=response.pk).update(submitted_on=day)


def csat_survey(service):
    """A service survey that asks a CSAT and no NPS (as the demo's VPN survey)."""
    survey = services.survey_create(slug="vpn-avis", kind=Survey.Kind.SERVICE,
                                    title_fr="Le VPN", service=service)
    services.question_add(survey, code="csat", type="csat", text_fr="Satisfait du VPN ?")
    services.question_add(survey, code="ces", type="ces", text_fr="Facile ?")
    return survey


def test_a_survey_that_asks_a_csat_and_no_nps_feeds_the_card(vpn):
    survey = csat_survey(vpn)
    for i in range(8):  # May: 6 of 8 satisfied (4 or 5)
        answered(survey, dt.date(2026, 5, 4), {"csat": [5, 4, 4, 2, 5, 4, 1, 4][i], "ces": 5})
    for i in range(10):  # June: 5 of 10
        answered(survey, dt.date(2026, 6, 8), {"csat": [5, 2][i % 2], "ces": 4})
    store.refresh(survey)
    card = V.value_card(vpn)
    may, june = card.satisfaction
    assert (may["period"], may["n"], may["nps"]) == ("2026-05", 8, None)
    assert may["csat"].value == pytest.approx(75) and may["csat"].n == 8
    assert june["csat"].value == pytest.approx(50) and june["n"] == 10
    assert june["csat_change"].value == pytest.approx(-25)
    assert card.latest is june
    assert card.change["measure"] == "csat"
    assert card.change["comparison"].value == pytest.approx(-25)


def test_a_period_with_too_few_answers_is_withheld_whole(vpn):
    survey = csat_survey(vpn)
    services.question_add(survey, code="nps", type="nps", text_fr="Recommanderiez-vous ?")
    for i in range(6):
        answered(survey, dt.date(2026, 5, 4), {"csat": 4, "nps": [10, 9, 3][i % 3]})
    for _ in range(3):  # under the survey's minimum of 5: no figure, no count
        answered(survey, dt.date(2026, 6, 8), {"csat": 1, "nps": 0})
    store.refresh(survey)
    may, june = V.value_card(vpn).satisfaction
    assert may["nps"].value == pytest.approx(100 * (4 - 2) / 6) and may["csat"] is not None
    assert june == {"period": "2026-06", "n": None, "nps": None, "change": None, "csat": None,
                    "csat_change": None, "suppressed": True}


def test_the_tickets_happiness_by_month_with_its_change(vpn):
    tickets = ticket_survey_create()
    services.survey_set_status(tickets, "open")
    for i in range(6):  # March: all happy
        rate(tickets, None, i, rating=10, lost="none")
    for i in range(6, 12):  # April: half unhappy
        rate(tickets, None, i, rating=[10, 2][i % 2], lost="1_4h", day=dt.date(2026, 4, 9))
    for i in range(12, 14):  # May: two ratings only, withheld
        rate(tickets, None, i, rating=0, lost="day", day=dt.date(2026, 5, 9))
    Ticket.objects.update(service=vpn)
    page = dashboards.value_card(vpn)
    months = page.card.tickets["months"]
    assert [(m["key"], m["n"], m["suppressed"]) for m in months] == [
        ("2026-03", 6, False), ("2026-04", 6, False), ("2026-05", None, True)]
    assert months[1]["change"].value == pytest.approx(-100)
    assert page.card.change["measure"] == "ticket_happiness"
    chart = page.ticket_trend
    assert chart.id == "service-ticket-trend" and chart.n == 12
    assert list(chart.table["month"]) == ["2026-03", "2026-04"]


def test_the_trend_chart_draws_the_csat_when_the_survey_asks_no_nps(vpn):
    survey = csat_survey(vpn)
    for day in (dt.date(2026, 4, 6), dt.date(2026, 5, 4)):
        for i in range(5):
            answered(survey, day, {"csat": [5, 4, 2, 4, 5][i]})
    page = dashboards.value_card(vpn)
    assert page.trend is not None and page.trend.id == "service-trend"
    assert list(page.trend.table["value"]) == [pytest.approx(80), pytest.approx(80)]
    assert page.trend.n == 10


def test_rows_sort_by_each_figure_with_the_missing_last(personas):
    make_families()
    cheap = make_service("cheap", name_fr="Bon marché")
    cheap.annual_run_cost = Decimal("100")
    dear = make_service("dear", name_fr="Cher")
    dear.annual_run_cost = Decimal("900")
    free = make_service("free", name_fr="Gratuit")
    rows = [V.CardRow(V.ValueCard(service=s, satisfaction=[], tickets=None, themes=None,
                                  reach=10, cost_per_user=None, min_group=5))
            for s in (cheap, free, dear)]
    names = [r.service.slug for r in V.sort_rows(rows, "-cost")]
    assert names == ["dear", "cheap", "free"]
    assert [r.service.slug for r in V.sort_rows(rows, "cost")] == ["cheap", "dear", "free"]
    assert [r.service.slug for r in V.sort_rows(rows, "service")] == ["cheap", "dear", "free"]
    assert [r.service.slug for r in V.sort_rows(rows, "-service")] == ["free", "dear", "cheap"]
