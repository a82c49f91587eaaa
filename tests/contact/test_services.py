"""Contact-pressure writes: claims (idempotent, refused with reasons, safe under concurrent
senders), claims given back, opt-outs by category, quiet periods checked field by field."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phare.contact import policy, services
from phare.contact.models import Category, OptOut, QuietPeriod, Solicitation
from tests.contact.factories import make_people, solicit

C = Category
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _budget(settings):
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_CONTACT_RESERVE = 1


def claim(ids: list[int], category: str = C.NEWSLETTER, reference: str = "action-1",
          mandatory: bool = False, **extra) -> dict[int, str]:
    return services.claim(person_ids=ids, category=category, mandatory=mandatory,
                          source="comms", reference=reference, **extra)


# --- claims -------------------------------------------------------------------------------------

def test_it_records_the_allowed_and_returns_the_refused(org):
    free, busy, out = make_people(org, 3)
    solicit(busy, 2)
    services.opt_out(person=out, category=C.NEWSLETTER)
    assert claim([free.pk, busy.pk, out.pk]) == {busy.pk: policy.CONTACT_CAP,
                                                 out.pk: policy.OPTED_OUT}
    recorded = Solicitation.objects.get(source="comms")
    assert (recorded.person, recorded.category, recorded.reference, recorded.mandatory) == (
        free, C.NEWSLETTER, "action-1", False)
    # The same budget, seen by the next sender: ``free`` has one more.
    start, end = policy.window()
    assert policy.load([free.pk], start=start, end=end) == {free.pk: 1}


def test_a_person_already_claimed_for_a_reference_is_neither_refused_nor_counted_twice(org):
    (person,) = make_people(org, 1)
    solicit(person, 1)
    assert claim([person.pk]) == {}
    # Now at the newsletters' cap (2), yet the same message claimed again is no refusal.
    assert claim([person.pk]) == {}
    assert Solicitation.objects.filter(person=person, source="comms").count() == 1
    assert claim([person.pk], reference="action-2") == {person.pk: policy.CONTACT_CAP}


def test_a_mandatory_notice_is_recorded_for_everyone(org):
    people = make_people(org, 2)
    services.opt_out(person=people[0], category=C.NEWSLETTER)
    solicit(people[1], 3)
    assert claim([p.pk for p in people], C.NOTICE, mandatory=True) == {}
    assert Solicitation.objects.filter(source="comms", mandatory=True).count() == 2


def test_a_claim_given_back_frees_its_place(org):
    (person,) = make_people(org, 1)
    solicit(person, 1)
    assert claim([person.pk]) == {}
    assert claim([person.pk], reference="action-2") == {person.pk: policy.CONTACT_CAP}
    assert services.unclaim(person_id=person.pk, source="comms", reference="action-1")
    assert not services.unclaim(person_id=person.pk, source="comms", reference="action-1")
    assert claim([person.pk], reference="action-2") == {}


@pytest.mark.parametrize(("values", "field"), [
    ({"category": "spam"}, "category"),
    ({"category": C.EVENT, "mandatory": True}, "mandatory"),
    ({"source": ""}, "source"),
    ({"source": "x" * 41}, "source"),
    ({"reference": "x" * 81}, "reference"),
    ({"person_ids": [999_999]}, "person_ids"),
])
def test_a_bad_claim_names_its_field_and_records_nothing(org, values, field):
    people = make_people(org, 2)
    arguments = {"person_ids": [p.pk for p in people], "category": C.NEWSLETTER,
                 "mandatory": False, "source": "comms", "reference": "action-1"}
    arguments.update(values)
    if field == "person_ids":
        arguments["person_ids"] = [people[0].pk, *values["person_ids"]]
    with pytest.raises(ValidationError) as refused:
        services.claim(**arguments)
    assert field in refused.value.message_dict
    assert not Solicitation.objects.exists()


def test_a_claim_costs_the_same_queries_for_3_or_100_people(org, django_assert_max_num_queries):
    people = make_people(org, 103)
    for person in people[::5]:
        solicit(person, 2)
    ids = [p.pk for p in people]

    def queries(chosen: list[int], reference: str) -> int:
        with CaptureQueriesContext(connection) as context:
            claim(chosen, reference=reference)
        return len(context.captured_queries)

    assert queries(ids[:3], "a") == queries(ids[3:], "b")
    # Lock, earlier claims, opt-outs, quiet periods, ledger and counter, insert, ledger and
    # counter again, the savepoint's two statements.
    with django_assert_max_num_queries(11):
        refused = claim(ids, reference="c")
    # Each has had one claim, a or b: the newsletters' cap (2) stops only those with 2 before.
    assert refused == {p.pk: policy.CONTACT_CAP for p in people[::5]}


def test_a_claim_for_many_people_is_the_claim_for_few(org, monkeypatch):
    monkeypatch.setattr(policy, "MANY", 3)
    people = make_people(org, 10)
    ids = [p.pk for p in people]
    solicit(people[0], 2)
    other = claim([people[1].pk], reference="action-0")  # a claim of another action counts
    assert other == {}
    assert claim(ids) == {people[0].pk: policy.CONTACT_CAP}
    assert claim(ids) == {people[0].pk: policy.CONTACT_CAP}  # again: nothing more recorded
    assert Solicitation.objects.filter(source="comms", reference="action-1").count() == 9


def test_it_locks_the_people_who_exist(org):
    people = make_people(org, 3)
    assert services.lock_people(person_ids=[p.pk for p in people] + [999_999]) == {
        p.pk for p in people}
    assert services.lock_people(person_ids=[]) == set()


# --- concurrent senders (PostgreSQL) ------------------------------------------------------------

SENDERS = 8


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_never_both_use_the_last_place(org, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time (IMMEDIATE), so there is no "
                    "race to test: run with PHARE_TEST_DATABASE_URL=postgres://… to check it")
    settings.PHARE_CONTACT_CAP = 1
    settings.PHARE_CONTACT_RESERVE = 0
    people = make_people(org, 30)
    ids = [p.pk for p in people]
    start = threading.Barrier(SENDERS)

    def send(index: int) -> dict[int, str]:
        try:
            start.wait(timeout=30)
            # Each sender lists the people in its own order: the lock order must not matter.
            order = ids[index % len(ids):] + ids[:index % len(ids)]
            return claim(order, reference=f"action-{index}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        results = list(pool.map(send, range(SENDERS)))
    per_person = {pk: Solicitation.objects.filter(person_id=pk).count() for pk in ids}
    assert per_person == dict.fromkeys(ids, 1)
    # Each person was refused by every sender but the one that reached them.
    for pk in ids:
        assert sum(pk not in refused for refused in results) == 1
        assert {refused[pk] for refused in results if pk in refused} == {policy.CONTACT_CAP}


# --- opt-outs -----------------------------------------------------------------------------------

def test_an_opt_out_is_recorded_once_and_can_be_taken_back(org):
    (person,) = make_people(org, 1)
    services.opt_out(person=person, category=C.EVENT)
    services.opt_out(person=person, category=C.EVENT)
    assert list(OptOut.objects.values_list("category", flat=True)) == [C.EVENT]
    services.opt_in(person=person, category=C.EVENT)
    services.opt_in(person=person, category=C.EVENT)  # nothing to take back: nothing happens
    services.opt_in(person=person, category=C.NOTICE)  # notices always reach everyone
    assert not OptOut.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.opt_in(person=person, category="spam")
    assert "category" in refused.value.message_dict


def test_nobody_opts_out_of_service_notices(org):
    (person,) = make_people(org, 1)
    for category in (C.NOTICE, "spam"):
        with pytest.raises(ValidationError) as refused:
            services.opt_out(person=person, category=category)
        assert "category" in refused.value.message_dict
    assert not OptOut.objects.exists()


# --- quiet periods ------------------------------------------------------------------------------

def test_a_quiet_period_is_created_changed_and_deleted(org):
    period = services.quiet_period_save(
        name="Clôture", starts_on="2027-01-04", ends_on=dt.date(2027, 1, 8),
        units=[org["dg"], org["sales"].pk], categories=[C.NEWSLETTER, C.SURVEY, C.SURVEY])
    period.refresh_from_db()
    assert (period.starts_on, period.ends_on) == (dt.date(2027, 1, 4), dt.date(2027, 1, 8))
    assert period.categories == [C.SURVEY, C.NEWSLETTER]  # once each, by priority
    assert set(period.units.all()) == {org["dg"], org["sales"]}
    services.quiet_period_save(period=period, name="Clôture annuelle", starts_on=TODAY,
                               ends_on=TODAY, units=[], categories=[])
    period.refresh_from_db()
    assert (period.name, period.categories, list(period.units.all())) == (
        "Clôture annuelle", [], [])
    services.quiet_period_delete(period=period)
    assert not QuietPeriod.objects.exists()


@pytest.mark.parametrize(("values", "field"), [
    ({"name": ""}, "name"),
    ({"ends_on": dt.date(2027, 1, 3)}, "ends_on"),
    ({"starts_on": "someday"}, "starts_on"),
    ({"categories": [C.NOTICE]}, "categories"),
    ({"categories": ["spam"]}, "categories"),
    ({"categories": "survey"}, "categories"),
    ({"units": [999_999]}, "units"),
    ({"units": ["DG"]}, "units"),
])
def test_a_bad_quiet_period_names_its_field_and_changes_nothing(org, values, field):
    arguments = {"name": "Clôture", "starts_on": dt.date(2027, 1, 4),
                 "ends_on": dt.date(2027, 1, 8), "units": [org["dg"]],
                 "categories": [C.EVENT]}
    with pytest.raises(ValidationError) as refused:
        services.quiet_period_save(**{**arguments, **values})
    assert field in refused.value.message_dict
    assert not QuietPeriod.objects.exists()
    period = services.quiet_period_save(**arguments)
    with pytest.raises(ValidationError) as refused:
        services.quiet_period_save(period=period, **{**arguments, **values})
    assert field in refused.value.message_dict
    period.refresh_from_db()
    assert (period.name, period.ends_on, period.categories) == (
        "Clôture", dt.date(2027, 1, 8), [C.EVENT])
    assert list(period.units.all()) == [org["dg"]]
