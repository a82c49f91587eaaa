"""The pages a campaign email's links open (under ``/m/``): a click's redirect, unsubscribing
from the action's category, registering to an event, and the open pixel.

Email security scanners open every link of an email, so opening the unsubscribe or the
registration link never records anything: a GET only asks (or says what is already recorded),
the confirming POST records. The one exception is the mail program's one-click unsubscribe
(RFC 8058): a POST of ``List-Unsubscribe=One-Click`` without a cookie, hence without a CSRF
token. The token in the link is the authority; nobody signs in. Each page speaks the email's
language (or the one chosen on it), its refusals too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from phare.accounts.policy import public
from phare.comms import emails
from phare.comms.models import Action, Delivery
from phare.comms.services import tracking
from phare.comms.services.tracking import TrackingError
from phare.contact import policy as contact_policy
from phare.contact.models import Category

T = "comms/public/"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
#: The body a mail program POSTs to the List-Unsubscribe link (RFC 8058).
ONE_CLICK = ("List-Unsubscribe", "One-Click")
#: A transparent GIF of one pixel.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
         b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _language(request: HttpRequest, delivery: Delivery | None) -> str:
    """The FR/EN switch of the page, else the email's language."""
    chosen = request.GET.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if delivery is not None and delivery.language in LANGUAGES:
        return delivery.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _private(response: HttpResponse) -> HttpResponse:
    # The link's token must not leak to other sites, nor the page to search engines.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, delivery: Delivery | None, template: str,
          context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    language = _language(request, delivery)
    names = dict(settings.LANGUAGES)
    with translation.override(language):
        context.update({
            "delivery": delivery, "action": delivery.action if delivery else None,
            "language_links": [{"code": code, "name": names[code], "current": code == language,
                                "url": "?" + urlencode({"lang": code})} for code in LANGUAGES],
        })
        response = render(request, T + template, context, status=status)
    response["Content-Language"] = language
    return _private(response)


def _unknown(request: HttpRequest) -> HttpResponse:
    return _page(request, None, "unknown.html", {}, status=404)


def _category_label(action: Action) -> str:
    """The category's name in the active language (call it under the page's language)."""
    return (str(Category(action.category).label) if action.category in Category.values
            else action.category)


# --- Clicks -----------------------------------------------------------------------------------

@public
@never_cache
@require_http_methods(["GET", "HEAD"])
def click(request: HttpRequest, token: str, link_id: int) -> HttpResponse:
    """A link of a person's email: counted (the first time), then on to its address."""
    url = tracking.click(token=token, link_id=link_id, count=request.method == "GET")
    if url is None:
        return _unknown(request)
    return _private(HttpResponseRedirect(url))


@public
@never_cache
@require_http_methods(["GET", "HEAD"])
def link(request: HttpRequest, link_id: int) -> HttpResponse:
    """A link counted only in total (individual tracking off), then on to its address."""
    url = tracking.click_anonymous(link_id=link_id, count=request.method == "GET")
    if url is None:
        return _unknown(request)
    return _private(HttpResponseRedirect(url))


@public
@never_cache
@require_http_methods(["GET", "HEAD"])
def pixel(request: HttpRequest, token: str) -> HttpResponse:
    """The open pixel (counted only when ``PHARE_COMMS_OPEN_PIXEL`` is on)."""
    if request.method == "GET":
        tracking.record_open(token=token)
    return _private(HttpResponse(PIXEL, content_type="image/gif"))


# --- Unsubscribe ------------------------------------------------------------------------------

@public
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Leaving the action's category: a GET only asks; a POST records (or undoes).

    Only the mail program's one-click POST goes without a CSRF token: it carries no cookie,
    and the unguessable token in the URL is the authority. The page's form keeps it.
    """
    if request.method == "POST" and request.POST.get(ONE_CLICK[0]) == ONE_CLICK[1]:
        delivery = tracking.find_delivery(token)
        if delivery is None:
            return _private(HttpResponse(status=404))
        with translation.override(delivery.language):
            try:
                tracking.unsubscribe(token=token)
            except TrackingError as exc:
                return _private(HttpResponse(exc.message, status=400,
                                             content_type="text/plain; charset=utf-8"))
            text = translation.gettext("You are unsubscribed.")
        return _private(HttpResponse(text, content_type="text/plain; charset=utf-8"))
    return _unsubscribe_form(request, token)


@csrf_protect
def _unsubscribe_form(request: HttpRequest, token: str) -> HttpResponse:
    delivery = tracking.find_delivery(token)
    if delivery is None:
        return _unknown(request)
    # The category's name and the errors' words in the page's language, not the request's.
    with translation.override(_language(request, delivery)):
        return _unsubscribe_page(request, delivery, token)


def _unsubscribe_page(request: HttpRequest, delivery: Delivery, token: str) -> HttpResponse:
    action = delivery.action
    context: dict[str, Any] = {"category": _category_label(action), "state": "ask"}
    if not tracking.can_unsubscribe(action):
        context["state"] = "mandatory"
        return _page(request, delivery, "unsubscribe.html", context)
    if request.method == "POST":
        undo = request.POST.get("action") == "undo"
        try:
            if undo:
                tracking.resubscribe(token=token)
            else:
                tracking.unsubscribe(token=token)
        except TrackingError as exc:
            context.update(state="error", error=exc.message)
            return _page(request, delivery, "unsubscribe.html", context, status=400)
        context["state"] = "undone" if undo else "done"
    elif delivery.person_id in contact_policy.opted_out([delivery.person_id],
                                                        category=action.category):
        # Already left (the link opened again, or the page switched to the other language):
        # said so, with the undo, rather than asked again.
        context["state"] = "done"
    return _page(request, delivery, "unsubscribe.html", context)


# --- Registration -----------------------------------------------------------------------------

@public
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, token: str) -> HttpResponse:
    """Registering to an event: a GET only asks (or says the person is registered); a POST
    registers, or cancels."""
    delivery = tracking.find_delivery(token)
    if delivery is None:
        return _unknown(request)
    # A refusal's words in the page's language, not the request's.
    with translation.override(_language(request, delivery)):
        return _register_page(request, delivery)


def _register_page(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    action, person = delivery.action, delivery.person
    status, error = 200, ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                tracking.cancel_registration(action=action, person=person)
                state = "cancelled"
            else:
                tracking.register(action=action, person=person)
                state = "registered"
        except TrackingError as exc:
            state, error, status = "refused", exc.message, 409
    else:
        state = "registered" if tracking.registration_of(action, person) else "ask"
    # Whether seats are left, never how many: that would count the people registered.
    full = action.capacity is not None and tracking.seats_taken(action) >= action.capacity
    # The event as the invitation named it, in the page's language (the action's title is
    # the plan's working name, in one language).
    name = emails.preview(action, language=_language(request, delivery), person=person).subject
    return _page(request, delivery, "register.html",
                 {"state": state, "error": error, "full": full, "name": name or action.title},
                 status=status)
