"""OpenID Connect sign-on: the authorization code flow with PKCE, state and nonce (Authlib).

Off while ``PHARE_OIDC_ISSUER`` is empty. When set, the provider's settings are read from
``<issuer>/.well-known/openid-configuration`` (once per process; the signing keys again when
a token names a key Phare has not seen, as providers rotate them), and:

1. :func:`start` sends the browser to the provider's authorization endpoint with a random
   ``state`` (against cross-site requests), a ``nonce`` (against replayed tokens) and a PKCE
   challenge (S256; its verifier stays in Phare's session), all kept in the session;
2. the provider sends the browser back to ``/signon/oidc/callback/``; :func:`finish` checks the
   ``state`` against the session, trades the code (with the PKCE verifier and the client
   secret, when there is one) for tokens, and checks the ID token: its signature against the
   provider's published keys (JWKS), and ``iss`` (the configured issuer), ``aud`` (Phare's
   client id), ``exp`` (a minute of clock skew allowed) and ``nonce``. Anything wrong raises
   :class:`SignInFailed`: nobody is signed in;
3. the claims become an :class:`~phare.signon.identity.Identity` (the email, employee id and
   groups claims are settings; claims the ID token lacks are asked of the userinfo endpoint;
   an email the provider says is not verified is not used), which
   :func:`phare.signon.services.sign_in` turns into an account, or a refusal. When Entra ID
   leaves the groups out for being too many (``_claim_names``), they are asked of Microsoft
   Graph with the access token (:mod:`phare.signon.graph`); if Graph fails, the identity says
   its groups are unavailable and the role stays as it was;
4. the ID token is kept in the session, for :func:`end_session_url`: at sign-out, when the
   provider publishes an ``end_session_endpoint``, the browser goes there with the token as
   ``id_token_hint``, ``post_logout_redirect_uri`` (Phare's signed-out page) and a ``state``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from phare.signon import graph
from phare.signon.identity import Identity

log = logging.getLogger(__name__)

PROVIDER = "oidc"
#: Seconds of clock difference with the provider tolerated on ``exp``/``iat``.
LEEWAY = 60
#: Seconds to wait for the provider's endpoints.
TIMEOUT = 10
#: Where the discovery document lives, under the issuer.
DISCOVERY = "/.well-known/openid-configuration"


class SignInFailed(Exception):
    """The provider's answer cannot be trusted or used: ``reason`` (kept in the audit trail)
    says why, ``message`` tells the person; ``detail`` is for the log and the audit trail."""

    MESSAGES = {
        "unavailable": _("Phare cannot reach the organisation's identity provider right now. "
                         "Try again in a few minutes; if it goes on, tell the IT department."),
        "denied": _("The identity provider did not sign you in (it answered: %(detail)s)."),
        "state": _("This sign-in was not started from this browser, or it took too long. "
                   "Start again from the sign-in page."),
        "invalid_token": _("The identity provider's answer could not be verified, so Phare "
                           "did not sign you in. Start again; if it goes on, tell the IT "
                           "department."),
    }
    STATUS = {"unavailable": 502, "denied": 403, "state": 400, "invalid_token": 403}

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def message(self) -> str:
        text = str(self.MESSAGES[self.reason])
        return text % {"detail": self.detail} if "%(detail)s" in text else text

    @property
    def status(self) -> int:
        return self.STATUS[self.reason]


def enabled() -> bool:
    return bool(settings.PHARE_OIDC_ISSUER)


@functools.lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, client_secret: str, scopes: str) -> DjangoOAuth2App:
    """One client per configuration, kept for the process (with the provider's metadata and
    keys, which it fetches on first use)."""
    client_kwargs: dict[str, Any] = {"scope": scopes, "code_challenge_method": "S256",
                                     "default_timeout": TIMEOUT}
    if not client_secret:
        client_kwargs["token_endpoint_auth_method"] = "none"
    return DjangoOAuth2App(
        DjangoIntegration(PROVIDER), name=PROVIDER, client_id=client_id,
        client_secret=client_secret or None, server_metadata_url=issuer + DISCOVERY,
        client_kwargs=client_kwargs)


def client() -> DjangoOAuth2App:
    return _client(settings.PHARE_OIDC_ISSUER, settings.PHARE_OIDC_CLIENT_ID,
                   settings.PHARE_OIDC_CLIENT_SECRET, " ".join(settings.PHARE_OIDC_SCOPES.split()))


def _metadata(app: DjangoOAuth2App) -> Mapping[str, Any]:
    """The provider's discovery document, checked to be the configured issuer's."""
    try:
        metadata = app.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed("unavailable", f"discovery: {exc}") from exc
    issuer = str(metadata.get("issuer") or "")
    if issuer.rstrip("/") != settings.PHARE_OIDC_ISSUER:
        raise SignInFailed("unavailable", f"the discovery document names the issuer {issuer!r}, "
                           f"not PHARE_OIDC_ISSUER {settings.PHARE_OIDC_ISSUER!r}")
    return metadata


def start(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE kept in
    the session)."""
    app = client()
    _metadata(app)
    try:
        return app.authorize_redirect(request, redirect_uri)
    except (requests.RequestException, RuntimeError) as exc:
        raise SignInFailed("unavailable", str(exc)) from exc


