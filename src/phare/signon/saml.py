"""SAML 2.0 sign-on (ADFS, Entra ID…) with pysaml2: Phare is the service provider.

Sign-in starts at Phare (SP-initiated, HTTP-Redirect binding to the identity provider); the
identity provider posts its answer to the assertion consumer service (HTTP-POST binding).
The answer is accepted only when:

- its assertion, or the response around it, is signed by a certificate of the identity
  provider's metadata (``PHARE_SAML_IDP_METADATA``), checked by Debian's ``xmlsec1``;
- it answers a request this browser made in the last :data:`REQUEST_MINUTES` minutes
  (``InResponseTo``; the ids travel in a signed cookie) and that request was not answered
  before (a replay is refused: :func:`consume` marks each id used, in the cache);
- its ``Destination`` and the bearer confirmation's ``Recipient`` are Phare's assertion
  consumer service, its audience is Phare's entity id, and it is within its validity
  (``NotBefore``/``NotOnOrAfter``, :data:`CLOCK_SKEW_SECONDS` allowed).

The person is then told as an :class:`~phare.signon.identity.Identity` (the NameID as
subject; email, employee id and groups from the attributes ``PHARE_SAML_*_ATTRIBUTE`` name)
and :func:`~phare.signon.identity.account_for` decides. SAML is off when no metadata is set.

An answer to no request (IdP-initiated sign-on, no ``InResponseTo``) is refused as
``unsolicited`` unless ``PHARE_SAML_ALLOW_UNSOLICITED``; then every check above holds but the
request's, and each assertion id is accepted once (:func:`consume_assertion`) while it is
valid. An answer naming a request of another browser stays refused. Single logout lives in
:mod:`phare.signon.saml_logout`.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from defusedxml import ElementTree
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from phare.lib import links
from phare.signon.identity import Identity

if TYPE_CHECKING:
    from saml2.config import SPConfig

# pysaml2 is imported where it is used: it takes a second or more to load (its XML schemas),
# which every Phare process would otherwise pay, SAML or not.

logger = logging.getLogger(__name__)

PROVIDER = "saml"
#: How long a sign-in request waits for the identity provider's answer.
REQUEST_MINUTES = 10
#: Clock difference tolerated between Phare and the identity provider.
CLOCK_SKEW_SECONDS = 90
#: Remote metadata (a URL) is fetched again after this long; a file when it changes.
METADATA_SECONDS = 3600
#: Seconds to wait for the identity provider's metadata URL.
METADATA_TIMEOUT = 10
#: Outstanding requests one browser keeps (sign-in started in a few tabs).
MAX_OUTSTANDING = 5


class SamlError(Exception):
    """An answer Phare does not accept (``reason`` is for the audit trail and the logs), or
    an identity provider it cannot reach."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    MESSAGES = {
        "unavailable": _("Phare cannot reach your organisation's identity provider right now. "
                         "Try again in a few minutes; if it lasts, tell the IT department."),
        "expired": _("Your sign-in took too long or was already used. Start again from the "
                     "sign-in page."),
    }
    MESSAGES["replayed"] = MESSAGES["expired"]

    @property
    def message(self) -> str:
        return str(self.MESSAGES.get(self.reason, _(
            "Phare could not verify the answer of your organisation's identity provider, "
            "so it did not sign you in. Start again from the sign-in page; if it happens "
            "again, tell the IT department.")))


def enabled() -> bool:
    return bool(settings.PHARE_SAML_IDP_METADATA)


def xmlsec_binary() -> str | None:
    return shutil.which("xmlsec1")


@dataclass(frozen=True)
class Urls:
    entity_id: str
    acs: str
    metadata: str
    sls: str


def urls(request: HttpRequest | None = None) -> Urls:
    """Phare's entity id and endpoints, as the identity provider knows them."""
    metadata = links.absolute(reverse("signon:saml_metadata"), request)
    return Urls(entity_id=settings.PHARE_SAML_SP_ENTITY_ID or metadata,
                acs=links.absolute(reverse("signon:saml_acs"), request), metadata=metadata,
                sls=links.absolute(reverse("signon:saml_sls"), request))


