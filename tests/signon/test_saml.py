"""SAML 2.0 sign-on against a local identity provider built from the same library (pysaml2's
``Server``), with its own key and certificate made here: the whole SP-initiated round trip,
and every answer Phare must refuse.

Skipped with the reason when Debian's ``xmlsec1`` is missing, unless ``PHARE_REQUIRE_SAML=1``
(CI), in which case the tests fail.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import os
import runpy
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from saml2 import BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
from saml2.server import Server

import phare
from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.signon import saml as phare_saml
from phare.signon.backends import SAML_BACKEND
from tests.directory.factories import make_org, make_person
from tests.signon.factories import sign_out

BASE = "https://phare.example"
ENTITY_ID = f"{BASE}/signon/saml/metadata/"
ACS = f"{BASE}/signon/saml/acs/"
IDP_ID = "https://adfs.example/adfs/services/trust"
IDP_SSO = "https://adfs.example/adfs/ls/"
IDP_SLO = "https://adfs.example/adfs/ls/?wa=wsignout1.0"
SLS = f"{BASE}/signon/saml/sls/"
SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
EMPLOYEE_ID = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"
AUTHN = {"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": IDP_ID}


def _xmlsec_missing() -> str | None:
    if shutil.which("xmlsec1") is None:
        return "Debian's xmlsec1 is not installed (apt-get install xmlsec1)"
    return None


@dataclass(frozen=True)
class KeyPair:
    key: Path
    cert: Path


def _key_pair(folder: Path, name: str, ip: str = "") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ip or name)])
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30)))
    if ip:  # a web server's certificate, for https://<ip>/
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
            critical=False)
    cert = builder.sign(key, hashes.SHA256())
    pair = KeyPair(folder / f"{name}.key", folder / f"{name}.crt")
    pair.key.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


@dataclass(frozen=True)
class Pki:
    folder: Path
    idp: KeyPair
    rogue: KeyPair  # the same identity provider's name, another key
    sp: KeyPair
    idp_metadata: Path


def _idp_config(pair: KeyPair, sp_metadata: str | None = None,
                lifetime_minutes: int = 15, strict: bool = False) -> IdPConfig:
    conf = IdPConfig()
    conf.load({
        "entityid": IDP_ID,
        "xmlsec_binary": shutil.which("xmlsec1"),
        "key_file": str(pair.key), "cert_file": str(pair.cert),
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        "service": {"idp": {
            # strict: requests (sign-in and logout) must be signed, as ADFS wants them
            "want_authn_requests_signed": strict,
            "endpoints": {"single_sign_on_service": [(IDP_SSO, BINDING_HTTP_REDIRECT)],
                          "single_logout_service": [(IDP_SLO, BINDING_HTTP_REDIRECT)]},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "policy": {"default": {"lifetime": {"minutes": lifetime_minutes},
                                   "name_form": NAME_FORMAT_URI}},
        }},
    })
    return conf


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Pki:
    """Keys and certificates made once for the module, and the identity provider's metadata."""
    reason = _xmlsec_missing()
    if reason:
        if os.environ.get("PHARE_REQUIRE_SAML") == "1":
            pytest.fail(f"PHARE_REQUIRE_SAML=1 but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("saml")
    idp = _key_pair(folder, "idp")
    metadata = folder / "idp-metadata.xml"
    metadata.write_bytes(create_metadata_string("", config=_idp_config(idp), sign=False))
    return Pki(folder, idp, _key_pair(folder, "rogue"), _key_pair(folder, "sp"), metadata)


class MetadataServer:
    """The identity provider's metadata over https (a certificate of its own, trusted through
    REQUESTS_CA_BUNDLE), answering 503 while ``down``."""

    def __init__(self, pki: Pki) -> None:
        self.tls = _key_pair(pki.folder, "web", ip="127.0.0.1")
        self.down = False
        body = pki.idp_metadata.read_bytes()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — the standard library's name
                self.send_response(503 if server.down else 200)
                self.end_headers()
                if not server.down:
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.tls.cert, self.tls.key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/FederationMetadata.xml"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def metadata_server(pki) -> Iterator[MetadataServer]:
    server = MetadataServer(pki)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def sp(pki, settings, db):
    """Phare configured as the local identity provider's service provider."""
    settings.PHARE_BASE_URL = BASE
    settings.PHARE_BASE_URL_GIVEN = True
    settings.PHARE_SAML_IDP_METADATA = str(pki.idp_metadata)
    settings.PHARE_SAML_SP_ENTITY_ID = ""
    settings.PHARE_SAML_SP_KEY_FILE = settings.PHARE_SAML_SP_CERT_FILE = ""
    settings.PHARE_SAML_EMAIL_ATTRIBUTE = [EMAIL]
    settings.PHARE_SAML_EMPLOYEE_ID_ATTRIBUTE = [EMPLOYEE_ID]
    settings.PHARE_SAML_GROUPS_ATTRIBUTE = [GROUPS, ROLE]
    settings.PHARE_SSO_ROLE_GROUPS = {}
    return settings


class LocalIdP:
    """An identity provider answering Phare's requests as ADFS would."""

    def __init__(self, pair: KeyPair, *, lifetime_minutes: int = 15,
                 strict: bool = False) -> None:
        metadata = Client().get(reverse("signon:saml_metadata")).content.decode()
        self.server = Server(config=_idp_config(pair, metadata, lifetime_minutes, strict))

    def request_id(self, location: str) -> str:
        query = parse_qs(urlsplit(location).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0],
                                                  BINDING_HTTP_REDIRECT)
        assert request.message.assertion_consumer_service_url in (None, ACS)
        return request.message.id

    def answer(self, in_response_to: str | None, *, attributes: dict[str, list[str]],
               subject: str = "adfs-subject-1", sign_assertion: bool = True,
               sign_response: bool = False, audience: str = ENTITY_ID,
               destination: str = ACS, **kwargs: Any) -> str:
        response = self.server.create_authn_response(
            identity=attributes, in_response_to=in_response_to, destination=destination,
            sp_entity_id=audience, authn=AUTHN,
            name_id=saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject,
                                name_qualifier=IDP_ID, sp_name_qualifier=ENTITY_ID),
            sign_assertion=sign_assertion, sign_response=sign_response, **kwargs)
        return base64.b64encode(str(response).encode()).decode()


