from __future__ import annotations

import stat

import pytest

from phare import env
from phare.env import ConfigError


def test_it_reads_booleans_and_names_the_variable_on_bad_values():
    assert env.env_bool({"PHARE_DEBUG": "yes"}, "PHARE_DEBUG", False) is True
    assert env.env_bool({}, "PHARE_DEBUG", False) is False
    with pytest.raises(ConfigError, match="PHARE_DEBUG: expected true or false.*'maybe'"):
        env.env_bool({"PHARE_DEBUG": "maybe"}, "PHARE_DEBUG", False)


def test_it_checks_language_and_time_zone():
    assert env.env_choice({}, "PHARE_LANGUAGE", "fr", ["fr", "en"]) == "fr"
    with pytest.raises(ConfigError, match="PHARE_LANGUAGE: expected one of fr, en, got 'de'"):
        env.env_choice({"PHARE_LANGUAGE": "de"}, "PHARE_LANGUAGE", "fr", ["fr", "en"])
    assert env.env_time_zone({"PHARE_TIME_ZONE": "America/Montreal"}, "PHARE_TIME_ZONE",
                             "Europe/Paris") == "America/Montreal"
    with pytest.raises(ConfigError, match="PHARE_TIME_ZONE: expected an IANA time zone"):
        env.env_time_zone({"PHARE_TIME_ZONE": "Paris"}, "PHARE_TIME_ZONE", "Europe/Paris")


def test_it_splits_allowed_hosts():
    assert env.env_list({"PHARE_ALLOWED_HOSTS": "a.example, b.example"}, "PHARE_ALLOWED_HOSTS",
                        []) == ["a.example", "b.example"]
    with pytest.raises(ConfigError, match="PHARE_ALLOWED_HOSTS"):
        env.env_list({"PHARE_ALLOWED_HOSTS": " , "}, "PHARE_ALLOWED_HOSTS", [])


def test_it_generates_the_secret_key_once_with_owner_only_permissions(tmp_path):
    first = env.secret_key({}, tmp_path)
    assert len(first) >= 32
    assert env.secret_key({}, tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert env.secret_key({"PHARE_SECRET_KEY": "x" * 40}, tmp_path) == "x" * 40
    with pytest.raises(ConfigError, match="PHARE_SECRET_KEY: expected at least 32"):
        env.secret_key({"PHARE_SECRET_KEY": "short"}, tmp_path)


def test_it_defaults_to_sqlite_in_the_home_folder(tmp_path):
    config = env.database_config({}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "phare.sqlite3")
    assert "WAL" in config["OPTIONS"]["init_command"]


def test_it_reads_a_postgresql_url(tmp_path):
    config = env.database_config(
        {"PHARE_DATABASE_URL": "postgres://phare:s3cret@db.example:5433/phare"}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.example", 5433, "phare", "phare")


@pytest.mark.parametrize("url", ["mysql://x@y/z", "phare.sqlite3", "postgres://host"])
def test_it_rejects_unusable_database_urls(tmp_path, url):
    with pytest.raises(ConfigError, match="PHARE_DATABASE_URL"):
        env.database_config({"PHARE_DATABASE_URL": url}, tmp_path)


def test_it_reads_email_urls():
    assert env.email_config({})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = env.email_config({"PHARE_EMAIL_URL": "smtp+tls://bob:p%40ss@mail.example:2525"})
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "bob"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert env.email_config({"PHARE_EMAIL_URL": "smtps://mail.example"})["EMAIL_PORT"] == 465
    assert env.email_config({"PHARE_EMAIL_URL": "smtp://mail.example"})["EMAIL_PORT"] == 25


@pytest.mark.parametrize("url", ["mail.example:25", "pop3://mail", "smtp://", "smtp://h:port"])
def test_it_rejects_unusable_email_urls(url):
    with pytest.raises(ConfigError, match="PHARE_EMAIL_URL"):
        env.email_config({"PHARE_EMAIL_URL": url})


def test_it_refuses_a_home_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(ConfigError, match="PHARE_HOME: expected a folder"):
        env.home_dir({"PHARE_HOME": str(target)})
