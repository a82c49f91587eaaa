"""Insights pages: the list of dashboards, the barometer, the ticket experience (and a ticket
survey's results on its management page), a service's value card and the verbatim explorer.

Each view parses its filters with a form (:mod:`phare.insights.forms`), keeps to what the
reader may see (:mod:`phare.insights.access`), calls one dashboard module and renders.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import INSIGHTS_READERS, INSIGHTS_VIEWERS, SURVEY_MANAGERS
from phare.insights import access, figures, queries
from phare.insights.barometer import barometer as barometer_data
from phare.insights.forms import BarometerFilterForm, TicketFilterForm, VerbatimForm
from phare.insights.tickets import TicketFilters, experience, ticket_surveys
from phare.insights.value import value_card as build_value_card
from phare.insights.verbatims import explore, surveys_with_comments
from phare.lib.charts import csv_download
from phare.listening.models import Survey


@allow(INSIGHTS_VIEWERS)
def home(request: SignedInRequest) -> HttpResponse:
    """The dashboards; the barometers only for those who read every survey's results."""
    barometers = (queries.barometers(access.visible_surveys(request.user))
                  if access.reads_everything(request.user) else None)
    return render(request, "insights/home.html", {"barometers": barometers})


@allow(INSIGHTS_READERS)
def barometer(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(access.visible_surveys(request.user), slug=slug,
                               kind=Survey.Kind.BAROMETER)
    form = BarometerFilterForm(request.GET or None, choices=queries.filter_choices(survey))
    data = barometer_data(survey, form.filters())
    charts = figures.barometer_charts(data, queries.segment_names())
    download = csv_download(request, charts.all())
    if download is not None:
        return download
    context = {"survey": survey, "form": form, "data": data, "charts": charts}
    template = "insights/_barometer_body.html" if request.htmx else "insights/barometer.html"
    return render(request, template, context)


@allow(INSIGHTS_VIEWERS)
def ticket_experience(request: SignedInRequest) -> HttpResponse:
    """Ticket experience; a service owner sees the tickets of their own services only."""
    form = TicketFilterForm.for_reader(request.GET, request.user)
    data = experience(ticket_surveys(), form.filters())
    charts = figures.ticket_charts(data, queries.ticket_names())
    download = csv_download(request, charts.all())
    if download is not None:
        return download
    context = {"data": data, "charts": charts, "form": form,
               "restricted": not access.reads_everything(request.user)}
    template = "insights/_tickets_body.html" if request.htmx else "insights/tickets.html"
    return render(request, template, context)


@allow(SURVEY_MANAGERS | INSIGHTS_VIEWERS)
def ticket_summary(request: SignedInRequest, slug: str) -> HttpResponse:
    """A ticket survey's results, the fragment its management page loads with htmx: the
    figures of the ticket experience page, from the same computation (:func:`experience`)."""
    survey = get_object_or_404(Survey, slug=slug, kind=Survey.Kind.TRANSACTIONAL)
    scope = access.ticket_summary_scope(request.user)
    data = experience([survey], TicketFilters(scope=scope))
    return render(request, "insights/_ticket_summary.html",
                  {"data": data, "restricted": scope is not None})


@allow(INSIGHTS_VIEWERS)
def value_card(request: SignedInRequest, slug: str) -> HttpResponse:
    """A catalogue service's value card (a fragment the service page loads with htmx)."""
    service = access.card_service(request.user, slug)
    if service is None:
        raise Http404
    if not access.may_see_value_card(request.user, service):
        raise PermissionDenied
    card = build_value_card(service)
    trend = figures.card_trend(card)
    download = csv_download(request, [trend] if trend is not None else [])
    if download is not None:
        return download
    return render(request, "insights/_value_card.html", {"card": card, "trend_chart": trend})


@allow(INSIGHTS_READERS)
def verbatims(request: SignedInRequest) -> HttpResponse:
    """Comments, filtered; shown only from the verbatim threshold on, never with an author."""
    surveys = {s.slug: s for s in surveys_with_comments(access.visible_surveys(request.user))}
    form = VerbatimForm(request.GET, surveys=[(slug, s.title) for slug, s in surveys.items()],
                        segments=queries.filter_choices_all())
    result = None
    if form.is_valid():
        result = explore(surveys[form.cleaned_data["survey"]], form.filters(),
                         page=form.cleaned_data["page"])
        form.offer_themes([(t["id"], t["label"]) for t in result.themes])
    template = "insights/_verbatims_body.html" if request.htmx else "insights/verbatims.html"
    return render(request, template, {"form": form, "result": result})
