"""Accent- and case-blind people search (phare.directory.search): "Helene" finds "Hélène" and
"EMILE" finds "Émile" in the directory's list and in the person pickers, on SQLite and on
PostgreSQL, the database folding the names into its keys (no person read into Python to be
compared); the same answers whichever way a word is looked up (index or scan)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from phare.directory import queries, search
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
            "plain": make_person(org, "E0203", "Helena", "Lefebvre"),
            "eric": make_person(org, "E0204", "Éric", "González"),
            "ozil": make_person(org, "E0205", "Özlem", "Øvergård", email="ozlem.o@example.com"),
            "lukasz": make_person(org, "e0206", "Łukasz", "Wąsowski")}


def test_fold_drops_accents_and_case():
    assert fold("Hélène ÉMILE Œuvre Łukasz Ørsted ß Çà") == (
        "helene emile oeuvre lukasz orsted ss ca")
    assert all(fold(char) == ascii_ and ascii_.isascii() for char, ascii_ in FOLDS)


@pytest.mark.parametrize(("query", "found"), [
    ("Helene", ["E0200"]), ("hélène", ["E0200"]), ("HELENE", ["E0200"]),
    ("EMILE", ["E0201"]), ("émile", ["E0201"]), ("zoella", ["E0201"]),
    ("francois", ["E0202"]), ("oeuvray", ["E0202"]), ("ŒUVRAY", ["E0202"]),
    ("lefevre", ["E0200"]), ("lefe", ["E0203", "E0200"]), ("helen lefeb", ["E0203"]),
    ("Eric", ["E0204"]), ("ÉRIC", ["E0204"]), ("gonzalez", ["E0204"]), ("GONZÁLEZ", ["E0204"]),
    ("zal", ["E0204"]), ("ÖZLEM", ["E0205"]), ("overgard", ["E0205"]), ("Øvergård", ["E0205"]),
    ("lukasz wasow", ["e0206"]), ("ŁUKASZ", ["e0206"]),
    # An employee id, case aside, whole (not a part of one).
    ("E0206", ["e0206"]), ("e0204", ["E0204"]), ("E020", []),
])
def test_the_picker_and_the_list_ignore_accents_and_case(accented, query, found):
    assert [row["value"] for row in people_to_pick(query)] == found
    assert [p.employee_id for p in people_search(PeopleFilter(q=query))] == found


def test_a_like_wildcard_typed_is_a_letter(accented):
    assert people_to_pick("he%e") == [] and people_to_pick("h_l") == []


def test_a_name_written_by_any_means_is_found_at_once(accented):
    """The keys are the database's generated columns: a raw UPDATE (the importer's) or a
    bulk_create (the demo's) is searched at once."""
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


def test_the_list_also_finds_an_address_the_picker_does_not(accented):
    """The list shows addresses and searches them, folded; a picker shows none, so a part of
    an address finds no one there (no probing for who has which address)."""
    for query in ("ozlem.o@", "ÖZLEM.O", "example.com"):
        found = [p.employee_id for p in people_search(PeopleFilter(q=query))]
        assert "E0205" in found and (query != "ozlem.o@" or found == ["E0205"])
    assert people_to_pick("ozlem.o@") == [] and people_to_pick("example.com") == []


@pytest.mark.parametrize("query", ["lef", "le", "e", "helene", "zoella", "lefe helen",
                                   "e0206", "example", "Ø", "oz", "ozlem.o@", "nobody"])
def test_a_word_finds_the_same_people_through_the_index_or_read_in_order(
        accented, monkeypatch, query):
    """A common word (search.COMMON) is read in the directory's order rather than looked up
    in its trigram index: both ways give the same answer."""
    indexed = ([p.employee_id for p in people_search(PeopleFilter(q=query))],
               people_to_pick(query))
    monkeypatch.setattr(search, "COMMON", 0)
    assert ([p.employee_id for p in people_search(PeopleFilter(q=query))],
            people_to_pick(query)) == indexed


def test_the_search_reads_only_the_matches(accented, django_assert_max_num_queries):
    """One query, and one before it which asks how common each word is (at most
    search.COMMON + 1 entries read)."""
    with django_assert_max_num_queries(2):
        assert len(people_to_pick("lef")) == 2
    with django_assert_max_num_queries(1):
        assert len(people_to_pick("zo")) == 1  # too short for the index: nothing to ask


def test_the_endpoint_and_the_page_find_helene_by_helene(login, accented):
    client = login("marketing")
    assert [r["label"] for r in client.get(PICK, {"q": "Helene"}).json()["results"]] == [
        "Hélène Lefèvre"]
    assert [r["label"] for r in client.get(PICK, {"q": "EMILE"}).json()["results"]] == [
        "Émile Zoëlla"]
    page = login("admin").get(reverse("directory:people"), {"q": "helene"}).content.decode()
    assert "Lefèvre" in page and "Lefebvre" not in page


def test_the_list_counts_a_search_up_to_a_cap_and_says_more(login, accented, monkeypatch,
                                                              english):
    """Counting every match of a common word would read the whole directory: the page says
    "more than" past queries.COUNT_CAP and lists the first ones; without words the count is
    exact, and so is the API's."""
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    client = login("admin")
    page = client.get(reverse("directory:people"), {"q": "e"}).content.decode()
    assert "More than 3 people found: the first 3 are listed." in page
    assert page.count('href="/directory/people/') == 3
    page = client.get(reverse("directory:people"), {"q": "lefe"}).content.decode()
    assert "2 people found" in page and "More than" not in page
    page = client.get(reverse("directory:people"), {"status": "all"}).content.decode()
    assert f"{Person.objects.count()} people found" in page
    answer = client.get("/api/v1/people", {"q": "e"}).json()
    assert answer["count"] == people_search(PeopleFilter(q="e")).count() > 3
