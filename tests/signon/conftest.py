"""A throw-away OpenLDAP server (slapd) for the LDAP sign-on and sync tests.

Started once per test session on two free ports (ldap:// with StartTLS, and ldaps://, with a
certificate from a throw-away CA), in a temporary folder with its own slapd.conf, and loaded
with ``data/directory.ldif`` (the memberof overlay gives people their ``memberOf``). Without
Debian's ``slapd`` and ``ldap-utils`` the tests that need it are skipped, unless
``PHARE_REQUIRE_LDAP=1`` (CI), which makes them fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SUFFIX = "dc=phare,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "admin-pass"
SERVICE_DN = f"cn=service,{SUFFIX}"
SERVICE_PASSWORD = "service-pass"
PEOPLE_DN = f"ou=people,{SUFFIX}"
GROUPS_DN = f"ou=groups,{SUFFIX}"

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile {folder}/slapd.pid
TLSCACertificateFile {folder}/ca.pem
TLSCertificateFile {folder}/cert.pem
TLSCertificateKeyFile {folder}/key.pem
# A DN with an empty password is an anonymous bind, which this server accepts: the sign-on
# must refuse empty passwords itself.
allow bind_anon_cred
database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/db
maxsize 16777216
overlay memberof
access to attrs=userPassword
    by self write
    by anonymous auth
    by * none
access to * by users read by * none
"""


@dataclass(frozen=True)
class Slapd:
    url: str  # ldap:// (StartTLS offered)
    ldaps_url: str
    ca_file: str  # the CA that signed the server's certificate (for localhost and 127.0.0.1)


def _certificates(folder: Path) -> None:
    """A throw-away CA (ca.pem) and the server's certificate (cert.pem, key.pem) it signs."""
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
    ca = (x509.CertificateBuilder().subject_name(name("Phare test CA"))
          .issuer_name(name("Phare test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def _slapd() -> str | None:
    return shutil.which("slapd") or next(
        (path for path in ("/usr/sbin/slapd",) if os.access(path, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd stopped at start-up: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"slapd did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="session")
def slapd(tmp_path_factory) -> Iterator[Slapd]:
    binary, ldapadd = _slapd(), shutil.which("ldapadd")
    if binary is None or ldapadd is None:
        message = ("slapd or ldapadd not found: install Debian's slapd and ldap-utils "
                   "(apt-get install slapd ldap-utils) to run the LDAP tests")
        if os.environ.get("PHARE_REQUIRE_LDAP") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "db").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(SLAPD_CONF.format(folder=folder, suffix=SUFFIX, root_dn=ROOT_DN,
                                      root_password=ROOT_PASSWORD))
    _certificates(folder)
    port, tls_port = _free_port(), _free_port()
    url, ldaps_url = f"ldap://127.0.0.1:{port}", f"ldaps://127.0.0.1:{tls_port}"
    # -d 0: stay in the foreground (a child of this process), logging nothing.
    process = subprocess.Popen([binary, "-f", str(conf), "-h", f"{url}/ {ldaps_url}/", "-d", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, process)
        _wait_for(tls_port, process)
        subprocess.run([ldapadd, "-x", "-H", url, "-D", ROOT_DN, "-w", ROOT_PASSWORD,
                        "-f", str(DATA / "directory.ldif")],
                       check=True, capture_output=True, timeout=30)
        yield Slapd(url=url, ldaps_url=ldaps_url, ca_file=str(folder / "ca.pem"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def ldap_settings(slapd, settings):
    """Phare pointed at the test server: searches as the service account under ou=people,
    groups from memberOf, the unit from departmentNumber; sync off."""
    settings.PHARE_LDAP_URL = slapd.url
    settings.PHARE_LDAP_START_TLS = False
    settings.PHARE_LDAP_CA_FILE = ""
    settings.PHARE_LDAP_TIMEOUT = 5
    settings.PHARE_LDAP_BIND_DN = SERVICE_DN
    settings.PHARE_LDAP_BIND_PASSWORD = SERVICE_PASSWORD
    settings.PHARE_LDAP_BASE_DN = PEOPLE_DN
    settings.PHARE_LDAP_USER_FILTER = "(|(uid={login})(mail={login})(sAMAccountName={login}))"
    settings.PHARE_LDAP_EMAIL_ATTRIBUTE = "mail"
    settings.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE = "employeeNumber"
    settings.PHARE_LDAP_GROUP_ATTRIBUTE = "memberOf"
    settings.PHARE_LDAP_GROUP_BASE_DN = ""
    settings.PHARE_LDAP_GROUP_FILTER = "(|(member={dn})(uniqueMember={dn}))"
    settings.PHARE_LDAP_FIRST_NAME_ATTRIBUTE = "givenName"
    settings.PHARE_LDAP_LAST_NAME_ATTRIBUTE = "sn"
    settings.PHARE_LDAP_LANGUAGE_ATTRIBUTE = "preferredLanguage"
    settings.PHARE_LDAP_MANAGER_ATTRIBUTE = "manager"
    settings.PHARE_LDAP_UNIT_FROM = "attribute:departmentNumber"
    settings.PHARE_LDAP_SYNC_FILTER = ""
    settings.PHARE_LDAP_SYNC_HOURS = 0
    return settings


@pytest.fixture
def unreachable_url() -> str:
    """An ldap:// address where nothing listens."""
    return f"ldap://127.0.0.1:{_free_port()}"
