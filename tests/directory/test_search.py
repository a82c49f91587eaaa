"""Accent- and case-blind people search (phare.directory.search): "Helene" finds "Hélène" and
"EMILE" finds "Émile" in the directory's list and in the person pickers, on SQLite and on
PostgreSQL, the database folding the names (no person read into Python to be compared)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from phare.directory.models import Person
from phare.directory.queries import PeopleFilter, people_search, people_to_pick
from phare.directory.search import FOLDS, Folded, fold
from tests.directory.factories import make_person

PICK = reverse("directory:people_pick")


@pytest.fixture
def accented(org) -> dict[str, Person]:
    return {"helene": make_person(org, "E0200", "Hélène", "Lefèvre"),
            "emile": make_person(org, "E0201", "Émile", "Zoëlla"),
            "francois": make_person(org, "E0202", "François", "Œuvray"),
            "plain": make_person(org, "E0203", "Helena", "Lefebvre")}


def test_fold_drops_accents_and_case():
    assert fold("Hélène ÉMILE Œuvre Łukasz Ørsted ß Çà") == (
        "helene emile oeuvre lukasz orsted ss ca")
    assert all(fold(char) == ascii_ and ascii_.isascii() for char, ascii_ in FOLDS)


@pytest.mark.parametrize(("query", "found"), [
    ("Helene", ["E0200"]), ("hélène", ["E0200"]), ("HELENE", ["E0200"]),
    ("EMILE", ["E0201"]), ("émile", ["E0201"]), ("zoella", ["E0201"]),
    ("francois", ["E0202"]), ("oeuvray", ["E0202"]), ("ŒUVRAY", ["E0202"]),
    ("lefevre", ["E0200"]), ("lefe", ["E0203", "E0200"]), ("helen lefeb", ["E0203"]),
])
def test_the_picker_and_the_list_ignore_accents_and_case(accented, query, found):
    assert [row["value"] for row in people_to_pick(query)] == found
    assert [p.employee_id for p in people_search(PeopleFilter(q=query))] == found


def test_a_like_wildcard_typed_is_a_letter(accented):
    assert people_to_pick("he%e") == [] and people_to_pick("h_l") == []


def test_a_name_written_by_any_means_is_found_at_once(accented):
    """No copy of the names to keep: a raw UPDATE (the importer's) or a bulk_create (the
    demo's) is searched as it is."""
    helene = accented["helene"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_person SET first_name = %s, last_name = %s "
                       "WHERE id = %s", ["Hélöïse", "Dürrenmatt", helene.pk])
    assert [row["value"] for row in people_to_pick("HELOISE durren")] == ["E0200"]
    Person.objects.bulk_create([Person(employee_id="E0300", first_name="Ángel",
                                       last_name="Núñez", email="a@example.com")])
    assert [row["label"] for row in people_to_pick("angel nunez")] == ["Ángel Núñez"]


def test_the_database_folds_as_python_does(accented):
    """Every letter of the table, in the database, folds as :func:`fold` says."""
    letters = "".join(char for char, _ascii in FOLDS)
    first, last = letters[:100], letters[100:]  # a name holds 120 letters at most
    Person.objects.filter(pk=accented["plain"].pk).update(first_name=first, last_name=last)
    folded = Person.objects.filter(pk=accented["plain"].pk).annotate(
        f=Folded("first_name"), l=Folded("last_name")).values_list("f", "l").get()
    assert folded == (fold(first), fold(last))


def test_the_search_reads_only_the_matches(accented, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(people_to_pick("lef")) == 2


def test_the_endpoint_and_the_page_find_helene_by_helene(login, accented):
    client = login("marketing")
    assert [r["label"] for r in client.get(PICK, {"q": "Helene"}).json()["results"]] == [
        "Hélène Lefèvre"]
    assert [r["label"] for r in client.get(PICK, {"q": "EMILE"}).json()["results"]] == [
        "Émile Zoëlla"]
    page = login("admin").get(reverse("directory:people"), {"q": "helene"}).content.decode()
    assert "Lefèvre" in page and "Lefebvre" not in page