def finish(request: HttpRequest) -> tuple[Identity, str]:
    """Who the provider says signed in, from its answer at the callback, and the ID token
    (for the sign-out); or SignInFailed."""
    app = client()
    metadata = _metadata(app)
    if request.GET.get("error"):
        raise SignInFailed("denied", str(request.GET.get("error_description")
                                         or request.GET["error"])[:200])
    claims_options = {
        "iss": {"essential": True, "value": metadata["issuer"]},
        "aud": {"essential": True, "value": app.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }
    try:
        token = app.authorize_access_token(request, claims_options=claims_options,
                                           leeway=LEEWAY)
    except MismatchingStateError as exc:
        raise SignInFailed("state", "no sign-in with this state in the session") from exc
    except JoseError as exc:
        raise SignInFailed("invalid_token", f"{type(exc).__name__}: {exc}") from exc
    except AuthlibBaseError as exc:
        raise SignInFailed("denied", str(exc.description or exc.error)[:200]) from exc
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed("unavailable", f"token endpoint: {exc}") from exc
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("invalid_token", "the token endpoint sent no ID token")
    claims = dict(claims)
    wanted = [settings.PHARE_OIDC_EMAIL_CLAIM, settings.PHARE_OIDC_GROUPS_CLAIM,
              settings.PHARE_OIDC_EMPLOYEE_ID_CLAIM]
    if metadata.get("userinfo_endpoint") and any(c and c not in claims for c in wanted):
        claims = _with_userinfo(app, token, claims)
    identity = identity_from(claims)
    if graph.overage(claims, settings.PHARE_OIDC_GROUPS_CLAIM):
        try:
            groups = graph.member_groups(str(token.get("access_token") or ""))
        except graph.GraphFailed as exc:
            log.warning("OIDC groups overage: Microsoft Graph did not tell the groups: %s", exc)
            identity = dataclasses.replace(identity, groups_unavailable=str(exc))
        else:
            identity = dataclasses.replace(identity, groups=groups)
    return identity, str(token.get("id_token") or "")


def end_session_url(request: HttpRequest, id_token: str, state: str,
                    post_logout_redirect_uri: str) -> str | None:
    """The provider's logout address for the person of ``id_token`` (RP-initiated logout), or
    None when the provider publishes no ``end_session_endpoint`` or cannot be reached."""
    try:
        endpoint = str(_metadata(client()).get("end_session_endpoint") or "")
    except SignInFailed as exc:
        log.warning("OIDC sign-out: the provider's logout address is unknown: %s", exc)
        return None
    if not endpoint.startswith(("https://", "http://")):
        return None
    query = {"client_id": settings.PHARE_OIDC_CLIENT_ID,
             "post_logout_redirect_uri": post_logout_redirect_uri, "state": state}
    if id_token:
        query["id_token_hint"] = id_token
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)


def _with_userinfo(app: DjangoOAuth2App, token: Mapping[str, Any],
                   claims: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims completed by the userinfo endpoint's (for the same subject)."""
    try:
        extra = dict(app.userinfo(token=token))
    except (AuthlibBaseError, requests.RequestException, ValueError) as exc:
        log.warning("OIDC userinfo endpoint failed, using the ID token's claims only: %s", exc)
        return claims
    if extra.get("sub") != claims.get("sub"):
        log.warning("OIDC userinfo endpoint answered for another subject; not used")
        return claims
    return {**extra, **claims}


def identity_from(claims: Mapping[str, Any]) -> Identity:
    """The :class:`Identity` the claims describe, read through the claim-name settings."""
    email = _text(claims.get(settings.PHARE_OIDC_EMAIL_CLAIM))
    if claims.get("email_verified") is False and settings.PHARE_OIDC_EMAIL_CLAIM == "email":
        email = ""  # anyone may type an unverified address: never match on it
    employee_claim = settings.PHARE_OIDC_EMPLOYEE_ID_CLAIM
    employee_id = _text(claims.get(employee_claim)) if employee_claim else ""
    raw_groups = claims.get(settings.PHARE_OIDC_GROUPS_CLAIM) or ()
    if isinstance(raw_groups, str):
        raw_groups = (raw_groups,)
    groups = tuple(str(group) for group in raw_groups if isinstance(group, (str, int)))
    return Identity(provider=PROVIDER, subject=str(claims["sub"]), email=email,
                    employee_id=employee_id, groups=groups)


def _text(value: object) -> str:
    return str(value).strip() if isinstance(value, (str, int)) and value != "" else ""
