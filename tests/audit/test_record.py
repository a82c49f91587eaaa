"""The one writer: who, when, from where, what — and nothing half-written on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.audit.services import acting_user, configuration_check, record

pytestmark = pytest.mark.django_db


def test_it_records_who_when_where_and_what(personas) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT="Firefox/130")
    admin = personas["admin"]
    entry = record(action=Action.PUBLICATION, actor=admin, request=request,
                   target=admin, details={"on": dt.date(2026, 3, 1), "n": 3})
    entry.refresh_from_db()
    assert (entry.action, entry.actor_id, entry.actor_name) == ("publication", admin.pk, "admin")
    assert (entry.ip, entry.user_agent) == ("192.0.2.9", "Firefox/130")
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "accounts.user", str(admin.pk), "admin")
    assert entry.details == {"on": "2026-03-01", "n": 3}
    assert entry.at is not None


def test_it_takes_a_target_without_a_model_and_no_actor() -> None:
    entry = record(action="export", actor=None, target=("settings", None, "PHARE_*"))
    assert (entry.actor_id, entry.actor_name, entry.ip, entry.user_agent) == (None, "", None, "")
    assert (entry.target_type, entry.target_id, entry.target_label) == ("settings", "", "PHARE_*")


def test_it_refuses_an_unknown_action_and_writes_nothing() -> None:
    with pytest.raises(ValueError, match="not-an-action"):
        record(action="not-an-action", actor=None)
    assert not Entry.objects.exists()


def test_it_refuses_an_overlong_field_and_writes_nothing() -> None:
    with pytest.raises(ValidationError) as caught:
        record(action=Action.EXPORT, actor=None, target=("x" * 61, 1, "label"))
    assert "target_type" in caught.value.message_dict
    assert not Entry.objects.exists()


def test_it_cuts_a_long_user_agent_and_label() -> None:
    request = RequestFactory().get("/", HTTP_USER_AGENT="A" * 1000)
    entry = record(action=Action.EXPORT, actor=None, request=request,
                   target=("t", 1, "L" * 1000))
    assert (len(entry.user_agent), len(entry.target_label)) == (400, 300)


def test_it_takes_the_request_being_answered(client, login, personas) -> None:
    # The tokens page creates a token through accounts' service, which knows no request: the
    # entry still says from where.
    login("marketing").post("/accounts/tokens/", {"name": "ci"}, REMOTE_ADDR="198.51.100.4",
                            HTTP_USER_AGENT="curl/8")
    entry = Entry.objects.get(action=Action.TOKEN_CREATED)
    assert (entry.actor_name, entry.ip, entry.user_agent) == ("marketing", "198.51.100.4",
                                                              "curl/8")
    assert acting_user() is None  # forgotten once answered


def test_it_records_a_configuration_change_once(settings) -> None:
    first = configuration_check()
    assert first is not None and first.details["first"] is True
    assert configuration_check() is None
    settings.PHARE_TOKEN_DAYS = 7
    settings.PHARE_ADMIN_PASSWORD = "hunter2-hunter2"
    changed = configuration_check()
    assert changed is not None
    assert changed.details["changed"]["PHARE_TOKEN_DAYS"]["to"] == 7
    secret = changed.details["changed"]["PHARE_ADMIN_PASSWORD"]["to"]
    assert secret.startswith("hidden (") and "hunter2" not in str(changed.details)
