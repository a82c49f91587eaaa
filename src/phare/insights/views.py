"""Insights pages: the overview, the barometer, the ticket experience (and a ticket survey's
results on its management page), a service's value card and the list of every card, the
verbatim explorer.

Each view parses its filters with a form (:mod:`phare.insights.forms`), keeps to what the
reader may see (:mod:`phare.insights.access`), asks :mod:`phare.insights.dashboards` for the
figures (computed once per state of the data) and renders, with the time of the data shown.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from phare.accounts.policy import SignedInRequest, allow, has_role
from phare.accounts.roles import INSIGHTS_READERS, INSIGHTS_VIEWERS, SURVEY_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import Target, record
from phare.insights import access, dashboards, overview, queries
from phare.insights.cards import cards_csv, sort_links
from phare.insights.forms import (
    BarometerFilterForm,
    CardSortForm,
    TicketFilterForm,
    VerbatimForm,
)
from phare.insights.value import sort_rows
from phare.insights.verbatims import surveys_with_comments
from phare.lib.charts import csv_download
from phare.lib.i18n import ordered_by
from phare.listening.models import Survey


def _manage(request: SignedInRequest, url_name: str, *args: str) -> str | None:
    """The survey's management page, for those who manage surveys."""
    return reverse(url_name, args=args or None) if has_role(request.user, SURVEY_MANAGERS) \
        else None


@allow(INSIGHTS_VIEWERS)
def home(request: SignedInRequest) -> HttpResponse:
    """The overview: headline figures, latest waves, the cards that changed most, every
    insights page (an owner: their figures and their value cards)."""
    found = overview.overview(request.user, timezone.localdate())
    return render(request, "insights/home.html",
                  {"overview": found, "barometers": found.barometers, "as_of": found.as_of,
                   "reads_everything": access.reads_everything(request.user)})


def _exported(request: SignedInRequest, download: HttpResponse, target: Target) -> HttpResponse:
    """The CSV of a page's figures, once the audit trail says who took which, with what
    filters."""
    filters = {name: value for name, value in request.GET.items() if name != "csv"}
    record(action=Action.EXPORT, actor=request.user, target=target,
           details={"format": "csv", "table": request.GET.get("csv", ""), "filters": filters})
    return download


