"""Signing out at the identity provider too, once Phare's own session has ended.

At sign-in, what the provider's logout will need is kept in the session: the ID token (OpenID
Connect) or the NameID and session index (SAML; the session's key is also listed under that
NameID, so that a logout the identity provider starts can end it from any browser).

At sign-out, accounts' view asks ``accounts.signals.signing_out`` where the browser goes once
the local session has ended; :func:`provider_logout` answers for the sessions a provider
opened: the OpenID provider's ``end_session_endpoint`` (with ``id_token_hint``,
``post_logout_redirect_uri`` and a ``state``), or the SAML identity provider's single logout
service with a signed LogoutRequest, through Phare's "leaving" page (a form's redirects may
not leave Phare's address under its Content-Security-Policy). Password sessions, a provider
that publishes no logout address, or one that cannot be reached: None, and the sign-out is
Phare's alone (the local session ends in every case). The ``state`` (or the LogoutRequest's
id) is remembered for :data:`PENDING_MINUTES`, so that the signed-out page can tell that the
provider signed the person out too.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from phare.lib import links
from phare.signon import oidc, saml, saml_logout
from phare.signon.backends import OIDC_BACKEND, SAML_BACKEND

log = logging.getLogger(__name__)

#: Session keys: the ID token of an OpenID Connect sign-in; the SAML session's details.
OIDC_ID_TOKEN = "signon_oidc_id_token"
SAML_SESSION = "signon_saml"
#: How long a logout at the provider may take before its return is no longer recognised.
PENDING_MINUTES = 10


def remember_oidc(request: HttpRequest, id_token: str) -> None:
    """Keep the ID token of the sign-in that just happened, for its ``id_token_hint``."""
    if id_token:
        request.session[OIDC_ID_TOKEN] = id_token


def remember_saml(request: HttpRequest, verified: saml.Verified) -> None:
    """Keep the SAML session of the sign-in that just happened, and list it under its NameID."""
    request.session[SAML_SESSION] = {"idp": verified.idp, "name_id": verified.name_id,
                                     "session_index": verified.session_index}
    request.session.save()  # the key is final only once saved
    key = saml_index(verified.idp, verified.name_id)
    sessions = [entry for entry in cache.get(key, []) if entry[0] != request.session.session_key]
    sessions.append([request.session.session_key, verified.session_index])
    cache.set(key, sessions[-20:], timeout=settings.SESSION_COOKIE_AGE)


def saml_index(idp: str, name_id: str) -> str:
    """The cache key listing the sessions ``idp`` opened for ``name_id``."""
    digest = hashlib.sha256(f"{idp}\n{name_id}".encode()).hexdigest()
    return f"phare:saml:sessions:{digest}"


def expect(token: str) -> None:
    """Remember a logout sent to the provider (its ``state`` or LogoutRequest id)."""
    cache.set(_pending(token), 1, timeout=PENDING_MINUTES * 60)


def returned(token: str) -> bool:
    """Whether ``token`` is a logout Phare sent and that has not come back before."""
    return bool(token) and bool(cache.delete(_pending(token)))


def _pending(token: str) -> str:
    return f"phare:signon:logout:{hashlib.sha256(token.encode()).hexdigest()}"


def signed_out_url(request: HttpRequest) -> str:
    """Phare's signed-out page, as an absolute address the provider may send the browser to."""
    return (settings.PHARE_OIDC_POST_LOGOUT_REDIRECT_URI
            or links.absolute(reverse("signon:signed_out"), request))


def provider_logout(sender: Any, request: HttpRequest, **kwargs: Any) -> str | None:
    """Where the browser goes after Phare's sign-out (``accounts.signals.signing_out``): for a
    session a provider opened, Phare's page that leads on to the provider's logout; else None.

    The sign-out is a form, and browsers hold a form's redirects to the page's
    ``form-action`` (Phare's own address only): the provider's address is kept for
    :func:`leave`, and Phare's "leaving" page (its own address) goes on from there."""
    destination = _provider_destination(request)
    if destination is None:
        return None
    token = secrets.token_urlsafe(24)
    cache.set(_leaving(token), destination, timeout=PENDING_MINUTES * 60)
    return reverse("signon:leaving", args=[token])


def leave(token: str) -> str | None:
    """The provider's logout address :func:`provider_logout` kept under ``token``, once."""
    key = _leaving(token)
    destination = cache.get(key)
    cache.delete(key)
    return destination if isinstance(destination, str) else None


def _leaving(token: str) -> str:
    return f"phare:signon:leaving:{hashlib.sha256(token.encode()).hexdigest()}"


def _provider_destination(request: HttpRequest) -> str | None:
    """The provider's logout address for this session, or None."""
    backend = request.session.get(BACKEND_SESSION_KEY)
    if backend == OIDC_BACKEND and oidc.enabled():
        state = secrets.token_urlsafe(24)
        url = oidc.end_session_url(request, str(request.session.get(OIDC_ID_TOKEN) or ""),
                                   state, signed_out_url(request))
        if url:
            expect(state)
        return url
    found = request.session.get(SAML_SESSION)
    if backend == SAML_BACKEND and saml.enabled() and isinstance(found, dict):
        try:
            started = saml_logout.start(request, name_id=str(found.get("name_id") or ""),
                                        session_index=str(found.get("session_index") or ""))
        except saml.SamlError as exc:
            log.warning("SAML sign-out: no logout at the identity provider: %s", exc)
            return None
        if started is None:
            return None
        request_id, location = started
        expect(request_id)
        return location
    return None
