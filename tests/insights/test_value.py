from __future__ import annotations

import datetime as dt

import pytest

from phare.catalog.access import can_see_value_card
from phare.insights import value as V
from phare.listening import services
from phare.listening.models import Response, Survey
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate


@pytest.fixture
def vpn(personas):
    from decimal import Decimal

    make_families()
    service = make_service("teletravail", name_fr="Télétravail", family="remote",
                           owner="E0003")
    service.annual_run_cost = Decimal("5000")
    service.save()
    return service


def test_who_sees_the_card(personas, vpn):
    assert can_see_value_card(personas["marketing"], vpn)
    assert can_see_value_card(personas["executive"], vpn)
    assert can_see_value_card(personas["owner"], vpn)  # E0003 owns it
    assert not can_see_value_card(personas["employee"], vpn)
    vpn.owner = None
    assert not can_see_value_card(personas["owner"], vpn)


def test_reach_and_cost_per_user(personas, vpn, org):
    assert V.reach(vpn) == 5
    vpn.audience_everyone = False
    vpn.save()
    vpn.audience_units.set([org["dg"]])  # DG covers DSI below it: 4 of the 5 personas
    assert V.reach(vpn) == 4
    card = V.value_card(vpn)
    assert card.cost_per_user == pytest.approx(5000 / 4)


def test_the_card_gathers_service_surveys_and_tickets(personas, vpn):
    survey = services.survey_create(slug="vpn-avis", kind=Survey.Kind.SERVICE, title_fr="VPN",
                                    service=vpn)
    services.question_add(survey, code="nps", type="nps", text_fr="Recommanderiez-vous ?")
    for i in range(6):
        response = services.response_submit(survey=survey, answers={"nps": 9 - i % 3},
                                            channel="open_link")
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2026, 5, 4))
    tickets = ticket_survey_create()
    services.survey_set_status(tickets, "open")
    from phare.tickets.models import Ticket

    for i in range(7):
        rate(tickets, None, i, rating=[10, 4][i % 2], lost="1_4h")
    Ticket.objects.update(service=vpn)
    from phare.insights import store

    store.refresh(tickets)
    card = V.value_card(vpn)
    assert card.satisfaction[0]["n"] == 6 and card.satisfaction[0]["nps"] is not None
    assert card.tickets["total"]["n"] == 7
    assert card.tickets["total"]["lost_hours_total"] == pytest.approx(7 * 2.5)
    assert card.themes["suppressed"]


def test_the_service_page_loads_the_card_for_those_allowed(login, personas, vpn):
    from phare.catalog.search import index_service

    index_service(vpn)
    html = login("marketing").get("/catalogue/teletravail/").content.decode()
    assert "/insights/services/teletravail/card/" in html
    card = login("marketing").get("/insights/services/teletravail/card/")
    assert card.status_code == 200 and "value-title" in card.content.decode()
    html = login("employee").get("/catalogue/teletravail/").content.decode()
    assert "/insights/services/teletravail/card/" not in html
    assert login("employee").get("/insights/services/teletravail/card/").status_code == 403