@allow(INSIGHTS_READERS)
def barometer(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(access.visible_surveys(request.user), slug=slug,
                               kind=Survey.Kind.BAROMETER)
    form = BarometerFilterForm(request.GET or None, choices=queries.filter_choices(survey))
    page = dashboards.barometer(survey, form.filters())
    download = csv_download(request, page.charts.all())
    if download is not None:
        return _exported(request, download, survey)
    context = {"survey": survey, "form": form, "data": page.data, "charts": page.charts,
               "as_of": page.as_of, "manage_url": _manage(request, "listening:survey", slug)}
    template = "insights/_barometer_body.html" if request.htmx else "insights/barometer.html"
    return render(request, template, context)


@allow(INSIGHTS_VIEWERS)
def ticket_experience(request: SignedInRequest) -> HttpResponse:
    """Ticket experience; a service owner sees the tickets of their own services only."""
    form = TicketFilterForm.for_reader(request.GET, request.user)
    page = dashboards.tickets(form.filters())
    download = csv_download(request, page.charts.all())
    if download is not None:
        return _exported(request, download, ("insights.tickets", "", "Ticket experience"))
    context = {"data": page.data, "charts": page.charts, "form": form, "as_of": page.as_of,
               "restricted": not access.reads_everything(request.user),
               "manage_url": _manage(request, "tickets:manage")}
    template = "insights/_tickets_body.html" if request.htmx else "insights/tickets.html"
    return render(request, template, context)


@allow(SURVEY_MANAGERS | INSIGHTS_VIEWERS)
def ticket_summary(request: SignedInRequest, slug: str) -> HttpResponse:
    """A ticket survey's results, the fragment its management page loads with htmx: the
    figures of the ticket experience page, from the same computation (:func:`experience`)."""
    survey = get_object_or_404(Survey, slug=slug, kind=Survey.Kind.TRANSACTIONAL)
    scope = access.ticket_summary_scope(request.user)
    summary = dashboards.ticket_summary(survey, scope)
    return render(request, "insights/_ticket_summary.html",
                  {"data": summary.data, "as_of": summary.as_of, "restricted": scope is not None})


@allow(INSIGHTS_VIEWERS)
def value_card(request: SignedInRequest, slug: str) -> HttpResponse:
    """A catalogue service's value card: the fragment the service page loads with htmx, or
    its own page (with its trends) when opened as a page."""
    service = access.card_service(request.user, slug)
    if service is None:
        raise Http404
    if not access.may_see_value_card(request.user, service):
        raise PermissionDenied
    page = dashboards.value_card(service)
    charts = [c for c in (page.trend, page.ticket_trend, page.usage_chart) if c is not None]
    download = csv_download(request, charts)
    if download is not None:
        return _exported(request, download, service)
    context: dict[str, Any] = {
        "card": page.card, "trend_chart": page.trend, "as_of": page.as_of, "usage": page.usage,
        "placement": page.placement, "usage_chart": page.usage_chart,
        "ticket_trend": page.ticket_trend, "standalone": not request.htmx}
    if not request.htmx:
        context["catalogue_url"] = (reverse("catalog:service", args=[service.slug])
                                    if access.in_catalogue(request.user, service) else "")
    template = "insights/_value_card.html" if request.htmx else "insights/value_card.html"
    return render(request, template, context)


@allow(INSIGHTS_VIEWERS)
def value_cards(request: SignedInRequest) -> HttpResponse:
    """Every value card the reader may see, in the order chosen (``?sort=``), with a CSV."""
    form = CardSortForm(request.GET)
    order = form.order()
    page = dashboards.value_cards(dashboards.listed_services(access.card_services(request.user)))
    rows = sort_rows(page.rows, order)
    if request.GET.get("csv") == "cards":
        return _exported(request, cards_csv(rows), ("insights.cards", "", "Value cards"))
    return render(request, "insights/cards.html",
                  {"form": form, "rows": rows, "sort": order, "as_of": page.as_of,
                   "columns": sort_links(order)})


@allow(INSIGHTS_VIEWERS)
def perception(request: SignedInRequest) -> HttpResponse:
    """Perception vs reality: adoption × satisfaction per service (owners: theirs only)."""
    page = dashboards.perception_map(list(access.visible_services(request.user)
                                          .order_by(ordered_by("name"))))
    download = csv_download(request, [page.chart] if page.chart is not None else [])
    if download is not None:
        return _exported(request, download, ("insights.perception", "", "Perception vs reality"))
    return render(request, "insights/perception.html",
                  {"points": page.points, "chart": page.chart, "as_of": page.as_of})


@allow(INSIGHTS_READERS)
def verbatims(request: SignedInRequest) -> HttpResponse:
    """Comments, filtered; shown only from the verbatim threshold on, never with an author."""
    surveys = {s.slug: s for s in surveys_with_comments(access.visible_surveys(request.user))}
    form = VerbatimForm(request.GET, surveys=[(slug, s.title) for slug, s in surveys.items()],
                        segments=queries.filter_choices_all())
    result, as_of = None, None
    if form.is_valid():
        page = dashboards.verbatims(surveys[form.cleaned_data["survey"]], form.filters(),
                                    form.cleaned_data["page"])
        result, as_of = page.result, page.as_of
        form.offer_themes([(t["id"], t["label"]) for t in result.themes])
    template = "insights/_verbatims_body.html" if request.htmx else "insights/verbatims.html"
    return render(request, template, {"form": form, "result": result, "as_of": as_of})