def _metadata_source(value: str) -> tuple[dict[str, Any], Any]:
    """pysaml2's metadata entry for a URL or a file, and what says it changed."""
    if value.startswith("https://"):
        return {"remote": [{"url": value}]}, int(time.time() // METADATA_SECONDS)
    path = Path(value).expanduser()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise SamlError("unavailable", f"PHARE_SAML_IDP_METADATA: cannot read {path}: {exc}"
                        ) from None
    return {"local": [str(path)]}, stamp


_configs: dict[tuple[Any, ...], SPConfig] = {}
#: The last configuration that loaded, per everything but the metadata's stamp: kept when a
#: metadata URL cannot be read again (until the next attempt, METADATA_SECONDS later).
_last_good: dict[tuple[Any, ...], SPConfig] = {}
_configs_lock = threading.Lock()


def config(request: HttpRequest | None = None) -> SPConfig:
    """The service provider's pysaml2 configuration, kept while nothing it reads changes
    (the identity provider's metadata is read once, not at every sign-in)."""
    binary = xmlsec_binary()
    if binary is None:
        raise SamlError("unavailable", "the xmlsec1 program is not installed")
    where = urls(request)
    metadata, stamp = _metadata_source(settings.PHARE_SAML_IDP_METADATA)
    key_file, cert_file = settings.PHARE_SAML_SP_KEY_FILE, settings.PHARE_SAML_SP_CERT_FILE
    same_settings = (where, settings.PHARE_SAML_IDP_METADATA, key_file, cert_file, binary,
                     settings.PHARE_SAML_ALLOW_UNSOLICITED)
    cache_key = (*same_settings, stamp)
    with _configs_lock:
        found = _configs.get(cache_key)
    if found is not None:
        return found
    try:
        sp = _load(where, metadata, key_file, cert_file, binary,
                   settings.PHARE_SAML_ALLOW_UNSOLICITED)
    except SamlError:
        with _configs_lock:
            previous = _last_good.get(same_settings)
            if previous is None or "remote" not in metadata:
                raise
            logger.warning("SAML: the identity provider's metadata could not be read again; "
                           "the copy read before is used until the next attempt")
            _configs[cache_key] = previous
        return previous
    with _configs_lock:
        if len(_configs) > 8:
            _configs.clear()
            _last_good.clear()
        _configs[cache_key] = _last_good[same_settings] = sp
    return sp


def _load(where: Urls, metadata: dict[str, Any], key_file: str, cert_file: str,
          binary: str, allow_unsolicited: bool) -> SPConfig:
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import SPConfig
    from saml2.saml import NAMEID_FORMAT_UNSPECIFIED

    signing = bool(key_file and cert_file)
    conf: dict[str, Any] = {
        "entityid": where.entity_id,
        "xmlsec_binary": binary,
        "metadata": metadata,
        "http_client_timeout": METADATA_TIMEOUT,
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
        "service": {"sp": {
            "name": "Phare",
            "endpoints": {"assertion_consumer_service": [(where.acs, BINDING_HTTP_POST)],
                          "single_logout_service": [(where.sls, BINDING_HTTP_REDIRECT),
                                                    (where.sls, BINDING_HTTP_POST)]},
            # Unsolicited answers pass pysaml2 only when allowed; verify() still refuses an
            # answer to a request of another browser.
            "allow_unsolicited": allow_unsolicited,
            "logout_requests_signed": signing,
            # ADFS signs the assertion, Entra ID the assertion or the response: either will
            # do, never neither.
            "want_assertions_signed": False,
            "want_response_signed": False,
            "want_assertions_or_response_signed": True,
            "authn_requests_signed": signing,
            "name_id_format": [NAMEID_FORMAT_UNSPECIFIED],
            "name_id_format_allow_create": True,
        }},
    }
    if signing:
        conf.update(key_file=key_file, cert_file=cert_file,
                    encryption_keypairs=[{"key_file": key_file, "cert_file": cert_file}])
    sp = SPConfig()
    try:
        sp.load(conf)
    except Exception as exc:  # pysaml2 raises whatever its readers raise
        logger.exception("SAML: cannot load the identity provider's metadata")
        raise SamlError("unavailable", f"metadata: {exc}") from exc
    if not sp.metadata.identity_providers():
        raise SamlError("unavailable", "PHARE_SAML_IDP_METADATA describes no identity provider")
    return sp


def metadata_xml(request: HttpRequest | None = None) -> bytes:
    """Phare's service provider metadata, for the identity provider to read."""
    from saml2.metadata import create_metadata_string

    conf = config(request)
    text = create_metadata_string("", config=conf, sign=False)
    return text if isinstance(text, bytes) else text.encode()


def start(request: HttpRequest, relay_state: str = "") -> tuple[str, str]:
    """A new authentication request: its id and the identity provider's address to send the
    browser to."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client

    conf = config(request)
    client = Saml2Client(config=conf)
    idp = conf.metadata.identity_providers()[0]
    request_id, info = client.prepare_for_authenticate(
        entityid=idp, relay_state=relay_state, binding=BINDING_HTTP_REDIRECT)
    location = dict(info["headers"])["Location"]
    return request_id, location


def consume(request_id: str) -> bool:
    """Mark a request answered; False when it already was (a replayed answer)."""
    return bool(cache.add(f"phare:saml:answered:{request_id}", 1,
                          timeout=(REQUEST_MINUTES + 5) * 60))


def consume_assertion(answer: Any) -> bool:
    """Mark an unsolicited answer's assertion used; False when it already was (a replay).
    Kept while the assertion is valid, so that no copy of it is ever accepted again."""
    conditions = answer.assertion.conditions
    seconds = float(REQUEST_MINUTES * 60)
    if conditions is not None and conditions.not_on_or_after:
        from saml2 import time_util

        end = calendar.timegm(time_util.str_to_time(conditions.not_on_or_after))
        seconds = max(seconds, end - time.time())
    issuer = answer.assertion.issuer.text if answer.assertion.issuer is not None else ""
    key = hashlib.sha256(f"{issuer}\n{answer.assertion.id}".encode()).hexdigest()
    return bool(cache.add(f"phare:saml:assertion:{key}", 1,
                          timeout=int(seconds) + 2 * CLOCK_SKEW_SECONDS))


@dataclass(frozen=True)
class Verified:
    """An answer Phare accepts: who, the request it answers ("" when unsolicited), and what
    single logout needs of the identity provider's session."""

    identity: Identity
    request_id: str
    idp: str
    name_id: str  # pysaml2's code() of the NameID, as a logout request must repeat it
    session_index: str


def verify(request: HttpRequest, saml_response: str, outstanding: dict[str, str]) -> Verified:
    """What a posted ``SAMLResponse`` vouches for; SamlError when it is not acceptable.
    ``outstanding`` maps this browser's unanswered request ids to where each sign-in should
    land."""
    from saml2 import BINDING_HTTP_POST
    from saml2.client import Saml2Client

    if not saml_response:
        raise SamlError("missing", "no SAMLResponse was posted")
    conf = config(request)
    client = Saml2Client(config=conf)
    where = urls(request)
    try:
        # conv_info makes pysaml2 check the bearer confirmation's Recipient (without it,
        # any recipient passes); the subject's address is not checked (proxies change it).
        answer = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=dict(outstanding),
            conv_info={"remote_addr": "0.0.0.0"})
    except Exception as exc:  # pysaml2 signals each refusal with its own exception class
        logger.warning("SAML answer refused: %s: %s", type(exc).__name__, exc)
        reason = _reason(exc)
        raise SamlError(_diagnosis(saml_response, where) if reason == "invalid" else reason,
                        f"{type(exc).__name__}: {exc}") from exc
    if answer is None or answer.assertion is None:
        raise SamlError(_diagnosis(saml_response, where), "no acceptable assertion")
    request_id = answer.in_response_to or ""
    if not request_id and settings.PHARE_SAML_ALLOW_UNSOLICITED:
        pass  # IdP-initiated, allowed: the assertion is made usable once by the caller
    elif request_id not in outstanding:
        raise SamlError("unsolicited", f"InResponseTo {request_id!r} is not a request of "
                        "this browser")
    if answer.response.destination != where.acs:
        raise SamlError("destination", f"Destination {answer.response.destination!r} is not "
                        f"{where.acs}")
    conditions = answer.assertion.conditions
    audiences = {audience.text.strip() for restriction in
                 (conditions.audience_restriction if conditions else [])
                 for audience in restriction.audience if audience.text}
    if where.entity_id not in audiences:
        raise SamlError("audience", f"audience {sorted(audiences)} is not {where.entity_id}")
    if not request_id and not consume_assertion(answer):
        raise SamlError("replayed", f"assertion {answer.assertion.id} was already used")
    from saml2.ident import code

    session_index = next((str(statement.session_index) for statement
                          in answer.assertion.authn_statement if statement.session_index), "")
    return Verified(identity=identity_of(answer), request_id=request_id,
                    idp=str(answer.issuer() or ""),
                    name_id=code(answer.name_id) if answer.name_id is not None else "",
                    session_index=session_index)


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc)
    if "Signature" in name or "Signed" in name or "signed" in text.lower():
        return "signature"
    if "Lifetime" in name or "ToEarly" in name or "TooEarly" in name:
        return "expired"
    if "Unsolicited" in name or "don't recall" in text:
        return "unsolicited"
    if "Audience" in text:
        return "audience"
    if "recipient" in text.lower() or "destination" in text.lower():
        return "destination"
    if "Status" in name:
        return "status"
    return "invalid"