@pytest.fixture
def idp(sp, pki) -> LocalIdP:
    return LocalIdP(pki.idp)


@pytest.fixture
def org(db):
    return make_org()


def start(client: Client, next_url: str = "", **extra: Any) -> str:
    response = client.get(reverse("signon:saml_login"), {"next": next_url} if next_url else {},
                          **extra)
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(IDP_SSO)
    return response["Location"]


def post(client: Client, saml_response: str, relay_state: str = "", **extra: Any):
    data = {"SAMLResponse": saml_response, **({"RelayState": relay_state} if relay_state else {})}
    return client.post(reverse("signon:saml_acs"), data, **extra)


def signed_in(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def alice_attributes() -> dict[str, list[str]]:
    return {EMAIL: ["Alice.Martin@example.com"], GROUPS: ["Staff"], ROLE: ["Phare Marketing"]}


def failures() -> list[dict[str, Any]]:
    return [e.details for e in
            Entry.objects.filter(action=Action.SIGNIN_FAILED.value).order_by("pk")]


# The round trip --------------------------------------------------------------------------


def test_a_directory_person_signs_in_through_the_identity_provider(idp, org, client, sp):
    sp.PHARE_SSO_ROLE_GROUPS = {"marketing": ("Phare Marketing",)}
    alice = make_person(org, "E1", "Alice", "Martin")
    location = start(client, next_url="/catalogue/")
    response = post(client, idp.answer(idp.request_id(location), attributes=alice_attributes()))
    assert response.status_code == 302 and response["Location"] == "/catalogue/"
    user = signed_in(client)
    assert user is not None and (user.person, user.role) == (alice, Role.MARKETING)
    assert client.session["_auth_user_backend"] == SAML_BACKEND
    entry = Entry.objects.get(action=Action.SIGNIN.value)
    assert entry.actor_id == user.pk and entry.details["backend"] == SAML_BACKEND
    assert client.get("/catalogue/").status_code == 200
    # The answered request is forgotten: the cookie no longer holds it.
    assert not client.cookies["phare_saml"].value


def test_the_employee_id_attribute_finds_the_person_first(idp, org, client):
    make_person(org, "E1", "Alice", "Martin")
    bob = make_person(org, "E2", "Bob", "Durand")
    location = start(client)
    attributes = {**alice_attributes(), EMPLOYEE_ID: ["E2"]}
    response = post(client, idp.answer(idp.request_id(location), attributes=attributes))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user = signed_in(client)
    assert user is not None and user.person == bob


def test_a_signed_response_around_an_unsigned_assertion_is_accepted(idp, org, client):
    """Entra ID may sign the response rather than the assertion."""
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    post(client, idp.answer(idp.request_id(location), attributes=alice_attributes(),
                            sign_assertion=False, sign_response=True))
    assert signed_in(client) is not None


def test_an_encrypted_assertion_is_read_with_phares_key(idp, pki, sp, org, client):
    sp.PHARE_SAML_SP_KEY_FILE, sp.PHARE_SAML_SP_CERT_FILE = str(pki.sp.key), str(pki.sp.cert)
    metadata = client.get(reverse("signon:saml_metadata")).content.decode()
    assert 'use="encryption"' in metadata and 'AuthnRequestsSigned="true"' in metadata
    idp = LocalIdP(pki.idp)
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    assert "Signature=" in location  # the request is signed with Phare's key
    post(client, idp.answer(idp.request_id(location), attributes=alice_attributes(),
                            encrypt_assertion=True, encrypt_cert_assertion=pki.sp.cert
                            .read_text()))
    assert signed_in(client) is not None


def test_an_encrypted_but_unsigned_assertion_is_refused(pki, sp, org, client):
    """Anyone can encrypt for Phare (its certificate is public): encryption proves nothing."""
    sp.PHARE_SAML_SP_KEY_FILE, sp.PHARE_SAML_SP_CERT_FILE = str(pki.sp.key), str(pki.sp.cert)
    idp = LocalIdP(pki.idp)
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    response = post(client, idp.answer(idp.request_id(location), attributes=alice_attributes(),
                                       sign_assertion=False, sign_response=False,
                                       encrypt_assertion=True,
                                       encrypt_cert_assertion=pki.sp.cert.read_text()))
    assert response.status_code == 403 and signed_in(client) is None
    assert [f["reason"] for f in failures()] == ["signature"]


def test_an_unsafe_next_address_lands_on_the_home_page(idp, org, client):
    make_person(org, "E1", "Alice", "Martin")
    location = start(client, next_url="https://evil.example/")
    response = post(client, idp.answer(idp.request_id(location), attributes=alice_attributes()))
    assert response["Location"] == reverse("core:home")


def test_the_cookie_of_the_request_travels_with_a_cross_site_post_on_https(sp, client):
    start(client)  # PHARE_BASE_URL is https://…
    cookie = client.cookies["phare_saml"]
    assert cookie["samesite"] == "None" and cookie["secure"] and cookie["httponly"]
    assert cookie["path"] == "/signon/saml/"
    # Plain http (a trial on a laptop): browsers would drop a SameSite=None cookie.
    sp.PHARE_BASE_URL = "http://127.0.0.1:8000"
    plain = Client()
    start(plain)
    assert plain.cookies["phare_saml"]["samesite"] == "Lax"
    assert not plain.cookies["phare_saml"]["secure"]


def test_metadata_read_from_an_https_url_is_kept_when_it_cannot_be_read_again(
        sp, metadata_server, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(metadata_server.tls.cert))
    sp.PHARE_SAML_IDP_METADATA = metadata_server.url
    metadata_server.down = True
    assert Client().get(reverse("signon:saml_login")).status_code == 503  # never read yet
    metadata_server.down = False
    start(Client())
    # An hour later the identity provider's server is down: the copy read before serves.
    metadata_server.down = True
    monkeypatch.setattr(phare_saml, "METADATA_SECONDS", phare_saml.METADATA_SECONDS + 1)
    try:
        start(Client())
    finally:
        metadata_server.down = False


# Refusals ---------------------------------------------------------------------------------


def test_someone_not_in_the_directory_is_refused_without_an_account(idp, org, client, english):
    location = start(client)
    response = post(client, idp.answer(idp.request_id(location), attributes={
        EMAIL: ["stranger@example.com"]}))
    assert response.status_code == 403
    assert "not in the organisation&#x27;s directory" in response.content.decode()
    assert signed_in(client) is None and not User.objects.exists()
    assert failures() == [{"provider": "saml", "reason": "not_in_directory",
                           "subject": "adfs-subject-1", "email": "stranger@example.com",
                           "employee_id": ""}]


#: Each answer, and the reason the audit trail records for its refusal.
BAD_ANSWERS: dict[str, tuple[dict[str, Any], str]] = {
    "unsigned": ({"sign_assertion": False, "sign_response": False}, "signature"),
    "expired": ({"lifetime_minutes": -10}, "expired"),
    "wrongly signed": ({"pair": "rogue"}, "signature"),
    "wrong audience": ({"audience": "https://other.example/saml/"}, "audience"),
    "wrong destination": ({"destination": "https://other.example/saml/acs/"}, "destination"),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_an_answer_that_does_not_check_out_is_refused(pki, sp, org, client, english, case):
    options, reason = dict(BAD_ANSWERS[case][0]), BAD_ANSWERS[case][1]
    pair = pki.rogue if options.pop("pair", "") == "rogue" else pki.idp
    idp = LocalIdP(pair, lifetime_minutes=options.pop("lifetime_minutes", 15))
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    response = post(client, idp.answer(idp.request_id(location), attributes=alice_attributes(),
                                       **options))
    assert response.status_code == 403
    assert escape(phare_saml.SamlError(reason).message) in response.content.decode()
    assert signed_in(client) is None and not User.objects.exists()
    (failure,) = failures()
    assert (failure["provider"], failure["reason"]) == ("saml", reason), failure


def test_a_replayed_answer_is_refused(idp, org, client):
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    cookie = client.cookies["phare_saml"].value
    answer = idp.answer(idp.request_id(location), attributes=alice_attributes())
    assert post(client, answer).status_code == 302
    # Again from the same browser: the request is no longer outstanding.
    client.logout()
    assert post(client, answer).status_code == 403 and signed_in(client) is None
    # From a browser holding the cookie as it was before the answer: already answered.
    thief = Client()
    thief.cookies["phare_saml"] = cookie
    assert post(thief, answer).status_code == 403 and signed_in(thief) is None
    assert [f["reason"] for f in failures()] == ["unsolicited", "replayed"]


def test_an_unsolicited_answer_or_one_for_another_browser_is_refused(idp, org, client):
    make_person(org, "E1", "Alice", "Martin")
    # Sent by the identity provider without a request (IdP-initiated).
    start(client)
    assert post(client, idp.answer(None, attributes=alice_attributes())).status_code == 403
    # Answering another browser's request (someone else's answer pushed to this browser).
    other = Client()
    answer = idp.answer(idp.request_id(start(other)), attributes=alice_attributes())
    assert post(client, answer).status_code == 403
    assert signed_in(client) is None and not User.objects.exists()
    assert [f["reason"] for f in failures()] == ["unsolicited", "unsolicited"]


def test_a_missing_or_garbled_answer_is_refused(idp, client):
    start(client)
    assert post(client, "").status_code == 403
    assert post(client, "bm90IHhtbA==").status_code == 403
    assert client.get(reverse("signon:saml_acs")).status_code == 405
    assert len(failures()) == 2


def test_saml_is_off_without_the_identity_providers_metadata(sp, client):
    sp.PHARE_SAML_IDP_METADATA = ""
    for name in ("saml_login", "saml_metadata"):
        assert client.get(reverse(f"signon:{name}")).status_code == 404
    assert post(client, "x").status_code == 404


def test_unreadable_metadata_says_the_provider_cannot_be_reached(sp, client, tmp_path):
    sp.PHARE_SAML_IDP_METADATA = str(tmp_path / "missing.xml")
    response = client.get(reverse("signon:saml_login"))
    assert response.status_code == 503 and not Entry.objects.exists()


def test_the_sign_in_page_offers_the_identity_provider(sp, client, english):
    sp.PHARE_SAML_LABEL = "ADFS Contoso"
    page = client.get(reverse("accounts:login"), {"next": "/catalogue/"}).content.decode()
    assert 'id="signon-saml"' in page and "Sign in with ADFS Contoso" in page
    assert f'href="{reverse("signon:saml_login")}?next=/catalogue/"' in page
    sp.PHARE_SAML_IDP_METADATA = ""
    assert 'id="signon-saml"' not in client.get(reverse("accounts:login")).content.decode()


# Pieces ------------------------------------------------------------------------------------


def test_metadata_tells_the_identity_provider_where_to_answer(sp, client):
    response = client.get(reverse("signon:saml_metadata"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    text = response.content.decode()
    assert f'entityID="{ENTITY_ID}"' in text and f'Location="{ACS}"' in text
    assert "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" in text
    assert 'WantAssertionsSigned="true"' not in text  # either signature is enough
    sp.PHARE_SAML_SP_ENTITY_ID = "urn:phare:test"
    assert 'entityID="urn:phare:test"' in client.get(reverse("signon:saml_metadata")
                                                      ).content.decode()


def test_groups_come_from_every_configured_attribute_and_names_ignore_case(sp):
    assertion = saml.Assertion(attribute_statement=[saml.AttributeStatement(attribute=[
        saml.Attribute(name=EMAIL.upper(), attribute_value=[saml.AttributeValue(text="a@x.fr")]),
        saml.Attribute(name=GROUPS, attribute_value=[saml.AttributeValue(text="G1"),
                                                     saml.AttributeValue(text="G2")]),
        saml.Attribute(name="r", friendly_name=ROLE,
                       attribute_value=[saml.AttributeValue(text="G2"),
                                        saml.AttributeValue(text="Admins")]),
    ])])

    class Answer:
        name_id = saml.NameID(format=saml.NAMEID_FORMAT_EMAILADDRESS, text="nameid@x.fr")

    Answer.assertion = assertion  # type: ignore[attr-defined]
    identity = phare_saml.identity_of(Answer)
    assert (identity.provider, identity.subject, identity.email, identity.employee_id,
            identity.groups) == ("saml", "nameid@x.fr", "a@x.fr", "", ("G1", "G2", "Admins"))
    sp.PHARE_SAML_EMAIL_ATTRIBUTE = ["mail"]  # absent: the NameID, an email address, stands in
    assert phare_saml.identity_of(Answer).email == "nameid@x.fr"


def test_key_without_certificate_or_plain_http_metadata_stops_start_up(tmp_path):
    for variables, message in (
        ({"PHARE_SAML_SP_KEY_FILE": "/etc/phare/sp.key"}, "PHARE_SAML_SP_KEY_FILE and"),
        ({"PHARE_SAML_IDP_METADATA": "http://adfs.example/md.xml"},
         "PHARE_SAML_IDP_METADATA: expected a file or an https:// URL"),
    ):
        run = subprocess.run([sys.executable, "-c", "import phare.settings"],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PHARE_HOME": str(tmp_path), **variables})
        assert run.returncode != 0 and message in run.stderr


# IdP-initiated sign-on (PHARE_SAML_ALLOW_UNSOLICITED) ----------------------------------------


def test_an_unsolicited_answer_signs_in_once_when_allowed(idp, org, client, sp):
    sp.PHARE_SAML_ALLOW_UNSOLICITED = True
    alice = make_person(org, "E1", "Alice", "Martin")
    answer = idp.answer(None, attributes=alice_attributes())
    response = post(client, answer, relay_state="/catalogue/")
    assert response.status_code == 302 and response["Location"] == "/catalogue/"
    user = signed_in(client)
    assert user is not None and user.person == alice
    # The same assertion again, from this browser or another: replayed.
    client.logout()
    assert post(client, answer).status_code == 403 and signed_in(client) is None
    thief = Client()
    assert post(thief, answer).status_code == 403 and signed_in(thief) is None
    assert [f["reason"] for f in failures()] == ["replayed", "replayed"]


def test_an_unsolicited_answers_relay_state_goes_only_to_this_site(idp, org, client, sp):
    sp.PHARE_SAML_ALLOW_UNSOLICITED = True
    make_person(org, "E1", "Alice", "Martin")
    response = post(client, idp.answer(None, attributes=alice_attributes()),
                    relay_state="https://evil.example/phish")
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


#: Unsolicited answers that stay refused when allowed, with the reason recorded.
BAD_UNSOLICITED: dict[str, tuple[dict[str, Any], str]] = {
    "unsigned": ({"sign_assertion": False, "sign_response": False}, "signature"),
    "expired": ({"lifetime_minutes": -10}, "expired"),
    "wrongly signed": ({"pair": "rogue"}, "signature"),
    "wrong audience": ({"audience": "https://other.example/saml/"}, "audience"),
    "wrong destination": ({"destination": "https://other.example/saml/acs/"}, "destination"),
}


@pytest.mark.parametrize("case", BAD_UNSOLICITED)
def test_an_unsolicited_answer_that_does_not_check_out_is_refused_when_allowed(
        pki, sp, org, client, case):
    sp.PHARE_SAML_ALLOW_UNSOLICITED = True
    options, reason = dict(BAD_UNSOLICITED[case][0]), BAD_UNSOLICITED[case][1]
    pair = pki.rogue if options.pop("pair", "") == "rogue" else pki.idp
    idp = LocalIdP(pair, lifetime_minutes=options.pop("lifetime_minutes", 15))
    make_person(org, "E1", "Alice", "Martin")
    response = post(client, idp.answer(None, attributes=alice_attributes(), **options))
    assert response.status_code == 403 and signed_in(client) is None
    assert not User.objects.exists()
    assert [f["reason"] for f in failures()] == [reason]


def test_an_answer_to_another_browsers_request_stays_refused_when_allowed(idp, org, client, sp):
    sp.PHARE_SAML_ALLOW_UNSOLICITED = True
    make_person(org, "E1", "Alice", "Martin")
    other = Client()
    answer = idp.answer(idp.request_id(start(other)), attributes=alice_attributes())
    assert post(client, answer).status_code == 403 and signed_in(client) is None
    assert [f["reason"] for f in failures()] == ["unsolicited"]


def test_unsolicited_sign_on_is_off_unless_the_setting_says_so():
    assert load_settings()["PHARE_SAML_ALLOW_UNSOLICITED"] is False
    assert load_settings(PHARE_SAML_ALLOW_UNSOLICITED="yes")["PHARE_SAML_ALLOW_UNSOLICITED"]


# Single logout ----------------------------------------------------------------------------


def load_settings(**variables: str) -> dict[str, Any]:
    """The settings module run afresh with these variables (it has no side effect to undo)."""
    with mock.patch.dict(os.environ, variables):
        return runpy.run_path(str(Path(phare.__file__).resolve().parent / "settings.py"))


@pytest.fixture
def slo(pki, sp) -> LocalIdP:
    """Phare with its key (so it signs its logout requests) and an identity provider that
    wants every request signed."""
    sp.PHARE_SAML_SP_KEY_FILE, sp.PHARE_SAML_SP_CERT_FILE = str(pki.sp.key), str(pki.sp.cert)
    return LocalIdP(pki.idp, strict=True)


def sign_in(idp: LocalIdP, client: Client, **answer: Any) -> User:
    location = start(client)
    query = parse_qs(urlsplit(location).query)
    request = idp.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT,
                                             sigalg=query["SigAlg"][0],
                                             signature=query["Signature"][0])
    post(client, idp.answer(request.message.id, attributes=alice_attributes(), **answer))
    user = signed_in(client)
    assert user is not None
    return user


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def sls_path(location: str) -> str:
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == SLS
    return f"{parts.path}?{parts.query}"


def test_signing_out_sends_a_signed_logout_request_and_takes_the_answer(slo, org, client,
                                                                       english):
    make_person(org, "E1", "Alice", "Martin")
    sign_in(slo, client)
    destination = sign_out(client)
    assert signed_in(client) is None  # ended here first
    assert destination.startswith(IDP_SLO + "&SAMLRequest=")
    sent = query_of(destination)
    assert sent["SigAlg"] == SHA256
    # The identity provider checks Phare's signature (it refuses unsigned requests).
    asked = slo.server.parse_logout_request(sent["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                            sigalg=sent["SigAlg"], signature=sent["Signature"])
    assert asked.message.name_id.text == "adfs-subject-1"
    assert [i.text for i in asked.message.session_index]  # the session it opened
    answer = slo.server.create_logout_response(asked.message, [BINDING_HTTP_REDIRECT],
                                               sign=False)
    back = slo.server.apply_binding(BINDING_HTTP_REDIRECT, str(answer), SLS, "", response=True,
                                    sign=True, sigalg=SHA256)
    landing = client.get(sls_path(dict(back["headers"])["Location"]))
    assert landing.status_code == 200
    assert "signed out of Phare and of your organisation" in landing.content.decode().replace(
        "&#x27;", "'")
    # The same answer again: not a logout Phare waits for.
    assert client.get(sls_path(dict(back["headers"])["Location"])).status_code == 403


def test_an_unsigned_or_forged_logout_answer_is_refused(slo, pki, org, client):
    make_person(org, "E1", "Alice", "Martin")
    sign_in(slo, client)
    sent = query_of(sign_out(client))
    asked = slo.server.parse_logout_request(sent["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                            sigalg=sent["SigAlg"], signature=sent["Signature"])
    answer = str(slo.server.create_logout_response(asked.message, [BINDING_HTTP_REDIRECT],
                                                   sign=False))
    unsigned = slo.server.apply_binding(BINDING_HTTP_REDIRECT, answer, SLS, "", response=True,
                                        sign=False)
    assert client.get(sls_path(dict(unsigned["headers"])["Location"])).status_code == 403
    rogue = LocalIdP(pki.rogue)
    forged = rogue.server.apply_binding(BINDING_HTTP_REDIRECT, answer, SLS, "", response=True,
                                        sign=True, sigalg=SHA256)
    assert client.get(sls_path(dict(forged["headers"])["Location"])).status_code == 403
    # SHA-1 is not accepted, even signed by the right key.
    weak = slo.server.apply_binding(BINDING_HTTP_REDIRECT, answer, SLS, "", response=True,
                                    sign=True,
                                    sigalg="http://www.w3.org/2000/09/xmldsig#rsa-sha1")
    assert client.get(sls_path(dict(weak["headers"])["Location"])).status_code == 403


def test_a_logout_the_identity_provider_starts_ends_the_persons_session(slo, org, client):
    make_person(org, "E1", "Alice", "Martin")
    user = sign_in(slo, client)
    name_id = saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text="adfs-subject-1",
                          name_qualifier=IDP_ID, sp_name_qualifier=ENTITY_ID)
    request_id, request = slo.server.create_logout_request(SLS, ENTITY_ID, name_id=name_id,
                                                           sign=False)
    sent = slo.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), SLS, "relay-1",
                                    sign=True, sigalg=SHA256)
    # Another browser carries it (a front-channel logout need not bring Phare's cookie).
    other = Client()
    response = other.get(sls_path(dict(sent["headers"])["Location"]))
    assert response.status_code == 302 and response["Location"].startswith(IDP_SLO + "&")
    answer = query_of(response["Location"])
    assert answer["RelayState"] == "relay-1" and answer["SigAlg"] == SHA256
    parsed = slo.server.parse_logout_request_response(answer["SAMLResponse"],
                                                      BINDING_HTTP_REDIRECT)
    assert parsed.response.in_response_to == request_id
    assert parsed.response.status.status_code.value == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert signed_in(client) is None  # the session Alice opened is gone
    assert client.get("/").status_code == 302
    assert User.objects.get(pk=user.pk).is_active  # only the session ended


def test_an_unsigned_logout_request_ends_nothing(slo, org, client):
    make_person(org, "E1", "Alice", "Martin")
    sign_in(slo, client)
    name_id = saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text="adfs-subject-1",
                          name_qualifier=IDP_ID, sp_name_qualifier=ENTITY_ID)
    _id, request = slo.server.create_logout_request(SLS, ENTITY_ID, name_id=name_id, sign=False)
    sent = slo.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), SLS, "", sign=False)
    assert Client().get(sls_path(dict(sent["headers"])["Location"])).status_code == 403
    assert signed_in(client) is not None


def test_an_expired_logout_request_ends_nothing(slo, org, client):
    make_person(org, "E1", "Alice", "Martin")
    sign_in(slo, client)
    name_id = saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text="adfs-subject-1",
                          name_qualifier=IDP_ID, sp_name_qualifier=ENTITY_ID)
    _id, request = slo.server.create_logout_request(
        SLS, ENTITY_ID, name_id=name_id, sign=False, expire="2020-01-01T00:00:00Z")
    sent = slo.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), SLS, "", sign=True,
                                    sigalg=SHA256)
    assert Client().get(sls_path(dict(sent["headers"])["Location"])).status_code == 403
    assert signed_in(client) is not None


