"""SAML 2.0 single logout (pysaml2): Phare as the service provider.

- **SP-initiated**: at sign-out, :func:`start` makes a LogoutRequest for the person's NameID
  and session index, signed with Phare's key (``PHARE_SAML_SP_KEY_FILE``; identity providers
  refuse unsigned ones, so without a key there is no single logout), and sends it through the
  HTTP-Redirect binding to the single logout service of the identity provider's metadata
  (none there: no single logout). The identity provider answers at ``/signon/saml/sls/``;
  :func:`read_response` accepts the LogoutResponse only when it is signed by a certificate of
  the identity provider's metadata, comes from it, is addressed to Phare's endpoint and
  answers a LogoutRequest Phare sent and that was not answered before.
- **IdP-initiated**: a LogoutRequest arriving at the same endpoint, checked the same way (and
  not past its ``NotOnOrAfter``), ends every Phare session that identity provider opened for
  that NameID (:func:`phare.signon.services.saml_sessions_end`), and :func:`answer` sends the
  browser back with a LogoutResponse (signed when Phare has a key).

Both bindings are read (HTTP-Redirect, whose signature covers the query string as sent;
HTTP-POST, whose XML carries the signature); Phare sends through HTTP-Redirect only.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.http import HttpRequest

from phare.signon import saml

logger = logging.getLogger(__name__)

#: The signature algorithms of the HTTP-Redirect binding Phare accepts (SHA-1 is not one).
REDIRECT_ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}
SIGN_ALGORITHM = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
#: How long Phare's LogoutRequest is valid.
REQUEST_MINUTES = 5


def _client(request: HttpRequest) -> tuple[Any, str]:
    from saml2.client import Saml2Client

    conf = saml.config(request)
    return Saml2Client(config=conf), conf.metadata.identity_providers()[0]


def _slo_location(client: Any, idp: str, *, response: bool = False) -> str:
    from saml2 import BINDING_HTTP_REDIRECT

    services = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    if not services:
        return ""
    service = services[0]
    return str((response and service.get("response_location")) or service.get("location") or "")


def start(request: HttpRequest, *, name_id: str, session_index: str) -> tuple[str, str] | None:
    """A signed LogoutRequest for this SAML session: its id and the identity provider's
    address carrying it; None when Phare has no key or the identity provider no single logout
    service (HTTP-Redirect)."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.ident import decode
    from saml2.time_util import in_a_while

    if not (settings.PHARE_SAML_SP_KEY_FILE and settings.PHARE_SAML_SP_CERT_FILE) or not name_id:
        return None
    client, idp = _client(request)
    destination = _slo_location(client, idp)
    if not destination:
        return None
    request_id, message = client.create_logout_request(
        destination, idp, name_id=decode(name_id),
        session_indexes=[session_index] if session_index else None,
        expire=in_a_while(minutes=REQUEST_MINUTES), sign=False)
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(message), destination,
                                relay_state="", sign=True, sigalg=SIGN_ALGORITHM)
    return request_id, dict(info["headers"])["Location"]


@dataclass(frozen=True)
class Incoming:
    """A logout message the identity provider sent: its kind, its text (base64, as sent), its
    binding, and the RelayState."""

    kind: str  # "SAMLRequest" or "SAMLResponse"
    text: str
    binding: str
    relay_state: str


def incoming(request: HttpRequest) -> Incoming | None:
    """The logout message of this request (query string or posted form), or None."""
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

    data, binding = ((request.POST, BINDING_HTTP_POST) if request.method == "POST"
                     else (request.GET, BINDING_HTTP_REDIRECT))
    for kind in ("SAMLResponse", "SAMLRequest"):
        if data.get(kind):
            return Incoming(kind, str(data[kind]), binding, str(data.get("RelayState") or ""))
    return None


def _raw_query_signature_ok(query: str, kind: str, certificates: list[str]) -> bool:
    """Whether the HTTP-Redirect binding's signature of ``query`` (as it arrived: the
    signature covers the encoded text) is one of ``certificates``' (base64 DER)."""
    raw: dict[str, str] = {}
    for piece in query.split("&"):
        name, _, value = piece.partition("=")
        raw.setdefault(name, value)
    algorithm = REDIRECT_ALGORITHMS.get(unquote_plus(raw.get("SigAlg", "")))
    if kind not in raw or "Signature" not in raw or algorithm is None:
        return False
    signed = "&".join(f"{name}={raw[name]}" for name in (kind, "RelayState", "SigAlg")
                      if name in raw).encode("ascii")
    try:
        signature = base64.b64decode(unquote_plus(raw["Signature"]), validate=True)
    except (binascii.Error, ValueError):
        return False
    for text in certificates:
        try:
            key = x509.load_der_x509_certificate(base64.b64decode("".join(text.split()))
                                                 ).public_key()
        except (binascii.Error, ValueError):
            continue
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature, signed, padding.PKCS1v15(), algorithm())
        except InvalidSignature:
            continue
        return True
    return False


