"""The production layout of docs/DEPLOY.md, followed as far as one machine allows: a fresh
PostgreSQL database, ``phare migrate`` and ``phare createadmin``, then **two** ``phare serve``
web processes on two ports sharing that database and one Redis cache, and one ``phare worker``,
each in its own process group, as systemd would start them.

Checked across the two: a session opened on one is valid on the other; the sign-in throttle
(django-axes, in the database) locks an account on both; the client's address is believed from
``X-Forwarded-For`` only because ``PHARE_TRUSTED_PROXIES`` names the proxy; both answer
``/healthz`` and ``/readyz``; the worker stopped, both readiness checks say so.

Runs only against PostgreSQL (``PHARE_TEST_DATABASE_URL``) with Redis on 127.0.0.1:6379; the
database is created for the test and dropped after it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("production")]

REDIS = ("127.0.0.1", 6379)
PASSWORD = "correct horse battery staple 42"


def _server_url() -> str:
    url = os.environ.get("PHARE_TEST_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the production layout runs on PostgreSQL: set PHARE_TEST_DATABASE_URL")
    return url


def _redis(command: str) -> str:
    """One inline Redis command, its first reply line (no client library needed)."""
    with socket.create_connection(REDIS, timeout=2) as sock:
        sock.sendall(command.encode() + b"\r\n")
        return sock.recv(1024).decode().split("\r\n")[0]


def _empty_redis_database() -> int:
    """A Redis database number nobody uses now (keys: 0), so the test shares nothing."""
    try:
        _redis("PING")
    except OSError:
        if os.environ.get("PHARE_REQUIRE_REDIS") == "1":
            pytest.fail("PHARE_REQUIRE_REDIS=1 but no Redis answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    for number in range(15, 0, -1):
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(f"SELECT {number}\r\nDBSIZE\r\n".encode())
            reply = b""
            while reply.count(b"\r\n") < 2:
                reply += sock.recv(1024)
        if reply.decode().split("\r\n")[1] == ":0":
            return number
    pytest.skip("every Redis database holds keys: none to borrow")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(server: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(server)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def build_step() -> list[str]:
    """The arguments of the Dockerfile's ``RUN python …`` step (after ``python``)."""
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    lines = [line for line in dockerfile.splitlines() if line.startswith("RUN python ")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0].removeprefix("RUN python "))


