"""Entries past ``PHARE_AUDIT_RETENTION_DAYS`` go at the periodic tick, which reports it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.audit.services import purge
from phare.lib import periodic
from tests.audit.factories import days_ago, make_entry

pytestmark = pytest.mark.django_db


def test_it_purges_entries_past_retention_and_records_it(settings) -> None:
    settings.PHARE_AUDIT_RETENTION_DAYS = 30
    old, kept = make_entry(at=days_ago(31)), make_entry(at=days_ago(29))
    done = purge()
    assert done["deleted"] == 1
    assert not Entry.objects.filter(pk=old.pk).exists()
    assert Entry.objects.filter(pk=kept.pk).exists()
    purged = Entry.objects.get(action=Action.PURGED)
    assert purged.details["deleted"] == 1 and purged.details["retention_days"] == 30


def test_it_records_nothing_when_nothing_is_due() -> None:
    make_entry(at=days_ago(399))
    assert purge()["deleted"] == 0
    assert not Entry.objects.filter(action=Action.PURGED).exists()


def test_the_periodic_tick_purges_and_reports(settings) -> None:
    settings.PHARE_AUDIT_RETENTION_DAYS = 400
    make_entry(at=days_ago(401))
    done = periodic.run_due()
    assert "audit" not in done["errors"]
    assert done["audit"]["deleted"] == 1
    assert Entry.objects.filter(action=Action.PURGED).count() == 1


def test_the_setting_defaults_to_400_days() -> None:
    assert django_settings.PHARE_AUDIT_RETENTION_DAYS == 400


def test_a_tick_dated_in_the_future_purges_nothing_recent(settings) -> None:
    settings.PHARE_AUDIT_RETENTION_DAYS = 30
    recent = make_entry(at=days_ago(2))
    assert purge(now=timezone.now() + dt.timedelta(days=365))["deleted"] == 0
    assert Entry.objects.filter(pk=recent.pk).exists()
