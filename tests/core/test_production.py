"""The production layout of docs/DEPLOY.md, followed as far as one machine allows: a fresh
PostgreSQL database, ``phare migrate`` and ``phare createadmin``, then **two** ``phare serve``
web processes on two ports sharing that database and one Redis cache, and one ``phare worker``,
each in its own process group, as systemd would start them.

Checked across the two: a session opened on one is valid on the other; the sign-in throttle
(django-axes, in the database) locks an account on both; the client's address is believed from
``X-Forwarded-For`` only because ``PHARE_TRUSTED_PROXIES`` names the proxy; both answer
``/healthz`` and ``/readyz``; the worker stopped, both readiness checks say so. (Talking to a
web process directly, the test plays the proxy: it sends ``X-Forwarded-Proto: https`` and
returns the ``Secure`` cookies that a browser would only send over HTTPS.)

Then Debian's nginx in front of the two, with the configuration of docs/DEPLOY.md's
```nginx block (only its ports, certificate paths and upstreams changed; a throw-away
certificate): HTTPS with HSTS and HTTP/2, plain HTTP redirected, a sign-in with ``Secure``
cookies whose audit entry holds the client's address, long-cached static files, an unknown
``Host`` refused, requests spread over both web processes, and one of them stopped without
the site noticing. Without nginx these are skipped, unless ``PHARE_REQUIRE_NGINX=1``.

Runs only against PostgreSQL (``PHARE_TEST_DATABASE_URL``) with Redis on 127.0.0.1:6379; the
database is created for the test and dropped after it. Two tests stop a process (the worker,
then a web process): they come after every test that needs it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from requests.adapters import HTTPAdapter

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("production")]

REDIS = ("127.0.0.1", 6379)
PASSWORD = "correct horse battery staple 42"
ROOT = Path(__file__).resolve().parents[2]
#: The site's name in docs/DEPLOY.md (its environment file and nginx block).
SITE_NAME = "phare.example.com"
#: The address the browsers of the nginx tests connect from (any 127.x address is this machine),
#: so that the client is told apart from the proxy, which reaches the web processes from 127.0.0.1.
BROWSER_ADDRESS = "127.0.0.5"


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
    parts = urlsplit(server)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def build_step() -> list[str]:
    """The arguments of the Dockerfile's ``RUN python …`` step (after ``python``)."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    lines = [line for line in dockerfile.splitlines() if line.startswith("RUN python ")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0].removeprefix("RUN python "))


@dataclass
class Site:
    home: Path
    env: dict[str, str]
    urls: tuple[str, str]
    webs: tuple[subprocess.Popen, subprocess.Popen]
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
        "PHARE_BASE_URL": f"https://{SITE_NAME}",
        "PHARE_HTTPS": "1",
        "PHARE_TRUSTED_PROXIES": "127.0.0.1",
        "PHARE_ALLOWED_HOSTS": f"{SITE_NAME},127.0.0.1,localhost",
        "PHARE_CSRF_TRUSTED_ORIGINS": f"https://{SITE_NAME}",
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
        yield Site(home=home, env=env, urls=(urls[0], urls[1]),
                   webs=(processes[1], processes[2]), worker=worker, logs=logs)
    finally:
        for process in processes:
            _stop(process)
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(f"SELECT {redis_db}\r\nFLUSHDB\r\n".encode())
            sock.recv(1024)
        _psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _AsTheProxy(requests.Session):
    """Talks to a web process directly as the proxy would: with the scheme the browser used
    (``X-Forwarded-Proto``), and every cookie the site set, ``Secure`` ones included (the
    browser sent them over HTTPS; requests would keep those off plain HTTP)."""

    def __init__(self) -> None:
        super().__init__()
        self.headers["X-Forwarded-Proto"] = "https"

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        prepared = super().prepare_request(request)
        if self.cookies:
            prepared.headers["Cookie"] = "; ".join(
                f"{cookie.name}={cookie.value}" for cookie in self.cookies)
        return prepared


