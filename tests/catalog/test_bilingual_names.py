"""Management lists name and order services in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from phare.catalog import queries
from tests.catalog.factories import make_families, make_service


@pytest.fixture
def services(personas):
    make_families()
    # French order: Agenda, Messagerie, Visioconférence; English: Calendar, Mail, Video calls.
    return [make_service("visio", name_fr="Visioconférence", name_en="Video calls",
                         family="collab"),
            make_service("messagerie", name_fr="Messagerie", name_en="Mail", family="collab"),
            make_service("agenda", name_fr="Agenda", name_en="Calendar", family="collab"),
            make_service("zz-sans-anglais", name_fr="Zéro papier", family="collab")]


def _order(page: str, names: list[str]) -> list[int]:
    return [page.index(name) for name in names]


def test_the_english_management_list_names_and_orders_services_in_english(login, services,
                                                                          english):
    page = login("marketing").get("/catalogue/manage/").content.decode()
    assert "Visioconférence" not in page and "Messagerie" not in page
    shown = _order(page, ["Calendar", "Mail", "Video calls", "Zéro papier"])
    assert shown == sorted(shown)


def test_the_french_management_list_names_and_orders_services_in_french(login, services):
    page = login("marketing").get("/catalogue/manage/").content.decode()
    assert "Video calls" not in page
    shown = _order(page, ["Agenda", "Messagerie", "Visioconférence", "Zéro papier"])
    assert shown == sorted(shown)


def test_choices_of_services_follow_the_readers_language(services):
    with translation.override("en"):
        assert [name for _slug, name in queries.service_choices()] == [
            "Calendar", "Mail", "Video calls", "Zéro papier"]
    with translation.override("fr"):
        assert [name for _slug, name in queries.service_choices()] == [
            "Agenda", "Messagerie", "Visioconférence", "Zéro papier"]


def test_the_portal_lists_services_by_name_in_the_readers_language(login, services, english):
    page = login("employee").get("/catalogue/").content.decode()
    shown = _order(page, ["Calendar", "Mail", "Video calls", "Zéro papier"])
    assert shown == sorted(shown) and "Visioconférence" not in page
