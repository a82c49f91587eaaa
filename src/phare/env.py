"""Reading ``PHARE_*`` environment variables into typed settings values.

Every helper raises :class:`ConfigError` naming the variable and what it expects, so a bad value
stops start-up with a message a person can act on (the command line prints it without a traceback).
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TRUE_WORDS = {"1", "true", "yes", "on", "oui"}
FALSE_WORDS = {"0", "false", "no", "off", "non", ""}


class ConfigError(Exception):
    """A ``PHARE_*`` variable holds a value Phare cannot use."""


def _get(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    return None if value is None else value.strip()


def env_str(environ: Mapping[str, str], name: str, default: str) -> str:
    value = _get(environ, name)
    return default if value in (None, "") else value


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = _get(environ, name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}: expected true or false (1/0, yes/no, on/off), got {value!r}")


def env_int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    value = _get(environ, name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name}: expected a number of at least {minimum}, got {number}")
    return number


def usable_cpus(root: Path = Path("/"), *, allowed: int | None = None) -> int:
    """The processors this process can keep busy: those it may run on (``allowed``, by default
    its affinity), or fewer when its control group's CPU quota grants less — cgroup v2
    ``cpu.max``, v1 ``cpu.cfs_quota_us`` over ``cpu.cfs_period_us``, the least of the group's
    and its ancestors' (a container limited to 1.5 processors counts 2). At least 1. ``root``
    is where ``/proc`` and ``/sys`` are read from (tests give a folder of their own)."""
    cpus = allowed if allowed is not None else _affinity()
    quotas = [q for q in _cgroup_quotas(root) if q > 0]
    if quotas:
        cpus = min(cpus, max(1, math.ceil(min(quotas) - 1e-9)))
    return max(1, cpus)


def _affinity() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _cgroup_quotas(root: Path) -> list[float]:
    """CPU quotas, in processors, of this process's control groups and their ancestors."""
    try:
        lines = (root / "proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    quotas = []
    base = root / "sys/fs/cgroup"
    for line in lines:
        number, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if number == "0" and controllers == "":  # cgroup v2, unified
            for folder in _up_from(base, path):
                quotas += _quota_v2(folder / "cpu.max")
        elif "cpu" in controllers.split(","):  # cgroup v1, the cpu controller's hierarchy
            for mount in (base / controllers, base / "cpu", base / "cpu,cpuacct"):
                if mount.is_dir():
                    for folder in _up_from(mount, path):
                        quotas += _quota_v1(folder)
                    break
    return quotas


def _up_from(base: Path, path: str) -> list[Path]:
    """``base/path`` and each of its parents up to ``base`` (inside a container the path
    named by ``/proc`` may not exist: ``base`` is then the container's own group)."""
    parts = [part for part in path.split("/") if part and part not in (".", "..")]
    return [base.joinpath(*parts[:end]) for end in range(len(parts), -1, -1)]


def _quota_v2(file: Path) -> list[float]:
    try:
        quota, _, period = file.read_text().strip().partition(" ")
        return [] if quota == "max" else [int(quota) / int(period or 100000)]
    except (OSError, ValueError, ZeroDivisionError):
        return []


def _quota_v1(folder: Path) -> list[float]:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text())
        period = int((folder / "cpu.cfs_period_us").read_text())
        return [] if quota < 0 or period <= 0 else [quota / period]
    except (OSError, ValueError):
        return []


#: The most web workers Phare starts by itself: each takes about 200 MB once it has served the
#: dashboards (docs/DEPLOY.md); gunicorn's documentation expects 4 to 12 to serve hundreds or
#: thousands of requests a second. PHARE_WEB_WORKERS sets more.
MAX_DEFAULT_WEB_WORKERS = 12


def default_web_workers(cpus: int) -> int:
    """One sync worker per processor, at least 2 (one can compute while the other waits for
    the database) and at most :data:`MAX_DEFAULT_WEB_WORKERS`. Not gunicorn's "two per
    processor plus one": on 2 cores shared with the database, 5 workers answered no more
    submissions than 2 and took more CPU per request (bench/README.md, "Answer ingestion over
    HTTP", 2026-12-08)."""
    return min(max(2, cpus), MAX_DEFAULT_WEB_WORKERS)


def web_workers(environ: Mapping[str, str], name: str = "PHARE_WEB_WORKERS") -> int:
    """`phare serve`'s worker processes: ``name`` when set, else :func:`default_web_workers` of
    the :func:`usable_cpus`."""
    return env_int(environ, name, default_web_workers(usable_cpus()), minimum=1)


def env_choice(environ: Mapping[str, str], name: str, default: str, choices: list[str]) -> str:
    value = env_str(environ, name, default).lower()
    if value not in choices:
        raise ConfigError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    value = _get(environ, name)
    if value in (None, ""):
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name}: expected a comma-separated list, got {value!r}")
    return items


