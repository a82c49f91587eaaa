"""The employee portal: offer families, search, service pages."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import EVERYONE
from phare.catalog import access, queries
from phare.catalog.search import search_services


def _person(request: SignedInRequest):
    return request.user.person if request.user.person_id else None


@allow(EVERYONE)
def home(request: SignedInRequest) -> HttpResponse:
    context = queries.portal_home(_person(request), family=request.GET.get("family", "")[:40])
    return render(request, "catalog/portal_home.html", context)


@allow(EVERYONE)
def search(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    hits = search_services(query, within=access.services_visible_to(request.user),
                           language=get_language()) if query else []
    context = {"q": query, "hits": hits,
               "desk": queries.service_desk(request.user) if query and not hits else None}
    template = "catalog/_search_results.html" if request.htmx else "catalog/search.html"
    return render(request, template, context)


@allow(EVERYONE)
def service(request: SignedInRequest, slug: str) -> HttpResponse:
    found = queries.service_page(request.user, slug)
    if found is None:
        # Not "forbidden": a service outside one's audience does not exist for them.
        raise Http404
    context = {
        "service": found,
        "on_portal": access.portal_services(_person(request)).filter(pk=found.pk).exists(),
        "related": queries.related_visible(request.user, found),
        "replacement": queries.replacement_visible(request.user, found),
        "can_edit": access.can_edit(request.user, found),
        # Results about the service: for those who read results, and its owner.
        "value_card_url": (reverse("insights:value_card", args=[found.slug])
                           if access.can_see_value_card(request.user, found) else ""),
    }
    return render(request, "catalog/service.html", context)
