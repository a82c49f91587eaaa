"""Insights pages: the list of dashboards and the barometer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from phare.accounts.policy import allow
from phare.accounts.roles import INSIGHTS_READERS, INSIGHTS_VIEWERS, Role
from phare.catalog.access import can_see_value_card, services_managed_by, services_visible_to
from phare.catalog.models import Service
from phare.insights import figures, queries
from phare.insights.barometer import barometer as barometer_data
from phare.insights.forms import BarometerFilters, VerbatimForm
from phare.insights.tickets import TicketFilters, experience, ticket_surveys
from phare.insights.value import value_card as build_value_card
from phare.insights.verbatims import explore
from phare.insights.verbatims import surveys_with_comments as verbatim_surveys
from phare.lib.charts import csv_download
from phare.listening.models import Survey, Ticket


@allow(INSIGHTS_VIEWERS)
def home(request: HttpRequest) -> HttpResponse:
    readers = request.user.role in INSIGHTS_READERS
    return render(request, "insights/home.html",
                  {"barometers": queries.barometers() if readers else None})


@allow(INSIGHTS_READERS)
def barometer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug, kind=Survey.Kind.BAROMETER)
    form = BarometerFilters(request.GET or None, choices=queries.filter_choices(survey))
    data = barometer_data(survey, form.filters())
    names = queries.segment_names()
    segment_titles = {"unit": _("Business unit"), "site": _("Site"),
                      "job_family": _("Job family")}
    segments = [figures.segment_chart(data, by, title, names[by])
                for by, title in segment_titles.items()]
    trend, ipa, drivers = (figures.nps_trend(data), figures.importance_chart(data),
                           figures.drivers_chart(data))
    charts = [c for c in (trend, *segments, ipa, drivers) if c is not None]
    download = csv_download(request, charts)
    if download is not None:
        return download
    context = {"survey": survey, "form": form, "data": data, "trend_chart": trend,
               "ipa_chart": ipa, "drivers_chart": drivers,
               "segment_charts": [c for c in segments if c is not None],
               "quadrants": figures.quadrant_lists(data)}
    template = "insights/_barometer_body.html" if request.htmx else "insights/barometer.html"
    return render(request, template, context)


@allow(INSIGHTS_VIEWERS)
def ticket_experience(request: HttpRequest) -> HttpResponse:
    """Ticket experience; a service owner sees the tickets of their own services only."""
    restricted = request.user.role == Role.OWNER
    own = tuple(services_managed_by(request.user).values_list("slug", flat=True))
    chosen_service = request.GET.get("service", "")
    scope = own if restricted else None
    if chosen_service and scope is not None and chosen_service not in scope:
        scope = ()  # not theirs: nothing
    filters = TicketFilters(services=(chosen_service,) if chosen_service else None,
                            scope=scope,
                            months=tuple(m for m in request.GET.getlist("month") if m),
                            channel=request.GET.get("channel", ""),
                            units=(queries.unit_and_descendants(request.GET["unit"])
                                   if request.GET.get("unit") else ()))
    data = experience(ticket_surveys(), filters)
    service_names = dict(Service.objects.values_list("slug", "name_fr"))
    titles = {"channel": _("Channel"), "category": _("Category"), "service": _("Service"),
              "assignment_group": _("Assignment group")}
    channel_names = {c.value: str(c.label) for c in Ticket.Channel}
    groups = [figures.happiness_bars(data.by.get(key, []), id=f"by-{key.replace('_', '-')}",
                                     title=title, min_group=data.min_group,
                                     names=service_names if key == "service" else
                                     channel_names if key == "channel" else None)
              for key, title in titles.items()]
    reassign = figures.happiness_bars(data.reassignments, id="reassignments",
                                      title=_("Reassignments"), min_group=data.min_group,
                                      sort=False)
    monthly, pareto = figures.monthly_chart(data.by.get("month", [])), \
        figures.pareto_chart(data.pareto)
    charts = [c for c in (monthly, reassign, pareto, *groups) if c is not None]
    download = csv_download(request, charts)
    if download is not None:
        return download
    months = [row["key"] for row in data.by.get("month", [])]
    context = {"data": data, "monthly": monthly, "reassign": reassign, "pareto": pareto,
               "groups": [g for g in groups if g is not None], "restricted": restricted,
               "months": months, "channels": Ticket.Channel.choices,
               "chosen_months": filters.months, "chosen_channel": filters.channel,
               "service_choices": sorted(((slug, service_names.get(slug, slug)) for slug in
                                          (own if restricted else service_names)),
                                         key=lambda item: item[1]),
               "chosen_service": chosen_service,
               "units": queries.filter_choices_all()["unit"],
               "chosen_unit": request.GET.get("unit", "")}
    template = "insights/_tickets_body.html" if request.htmx else "insights/tickets.html"
    return render(request, template, context)


@allow(INSIGHTS_VIEWERS)
def value_card(request: HttpRequest, slug: str) -> HttpResponse:
    """A catalogue service's value card (a fragment the service page loads with htmx)."""
    service = services_visible_to(request.user).filter(slug=slug).first()
    if service is None:
        raise Http404
    if not can_see_value_card(request.user, service):
        raise PermissionDenied
    card = build_value_card(service)
    charts = [c for c in (figures.card_trend(card),) if c is not None]
    download = csv_download(request, charts)
    if download is not None:
        return download
    return render(request, "insights/_value_card.html",
                  {"card": card, "trend_chart": charts[0] if charts else None})


@allow(INSIGHTS_READERS)
def verbatims(request: HttpRequest) -> HttpResponse:
    """Comments, filtered; shown only from the verbatim threshold on, never with an author."""
    surveys = {s.slug: s for s in verbatim_surveys()}
    data = request.GET.copy()
    if not data.get("survey") and surveys:
        data["survey"] = next(iter(surveys))
    form = VerbatimForm(data, surveys=[(slug, s.title) for slug, s in surveys.items()],
                        segments=queries.filter_choices_all())
    result = None
    if form.is_valid():
        page = request.GET.get("page", "1")
        result = explore(surveys[form.cleaned_data["survey"]], form.filters(),
                         page=int(page) if page.isdigit() else 1)
        form.offer_themes([(t["id"], t["label"]) for t in result.themes])
    template = "insights/_verbatims_body.html" if request.htmx else "insights/verbatims.html"
    return render(request, template, {"form": form, "result": result})