#: The roles a group mapping may name (accounts.roles.Role's values; a test keeps them equal).
ROLES = ("admin", "marketing", "executive", "owner", "employee")


def env_role_groups(environ: Mapping[str, str], name: str) -> dict[str, tuple[str, ...]]:
    """``"admin=Phare Admins;marketing=Comms,Marketing"`` → ``{"admin": ("Phare Admins",),
    "marketing": ("Comms", "Marketing")}``: which identity-provider groups give which role."""
    mapping: dict[str, tuple[str, ...]] = {}
    for part in (p.strip() for p in (_get(environ, name) or "").split(";")):
        if not part:
            continue
        role, sep, groups = part.partition("=")
        role = role.strip().lower()
        if not sep or role not in ROLES:
            raise ConfigError(f"{name}: {part!r} is not role=group[,group…] with a role among "
                              f"{', '.join(ROLES)}")
        names = tuple(g.strip() for g in groups.split(",") if g.strip())
        if not names:
            raise ConfigError(f"{name}: {part!r} names no group for {role}")
        mapping[role] = names
    return mapping


def env_time_zone(environ: Mapping[str, str], name: str, default: str) -> str:
    value = env_str(environ, name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name}: expected an IANA time zone such as Europe/Paris, got {value!r}"
        ) from None
    return value


def home_dir(environ: Mapping[str, str], name: str = "PHARE_HOME") -> Path:
    """The data folder; relative paths are taken from the working directory.

    Only read, never made here: importing the settings creates nothing (``phare migrate``
    makes the folder, see :mod:`phare.core.management.home`)."""
    path = Path(env_str(environ, name, ".phare")).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{name}: expected a folder, but {path} is a file")
    return path


#: The file in the data folder that holds the secret key when PHARE_SECRET_KEY is not set.
SECRET_FILE = "secret_key"
SECRET_KEY_MIN_LENGTH = 32


def secret_key(environ: Mapping[str, str], home: Path, name: str = "PHARE_SECRET_KEY") -> str:
    """The secret key from the environment, else from ``home/secret_key``, else ``""``.

    Never invented here: every process of one Phare must sign and hash with the same key, so
    a missing key is created once by :func:`create_secret_key` (``phare migrate``), not by
    whichever process happens to start first."""
    value = _get(environ, name)
    if value:
        if len(value) < SECRET_KEY_MIN_LENGTH:
            raise ConfigError(f"{name}: expected at least {SECRET_KEY_MIN_LENGTH} characters, "
                              f"got {len(value)}")
        return value
    path = home / SECRET_FILE
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise ConfigError(f"{name}: not set, and {path} cannot be read: {exc.strerror}") from None
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ConfigError(f"{name}: not set, and {path} holds fewer than "
                          f"{SECRET_KEY_MIN_LENGTH} characters (set {name}, or delete the file "
                          "and run `phare migrate` to make a new key)")
    return key


def create_secret_key(home: Path) -> str:
    """Write a new secret key into ``home/secret_key`` (owner-only) unless one is there;
    the key now in the file."""
    path = home / SECRET_FILE
    key = secrets.token_urlsafe(50)
    try:
        # Created with owner-only permissions from the start, and never over an existing key
        # (another process may have just made it): no window where others could read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return key


def missing_secret_message(home: Path, name: str = "PHARE_SECRET_KEY") -> str:
    """What to do when no secret key is found: said the same way by every command."""
    return (f"{name}: no secret key: set {name} (at least {SECRET_KEY_MIN_LENGTH} characters, "
            f"the same for every process), or run `phare migrate` once to create "
            f"{home / SECRET_FILE}")


