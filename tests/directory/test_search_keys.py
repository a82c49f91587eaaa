"""The people search's keys stay right whoever writes a person (phare.directory.search): every
writer — a save, the CSV import's raw UPDATE and bulk_create, SCIM's PATCH, an erasure, the
demo — leaves ``name_key`` and ``email_key`` equal to fold() of the names and the address,
and on SQLite the trigram index equal to the keys; the databases' plans use the indexes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phare.accounts.services import token_create
from phare.directory import search
from phare.directory.demo_data import NAME_POOLS
from phare.directory.importer import import_people
from phare.directory.models import Person
from phare.directory.queries import PeopleFilter, people_search, people_to_pick
from phare.directory.search import SQLITE_EMAILS, SQLITE_NAMES, fold
from phare.privacy.services.erasure import erase
from tests.directory.factories import make_person


def assert_keys_right() -> None:
    """Every person's keys are fold() of what they hold now, computed afresh in Python; on
    SQLite the trigram index holds exactly the keys (FTS5's integrity check against them)."""
    wrong = [(employee_id, name_key, email_key)
             for employee_id, first, last, email, name_key, email_key in Person.objects
             .values_list("employee_id", "first_name", "last_name", "email", "name_key",
                          "email_key")
             if (name_key, email_key) != (fold(f"{first} {last}"), fold(email))]
    assert wrong == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises when an index and its key differ
            for table in (SQLITE_NAMES, SQLITE_EMAILS):
                cursor.execute(f"INSERT INTO {table} ({table}, rank) "
                               "VALUES ('integrity-check', 1)")


def picked(q: str) -> list[str]:
    return [row["value"] for row in people_to_pick(q)]


def test_a_save_and_a_delete_keep_the_keys(org):
    person = make_person(org, "K1", "Anaïs", "Bézier")
    assert picked("anais bezier") == ["K1"]
    person.last_name = "Dürer"
    person.save()
    person.refresh_from_db()
    assert person.name_key == "anais durer"
    assert picked("bezier") == [] and picked("durer") == ["K1"]
    assert_keys_right()
    person.delete()
    assert picked("anais") == []
    assert_keys_right()


def test_the_csv_import_keeps_the_keys_when_it_creates_and_renames(tmp_path: Path, org):
    path = tmp_path / "people.csv"
    path.write_text("employee_id,first_name,last_name,email\n"
                    "K1,Chloé,Mérieux,chloe@x.fr\nK2,Jérôme,Noël,jerome@x.fr\n")
    import_people(path)
    assert picked("merieux") == ["K1"] and picked("noel") == ["K2"]
    path.write_text("employee_id,first_name,last_name,email\n"
                    "K1,Chloé,Mérieux-Sœur,chloe.ms@x.fr\nK2,Jérôme,Noël,jerome@x.fr\n")
    report = import_people(path)
    assert (report.updated, report.unchanged) == (1, 1)
    assert picked("merieux-soeur") == ["K1"]
    assert [p.employee_id for p in people_search(PeopleFilter(q="chloe.ms"))] == ["K1"]
    assert people_search(PeopleFilter(q="chloe@")).count() == 0
    assert_keys_right()


def test_a_scim_patch_keeps_the_keys(client: Client, personas):
    _token, raw = token_create(user=personas["admin"], name="Entra ID provisioning")

    def scim(method: str, path: str, body: dict) -> dict:
        answer = client.generic(method, "/scim/v2" + path, json.dumps(body),
                                content_type="application/scim+json",
                                headers={"authorization": f"Bearer {raw}"})
        assert answer.status_code in (200, 201), answer.content
        return answer.json()

    created = scim("POST", "/Users", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ines@x.fr",
        "externalId": "ext-K9", "active": True, "emails": [{"primary": True, "value": "ines@x.fr"}],
        "name": {"givenName": "Inès", "familyName": "Lévêque"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "K9"}})
    assert picked("ines leveque") == ["K9"]
    scim("PATCH", f"/Users/{created['id']}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "name.familyName", "value": "Périer"}]})
    assert picked("leveque") == [] and picked("ines perier") == ["K9"]
    assert_keys_right()


def test_an_erasure_keeps_the_keys(org, personas):
    person = make_person(org, "K3", "Gaëlle", "Rivière")
    erase(person, actor=personas["admin"])
    person.refresh_from_db()
    assert picked("gaelle") == [] and picked("riviere") == []
    assert people_search(PeopleFilter(q="gaelle.riviere", status="all")).count() == 0
    assert_keys_right()


@pytest.fixture
def demo(demo_through) -> None:
    demo_through("directory", seed=11, employees=300)


def test_the_demos_directory_has_its_keys_right(demo):
    """The demo's people (bulk_create, level by level), each key computed afresh."""
    assert Person.objects.count() >= 300
    assert_keys_right()
    someone = Person.objects.filter(active=True).order_by("pk").first()
    assert someone is not None
    assert someone.employee_id in picked(f"{someone.first_name} {someone.last_name}")


# --- the plans ------------------------------------------------------------------------------

def _people(count: int, seed: int = 5) -> None:
    """``count`` people with the demo's names and addresses (first.last, numbered)."""
    rng = random.Random(seed)
    pools = list(NAME_POOLS.values())
    people = []
    for n in range(count):
        firsts, lasts = rng.choice(pools)
        first, last = rng.choice(firsts), rng.choice(lasts)
        local = fold(f"{first}.{last}").replace(" ", "-").replace("'", "")
        people.append(Person(employee_id=f"P{n:05d}", first_name=first, last_name=last,
                             email=f"{local}{n}@mareval.example"))
    Person.objects.bulk_create(people, batch_size=1000)


def _plan(run) -> str:
    """The plan of the last query ``run()`` makes (the page or the picker's answer)."""
    with CaptureQueriesContext(connection) as queries:
        run()
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {queries.captured_queries[-1]['sql']}")
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def _page(q: str) -> object:
    return lambda: list(people_search(PeopleFilter(q=q))[:50])


def _pick(q: str) -> object:
    return lambda: people_to_pick(q)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_postgresql_finds_a_rare_word_through_the_trigram_indexes(db):
    """The queries as Phare writes them can use the indexes: each arm of a word (names,
    address, employee id) has its index, and a one-letter word is read in the directory's
    order (the planner's own choice). Whether the planner prefers the trigram indexes to
    reading the table depends on its size: from about 20,000 people, the more so at 300,000
    (bench/directory_search.py prints the plans it chooses there); a test that large would
    take minutes, so this one asks for plans that read no table or index whole."""
    _people(20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_person")
    assert "directory_person_by_name" in _plan(_page("e"))
    with connection.cursor() as cursor:  # left: bitmap scans, which need an index's condition
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    page = _plan(_page("dupont"))
    assert all(index in page for index in ("directory_person_name_trgm",
                                           "directory_person_email_trgm",
                                           "directory_person_id_upper"))
    picker = _plan(_pick("nath"))
    assert "directory_person_name_trgm" in picker and "email_trgm" not in picker


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")
def test_sqlite_finds_a_rare_word_through_the_trigram_index(db, monkeypatch):
    _people(3_000)
    monkeypatch.setattr(search, "COMMON", 1_000)  # as if 15,000 people: everyone is common
    page = _plan(_page("dupont"))
    assert all(index in page for index in (f"{SQLITE_NAMES} VIRTUAL TABLE",
                                           f"{SQLITE_EMAILS} VIRTUAL TABLE",
                                           "directory_person_id_upper"))
    picker = _plan(_pick("nath"))
    assert f"{SQLITE_NAMES} VIRTUAL TABLE" in picker and SQLITE_EMAILS not in picker
    assert "directory_person_by_name" in _plan(_page("e"))  # everyone: read in order
    assert "directory_person_by_name" in _plan(_page("mareval"))  # too common for the index


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_keys_of_people_already_there():
    """Migration 0002 on a directory that has people: their keys and indexes are filled, and
    it can be undone."""
    executor = MigrationExecutor(connection)
    before, after = [("directory", "0001_initial")], [("directory", "0002_person_search_keys")]
    executor.migrate(before)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_person (employee_id, first_name, last_name, email, "
                "language, active, created_at, updated_at) "
                "VALUES ('M1', 'Mélanie', 'Gärtner', 'melanie@x.fr', 'fr', %s, %s, %s)",
                [True, timezone.now(), timezone.now()])
    finally:
        executor.loader.build_graph()
        executor.migrate(after)
    assert picked("melanie gartner") == ["M1"]
    assert [p.employee_id for p in people_search(PeopleFilter(q="MELANIE@"))] == ["M1"]
    assert_keys_right()
