"""Sign-on pages: the start of a provider's sign-in, its callback, the refusal page, and the
signed-out page a provider's logout comes back to."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from phare.accounts.policy import public
from phare.lib.http import on_this_site
from phare.lib.links import absolute
from phare.signon import logout, oidc, services
from phare.signon.backends import OIDC_BACKEND
from phare.signon.identity import SignOnRefused

#: The session key holding where to go once signed in.
NEXT = "signon_next"


def safe_next(request: HttpRequest, target: str | None) -> str:
    """``target`` when it is a page of this site, else the home page."""
    return on_this_site(request, target) or resolve_url(settings.LOGIN_REDIRECT_URL)


def refusal(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    """The page of a sign-on that did not sign anyone in: why, and the way back."""
    return render(request, "signon/refused.html", {"title": title, "message": message},
                  status=status)


@public
@require_GET
def oidc_login(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    request.session[NEXT] = safe_next(request, request.GET.get("next"))
    try:
        return oidc.start(request, absolute(reverse("signon:oidc_callback"), request))
    except oidc.SignInFailed as failed:
        return _failed(request, failed)


@public
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    try:
        identity, id_token = oidc.finish(request)
    except oidc.SignInFailed as failed:
        services.record_failure(request, provider=oidc.PROVIDER, reason=failed.reason,
                                details={"detail": failed.detail[:500]})
        return _failed(request, failed)
    next_url = request.session.pop(NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL)
    try:
        services.sign_in(request, identity, backend=OIDC_BACKEND)
    except SignOnRefused as refused:
        return refusal(request, title=_("Phare did not let you in"), message=refused.message,
                       status=403)
    logout.remember_oidc(request, id_token)
    return HttpResponseRedirect(next_url)


@public
@require_GET
@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the browser lands after signing out at the identity provider too (its
    ``post_logout_redirect_uri``): the ``state`` Phare sent says whether it really did."""
    at_provider = logout.returned(str(request.GET.get("state") or ""))
    return render(request, "signon/signed_out.html", {"at_provider": at_provider})


def _failed(request: HttpRequest, failed: oidc.SignInFailed) -> HttpResponse:
    return refusal(request, title=_("Sign-in failed"), message=failed.message,
                   status=failed.status)


@public
@require_GET
@never_cache
def leaving(request: HttpRequest, token: str) -> HttpResponse:
    """Between Phare's sign-out and the provider's: a page of Phare's own that goes on to the
    provider's logout address kept under ``token`` (once; else the signed-out page)."""
    destination = logout.leave(token)
    if destination is None:
        return HttpResponseRedirect(reverse("signon:signed_out"))
    return render(request, "signon/leaving.html", {"destination": destination})
