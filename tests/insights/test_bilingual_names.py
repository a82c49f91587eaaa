"""The ticket experience names services in the reader's language."""

from __future__ import annotations

import pytest

from phare.catalog.models import Service
from phare.listening import services
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate


@pytest.fixture
def rated(personas):
    make_families()
    make_service("visio", name_fr="Visioconférence", name_en="Video calls", family="collab")
    make_service("messagerie", name_fr="Messagerie", name_en="Mail", family="collab")
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(20):
        rate(survey, None, i, rating=[9, 4][i % 2], lost="none")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12)]).update(
        service=Service.objects.get(slug="visio"))
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12, 20)]).update(
        service=Service.objects.get(slug="messagerie"))
    return survey


def test_the_english_ticket_experience_names_services_in_english(login, rated, english):
    page = login("marketing").get("/insights/tickets/").content.decode()
    assert "Video calls" in page and "Mail" in page
    assert "Visioconférence" not in page and "Messagerie" not in page


def test_the_french_ticket_experience_names_services_in_french(login, rated):
    page = login("marketing").get("/insights/tickets/").content.decode()
    assert "Visioconférence" in page and "Messagerie" in page
    assert "Video calls" not in page