@dataclass
class Site:
    home: Path
    env: dict[str, str]
    urls: tuple[str, str]
    worker: subprocess.Popen
    logs: Path

    def phare(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "phare", *args], env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "phare", *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait(url: str, log: Path, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never answered 200:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    server = _server_url()
    redis_db = _empty_redis_database()
    name = f"phare_production_{secrets.token_hex(4)}"
    _psql(server, f'CREATE DATABASE "{name}"')
    home = tmp_path_factory.mktemp("production-home")
    logs = tmp_path_factory.mktemp("production-logs")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHARE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({
        # The EnvironmentFile of docs/DEPLOY.md, "systemd".
        "PHARE_HOME": str(home),
        "PHARE_DATABASE_URL": urlunsplit(urlsplit(server)._replace(path=f"/{name}")),
        "PHARE_CACHE_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{redis_db}",
        "PHARE_SECRET_KEY": secrets.token_urlsafe(40),
        "PHARE_EMAIL_URL": f"file://{home}/mail",
        "PHARE_TRUSTED_PROXIES": "127.0.0.1",
        "PHARE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PHARE_WEB_WORKERS": "1",
        "PHARE_LOGIN_FAILURE_LIMIT": "3",
        "PHARE_LOGIN_DELAY_SECONDS": "0",
        "PHARE_WORKER_STALE_SECONDS": "2",
        "PHARE_ADMIN_PASSWORD": PASSWORD,
        "PHARE_LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    })
    processes: list[subprocess.Popen] = []
    try:
        # The image's build step (static files; as in `docker build`: no database, no secret
        # key), then the guide's first steps.
        build_env = {k: v for k, v in env.items()
                     if k not in ("PHARE_DATABASE_URL", "PHARE_SECRET_KEY")}
        for command, environ in (
                (build_step(), build_env), (["-m", "phare", "migrate"], env),
                (["-m", "phare", "createadmin", "--noinput", "--username", "admin",
                  "--email", "admin@example.com"], env)):
            done = subprocess.run([sys.executable, *command], env=environ, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
        ports = (_free_port(), _free_port())
        worker = _start(["worker"], env, logs / "worker.log")
        processes.append(worker)
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        # One after the other: each start collects the static files into the shared
        # PHARE_HOME, which two processes should not rewrite at the same moment.
        for index, port in enumerate(ports):
            processes.append(_start(["serve", "--no-migrate", "--bind", f"127.0.0.1:{port}"],
                                    env, logs / f"web{index}.log"))
            _wait(f"{urls[index]}/healthz", logs / f"web{index}.log")
        yield Site(home=home, env=env, urls=(urls[0], urls[1]), worker=worker, logs=logs)
    finally:
        for process in processes:
            _stop(process)
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(f"SELECT {redis_db}\r\nFLUSHDB\r\n".encode())
            sock.recv(1024)
        _psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sign_in(session: requests.Session, url: str, username: str, password: str,
             client: str) -> requests.Response:
    page = session.get(f"{url}/accounts/login/", headers={"X-Forwarded-For": client})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return session.post(f"{url}/accounts/login/", allow_redirects=False,
                        data={"username": username, "password": password,
                              "csrfmiddlewaretoken": token.group(1)},
                        headers={"X-Forwarded-For": client, "Referer": f"{url}/accounts/login/"})


@pytest.mark.postgres
def test_a_session_opened_on_one_web_process_is_valid_on_the_other(site: Site):
    a, b = site.urls
    session = requests.Session()
    signed_in = _sign_in(session, a, "admin", PASSWORD, "10.1.0.1")
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert "sessionid" in session.cookies
    home = session.get(f"{b}/", allow_redirects=False)
    assert home.status_code == 200  # not sent to the sign-in page: B knows A's session
    assert "admin" in home.text
    stranger = requests.get(f"{b}/", allow_redirects=False)
    assert stranger.status_code == 302


@pytest.mark.postgres
def test_the_sign_in_throttle_locks_across_both_processes(site: Site):
    a, b = site.urls
    site.phare("shell", "-v", "0", "-c",
               "from phare.accounts.models import User\n"
               "u = User.objects.create_user('victim', password='the right one 123')")
    # Failures from one address, alternately on A and B: the count is shared, and the third
    # (PHARE_LOGIN_FAILURE_LIMIT) locks.
    for index in range(3):
        failed = _sign_in(requests.Session(), site.urls[index % 2], "victim", "wrong", "10.2.0.2")
        assert failed.status_code == (200 if index < 2 else 429)  # the form, then locked
    # From another address, the right password, on B then on A: the account is locked.
    for url in (b, a):
        locked = _sign_in(requests.Session(), url, "victim", "the right one 123", "10.3.0.3")
        assert locked.status_code == 429, locked.text[:300]
    # The address was believed from X-Forwarded-For (the proxy is trusted): axes recorded it.
    recorded = site.phare("shell", "-v", "0", "-c",
                          "from axes.models import AccessAttempt\n"
                          "print(sorted({a.ip_address for a in AccessAttempt.objects.all()}))")
    assert recorded.stdout.strip() == "['10.2.0.2', '10.3.0.3']"


@pytest.mark.postgres
def test_both_are_live_and_ready_then_report_the_stopped_worker(site: Site):
    for url in site.urls:
        assert requests.get(f"{url}/healthz").json() == {"status": "ok", "database": "ok"}
        deadline = time.monotonic() + 20
        while (ready := requests.get(f"{url}/readyz")).status_code != 200 \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready.status_code == 200, ready.text
        assert ready.json()["worker"] == "ok" and ready.json()["cache"] == "ok"
    _stop(site.worker)
    deadline = time.monotonic() + 10
    answers: list[requests.Response] = []
    while time.monotonic() < deadline:
        answers = [requests.get(f"{url}/readyz") for url in site.urls]
        if all(answer.status_code == 503 for answer in answers):
            break
        time.sleep(0.25)
    for answer in answers:
        assert answer.status_code == 503, answer.text
        body = json.loads(answer.text)
        assert body["worker"] == "stale" and body["worker_heartbeat_seconds"] > 2
        assert body["database"] == body["cache"] == body["migrations"] == "ok"
    # Liveness is not readiness: the web processes themselves are fine.
    assert all(requests.get(f"{url}/healthz").status_code == 200 for url in site.urls)


# --- The Dockerfile: no Docker engine here, so what can be checked without building it. ---

def _dockerfile() -> list[str]:
    text = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    # Continuation lines joined: one instruction per item.
    return [line.strip() for line in text.replace("\\\n", " ").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_dockerfile_builds_phare_from_the_repository_and_runs_it_unprivileged():
    instructions = _dockerfile()
    assert instructions[0] == "FROM python:3.11-slim-bookworm"
    pip = [i for i in instructions if i.startswith("RUN pip install .")]
    assert pip and "useradd" in pip[0]
    users = [i for i in instructions if i.startswith("USER ")]
    assert users == ["USER phare"]
    assert instructions.index(users[0]) < instructions.index(next(
        i for i in instructions if i.startswith("RUN python ")))  # static files as phare
    assert instructions[-1] == 'CMD ["phare", "serve"]'
    health = next(i for i in instructions if i.startswith("HEALTHCHECK"))
    assert "/healthz" in health and "PHARE_ALLOWED_HOSTS" in health
    assert "ENV PYTHONUNBUFFERED=1" in " ".join(instructions)
    ignored = (Path(__file__).resolve().parents[2] / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".phare", "tests"} <= set(ignored)
    assert "src" not in ignored and "README.md" not in ignored  # pip install . reads them


def test_the_debian_packages_of_the_dockerfile_exist():
    import shutil

    if shutil.which("apt-cache") is None:
        pytest.skip("no apt-cache on this machine")
    apt = next(i for i in _dockerfile() if "apt-get install" in i)
    packages = apt.split("--no-install-recommends", 1)[1].split("&&", 1)[0].split()
    assert "libpango-1.0-0" in packages and "xmlsec1" in packages
    for package in packages:
        found = subprocess.run(["apt-cache", "show", package], capture_output=True)
        assert found.returncode == 0, f"no Debian package {package}"


def test_the_healthcheck_sends_an_allowed_host():
    health = next(i for i in _dockerfile() if i.startswith("HEALTHCHECK"))
    command = json.loads(health.split("CMD", 1)[1])
    code = command[2].replace("u.urlopen(", "print((").replace(", timeout=4)", ").headers)")
    for allowed, host in (("phare.example.com,localhost", "phare.example.com"),
                          (".example.com", "example.com"), ("*", "localhost"), (None, "localhost")):
        env = {k: v for k, v in os.environ.items() if k != "PHARE_ALLOWED_HOSTS"}
        if allowed is not None:
            env["PHARE_ALLOWED_HOSTS"] = allowed
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
        assert f"'Host': '{host}'" in out
