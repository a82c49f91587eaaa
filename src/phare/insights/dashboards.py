"""What the insights pages show, computed once per state of the data.

Each function here is what one page (or fragment) calls: it asks for the store to be kept
current (:func:`phare.insights.freshness.ensure_fresh`, never building it itself), then returns
the dashboard's figures and charts from the cache when the same data, filters, scope and
language were computed before (:mod:`phare.insights.memo`), or computes them. The figures are
those of the dashboard modules (:mod:`~phare.insights.barometer`, :mod:`~phare.insights.tickets`,
:mod:`~phare.insights.value`, :mod:`~phare.insights.verbatims`), unchanged: cached or not, a
page shows the same thing.

Model instances in a cached result are replaced by the caller's own on the way out, so a page
never shows a survey's or a service's stale title from the cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.catalog.models import Service
from phare.insights import access, figures, freshness, memo, perception, queries
from phare.insights.barometer import Barometer, Filters
from phare.insights.barometer import barometer as compute_barometer
from phare.insights.figures import BarometerCharts, TicketCharts
from phare.insights.tickets import TicketExperience, TicketFilters, experience, ticket_surveys
from phare.insights.value import CardRow, ValueCard, service_surveys
from phare.insights.value import value_card as compute_value_card
from phare.insights.verbatims import Explorer, VerbatimFilters, explore
from phare.lib.cache import read_once
from phare.lib.charts import Chart
from phare.listening.models import Survey
from phare.usage import memo as usage_memo
from phare.usage import queries as usage


@dataclass
class BarometerPage:
    data: Barometer
    charts: BarometerCharts
    #: When the store these figures come from was last brought up to date (None: never yet).
    as_of: dt.datetime | None


@dataclass
class TicketPage:
    data: TicketExperience
    charts: TicketCharts
    as_of: dt.datetime | None


@dataclass
class TicketSummary:
    data: TicketExperience
    as_of: dt.datetime | None


@dataclass
class CardPage:
    card: ValueCard
    trend: Chart | None
    as_of: dt.datetime | None
    #: The service's usage (None without any) and where it stands on perception vs reality;
    #: read from the usage store at each view, not from the card's cache (another store).
    usage: usage.Summary | None = None
    placement: perception.Point | None = None
    usage_chart: Chart | None = None
    #: The happiness of its rated tickets by month (the card's own page shows it).
    ticket_trend: Chart | None = None


@dataclass
class CardsPage:
    """The list of value cards: one row per service, in no particular order."""

    rows: list[CardRow]
    as_of: dt.datetime | None


@dataclass
class PerceptionPage:
    points: list[perception.Point]
    chart: Chart | None
    as_of: dt.datetime | None


@dataclass
class VerbatimPage:
    result: Explorer
    as_of: dt.datetime | None


def _prepared(surveys: Sequence[Survey]) -> dt.datetime | None:
    freshness.ensure_fresh(surveys)
    return freshness.data_time(surveys)


def barometer(survey: Survey, filters: Filters) -> BarometerPage:
    as_of = _prepared([survey])

    def compute() -> tuple[Barometer, BarometerCharts]:
        data = compute_barometer(survey, filters)
        return data, figures.barometer_charts(data, queries.segment_names())

    data, charts = memo.remember("barometer", [survey], [filters], compute)
    data.survey = survey
    return BarometerPage(data=data, charts=charts, as_of=as_of)


def tickets(filters: TicketFilters) -> TicketPage:
    """The ticket experience over every ticket survey, within the filters' scope."""
    surveys = ticket_surveys()
    as_of = _prepared(surveys)

    def compute() -> tuple[TicketExperience, TicketCharts]:
        data = experience(surveys, filters)
        return data, figures.ticket_charts(data, queries.ticket_names())

    data, charts = memo.remember("tickets", surveys, [filters], compute)
    data.surveys = surveys
    return TicketPage(data=data, charts=charts, as_of=as_of)


def ticket_summary(survey: Survey, scope: tuple[str, ...] | None) -> TicketSummary:
    """One ticket survey's figures (its management page), within ``scope``: those of the
    ticket experience page, from the same computation."""
    as_of = _prepared([survey])
    filters = TicketFilters(scope=scope)
    data = memo.remember("ticket-summary", [survey], [filters],
                         lambda: experience([survey], filters))
    data.surveys = [survey]
    return TicketSummary(data=data, as_of=as_of)


def ticket_months(scope: tuple[str, ...] | None) -> list[str]:
    """The months the ticket filters offer within ``scope``: read from the store alone."""
    surveys = ticket_surveys()
    return memo.remember("ticket-months", surveys, [scope],
                         lambda: queries.ticket_months(scope), database=False)


@read_once
def value_card(service: Service) -> CardPage:
    """A service's value card; who may see it is the caller's check."""
    surveys = [*service_surveys(service), *ticket_surveys()]
    as_of = _prepared(surveys)

    def compute() -> tuple[ValueCard, Chart | None, Chart | None]:
        card = compute_value_card(service)
        return card, figures.card_trend(card), figures.card_ticket_trend(card)

    card, trend, ticket_trend = memo.remember("value-card", surveys, [service.pk, CARD_SHAPE],
                                              compute)
    card.service = service
    summary = usage.summary(service)
    point = perception.point(service, card) if summary is not None else None
    return CardPage(card=card, trend=trend, as_of=as_of, usage=summary, placement=point,
                    usage_chart=figures.card_usage(summary) if summary else None,
                    ticket_trend=ticket_trend)