def _sign_in(session: requests.Session, url: str, username: str, password: str,
             client: str | None = None, origin: str | None = None) -> requests.Response:
    """Signs in at ``url`` from ``client`` (an ``X-Forwarded-For``), on a page whose address
    starts with ``origin`` (the Referer CSRF checks; by default ``url`` over https)."""
    headers = {"X-Forwarded-For": client} if client else {}
    origin = origin or url.replace("http://", "https://", 1)
    page = session.get(f"{url}/accounts/login/", headers=headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return session.post(f"{url}/accounts/login/", allow_redirects=False,
                        data={"username": username, "password": password,
                              "csrfmiddlewaretoken": token.group(1)},
                        headers={**headers, "Referer": f"{origin}/accounts/login/"})


@pytest.mark.postgres
def test_a_session_opened_on_one_web_process_is_valid_on_the_other(site: Site):
    a, b = site.urls
    session = _AsTheProxy()
    signed_in = _sign_in(session, a, "admin", PASSWORD, "10.1.0.1")
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert "sessionid" in session.cookies
    home = session.get(f"{b}/", allow_redirects=False)
    assert home.status_code == 200  # not sent to the sign-in page: B knows A's session
    assert "admin" in home.text
    stranger = _AsTheProxy().get(f"{b}/", allow_redirects=False)
    assert stranger.status_code == 302
    assert stranger.headers["Location"].startswith("/accounts/login/")


@pytest.mark.postgres
def test_the_sign_in_throttle_locks_across_both_processes(site: Site):
    a, b = site.urls
    site.phare("shell", "-v", "0", "-c",
               "from phare.accounts.models import User\n"
               "u = User.objects.create_user('victim', password='the right one 123')")
    # Failures from one address, alternately on A and B: the count is shared, and the third
    # (PHARE_LOGIN_FAILURE_LIMIT) locks.
    for index in range(3):
        failed = _sign_in(_AsTheProxy(), site.urls[index % 2], "victim", "wrong", "10.2.0.2")
        assert failed.status_code == (200 if index < 2 else 429)  # the form, then locked
    # From another address, the right password, on B then on A: the account is locked.
    for url in (b, a):
        locked = _sign_in(_AsTheProxy(), url, "victim", "the right one 123", "10.3.0.3")
        assert locked.status_code == 429, locked.text[:300]
    # The address was believed from X-Forwarded-For (the proxy is trusted): axes recorded it.
    recorded = site.phare("shell", "-v", "0", "-c",
                          "from axes.models import AccessAttempt\n"
                          "print(sorted({a.ip_address for a in AccessAttempt.objects.all()}))")
    assert recorded.stdout.strip() == "['10.2.0.2', '10.3.0.3']"


# --- Debian's nginx in front, configured by the ```nginx block of docs/DEPLOY.md. ---

def nginx_block() -> str:
    """The ```nginx block of docs/DEPLOY.md, as written there."""
    blocks = re.findall(r"^```nginx\n(.*?)^```$", (ROOT / "docs" / "DEPLOY.md").read_text(),
                        flags=re.S | re.M)
    assert len(blocks) == 1, f"docs/DEPLOY.md: expected one ```nginx block, found {len(blocks)}"
    return blocks[0]


def _replace(text: str, pattern: str, replacement: str) -> str:
    """``pattern`` (one line of the block) replaced by ``replacement``, once and only once."""
    new, count = re.subn(pattern, lambda match: match.group(1) + replacement, text, flags=re.M)
    assert count == 1, f"docs/DEPLOY.md's nginx block: {pattern!r} found {count} times, not once"
    return new


def site_config(block: str, *, http_port: int, https_port: int, upstreams: tuple[str, str],
                certificate: Path, key: Path) -> str:
    """The block with only what differs on a test machine changed: the ports it listens on
    (127.0.0.1 only), the certificate's files, and the two web processes as upstreams."""
    text = _replace(block, r"^(\s*)listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace(text, r"^(\s*)listen 443 ", f"listen 127.0.0.1:{https_port} ")
    text = _replace(text, r"^(\s*)ssl_certificate\s+/etc/ssl/phare/fullchain\.pem;",
                    f"ssl_certificate {certificate};")
    text = _replace(text, r"^(\s*)ssl_certificate_key\s+/etc/ssl/phare/privkey\.pem;",
                    f"ssl_certificate_key {key};")
    text = _replace(text, r"^(\s*)server 127\.0\.0\.1:8000;", f"server {upstreams[0]};")
    return _replace(text, r"^(\s*)# server 127\.0\.0\.1:8001;", f"server {upstreams[1]};")


def _main_config(folder: Path, site: str) -> str:
    """What /etc/nginx/nginx.conf gives the site on Debian, kept inside ``folder``, with an
    access log naming the web process that answered each request."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, nginx's workers would otherwise run as nobody, who cannot enter pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
            "http {\n"
            "    log_format upstreams '$remote_addr \"$request\" $status \"$upstream_addr\"';\n"
            f"    access_log {folder / 'access.log'} upstreams;\n{temp}\n"
            f"    include {folder / site};\n}}\n")


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and the site's certificate it signs (for SITE_NAME and 127.0.0.1):
    the CA's file, then the certificate's and its key's."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Phare nginx test CA"))
          .issuer_name(name("Phare nginx test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(
              digital_signature=False, content_commitment=False, key_encipherment=False,
              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
              encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(name(SITE_NAME)).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName(SITE_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "fullchain.pem", folder / "privkey.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class _FromTheBrowser(HTTPAdapter):
    """Connects from BROWSER_ADDRESS and asks TLS for SITE_NAME (SNI), as a browser on
    another machine resolving the site's name to the proxy would."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(source_address=(BROWSER_ADDRESS, 0), server_hostname=SITE_NAME)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Proxy:
    https: str  # where nginx listens: https://127.0.0.1:port
    http: str
    ca: Path
    access_log: Path
    upstreams: tuple[str, str]  # the web processes, "127.0.0.1:port"

    def browser(self) -> requests.Session:
        """A browser at BROWSER_ADDRESS visiting SITE_NAME, trusting the test's CA."""
        session = requests.Session()
        session.trust_env = False  # no CA bundle or proxy from the environment: the test's CA
        for scheme in ("https://", "http://"):
            session.mount(scheme, _FromTheBrowser())
        session.headers["Host"] = SITE_NAME
        session.verify = str(self.ca)
        return session

    def log_size(self) -> int:
        """Where the access log ends once every earlier request is in it: nginx logs a request
        after answering it, so a previous test's last line could land later. A request of its
        own, once logged, marks the point."""
        marker = f"settled={secrets.token_hex(4)}"
        self.browser().get(f"{self.https}/healthz?{marker}")
        deadline = time.monotonic() + 10
        while marker not in self.access_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.access_log.stat().st_size

    def answered_by(self, since: int, *, asked: str = "") -> list[tuple[str, str, str]]:
        """The access log's lines written after byte ``since`` (only those whose request line
        holds ``asked``, when given: nginx logs a request after answering it, so a previous
        test's last line can land after ``since``): the client's address, the status and the
        web processes nginx tried (comma-separated when it moved on)."""
        with self.access_log.open("rb") as log:
            log.seek(since)
            lines = log.read().decode().splitlines()
        found = [re.fullmatch(r'(\S+) "([^"]*)" (\d+) "([^"]*)"', line) for line in lines]
        assert all(found), lines
        return [(match.group(1), match.group(3), match.group(4)) for match in found
                if match and asked in match.group(2)]


def _nginx() -> str:
    path = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)
    if path is None:
        if os.environ.get("PHARE_REQUIRE_NGINX") == "1":
            pytest.fail("PHARE_REQUIRE_NGINX=1 but nginx is not installed")
        pytest.skip("no nginx (apt-get install nginx-light)")
    return path


@pytest.fixture(scope="module")
def proxy(site: Site, tmp_path_factory) -> Iterator[Proxy]:
    nginx = _nginx()
    folder = tmp_path_factory.mktemp("nginx")
    ca, certificate, key = _certificates(folder)
    http_port, https_port = _free_port(), _free_port()
    upstreams = (urlsplit(site.urls[0]).netloc, urlsplit(site.urls[1]).netloc)
    (folder / "phare.conf").write_text(site_config(
        nginx_block(), http_port=http_port, https_port=https_port, upstreams=upstreams,
        certificate=certificate, key=key))
    (folder / "nginx.conf").write_text(_main_config(folder, "phare.conf"))
    command = [nginx, "-p", str(folder), "-e", str(folder / "error.log"),
               "-c", str(folder / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    with (folder / "nginx.out").open("wb") as out:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("nginx did not start:\n"
                                         + (folder / "error.log").read_text()) from None
                time.sleep(0.1)
        yield Proxy(https=f"https://127.0.0.1:{https_port}", http=f"http://127.0.0.1:{http_port}",
                    ca=ca, access_log=folder / "access.log", upstreams=upstreams)
    finally:
        _stop(process)


def _ready(session: requests.Session, url: str) -> requests.Response:
    """``/readyz``, asked again for a while: the worker's first heartbeat may be on its way."""
    deadline = time.monotonic() + 20
    while (ready := session.get(f"{url}/readyz")).status_code != 200 \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    return ready


@pytest.mark.postgres
def test_nginx_serves_https_with_hsts_and_http2_and_redirects_plain_http(proxy: Proxy):
    browser = proxy.browser()
    page = browser.get(f"{proxy.https}/accounts/login/")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert browser.get(f"{proxy.https}/healthz").json() == {"status": "ok", "database": "ok"}
    ready = _ready(browser, proxy.https)
    assert ready.status_code == 200, ready.text
    # Plain HTTP: to the same address over HTTPS, at the site's name whatever Host was sent.
    for host in (SITE_NAME, "intruder.example"):
        moved = browser.get(f"{proxy.http}/accounts/login/?next=/needs/", allow_redirects=False,
                            headers={"Host": host})
        assert moved.status_code == 301
        assert moved.headers["Location"] == f"https://{SITE_NAME}/accounts/login/?next=/needs/"
    # TLS 1.2 or 1.3 with HTTP/2 offered (ALPN), and a certificate for the site's name.
    context = ssl.create_default_context(cafile=str(proxy.ca))
    context.set_alpn_protocols(["h2", "http/1.1"])
    port = int(proxy.https.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname=SITE_NAME) as tls:
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


@pytest.mark.postgres
def test_a_sign_in_through_nginx_has_secure_cookies_and_is_audited_from_the_client(
        proxy: Proxy, site: Site):
    browser = proxy.browser()
    agent = f"nginx-test-{secrets.token_hex(4)}"
    browser.headers["User-Agent"] = agent
    # The browser also sends an X-Forwarded-For of its own making: nginx replaces it.
    signed_in = _sign_in(browser, proxy.https, "admin", PASSWORD, client="203.0.113.9",
                         origin=f"https://{SITE_NAME}")
    assert signed_in.status_code == 302, signed_in.text[:500]
    cookies = {cookie.name: cookie for cookie in browser.cookies}
    assert cookies["sessionid"].secure and cookies["csrftoken"].secure
    assert cookies["sessionid"].has_nonstandard_attr("HttpOnly")
    home = browser.get(f"{proxy.https}/", allow_redirects=False)
    assert home.status_code == 200 and "admin" in home.text
    with psycopg.connect(site.env["PHARE_DATABASE_URL"]) as conn:
        entries = conn.execute("SELECT action, actor_name, host(ip) FROM audit_entry "
                               "WHERE user_agent = %s", [agent]).fetchall()
    # The browser's address as nginx saw it: neither the proxy's (127.0.0.1) nor the forged one.
    assert entries == [("signin.success", "admin", BROWSER_ADDRESS)]


@pytest.mark.postgres
def test_nginx_passes_the_static_files_with_long_cache_headers(proxy: Proxy):
    browser = proxy.browser()
    page = browser.get(f"{proxy.https}/accounts/login/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheet, page.text[:1000]
    served = browser.get(f"{proxy.https}{stylesheet.group(1)}")
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("text/css")
    cache = {part.strip() for part in served.headers["Cache-Control"].split(",")}
    assert {"public", "immutable", "max-age=315360000"} <= cache, cache


@pytest.mark.postgres
def test_nginx_passes_an_unknown_host_to_phare_which_refuses_it(proxy: Proxy):
    refused = proxy.browser().get(f"{proxy.https}/", headers={"Host": "intruder.example"},
                                  allow_redirects=False)
    assert refused.status_code == 400


@pytest.mark.postgres
def test_nginx_spreads_the_requests_over_both_web_processes(proxy: Proxy):
    browser = proxy.browser()
    start = proxy.log_size()
    marker = f"spread={secrets.token_hex(4)}"
    for _ in range(6):
        assert browser.get(f"{proxy.https}/healthz?{marker}").status_code == 200
    answered = proxy.answered_by(start, asked=marker)
    assert len(answered) == 6
    assert {upstream for _, _, upstream in answered} == set(proxy.upstreams)
    assert {client for client, _, _ in answered} == {BROWSER_ADDRESS}


@pytest.mark.postgres
def test_both_are_live_and_ready_then_report_the_stopped_worker(site: Site):
    for url in site.urls:
        assert requests.get(f"{url}/healthz").json() == {"status": "ok", "database": "ok"}
        ready = _ready(requests.Session(), url)
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
        # Stale means older than 2 s; the age is shown to a tenth, so 2.04 s reads 2.0.
        assert body["worker"] == "stale" and body["worker_heartbeat_seconds"] >= 2
        assert body["database"] == body["cache"] == body["migrations"] == "ok"
    # Liveness is not readiness: the web processes themselves are fine.
    assert all(requests.get(f"{url}/healthz").status_code == 200 for url in site.urls)


@pytest.mark.postgres
def test_nginx_keeps_the_site_up_when_a_web_process_stops(proxy: Proxy, site: Site):
    # Stops the second web process for good: this test comes after all others that use it.
    _stop(site.webs[1])
    browser = proxy.browser()
    start = proxy.log_size()
    for _ in range(4):
        assert browser.get(f"{proxy.https}/healthz").status_code == 200
    signed_in = _sign_in(browser, proxy.https, "admin", PASSWORD, origin=f"https://{SITE_NAME}")
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert browser.get(f"{proxy.https}/", allow_redirects=False).status_code == 200
    answered = proxy.answered_by(start)
    assert answered and all(status in ("200", "302") for _, status, _ in answered), answered
    # Each request ended on the running process (nginx moves on from the stopped one).
    assert {upstream.split(", ")[-1] for _, _, upstream in answered} == {proxy.upstreams[0]}


# --- The Dockerfile: no Docker engine here, so what can be checked without building it. ---

def _dockerfile() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
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
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".phare", "tests"} <= set(ignored)
    assert "src" not in ignored and "README.md" not in ignored  # pip install . reads them


def test_the_debian_packages_of_the_dockerfile_exist():
    if shutil.which("apt-cache") is None:
        pytest.skip("no apt-cache on this machine")
    apt = next(i for i in _dockerfile() if "apt-get install" in i)
    packages = apt.split("--no-install-recommends", 1)[1].split("&&", 1)[0].split()
    assert "libpango-1.0-0" in packages and "xmlsec1" in packages
    for package in packages:
        found = subprocess.run(["apt-cache", "show", package], capture_output=True)
        assert found.returncode == 0, f"no Debian package {package}"


def _healthcheck_request(**environ: str | None) -> str:
    """What the image's health check would ask for, with these variables (None: unset): its
    URL and headers, printed instead of sent."""
    health = next(i for i in _dockerfile() if i.startswith("HEALTHCHECK"))
    command = json.loads(health.split("CMD", 1)[1])
    code = command[2].replace("u.urlopen(", "r = (").replace(
        ", timeout=4)", "); print(r.full_url, r.headers)")
    env = {k: v for k, v in os.environ.items() if k not in environ}
    env.update({k: v for k, v in environ.items() if v is not None})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout


def test_the_healthcheck_sends_an_allowed_host():
    for allowed, host in (("phare.example.com,localhost", "phare.example.com"),
                          (".example.com", "example.com"), ("*", "localhost"), (None, "localhost")):
        assert f"'Host': '{host}'" in _healthcheck_request(PHARE_ALLOWED_HOSTS=allowed)


def test_the_healthcheck_asks_where_phare_listens():
    for bind, url in ((None, "http://127.0.0.1:8000/"), ("0.0.0.0:8000", "http://127.0.0.1:8000/"),
                      ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
                      ("10.1.2.3:8080", "http://10.1.2.3:8080/"), ("[::]:8000", "http://127.0.0.1:8000/"),
                      ("[::1]:8001", "http://[::1]:8001/")):
        assert _healthcheck_request(PHARE_BIND=bind).startswith(url + "healthz "), bind