def _diagnosis(saml_response: str, where: Urls) -> str:
    """Why pysaml2 refused an answer when it does not say (``Condition not OK``): read again,
    only to name the reason in the audit trail. "invalid" when nothing stands out."""
    from saml2 import time_util

    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=False))
    except Exception:  # not base64, not XML, or XML that defusedxml forbids
        return "invalid"
    destination = root.get("Destination")
    if destination is not None and destination != where.acs:
        return "destination"
    now = time.time()
    for element in root.iter():
        for attribute in ("NotOnOrAfter", "SessionNotOnOrAfter", "NotBefore"):
            value = element.get(attribute)
            if not value:
                continue
            try:
                moment = calendar.timegm(time_util.str_to_time(value))
            except ValueError:
                return "invalid"
            if attribute == "NotBefore" and moment > now + CLOCK_SKEW_SECONDS:
                return "not_yet_valid"
            if attribute != "NotBefore" and moment <= now - CLOCK_SKEW_SECONDS:
                return "expired"
    return "invalid"


def _attributes(answer: Any) -> dict[str, list[str]]:
    """Every attribute of the assertion under its name (and its friendly name), values as
    text: read from the assertion itself, so that the names are the identity provider's
    (pysaml2's converters would rename some claim URIs)."""
    found: dict[str, list[str]] = {}
    for statement in answer.assertion.attribute_statement:
        for attribute in statement.attribute:
            values = [str(v.text).strip() for v in attribute.attribute_value
                      if v.text is not None and str(v.text).strip()]
            for name in {attribute.name, attribute.friendly_name} - {None, ""}:
                found.setdefault(str(name).casefold(), []).extend(values)
    return found


def _first(attributes: dict[str, list[str]], names: list[str]) -> str:
    for name in names:
        values = attributes.get(name.casefold())
        if values:
            return values[0]
    return ""


def identity_of(answer: Any) -> Identity:
    """The Identity of a verified answer: NameID as subject, attributes as configured."""
    from saml2.saml import NAMEID_FORMAT_EMAILADDRESS

    attributes = _attributes(answer)
    name_id = answer.name_id
    subject = str(name_id.text).strip() if name_id is not None and name_id.text else ""
    email = _first(attributes, settings.PHARE_SAML_EMAIL_ATTRIBUTE)
    if not email and name_id is not None and name_id.format == NAMEID_FORMAT_EMAILADDRESS:
        email = subject
    groups: list[str] = []
    for name in settings.PHARE_SAML_GROUPS_ATTRIBUTE:
        groups.extend(g for g in attributes.get(name.casefold(), []) if g not in groups)
    return Identity(provider=PROVIDER, subject=subject, email=email,
                    employee_id=_first(attributes, settings.PHARE_SAML_EMPLOYEE_ID_ATTRIBUTE),
                    groups=tuple(groups))