def database_config(
    environ: Mapping[str, str], home: Path, name: str = "PHARE_DATABASE_URL"
) -> dict[str, Any]:
    """Django's ``DATABASES['default']`` from a URL; SQLite in ``home`` by default."""
    import dj_database_url

    value = env_str(environ, name, f"sqlite:///{home / 'phare.sqlite3'}")
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"{name}: expected sqlite:///path/to/file.sqlite3 or "
            f"postgres://user:password@host:port/database, got {value!r}"
        )
    try:
        config = dict(dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True))
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Kept between requests too (CONN_MAX_AGE 60, as for PostgreSQL): opening the file,
        # registering Django's SQL functions and the PRAGMAs below cost 3.6 ms of CPU at every
        # request (an open-link answer: 4.5 ms in all, against 0.9 ms; bench/README.md). A
        # worker's connection is its own: core/server.run_web closes the master's before it
        # forks. WAL and IMMEDIATE transactions let the web server and the worker share the file.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif not config.get("NAME"):
        raise ConfigError(f"{name}: the PostgreSQL URL names no database, got {value!r}")
    else:
        # Django's backend, with a health check that makes no round trip when the connection
        # is sound (lib/postgresql/base.py).
        config["ENGINE"] = "phare.lib.postgresql"
    return config


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def email_config(environ: Mapping[str, str], name: str = "PHARE_EMAIL_URL") -> dict[str, Any]:
    """Email settings from a URL: ``console://`` (default), ``smtp://user:pass@host:port``,
    ``smtp+tls://`` (STARTTLS), ``smtps://`` (implicit TLS), ``file:///folder``, ``memory://``."""
    value = env_str(environ, name, "console://")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_BACKENDS or "://" not in value:
        raise ConfigError(
            f"{name}: expected smtp://user:password@host:port (or smtp+tls://, smtps://, "
            f"console://, file:///folder), got {value!r}"
        )
    config: dict[str, Any] = {"EMAIL_BACKEND": EMAIL_BACKENDS[scheme]}
    if scheme.startswith("smtp"):
        if not parts.hostname:
            raise ConfigError(f"{name}: the SMTP URL names no host, got {value!r}")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{name}: the SMTP port is not a number in {value!r}") from None
        config.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or (465 if scheme == "smtps" else 587 if scheme == "smtp+tls" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_TIMEOUT=_timeout(name, parse_qs(parts.query).get("timeout", ["30"])[0]),
        )
    elif scheme == "file":
        if not parts.path:
            raise ConfigError(f"{name}: the file URL names no folder, got {value!r}")
        config["EMAIL_FILE_PATH"] = parts.path
    return config


def _timeout(name: str, value: str) -> int:
    if not value.isdigit() or int(value) == 0:
        raise ConfigError(f"{name}: expected ?timeout= a number of seconds, got {value!r}")
    return int(value)


def insights_cache_config(environ: Mapping[str, str], home: Path) -> dict[str, Any]:
    """The cache of computed dashboards: apart from the default cache, so that its many large
    entries never push out (cull) the rate limits' counters. Files under ``home/cache-insights``,
    or the same Redis as the default cache, under its own key prefix. Keys carry the code's
    digest (:func:`code_digest`): figures and charts computed by one version of Phare are never
    served by another (after an upgrade, a page computes afresh rather than show last week's
    charts)."""
    config = cache_config(environ, home)
    if config["BACKEND"] == "phare.lib.cache.FileCache":
        return {**config, "LOCATION": str(home / "cache-insights"), "KEY_PREFIX": code_digest(),
                "OPTIONS": {"MAX_ENTRIES": 5_000}}
    return {**config, "KEY_PREFIX": f"insights-{code_digest()}"}


_CODE_SUFFIXES = {".py", ".html", ".mo"}


def code_digest(root: Path | None = None) -> str:
    """A short digest of the code, templates and translations under ``root`` (Phare's
    package): it changes with any of them, and only with them."""
    root = root or Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_config(environ: Mapping[str, str], home: Path, name: str = "PHARE_CACHE_URL"
                 ) -> dict[str, Any]:
    """Django's ``CACHES['default']``, shared by every worker process: files under
    ``home/cache`` by default (nothing to set up), or ``redis://host:port/db`` (also
    ``rediss://`` for TLS, ``unix:///path.sock``)."""
    value = env_str(environ, name, "")
    if not value:
        # Phare's file cache: Django's, with counters that stay right across processes.
        # Django's default of 300 entries would cull live rate-limit counters at random.
        return {"BACKEND": "phare.lib.cache.FileCache", "LOCATION": str(home / "cache"),
                "OPTIONS": {"MAX_ENTRIES": 20_000}}
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if "://" not in value or scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            f"{name}: expected nothing (files in the data folder) or "
            f"redis://host:port/database, got {value!r}")
    if scheme == "unix" and not parts.path:
        raise ConfigError(f"{name}: the unix socket URL names no socket, got {value!r}")
    if scheme != "unix":
        if not parts.hostname:
            raise ConfigError(f"{name}: the Redis URL names no host, got {value!r}")
        try:
            parts.port  # noqa: B018 - reading it checks it
        except ValueError:
            raise ConfigError(f"{name}: the Redis port is not a number in {value!r}") from None
        database = parts.path.strip("/")
        if database and not database.isdigit():
            raise ConfigError(
                f"{name}: the Redis database is a number such as /0, got {database!r}")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}


