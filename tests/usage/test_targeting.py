"""Targeting: the people holding a licence who did not use a service lately, and its active
users, matched from the store's pseudonyms back to the directory."""

from __future__ import annotations

import datetime as dt

import pytest

from phare.directory.models import Person
from phare.usage import services, targeting
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service

TODAY = dt.date(2026, 6, 15)


def _licences(people, slug: str) -> None:
    lines = ["service,person"] + [f"{slug},{p.email}" for p in people]
    services.import_usage("\n".join(lines).encode(), source="licences", today=TODAY)


@pytest.fixture
def scene(org):
    """12 holders of a CRM licence: 4 used it 3 days ago, 2 exactly 30 days ago, 2 forty days
    ago, 4 never; 3 people without a licence used it 10 days ago (one has left since)."""
    holders = make_people(org, "dsi", 12)
    others = make_people(org, "ven", 3, unit="sales", site="lyon", family="sell")
    service = make_service("crm", name="CRM")
    _licences(holders, "crm")
    report = import_events(use(holders[:4], "crm", TODAY - dt.timedelta(days=3))
                           + use(holders[4:6], "crm", TODAY - dt.timedelta(days=30))
                           + use(holders[6:8], "crm", TODAY - dt.timedelta(days=40))
                           + use(others, "crm", TODAY - dt.timedelta(days=10)), today=TODAY)
    assert report.unmatched == 0
    Person.objects.filter(pk=others[2].pk).update(active=False)
    return {"service": service, "holders": holders, "others": others}


def _ids(people) -> set[int]:
    return {p.pk for p in people}


def test_it_finds_holders_who_did_not_use_the_service_lately(scene):
    holders = scene["holders"]
    found = targeting.people(service=scene["service"].pk, state="licensed_inactive", days=30,
                             today=TODAY)
    # Activity 30 days ago still counts as within the last 30 days (the licence rule).
    assert found == _ids(holders[6:])
    assert targeting.people(service=scene["service"].pk, state="licensed_inactive",
                            days=60, today=TODAY) == _ids(holders[8:])
    assert targeting.people(service=scene["service"].pk, state="licensed_inactive",
                            days=2, today=TODAY) == _ids(holders)


def test_it_finds_the_active_users_still_in_the_directory(scene):
    holders, others = scene["holders"], scene["others"]
    assert targeting.people(service=scene["service"].pk, state="active", days=30,
                            today=TODAY) == _ids(holders[:6]) | _ids(others[:2])
    assert targeting.people(service=scene["service"].pk, state="active", days=5,
                            today=TODAY) == _ids(holders[:4])
    other = make_service("wiki", name="Wiki")
    assert targeting.people(service=other.pk, state="active", days=30, today=TODAY) == set()


def test_without_any_usage_every_holder_is_inactive(org):
    holders = make_people(org, "dsi", 3)
    service = make_service("crm", name="CRM")
    _licences(holders, "crm")
    assert targeting.people(service=service.pk, state="licensed_inactive", days=30,
                            today=TODAY) == _ids(holders)
    assert targeting.people(service=service.pk, state="active", days=30, today=TODAY) == set()


def test_it_refuses_an_unknown_state_or_no_days(org):
    service = make_service("crm", name="CRM")
    with pytest.raises(ValueError):
        targeting.people(service=service.pk, state="idle", days=30, today=TODAY)
    with pytest.raises(ValueError):
        targeting.people(service=service.pk, state="active", days=0, today=TODAY)
    assert targeting.max_days() == 395
