"""The blocks of the cockpit about one person's own things: an owner's services and the
needs about them, an employee's needs, votes and open surveys, the CIO's costliest services,
and the recent activity the marketing lead follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.catalog import access as catalog_access
from phare.catalog.models import Revision, Service
from phare.comms.models import Action
from phare.core.cockpit.todo import with_title
from phare.directory.models import Person
from phare.lib.cache import remembered
from phare.lib.i18n import ordered_by
from phare.listening.models import Invitation, Survey, Wave
from phare.needs.models import OPEN_STATUSES, Need, Vote
from phare.needs.queries import with_counts

#: How far back tickets make a service "popular" on the employee's home.
POPULAR_WINDOW = dt.timedelta(days=180)
#: How long that ranking is kept: it counts every ticket of the window (3 million a year for
#: 300,000 people: a second of PostgreSQL at each employee's home) and is only an order.
POPULAR_SECONDS = 3600


@dataclass(frozen=True)
class OwnedService:
    """A service an owner looks after, with what waits on it."""

    service: Service
    card_url: str
    manage_url: str
    #: "" (nothing waits), "review" (with the marketing lead), "draft" (changes not submitted).
    waiting: str


def owned_services(user: Any) -> list[OwnedService]:
    if not user.person_id:
        return []
    mine = (Service.objects.filter(Q(owner_id=user.person_id) | Q(deputy_id=user.person_id))
            .exclude(lifecycle=Service.Lifecycle.RETIRED).order_by(ordered_by("name")))
    found = []
    for service in mine:
        waiting = ("review" if service.publication == Service.Publication.REVIEW
                   or service.pending_submitted else "draft" if service.pending else "")
        found.append(OwnedService(service, reverse("insights:value_card", args=[service.slug]),
                                  reverse("catalog:manage_detail", args=[service.slug]),
                                  waiting))
    return found


def needs_about(services: list[Service], person: Person | None) -> list[Need]:
    """The open needs that name one of ``services``, most supported first."""
    if not services:
        return []
    needs = Need.objects.filter(services__in=services, status__in=OPEN_STATUSES).distinct()
    return list(with_counts(needs, person).order_by("-votes_count", "-created_at")[:8])


def popular_services(person: Person | None, *, today: dt.date, count: int = 6
                     ) -> list[Service]:
    """The services this person may see that people turned to most lately (their tickets of
    the last months, rated or not: an order only, no count shown), then by name."""
    recent = remembered(caches["insights"], f"cockpit:popular:{today.isoformat()}",
                        POPULAR_SECONDS, lambda: recent_tickets(today))
    ranks = [When(pk=pk, then=Value(n)) for pk, n in recent.items()]
    visible = catalog_access.portal_services(person)
    ranked = (visible.annotate(recent=Case(*ranks, default=Value(0)) if ranks else Value(0))
              .order_by("-recent", ordered_by("name")))
    return list(ranked.select_related("family")[:count])


def recent_tickets(today: dt.date) -> dict[int, int]:
    """Each service's tickets opened within :data:`POPULAR_WINDOW` before ``today`` (services
    without any left out): one count for everyone's home, the same whoever reads it."""
    since = timezone.make_aware(dt.datetime.combine(today - POPULAR_WINDOW, dt.time()))
    rows = (Service.objects.filter(tickets__opened_at__gte=since)
            .values("pk").annotate(n=Count("tickets")).order_by())
    return {row["pk"]: row["n"] for row in rows}


def my_needs(person: Person | None) -> list[Need]:
    if person is None:
        return []
    return list(with_counts(Need.objects.filter(submitter=person), person)
                .order_by("-created_at")[:6])


def my_votes(person: Person | None) -> QuerySet[Vote]:
    if person is None:
        return Vote.objects.none()
    return Vote.objects.filter(person=person).select_related("need").order_by("-at")[:6]


@dataclass(frozen=True)
class OpenSurvey:
    title: str
    url: str
    closes_on: dt.date | None


def open_surveys(person: Person | None, today: dt.date) -> list[OpenSurvey]:
    """The surveys this person is invited to, not answered yet, still open."""
    if person is None:
        return []
    invitations = (Invitation.objects.filter(
        person=person, responded_on__isnull=True, survey__status=Survey.Status.OPEN,
        wave__status=Wave.Status.OPEN, wave__closes_on__gte=today)
        .select_related("survey", "wave").order_by("wave__closes_on"))
    return [OpenSurvey(i.survey.title, reverse("answer:respond", kwargs={"token": i.token}),
                       i.wave.closes_on if i.wave else None) for i in invitations[:6]]


def costliest_services(user: Any, count: int = 5) -> list[tuple[Service, str]]:
    """The services that cost the most a year, with the link to their value card."""
    services = (catalog_access.services_visible_to(user).filter(annual_run_cost__isnull=False)
                .exclude(lifecycle=Service.Lifecycle.RETIRED).order_by("-annual_run_cost"))
    return [(s, reverse("insights:value_card", args=[s.slug])) for s in services[:count]]


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    text: str
    url: str


def recent_activity(count: int = 8) -> list[Event]:
    """What happened lately: needs raised, services published, waves closed, messages sent."""
    events = [Event(n.created_at, _("New need: “%(need)s”") % {"need": n.title},
                    reverse("needs:detail", args=[n.pk]))
              for n in Need.objects.order_by("-created_at")[:count]]
    events += [Event(r.at, _("“%(service)s” published") % {"service": r.service.name},
                     reverse("catalog:service", args=[r.service.slug]))
               for r in Revision.objects.filter(action=Revision.Action.PUBLISHED)
               .select_related("service").order_by("-at")[:count]]
    events += [Event(a.sent_at, with_title(_("Sent: “%(action)s”"), "action", a.title,
                                           a.language),
                     reverse("comms:action", args=[a.pk]))
               for a in Action.objects.filter(sent_at__isnull=False).order_by("-sent_at")[:count]
               if a.sent_at is not None]
    closed = (Wave.objects.filter(status=Wave.Status.CLOSED).select_related("survey")
              .order_by("-closes_on")[:count])
    events += [Event(timezone.make_aware(dt.datetime.combine(w.closes_on, dt.time(18))),
                     _("%(wave)s of “%(survey)s” closed") % {"wave": w.name,
                                                             "survey": w.survey.title},
                     reverse("listening:wave", args=[w.survey.slug, w.number]))
               for w in closed]
    return sorted(events, key=lambda e: e.at, reverse=True)[:count]
