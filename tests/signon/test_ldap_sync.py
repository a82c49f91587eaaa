"""The directory kept in step with the LDAP server, through the CSV importer's checks."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from phare.audit.models import Entry
from phare.directory.models import BusinessUnit, Person
from phare.lib import periodic
from phare.signon import ldap_sync
from phare.signon.ldap import DirectoryUnavailable
from phare.signon.ldap_sync import LDAPSyncError, sync
from tests.directory.factories import make_org, make_person

#: As tests/signon/data/directory.ldif has them.
SUFFIX = "dc=phare,dc=test"
PEOPLE_DN = f"ou=people,{SUFFIX}"

pytestmark = pytest.mark.usefixtures("english", "ldap_settings", "db")

ALICE = f"uid=alice,ou=Finance,{PEOPLE_DN}"
ZOE = f"uid=zoe,ou=broken,{SUFFIX}"
ZED = f"uid=zed,ou=broken,{SUFFIX}"


def people() -> dict[str, Person]:
    return {p.employee_id: p for p in Person.objects.select_related("manager", "business_unit")}


def test_a_first_sync_creates_everyone_with_units_managers_and_languages(monkeypatch):
    monkeypatch.setattr(ldap_sync, "PAGE_SIZE", 3)  # four pages of results
    report = sync()
    assert (report.lines, report.created, report.updated, report.deactivated) == (10, 10, 0, 0)
    assert report.units_created == 2
    found = people()
    alice, bob, chloe, jules = found["E001"], found["E002"], found["E003"], found["E010"]
    assert (alice.first_name, alice.last_name, alice.email) == (
        "Alice", "Martin", "alice.martin@phare.test")
    assert (chloe.first_name, chloe.last_name) == ("Chloé", "Lefèvre")
    assert (alice.language, bob.language, chloe.language) == ("fr", "en", "fr")  # fr-FR, en, none
    assert alice.manager is None and bob.manager == alice and jules.manager == found["E007"]
    assert alice.business_unit.code == "FIN" and found["E006"].business_unit.code == "ENG"
    assert all(person.active for person in found.values())
    entry = Entry.objects.get(action="import")
    assert entry.details["origin"] == "ldap" and entry.details["created"] == 10


def test_a_second_sync_finds_everyone_unchanged():
    sync()
    report = sync()
    assert (report.unchanged, report.created, report.updated, report.deactivated) == (10, 0, 0, 0)


def test_changes_are_updated_and_people_gone_from_the_server_deactivated():
    org = make_org()
    make_person(org, "E003", "Chloe", "Old-Name", email="chloe.lefevre@phare.test")
    # Not in the server's answer: English stays (the entry gives no language).
    make_person(org, "E004", "David", "Petit", email="david.petit@phare.test", language="en",
                business_unit=None, site=None, job_family=None)
    make_person(org, "E099", "Gone", "Away")
    report = sync()
    assert (report.created, report.updated, report.deactivated) == (8, 2, 1)
    found = people()
    assert found["E003"].last_name == "Lefèvre"
    assert found["E004"].language == "en"
    assert found["E004"].manager == found["E002"]
    assert not found["E099"].active
    # What the server does not say stays as it was: the site of E003.
    assert found["E003"].site.code == "PAR"


def test_a_dry_run_writes_nothing():
    report = sync(dry_run=True)
    assert report.dry_run and report.created == 10
    assert not Person.objects.exists() and not BusinessUnit.objects.exists()
    assert not Entry.objects.filter(action="import").exists()


def test_bad_entries_are_refused_by_dn_and_nothing_is_written(settings):
    settings.PHARE_LDAP_BASE_DN = SUFFIX  # ou=broken holds Zoé and Zed
    with pytest.raises(LDAPSyncError) as caught:
        sync()
    errors = [(e.dn, e.attribute, e.reason) for e in caught.value.errors]
    assert (ZOE, "mail", "'not-an-email' is not a valid email address") in errors
    assert any(dn == ZOE and attribute == "manager" and "uid=nobody" in reason
               for dn, attribute, reason in errors)
    # The importer's "already on line N" points at the other entry instead.
    assert (ZED, "mail", f"'alice.martin@phare.test' is already the email address of an "
            f"active person on entry {ALICE}") in errors
    assert len(errors) == 3
    assert str(caught.value) == "The LDAP directory has 3 errors; nothing was imported."
    # In the order of the DNs, each entry's errors in the order of the columns.
    assert [(e.dn, e.attribute) for e in caught.value.errors] == [
        (ZED, "mail"), (ZOE, "mail"), (ZOE, "manager")]
    assert str(caught.value.errors[1]) == (
        f"{ZOE}, attribute mail: 'not-an-email' is not a valid email address")
    assert not Person.objects.exists()
    assert not Entry.objects.filter(action="import").exists()


def test_a_search_that_finds_nobody_deactivates_nobody(settings):
    make_person(make_org(), "E099", "Still", "Here")
    settings.PHARE_LDAP_SYNC_FILTER = "(employeeNumber=NOBODY)"
    with pytest.raises(LDAPSyncError) as caught:
        sync()
    assert "found nobody" in caught.value.errors[0].reason
    assert Person.objects.get().active


def test_units_may_come_from_the_entries_ou(settings):
    settings.PHARE_LDAP_UNIT_FROM = "ou"
    sync()
    found = people()
    assert found["E001"].business_unit.code == "Finance"
    assert found["E006"].business_unit.code == "Engineering"


def test_units_and_managers_may_be_left_alone(settings):
    org = make_org()
    make_person(org, "E001", "Alice", "Martin", email="alice.martin@phare.test")
    settings.PHARE_LDAP_UNIT_FROM = "none"
    settings.PHARE_LDAP_MANAGER_ATTRIBUTE = ""
    sync()
    found = people()
    assert found["E001"].business_unit.code == "DSI"  # as it was
    assert found["E002"].business_unit is None and found["E002"].manager is None


def test_an_unreachable_server_writes_nothing(settings, unreachable_url):
    settings.PHARE_LDAP_URL = unreachable_url
    settings.PHARE_LDAP_TIMEOUT = 1
    with pytest.raises(DirectoryUnavailable):
        sync()
    assert not Person.objects.exists()


def test_a_base_that_does_not_exist_writes_nothing(settings):
    make_person(make_org(), "E099", "Still", "Here")
    settings.PHARE_LDAP_BASE_DN = f"ou=nowhere,{SUFFIX}"
    with pytest.raises(DirectoryUnavailable, match="noSuchObject"):
        sync()
    assert Person.objects.get().active


def test_the_periodic_step_syncs_once_per_interval(settings):
    cache.delete(ldap_sync._DUE_KEY)
    assert "signon.ldap_sync" in periodic.steps()
    now = dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)
    assert ldap_sync.periodic_step(now) is None  # PHARE_LDAP_SYNC_HOURS=0: off
    settings.PHARE_LDAP_SYNC_HOURS = 24
    try:
        assert ldap_sync.periodic_step(now)["created"] == 10
        assert ldap_sync.periodic_step(now) is None  # not due again before 24 hours
        assert Person.objects.count() == 10
    finally:
        cache.delete(ldap_sync._DUE_KEY)


def test_a_refused_periodic_sync_is_reported_not_raised(settings):
    cache.delete(ldap_sync._DUE_KEY)
    settings.PHARE_LDAP_SYNC_HOURS = 1
    settings.PHARE_LDAP_BASE_DN = SUFFIX
    try:
        done = ldap_sync.periodic_step(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC))
    finally:
        cache.delete(ldap_sync._DUE_KEY)
    assert done is not None and done["errors"] == 3
    assert {error["dn"] for error in done["refused"]} == {ZOE, ZED}
    assert not Person.objects.exists()


def test_the_command_prints_the_report_or_json(capsys):
    call_command("ldap_sync", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: nothing was written" in out
    assert "10 people in the LDAP directory: 10 created" in out
    call_command("ldap_sync", "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 10
    assert Person.objects.count() == 10


def test_the_command_may_leave_missing_people_active(capsys):
    make_person(make_org(), "E099", "Not", "Listed")
    call_command("ldap_sync", "--keep-missing")
    assert "0 deactivated" in capsys.readouterr().out
    assert Person.objects.get(employee_id="E099").active
    assert Person.objects.filter(active=True).count() == 11


def test_the_command_lists_every_error(settings, capsys):
    settings.PHARE_LDAP_BASE_DN = SUFFIX
    with pytest.raises(CommandError, match="3 errors"):
        call_command("ldap_sync", "--json")
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert {error["dn"] for error in errors} == {ZOE, ZED}


def test_the_command_says_when_ldap_is_off(settings):
    settings.PHARE_LDAP_URL = ""
    with pytest.raises(CommandError, match="PHARE_LDAP_URL is not set"):
        call_command("ldap_sync")