#: The shape of a cached card: raised when :class:`ValueCard` changes, so that a card cached
#: before is not read back without its new fields.
CARD_SHAPE = 2
#: The services the list of value cards shows: those that are or were in use.
LISTED = (Service.Lifecycle.LIVE, Service.Lifecycle.RETIRING, Service.Lifecycle.RETIRED)


def listed_services(services: QuerySet[Service]) -> list[Service]:
    """The services among ``services`` whose value cards the list shows, by name."""
    return sorted(services.filter(lifecycle__in=LISTED),
                  key=lambda service: service.name.casefold())


@read_once
def value_cards(services: Sequence[Service]) -> CardsPage:
    """The value cards of ``services`` (who may see them is the caller's check), without
    their comments' themes, computed together once per state of the data: the figures of
    each card's own page. Adoption comes from the usage store, read at each view."""
    services = list(services)
    surveys = [*Survey.objects.filter(kind=Survey.Kind.SERVICE, service__in=services)
               .order_by("pk"), *ticket_surveys()]
    as_of = _prepared(surveys)
    ids = [service.pk for service in services]
    cards = memo.remember("value-cards", surveys, [ids, CARD_SHAPE], lambda: [
        compute_value_card(service, themes=False) for service in services])
    mine = {service.pk: service for service in services}
    used = {service.pk for service in usage.services_with_usage(services)}
    rows = []
    for card in cards:
        card.service = mine[card.service.pk]
        row = CardRow(card)
        summary = usage.summary(card.service) if card.service.pk in used else None
        if summary is not None:
            row.adoption, row.adoption_month = summary.adoption, summary.month
        rows.append(row)
    return CardsPage(rows=rows, as_of=as_of)


@read_once
def perception_map(services: Sequence[Service]) -> PerceptionPage:
    """Perception vs reality for the given services that have usage: each service's card
    (from the cache) gives its satisfaction, the usage store its adoption."""
    with_usage = usage.services_with_usage(services)
    surveys = [*ticket_surveys(), *(survey for service in with_usage
                                     for survey in service_surveys(service))]
    as_of = _prepared(surveys)

    def compute() -> tuple[list[perception.Point], Chart | None]:
        cards = {s.pk: compute_value_card(s) for s in with_usage}
        points = perception.points(with_usage, cards)
        return points, figures.perception_map(points)

    # The key: the answers' store and reference rows (insights), the usage store and its
    # reference rows, and the tickets the "per 100 active users" figure counts.
    ids = [s.pk for s in with_usage]
    points, chart = memo.remember("perception", surveys, [
        ids, usage_memo.key("perception", ids), perception.tickets_stamp()], compute)
    mine = {s.pk: s for s in with_usage}
    for point in points:
        point.service = mine[point.service.pk]
    return PerceptionPage(points=points, chart=chart, as_of=as_of)


def verbatims(survey: Survey, filters: VerbatimFilters, page: int) -> VerbatimPage:
    as_of = _prepared([survey])
    result = memo.remember("verbatims", [survey], [filters, page],
                           lambda: explore(survey, filters, page=page))
    result.survey = survey
    return VerbatimPage(result=result, as_of=as_of)


def prepare(survey: Survey) -> int:
    """Compute, for the cache, the pages a new state of ``survey``'s store changes as their
    readers first open them — unfiltered, in each language: its comments; its barometer; for
    a ticket survey, the ticket experience and the survey's results for the readers of
    everything and for each service owner's scope; for a service survey, its service's value
    card. A ticket survey's change also changes every service's card: those of the services
    with a survey of their own are prepared, the others computed when first opened (preparing
    a hundred cards would keep the worker busy for a minute at each change), and so is the
    list of every card (one computation without the comments' themes, which the insights
    home reads too). The refresh task calls it after a rebuild, so the first view after a
    change is not the one that pays. Returns how many pages it computed."""
    if not memo.enabled():
        return 0
    done = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            verbatims(survey, VerbatimFilters(), 1)
            done += 1
            if survey.kind == Survey.Kind.BAROMETER:
                barometer(survey, Filters())
                done += 1
            elif survey.kind == Survey.Kind.TRANSACTIONAL:
                owners = User.objects.filter(role=Role.OWNER, is_active=True)
                scopes = dict.fromkeys([None, *(access.ticket_scope(u) for u in owners)])
                for scope in scopes:
                    ticket_months(scope)
                    tickets(TicketFilters(scope=scope))
                    ticket_summary(survey, scope)
                    done += 2
                # The value cards of the services with a survey of their own (those in focus).
                for service in Service.objects.filter(
                        surveys__kind=Survey.Kind.SERVICE).distinct().order_by("pk"):
                    value_card(service)
                    done += 1
            elif survey.kind == Survey.Kind.SERVICE and survey.service is not None:
                value_card(survey.service)
                done += 1
            if survey.kind in (Survey.Kind.TRANSACTIONAL, Survey.Kind.SERVICE):
                # The list of every card (the readers of everything's; the insights home
                # reads it too): a few seconds for fifty services, not paid by a reader.
                value_cards(listed_services(Service.objects.all()))
                done += 1
    return done
