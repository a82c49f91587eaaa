"""SAML 2.0 pages under /signon/saml/: start a sign-in, receive the answer, single logout,
Phare's metadata.

The ids of the requests this browser started travel in a signed cookie
(:data:`COOKIE`), not in the session: the identity provider posts its answer from another
site, and the session cookie (SameSite=Lax) does not come with such a post. The cookie
binds the answer to the browser that asked (someone else's answer, posted by a page of
theirs, is unsolicited here); :func:`phare.signon.saml.consume` makes each answer usable once.
"""

from __future__ import annotations

import logging
from typing import Literal

from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phare.accounts.policy import public
from phare.signon import logout, saml, saml_logout, services
from phare.signon.backends import SAML_BACKEND
from phare.signon.identity import SignOnRefused
from phare.signon.views import refusal, safe_next

logger = logging.getLogger(__name__)

#: The signed cookie of the sign-in requests this browser has not had answered yet.
COOKIE = "phare_saml"
SALT = "phare.signon.saml"


def _outstanding(request: HttpRequest) -> dict[str, str]:
    try:
        found = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT,
                              max_age=saml.REQUEST_MINUTES * 60)
    except (signing.BadSignature, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v) for k, v in found.items()}


def _set_outstanding(request: HttpRequest, response: HttpResponse,
                     outstanding: dict[str, str]) -> None:
    # The answer comes as a cross-site POST: only SameSite=None lets the cookie come with it,
    # and browsers keep such a cookie only when it is Secure (https, or localhost).
    secure = (request.is_secure() or settings.SESSION_COOKIE_SECURE
              or saml.urls(request).acs.startswith("https://"))
    samesite: Literal["None", "Lax"] = "None" if secure else "Lax"
    path = _cookie_path()
    if not outstanding:
        response.delete_cookie(COOKIE, path=path, samesite=samesite)
        return
    response.set_cookie(COOKIE, signing.dumps(outstanding, salt=SALT),
                        max_age=saml.REQUEST_MINUTES * 60, path=path, secure=secure,
                        httponly=True, samesite=samesite)


def _cookie_path() -> str:
    """/signon/saml/: the sign-in page and the assertion consumer service, nothing else."""
    return reverse("signon:saml_acs").rstrip("/").rsplit("/", 1)[0] + "/"


def _failed(request: HttpRequest, failed: saml.SamlError) -> HttpResponse:
    status = 503 if failed.reason == "unavailable" else 403
    return refusal(request, title=_("Sign-in failed"), message=failed.message, status=status)


def _enabled() -> None:
    if not saml.enabled():
        raise Http404("SAML sign-on is not configured")


@public
@require_GET
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider with a new authentication request."""
    _enabled()
    try:
        request_id, location = saml.start(request)
    except saml.SamlError as failed:
        logger.error("SAML sign-in cannot start: %s", failed)
        return _failed(request, failed)
    outstanding = _outstanding(request)
    outstanding[request_id] = safe_next(request, request.GET.get("next"))
    outstanding = dict(list(outstanding.items())[-saml.MAX_OUTSTANDING:])
    response = HttpResponseRedirect(location)
    _set_outstanding(request, response, outstanding)
    return response


@public
@csrf_exempt  # posted by the identity provider's page; the signed answer is the proof
@require_POST
@never_cache
def acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: check the posted answer, sign the person in."""
    _enabled()
    outstanding = _outstanding(request)
    try:
        verified = saml.verify(request, request.POST.get("SAMLResponse", ""), outstanding)
        request_id = verified.request_id
        if request_id and not saml.consume(request_id):
            raise saml.SamlError("replayed", f"request {request_id} was already answered")
    except saml.SamlError as failed:
        if failed.reason == "unavailable":
            logger.error("SAML answer cannot be checked: %s", failed)
        else:
            services.record_failure(request, provider=saml.PROVIDER, reason=failed.reason,
                                    details={"detail": failed.detail[:500]})
        return _failed(request, failed)
    if request_id:
        landing = outstanding.pop(request_id)
    else:  # IdP-initiated (PHARE_SAML_ALLOW_UNSOLICITED): RelayState, if a page of this site
        landing = safe_next(request, request.POST.get("RelayState"))
    try:
        services.sign_in(request, verified.identity, backend=SAML_BACKEND)
    except SignOnRefused as refused:  # recorded by sign_in
        response = refusal(request, title=_("Phare did not let you in"),
                           message=refused.message, status=403)
    else:
        logout.remember_saml(request, verified)
        response = HttpResponseRedirect(landing)
    _set_outstanding(request, response, outstanding)
    return response


@public
@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """Phare's service provider metadata, for the identity provider's administrators."""
    _enabled()
    try:
        text = saml.metadata_xml(request)
    except saml.SamlError as failed:
        logger.error("SAML metadata cannot be built: %s", failed)
        return _failed(request, failed)
    return HttpResponse(text, content_type="application/samlmetadata+xml")


@public
@csrf_exempt  # the identity provider's page may post; the signed message is the proof
@require_http_methods(["GET", "POST"])
@never_cache
def sls(request: HttpRequest) -> HttpResponse:
    """The single logout service: the identity provider's answer to Phare's LogoutRequest
    (the signed-out page), or its own LogoutRequest (the person's Phare sessions ended, and
    the browser sent back with Phare's answer)."""
    _enabled()
    message = saml_logout.incoming(request)
    if message is None:
        return refusal(request, title=_("Sign-out failed"), status=400, message=_(
            "This address takes the identity provider's sign-out messages only."))
    try:
        if message.kind == "SAMLResponse":
            request_id, success = saml_logout.read_response(request, message)
            if not logout.returned(request_id):
                raise saml.SamlError("unsolicited", f"InResponseTo {request_id!r} is not a "
                                     "logout Phare is waiting for")
            return render(request, "signon/signed_out.html", {"at_provider": success})
        asked = saml_logout.read_request(request, message)
        ended = services.saml_sessions_end(idp=asked.idp, name_id=asked.name_id,
                                           session_indexes=asked.session_indexes)
        mine = request.session.get(logout.SAML_SESSION)
        if isinstance(mine, dict) and mine.get("name_id") == asked.name_id:
            auth_logout(request)  # this browser's session, whatever the index said
        logger.info("SAML: the identity provider signed a person out (%s session(s) ended)",
                    ended)
        return HttpResponseRedirect(saml_logout.answer(request, asked, message.relay_state))
    except saml.SamlError as failed:
        logger.warning("SAML logout message refused: %s", failed)
        status = 503 if failed.reason == "unavailable" else 403
        return refusal(request, title=_("Sign-out failed"), status=status, message=_(
            "Phare could not verify the identity provider's sign-out message. Your Phare "
            "session, if any, is as it was: use “Log out” in Phare."))


#: Included by ``phare.signon.urls`` under ``saml/`` (names in its ``signon`` namespace).
urlpatterns = [
    path("login/", login_view, name="saml_login"),
    path("acs/", acs, name="saml_acs"),
    path("sls/", sls, name="saml_sls"),
    path("metadata/", metadata, name="saml_metadata"),
]