def usage_dir(environ: Mapping[str, str], default: str, name: str = "PHARE_USAGE_DIR") -> str:
    """Where the usage events are kept: a folder (a path or ``file://`` URL) or an
    S3-compatible object store, ``s3://bucket/prefix`` (``s3a://``, Spark's name, is the same
    and read as ``s3://``). Credentials are never in the URL: the AWS variables and files."""
    value = env_str(environ, name, default)
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("s3", "s3a"):
        if parts.username is not None or parts.password is not None:
            raise ConfigError(f"{name}: expected s3://bucket/prefix without credentials (they "
                              "come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or "
                              "~/.aws/credentials)")
        if not parts.hostname:
            raise ConfigError(f"{name}: the object store URL names no bucket, got {value!r}")
        return "s3://" + value.split("://", 1)[1]
    if len(scheme) > 1 and scheme != "file":
        raise ConfigError(f"{name}: expected a folder (a path or file:// URL) or "
                          f"s3://bucket/prefix, got {value!r}")
    return value


def s3_endpoint(environ: Mapping[str, str], name: str = "PHARE_USAGE_S3_ENDPOINT") -> str:
    """The address of an S3-compatible object store (MinIO, Ceph, Scality, OVH…), such as
    ``https://s3.gra.io.cloud.ovh.net`` or ``http://minio:9000``; empty: AWS S3."""
    value = _get(environ, name)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname \
            or parts.path.strip("/") or parts.query or parts.fragment:
        raise ConfigError(f"{name}: expected an address such as https://s3.example.com or "
                          f"http://minio:9000, got {value!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{name}: expected an address without credentials (they come from "
                          "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or ~/.aws/credentials)")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise ConfigError(f"{name}: the port of {value!r} is not a number") from None
    return value.rstrip("/")


def trusted_proxies(environ: Mapping[str, str], name: str = "PHARE_TRUSTED_PROXIES"
                    ) -> list[str]:
    """The reverse proxies whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed:
    a comma-separated list of addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``."""
    import ipaddress

    networks = []
    for item in env_list(environ, name, []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigError(
                f"{name}: expected IP addresses or networks such as 127.0.0.1,10.0.0.0/8, "
                f"got {item!r}") from None
    return networks


def address_of_bind(bind: str) -> str:
    """The address people type to reach a server listening on ``bind`` (gunicorn's
    ``host:port``): on this machine or every interface (``127.0.0.1``, ``0.0.0.0``, ``[::]``),
    ``localhost``."""
    if bind.startswith(("unix:", "fd://")):
        return "http://localhost"
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]", "127.0.0.1", "[::1]"):
        host = "localhost"
    return f"http://{host}:{port}" if port.isdigit() else f"http://{bind}"


def base_url(environ: Mapping[str, str], bind: str, name: str = "PHARE_BASE_URL") -> str:
    """Where people reach Phare, without a trailing slash: ``PHARE_BASE_URL`` (such as
    ``https://phare.example.com``), else the address of ``bind``."""
    value = _get(environ, name)
    if not value:
        return address_of_bind(bind)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigError(f"{name}: expected an address such as https://phare.example.com, "
                          f"got {value!r}")
    return value.rstrip("/")


def ldap_url(environ: Mapping[str, str], name: str = "PHARE_LDAP_URL") -> str:
    """The LDAP server, ``ldap://host[:port]`` or ``ldaps://host[:port]``; empty: LDAP off."""
    value = _get(environ, name)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname or parts.path.strip("/") \
            or parts.query or parts.fragment:
        raise ConfigError(f"{name}: expected an address such as ldaps://ldap.example.com or "
                          f"ldap://ldap.example.com:389, got {value!r}")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise ConfigError(f"{name}: the port of {value!r} is not a number") from None
    return value.rstrip("/")


def ldap_unit_from(environ: Mapping[str, str], name: str = "PHARE_LDAP_UNIT_FROM") -> str:
    """Where an LDAP sync reads each person's business unit: ``attribute:<name>`` (such as
    ``attribute:department``), ``ou`` (the nearest OU of the entry's DN) or ``none``."""
    value = env_str(environ, name, "attribute:department")
    kind, sep, attribute = value.partition(":")
    if value.lower() in ("ou", "none") and not sep:
        return value.lower()
    if kind.lower() == "attribute" and attribute.strip():
        return f"attribute:{attribute.strip()}"
    raise ConfigError(f"{name}: expected attribute:<name> (such as attribute:department), ou "
                      f"or none, got {value!r}")


def web_url(environ: Mapping[str, str], name: str, default: str, *,
            https_only: bool = False) -> str:
    """An absolute ``https://`` (or, unless ``https_only``, ``http://``) address, as given;
    ``default`` when the variable is empty."""
    value = _get(environ, name)
    if not value:
        return default
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname or parts.fragment:
        raise ConfigError(f"{name}: expected an absolute {' or '.join(schemes)}:// address, "
                          f"got {value!r}")
    return value