def _check_signature(request: HttpRequest, client: Any, idp: str, message: Incoming) -> None:
    from saml2 import BINDING_HTTP_REDIRECT

    if message.binding == BINDING_HTTP_REDIRECT:
        certificates = [cert for _name, cert in client.metadata.certs(idp, "idpsso", "signing")]
        if not _raw_query_signature_ok(request.META.get("QUERY_STRING", ""), message.kind,
                                       certificates):
            raise saml.SamlError("signature", "the query string is not signed by the "
                                 "identity provider (RSA-SHA256 or stronger)")
        return
    response = message.kind == "SAMLResponse"
    try:
        xml = client.unravel(message.text, message.binding,
                             "logout_response" if response else "logout_request")
        check = (client.sec.correctly_signed_logout_response if response
                 else client.sec.correctly_signed_logout_request)
        check(xml, must=True)
    except Exception as exc:  # pysaml2 signals a bad or missing signature its own ways
        raise saml.SamlError("signature", f"{type(exc).__name__}: {exc}") from exc


def _issuer_is(found: Any, idp: str) -> None:
    issuer = found.issuer.text.strip() if found.issuer is not None and found.issuer.text else ""
    if issuer != idp:
        raise saml.SamlError("invalid", f"issued by {issuer!r}, not the identity provider "
                             f"{idp!r}")


def _destination_is(found: Any, where: saml.Urls) -> None:
    if found.destination and found.destination != where.sls:
        raise saml.SamlError("destination", f"Destination {found.destination!r} is not "
                             f"{where.sls}")


def _checked(request: HttpRequest, message: Incoming, kind: str,
             parse: Callable[[str], Any]) -> tuple[Any, str]:
    """The identity provider's message of ``kind`` (``logout_request`` or ``logout_response``),
    its signature checked, then parsed (None when it is another element), and the provider."""
    client, idp = _client(request)
    _check_signature(request, client, idp, message)
    try:
        return parse(client.unravel(message.text, message.binding, kind)), idp
    except Exception as exc:  # not base64, not deflated, not XML
        raise saml.SamlError("invalid", f"{type(exc).__name__}: {exc}") from exc


def _addressed(request: HttpRequest, found: Any, idp: str) -> None:
    """From that provider, to this Phare: SamlError otherwise."""
    _issuer_is(found, idp)
    _destination_is(found, saml.urls(request))


def read_response(request: HttpRequest, message: Incoming) -> tuple[str, bool]:
    """The LogoutRequest id a checked LogoutResponse answers, and whether the identity provider
    says the logout succeeded; SamlError when the answer cannot be trusted."""
    from saml2.samlp import STATUS_SUCCESS, logout_response_from_string

    found, idp = _checked(request, message, "logout_response", logout_response_from_string)
    if found is None:
        raise saml.SamlError("invalid", "not a LogoutResponse")
    _addressed(request, found, idp)
    status = found.status.status_code.value if found.status and found.status.status_code else ""
    return str(found.in_response_to or ""), status == STATUS_SUCCESS


@dataclass(frozen=True)
class LogoutAsked:
    """A checked LogoutRequest of the identity provider."""

    message: Any  # pysaml2's LogoutRequest
    idp: str
    name_id: str  # code() of its NameID
    session_indexes: list[str]


def read_request(request: HttpRequest, message: Incoming) -> LogoutAsked:
    """A checked LogoutRequest; SamlError when it cannot be trusted or has expired."""
    from saml2 import time_util
    from saml2.ident import code
    from saml2.samlp import logout_request_from_string

    found, idp = _checked(request, message, "logout_request", logout_request_from_string)
    if found is None or found.name_id is None:
        raise saml.SamlError("invalid", "not a LogoutRequest naming a NameID")
    _addressed(request, found, idp)
    if found.not_on_or_after:
        try:
            end = calendar.timegm(time_util.str_to_time(found.not_on_or_after))
        except ValueError as exc:
            raise saml.SamlError("invalid", f"NotOnOrAfter: {exc}") from exc
        if end <= time.time() - saml.CLOCK_SKEW_SECONDS:
            raise saml.SamlError("expired", f"NotOnOrAfter {found.not_on_or_after} is past")
    indexes = [str(index.text).strip() for index in found.session_index or [] if index.text]
    return LogoutAsked(found, idp, code(found.name_id), indexes)


def answer(request: HttpRequest, asked: LogoutAsked, relay_state: str) -> str:
    """The identity provider's address carrying Phare's LogoutResponse (success), through the
    HTTP-Redirect binding; signed when Phare has a key."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.samlp import STATUS_SUCCESS, Status, StatusCode

    client, idp = _client(request)
    destination = _slo_location(client, idp, response=True)
    if not destination:
        raise saml.SamlError("unavailable", "the identity provider's metadata has no single "
                             "logout service (HTTP-Redirect) to answer to")
    status = Status(status_code=StatusCode(value=STATUS_SUCCESS))
    response = client.create_logout_response(asked.message, bindings=[BINDING_HTTP_REDIRECT],
                                             status=status, sign=False)
    signing = bool(settings.PHARE_SAML_SP_KEY_FILE and settings.PHARE_SAML_SP_CERT_FILE)
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(response), destination,
                                relay_state=relay_state, response=True, sign=signing,
                                sigalg=SIGN_ALGORITHM)
    return str(dict(info["headers"])["Location"])
