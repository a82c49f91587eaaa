"""Who sees what in insights: the dashboards' access rules, in one place.

- The marketing lead, executives and administrators (``INSIGHTS_READERS``) read every
  dashboard: every survey's results and comments, every service's tickets and value card.
- A service owner reads the figures of the services they own or back up, and nothing else:
  their services' ticket experience and value cards — no barometer, no comments. The insights
  home shows them their headline figures and links to their cards.
- Those who manage the surveys (``SURVEY_MANAGERS``) read the whole ticket survey's results on
  its management page, which this app serves (:func:`ticket_summary_scope`).
- Anyone else reads nothing here.

Every insights view asks these functions: a filter a reader chooses only ever narrows what
they may see, never widens it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from phare.accounts.roles import SURVEY_MANAGERS
from phare.catalog.access import (
    can_see_value_card,
    services_visible_to,
)
from phare.catalog.models import Service
from phare.listening.models import Survey
from phare.usage import access as usage_access

# One rule for a service's figures, whatever the page: its tickets, its value card, its usage.
reads_everything = usage_access.reads_everything
visible_services = usage_access.visible_services


def ticket_scope(user: Any) -> tuple[str, ...] | None:
    """The services whose rated tickets the user may read, as slugs; ``None`` for all.

    This is the ``scope`` of :class:`phare.insights.tickets.TicketFilters`: what the reader
    may see at all, which their own filters only narrow."""
    if reads_everything(user):
        return None
    return tuple(visible_services(user).order_by("slug").values_list("slug", flat=True))


def ticket_summary_scope(user: Any) -> tuple[str, ...] | None:
    """The services whose rated tickets the user reads in a ticket survey's results (the
    fragment of its management page); ``None`` for all.

    The survey's managers read all of them, as they did on that page; anyone else what they
    read on the ticket experience page (:func:`ticket_scope`)."""
    if user.is_authenticated and user.role in SURVEY_MANAGERS:
        return None
    return ticket_scope(user)


def card_service(user: Any, slug: str) -> Service | None:
    """The catalogue service a value card is asked for, if the user may know it exists: any
    service for the readers of every dashboard (the CIO reads the card of a service that is
    not for him, or not published), else those the catalogue shows them (the card itself is
    further restricted by :func:`may_see_value_card`: an owner reads only their own)."""
    services = Service.objects.all() if reads_everything(user) else services_visible_to(user)
    return services.filter(slug=slug).first()


def in_catalogue(user: Any, service: Service) -> bool:
    """Whether the user may open the service's catalogue page (the card links to it then)."""
    return services_visible_to(user).filter(pk=service.pk).exists()


def card_services(user: Any) -> QuerySet[Service]:
    """The services whose value cards the user may read: every one for the readers of every
    dashboard, an owner's own (owned or backed up), none for anyone else."""
    return visible_services(user)


def may_see_value_card(user: Any, service: Service) -> bool:
    """The readers of every dashboard; an owner for the services they own or back up (the
    catalogue's service page asks the same rule to show the card's link: one rule)."""
    return can_see_value_card(user, service)


def visible_surveys(user: Any) -> QuerySet[Survey]:
    """The surveys whose results and comments the user may read (owners: none)."""
    if reads_everything(user):
        return Survey.objects.all()
    return Survey.objects.none()

