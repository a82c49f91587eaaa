"""The person pickers' search (lib/widgets.py, directory:people_pick): names and units of active
people, for those who fill a person field only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phare.directory.queries import PICK_LIMIT
from tests.directory.factories import make_person

URL = reverse("directory:people_pick")


@pytest.mark.parametrize("who", ["admin", "marketing", "owner"])
def test_it_finds_people_by_name_for_those_who_pick_them(login, personas, who):
    answer = login(who).get(URL, {"q": "dupont"})
    assert answer.status_code == 200
    assert answer.json() == {"results": [
        {"value": "E0004", "label": "Claire Dupont", "detail": personas["executive"]
         .person.business_unit.name}]}


@pytest.mark.parametrize("who", ["executive", "employee"])
def test_it_is_closed_to_those_who_never_pick_people(login, who):
    assert login(who).get(URL, {"q": "dupont"}).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, personas):
    answer = client.get(URL, {"q": "dupont"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_every_word_of_the_query_must_match(login, org, personas):
    make_person(org, "E0100", "Claire", "Martin")
    client = login("marketing")
    found = client.get(URL, {"q": "claire"}).json()["results"]
    assert [r["label"] for r in found] == ["Claire Dupont", "Claire Martin"]
    found = client.get(URL, {"q": "claire mart"}).json()["results"]
    assert [r["value"] for r in found] == ["E0100"]
    assert client.get(URL, {"q": "E0100"}).json()["results"][0]["label"] == "Claire Martin"


def test_it_says_nothing_more_than_name_and_unit_and_nothing_of_inactive_people(
        login, org, personas):
    make_person(org, "E0101", "Zoé", "Partie", active=False)
    client = login("marketing")
    assert client.get(URL, {"q": "partie"}).json() == {"results": []}
    (eric,) = client.get(URL, {"q": "martin"}).json()["results"]
    assert set(eric) == {"value", "label", "detail"}
    assert "@" not in str(eric)  # no email address


def test_a_short_or_empty_query_finds_no_one(login, personas):
    client = login("marketing")
    for q in ("", "a", "   "):
        assert client.get(URL, {"q": q}).json() == {"results": []}


def test_it_answers_at_most_a_page_of_people(login, org, personas):
    for n in range(PICK_LIMIT + 5):
        make_person(org, f"N{n:03d}", "Nathan", f"Nom{n:03d}")
    found = login("marketing").get(URL, {"q": "nathan"}).json()["results"]
    assert len(found) == PICK_LIMIT
    assert found[0]["label"] == "Nathan Nom000"