def test_without_a_key_signing_out_is_phares_alone(idp, org, client):
    make_person(org, "E1", "Alice", "Martin")
    location = start(client)
    post(client, idp.answer(idp.request_id(location), attributes=alice_attributes()))
    assert signed_in(client) is not None
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login") and signed_in(client) is None


def test_the_logout_endpoint_wants_a_message(sp, client):
    assert client.get(reverse("signon:saml_sls")).status_code == 400
    metadata = client.get(reverse("signon:saml_metadata")).content.decode()
    assert "SingleLogoutService" in metadata and f'Location="{SLS}"' in metadata


def test_a_logout_request_posted_with_a_signed_xml_ends_the_session(slo, org, client):
    make_person(org, "E1", "Alice", "Martin")
    sign_in(slo, client)
    name_id = saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text="adfs-subject-1",
                          name_qualifier=IDP_ID, sp_name_qualifier=ENTITY_ID)
    unsigned = slo.server.create_logout_request(SLS, ENTITY_ID, name_id=name_id, sign=False)[1]
    refused = Client().post(reverse("signon:saml_sls"), {
        "SAMLRequest": base64.b64encode(str(unsigned).encode()).decode()})
    assert refused.status_code == 403 and signed_in(client) is not None
    _id, signed = slo.server.create_logout_request(SLS, ENTITY_ID, name_id=name_id, sign=True,
                                                   sign_alg=SHA256)
    response = Client().post(reverse("signon:saml_sls"), {
        "SAMLRequest": base64.b64encode(str(signed).encode()).decode(), "RelayState": "r"})
    assert response.status_code == 302 and response["Location"].startswith(IDP_SLO + "&")
    assert signed_in(client) is None
