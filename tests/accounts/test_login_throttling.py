"""Repeated wrong passwords lock the account and the client address for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from phare.accounts.services import token_create
from tests.accounts.factories import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_forty_wrong_passwords_then_the_right_one_are_refused(client, personas):
    for _ in range(40):
        sign_in(client, "marketing", "wrong password")
    response = sign_in(client, "marketing", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives de connexion" in page
    assert "15 minutes" in page
    assert 'name="username"' in page  # still the sign-in page, in the person's language
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_lock_starts_at_the_configured_limit_and_is_recorded(client, personas, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "owner", "nope").status_code == 200
    locked = sign_in(client, "owner", "nope")
    assert locked.status_code == 429
    attempt = AccessAttempt.objects.get(username="owner")
    assert attempt.failures_since_start == 5
    assert attempt.ip_address == "192.0.2.10"
    log = AccessFailureLog.objects.filter(username="owner").order_by("attempt_time")
    assert [entry.locked_out for entry in log] == [False] * 4 + [True]


def test_the_account_is_locked_from_any_address(client, personas):
    for number in range(5):
        sign_in(client, "owner", "nope", address=f"198.51.100.{number}")
    assert sign_in(client, "owner", PASSWORD, address="203.0.113.7").status_code == 429


def test_the_address_is_locked_for_every_account(client, personas):
    for name in ("admin", "marketing", "owner", "executive", "employee"):
        sign_in(client, name, "nope")
    assert sign_in(client, "employee", PASSWORD).status_code == 429
    assert sign_in(client, "employee", PASSWORD, address="192.0.2.99").status_code == 302


def test_the_address_comes_from_the_trusted_proxy_header(client, personas, settings):
    settings.PHARE_TRUSTED_PROXIES = ["10.0.0.1/32"]
    for _ in range(5):
        client.post(LOGIN, {"username": f"x{_}", "password": "nope"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="192.0.2.50")
    assert AccessAttempt.objects.filter(ip_address="192.0.2.50").count() == 5
    other = client.post(LOGIN, {"username": "employee", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.51")
    assert other.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, personas):
    for _ in range(5):
        sign_in(client, "executive", "nope")
    assert sign_in(client, "executive", PASSWORD).status_code == 429
    # Fifteen minutes later (the failures are dated back rather than the clock moved on).
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=15, seconds=1)
        attempt.save()
    assert sign_in(client, "executive", PASSWORD).status_code == 302


def test_the_limits_come_from_the_environment(monkeypatch):
    import subprocess
    import sys

    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)")
    env = {"PHARE_LOGIN_FAILURE_LIMIT": "8", "PHARE_LOGIN_LOCKOUT_MINUTES": "30",
           "DJANGO_SETTINGS_MODULE": "phare.settings"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "8 0:30:00"
    monkeypatch.setenv("PHARE_LOGIN_FAILURE_LIMIT", "0")
    failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "PHARE_LOGIN_FAILURE_LIMIT: expected a number of at least 1" in failed.stderr


def test_an_administrator_unlocks_with_the_command(client, personas):
    for _ in range(5):
        sign_in(client, "employee", "nope")
    call_command("axes_reset_username", "employee")
    assert sign_in(client, "employee", PASSWORD, address="192.0.2.77").status_code == 302


def test_api_tokens_are_not_throttled(client, personas):
    for _ in range(10):
        sign_in(client, "marketing", "nope", address="127.0.0.1")
    _token, raw = token_create(user=personas["marketing"], name="script")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


@pytest.mark.parametrize("language, text", [("en", "Too many failed sign-in attempts"),
                                            ("fr", "Trop de tentatives de connexion")])
def test_the_lock_message_is_in_the_persons_language(client, personas, language, text):
    client.post(reverse("core:set_language"), {"language": language, "next": LOGIN})
    for _ in range(5):
        response = sign_in(client, "admin", "nope")
    assert text in response.content.decode()


@pytest.fixture
def slow_down(settings, monkeypatch):
    """The wait between failures as in production (1 s, doubling), on a clock the test moves."""
    from django.core.cache import cache

    from phare.accounts import throttle

    cache.clear()
    settings.PHARE_LOGIN_DELAY_SECONDS = 1
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])

    def later(seconds: float) -> None:
        now[0] += seconds

    return later


def test_each_failure_makes_the_next_attempt_wait_longer(client, personas, slow_down):
    assert sign_in(client, "owner", "nope").status_code == 200  # tried, failed
    # At once: not even tried, whatever the password; told how long to wait.
    waiting = sign_in(client, "owner", PASSWORD)
    assert waiting.status_code == 429 and waiting["Retry-After"] == "1"
    assert "wait 1 second" in waiting.content.decode() or "patientez 1 seconde" in \
        waiting.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="owner").failures_since_start == 1
    slow_down(1)
    assert sign_in(client, "owner", "nope").status_code == 200  # second failure
    slow_down(1)
    assert sign_in(client, "owner", "nope")["Retry-After"] == "1"  # 2 s after the second
    slow_down(1)
    assert sign_in(client, "owner", "nope").status_code == 200  # third failure
    assert sign_in(client, "owner", "nope")["Retry-After"] == "4"
    slow_down(4)
    assert sign_in(client, "owner", PASSWORD).status_code == 302  # right password, in time


def test_the_wait_holds_for_the_account_from_another_address_and_for_the_address(
        client, personas, slow_down):
    sign_in(client, "marketing", "nope", address="198.51.100.1")
    assert sign_in(client, "marketing", PASSWORD, address="203.0.113.9").status_code == 429
    assert sign_in(client, "executive", PASSWORD, address="198.51.100.1").status_code == 429
    assert sign_in(client, "executive", PASSWORD, address="203.0.113.9").status_code == 302


def test_the_wait_keeps_no_name_or_address_in_clear(client, personas, slow_down, settings):
    from pathlib import Path

    sign_in(client, "marketing", "nope", address="198.51.100.23")
    stored = b"".join(path.read_bytes() for path in Path(settings.CACHES["default"]["LOCATION"])
                      .rglob("*") if path.is_file())
    assert b"marketing" not in stored and b"198.51.100.23" not in stored
