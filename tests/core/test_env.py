from __future__ import annotations

import os
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
    assert env.secret_key({}, tmp_path) == ""  # read only: nothing invented, nothing written
    assert not (tmp_path / "secret_key").exists()
    first = env.create_secret_key(tmp_path)
    assert len(first) >= 32
    assert env.secret_key({}, tmp_path) == first
    assert env.create_secret_key(tmp_path) == first  # kept, never replaced
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert env.secret_key({"PHARE_SECRET_KEY": "x" * 40}, tmp_path) == "x" * 40
    with pytest.raises(ConfigError, match="PHARE_SECRET_KEY: expected at least 32"):
        env.secret_key({"PHARE_SECRET_KEY": "short"}, tmp_path)


def test_it_refuses_a_secret_key_file_too_short_rather_than_replace_it(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ConfigError, match=r"PHARE_SECRET_KEY: not set, and .*secret_key holds "
                                          r"fewer than 32 characters .*phare migrate"):
        env.secret_key({}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == "short\n"


def test_it_defaults_to_sqlite_in_the_home_folder(tmp_path):
    config = env.database_config({}, tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "phare.sqlite3")
    assert "WAL" in config["OPTIONS"]["init_command"]


def test_it_reads_a_postgresql_url(tmp_path):
    config = env.database_config(
        {"PHARE_DATABASE_URL": "postgres://phare:s3cret@db.example:5433/phare"}, tmp_path)
    assert config["ENGINE"] == "phare.lib.postgresql"
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


def test_it_reads_the_home_folder_without_making_it(tmp_path):
    assert env.home_dir({"PHARE_HOME": str(tmp_path / "new")}) == tmp_path / "new"
    assert not (tmp_path / "new").exists()


def test_it_refuses_a_home_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(ConfigError, match="PHARE_HOME: expected a folder"):
        env.home_dir({"PHARE_HOME": str(target)})


def test_it_keeps_the_cache_in_files_in_the_home_folder_by_default(tmp_path):
    config = env.cache_config({}, tmp_path)
    assert config["BACKEND"] == "phare.lib.cache.FileCache"
    assert config["LOCATION"] == str(tmp_path / "cache")


def test_it_reads_a_redis_cache_url(tmp_path):
    for url in ("redis://127.0.0.1:6379/1", "rediss://:s3cret@cache.example:6380/0",
                "redis://cache.example", "unix:///run/redis.sock"):
        config = env.cache_config({"PHARE_CACHE_URL": url}, tmp_path)
        assert config == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": url}


@pytest.mark.parametrize(("url", "reason"), [
    ("memcached://127.0.0.1:11211", "expected nothing .* or redis://host:port/database"),
    ("127.0.0.1:6379", "expected nothing"),
    ("redis://", "names no host"),
    ("redis://cache.example:port/0", "port is not a number"),
    ("redis://cache.example:6379/cache", "database is a number"),
    ("unix://", "names no socket"),
])
def test_it_rejects_unusable_cache_urls(tmp_path, url, reason):
    with pytest.raises(ConfigError, match=f"PHARE_CACHE_URL: .*{reason}"):
        env.cache_config({"PHARE_CACHE_URL": url}, tmp_path)


def test_it_reads_trusted_proxies_as_networks():
    assert env.trusted_proxies({}) == []
    assert env.trusted_proxies({"PHARE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1"}) == [
        "127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    with pytest.raises(ConfigError, match=r"PHARE_TRUSTED_PROXIES: expected IP addresses .* "
                                          r"got 'proxy\.example'"):
        env.trusted_proxies({"PHARE_TRUSTED_PROXIES": "10.0.0.1,proxy.example"})
    with pytest.raises(ConfigError, match="PHARE_TRUSTED_PROXIES: .* got '10.0.0.0/33'"):
        env.trusted_proxies({"PHARE_TRUSTED_PROXIES": "10.0.0.0/33"})


def test_a_bad_cache_url_or_proxy_list_stops_start_up_naming_the_variable(tmp_path):
    import subprocess
    import sys

    for name, value in (("PHARE_CACHE_URL", "memcached://x"),
                        ("PHARE_TRUSTED_PROXIES", "10.0.0.300")):
        run = subprocess.run(
            [sys.executable, "-m", "phare", "check"], capture_output=True, text=True,
            env={**os.environ, "PHARE_HOME": str(tmp_path), name: value}, timeout=120)
        assert run.returncode != 0
        assert f"{name}: expected" in run.stderr
        assert "Traceback" not in run.stderr


def test_computed_dashboards_are_cached_under_the_codes_digest(tmp_path):
    """An upgrade (any change of code, template or translation) computes dashboards afresh:
    the insights cache's keys carry the code's digest, on files and on Redis alike."""
    (tmp_path / "views.py").write_text("A = 1\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ a }}</p>\n")
    first = env.code_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("not code")
    assert env.code_digest(tmp_path) == first
    (tmp_path / "templates" / "page.html").write_text("<p>{{ b }}</p>\n")
    assert env.code_digest(tmp_path) != first
    files = env.insights_cache_config({}, tmp_path)
    redis = env.insights_cache_config({"PHARE_CACHE_URL": "redis://127.0.0.1:6379/1"}, tmp_path)
    assert files["KEY_PREFIX"] == env.code_digest()
    assert redis["KEY_PREFIX"] == f"insights-{env.code_digest()}"


def _cgroups(root, membership: str, files: dict[str, str]) -> None:
    """A fake /proc/self/cgroup and /sys/fs/cgroup tree under ``root``."""
    (root / "proc/self").mkdir(parents=True)
    (root / "proc/self/cgroup").write_text(membership)
    for name, text in files.items():
        path = root / "sys/fs/cgroup" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_usable_cpus_follow_a_cgroup_v2_quota_rounded_up(tmp_path):
    # systemd's CPUQuota=150% on the service: cpu.max "150000 100000" → 2 processors of 8.
    _cgroups(tmp_path, "0::/system.slice/phare.service\n", {
        "cpu.max": "max 100000\n",
        "system.slice/cpu.max": "max 100000\n",
        "system.slice/phare.service/cpu.max": "150000 100000\n",
    })
    assert env.usable_cpus(tmp_path, allowed=8) == 2
    assert env.usable_cpus(tmp_path, allowed=1) == 1  # the affinity allows fewer


def test_usable_cpus_take_the_least_quota_of_the_group_and_its_ancestors(tmp_path):
    _cgroups(tmp_path, "0::/kubepods.slice/pod1/ctr\n", {
        "kubepods.slice/pod1/cpu.max": "300000 100000\n",
        "kubepods.slice/pod1/ctr/cpu.max": "max 100000\n",
    })
    assert env.usable_cpus(tmp_path, allowed=16) == 3


def test_usable_cpus_in_a_container_read_its_own_root_group(tmp_path):
    # Inside a container /proc names the host's path, which its /sys/fs/cgroup does not have.
    _cgroups(tmp_path, "0::/../../docker/4f2a\n", {"cpu.max": "50000 100000\n"})
    assert env.usable_cpus(tmp_path, allowed=4) == 1


def test_usable_cpus_follow_a_cgroup_v1_quota(tmp_path):
    _cgroups(tmp_path, "12:memory:/docker/4f2a\n4:cpu,cpuacct:/docker/4f2a\n0::/\n", {
        "cpu,cpuacct/docker/4f2a/cpu.cfs_quota_us": "250000\n",
        "cpu,cpuacct/docker/4f2a/cpu.cfs_period_us": "100000\n",
        "cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
        "cpu,cpuacct/cpu.cfs_period_us": "100000\n",
    })
    assert env.usable_cpus(tmp_path, allowed=8) == 3


def test_usable_cpus_without_a_quota_are_the_allowed_ones(tmp_path):
    _cgroups(tmp_path, "1:cpu:/\n0::/\n", {
        "cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n",
        "cpu.max": "max 100000\n",
    })
    assert env.usable_cpus(tmp_path, allowed=6) == 6
    assert env.usable_cpus(tmp_path / "nothing-here", allowed=6) == 6  # no /proc, no /sys
    garbled = tmp_path / "garbled"
    _cgroups(garbled, "0::/\n", {"cpu.max": "lots\n"})
    assert env.usable_cpus(garbled, allowed=6) == 6


def test_usable_cpus_of_this_machine_are_within_its_affinity():
    assert 1 <= env.usable_cpus() <= len(os.sched_getaffinity(0))


def test_the_default_web_workers_are_one_per_processor_from_two_up_to_twelve():
    assert [env.default_web_workers(n) for n in (1, 2, 4, 5, 12, 64)] == [2, 2, 4, 5, 12, 12]
