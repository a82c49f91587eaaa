"""Reads of ticket feedback: the survey tickets are asked with, a rating link's invitation and
response, the decisions taken, the response rate, and the tickets as pages and the API list
them (with the one rule on showing a ticket's rating)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, QuerySet
from django.utils import timezone

from phare.accounts.roles import Role
from phare.catalog.models import Service
from phare.jobs.models import Job
from phare.jobs.queries import jobs_visible_to
from phare.listening import queries as listening_queries
from phare.listening.models import Invitation, Question, Response, Survey, SurveyVersion
from phare.tickets import imports
from phare.tickets.imports import JOB_KIND, normalise
from phare.tickets.models import ServiceAlias, Ticket, TicketMapping, TicketUpload
from phare.tickets.questionnaire import RATING

if TYPE_CHECKING:  # django-stubs-ext is a test-time package
    from django_stubs_ext import StrOrPromise

#: How long after rating the follow-up answers may still be changed.
AMEND_DAYS = 7


def active_ticket_survey() -> Survey | None:
    """The survey tickets are surveyed with: the most recently created open ticket survey."""
    return (Survey.objects.filter(kind=Survey.Kind.TRANSACTIONAL, status=Survey.Status.OPEN)
            .order_by("-created_at", "-pk").first())


def managed_ticket_survey() -> Survey | None:
    """The survey the management page shows: the open one, else the latest ticket survey."""
    return active_ticket_survey() or Survey.objects.filter(
        kind=Survey.Kind.TRANSACTIONAL).order_by("-created_at", "-pk").first()


def rating_question(version: SurveyVersion) -> Question | None:
    return version.questions.filter(code=RATING).first()


def ticket_invitation(token: str) -> Invitation | None:
    """The ticket invitation of an email link, or None."""
    return (Invitation.objects.select_related("survey", "version", "ticket__service")
            .filter(token=token, ticket__isnull=False).first())


def ticket_response(invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def amend_deadline(response: Response) -> dt.datetime:
    answered = response.submitted_at or timezone.make_aware(
        dt.datetime.combine(response.submitted_on, dt.time()))
    return answered + dt.timedelta(days=AMEND_DAYS)


def ticket_response_amendable(response: Response, *, now: dt.datetime | None = None) -> bool:
    return (response.survey.status == Survey.Status.OPEN
            and (now or timezone.now()) < amend_deadline(response))


def decision_counts() -> list[tuple[str, StrOrPromise, int]]:
    """(decision, label, number of tickets) for every decision, in the model's order."""
    counts = dict(Ticket.objects.values_list("decision").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in Ticket.Decision.choices]


def response_rate(survey: Survey) -> dict[str, Any]:
    """The ticket survey's invitations: invited, sent, answered (``responded``, live) and the
    response rate (answered ÷ sent, ``percent``), computed as a wave's is
    (:func:`phare.listening.queries.invitation_figures`)."""
    return listening_queries.invitation_figures(
        Invitation.objects.filter(survey=survey, ticket__isnull=False), survey.min_group_size)


# --- tickets as listed ------------------------------------------------------------------------

def tickets_listed() -> QuerySet[Ticket]:
    """Tickets with what their rows show: service, invitation, its survey and response."""
    return Ticket.objects.select_related("service", "invitation__survey", "invitation__response")


def latest_tickets() -> QuerySet[Ticket]:
    """The management page's list: the most recently received first."""
    return tickets_listed().order_by("-received_at", "-pk")


def tickets_filtered(*, decision: str = "", service: str = "") -> QuerySet[Ticket]:
    """The API's list: the most recently resolved first, by decision and service slug."""
    found = tickets_listed()
    if decision:
        found = found.filter(decision=decision)
    if service:
        found = found.filter(service__slug=service)
    return found.order_by("-resolved_at", "-pk")


def _response_of(ticket: Ticket) -> Response | None:
    if ticket.invitation is None:
        return None
    try:
        return ticket.invitation.response
    except ObjectDoesNotExist:
        return None


def rating_shown(ticket: Ticket) -> bool:
    """Whether a ticket's own rating (or that it was not answered) may be shown: for a named
    survey only. Whether a confidential survey was answered is never shown per ticket: beside
    the results, it would tell one person's rating."""
    invitation = ticket.invitation
    return invitation is not None and invitation.survey.anonymity == Survey.Anonymity.NAMED


def shown_rating(ticket: Ticket) -> int | None:
    """The ticket's 0–10 rating where :func:`rating_shown` allows it, else None."""
    if not rating_shown(ticket):
        return None
    response = _response_of(ticket)
    return response.answers.get(RATING) if response is not None else None


def ticket_rows(tickets: Iterable[Ticket]) -> list[dict[str, Any]]:
    """Each ticket with what its row may show of the rating: ``rating_shown`` and ``rating``
    (None when not answered yet)."""
    return [{"ticket": ticket, "rating_shown": rating_shown(ticket),
             "rating": shown_rating(ticket)} for ticket in tickets]


# --- imports of ITSM exports ------------------------------------------------------------------

def service_index() -> dict[str, str]:
    """Catalogue services by every name an export may give them (normalised): identifier,
    name in either language, and the aliases saved when a label was mapped."""
    found: dict[str, str] = {}
    for slug, name_fr, name_en in Service.objects.values_list("slug", "name_fr", "name_en"):
        for key in (name_en, name_fr, slug):
            if key:
                found[normalise(key)] = slug
    for key, slug in ServiceAlias.objects.values_list("key", "service__slug"):
        found[key] = slug
    return found


def saved_mapping(signature: str) -> TicketMapping | None:
    """The columns chosen before for a header of this shape."""
    return TicketMapping.objects.filter(signature=signature).first()


def unmapped_labels() -> list[dict[str, Any]]:
    """The ITSM's service labels that name no catalogue service, with their tickets, the
    most frequent first."""
    return [dict(row) for row in Ticket.objects.filter(service__isnull=True)
            .exclude(service_label="").values("service_label").annotate(tickets=Count("pk"))
            .order_by("-tickets", "service_label")]


def tickets_labelled(label: str) -> QuerySet[Ticket]:
    """Tickets with no catalogue service whose label reads as ``label`` (case, accents and
    spacing aside)."""
    key = normalise(label)
    labels = [value for value in Ticket.objects.filter(service__isnull=True)
              .exclude(service_label="").values_list("service_label", flat=True).distinct()
              if normalise(value) == key]
    return Ticket.objects.filter(service__isnull=True, service_label__in=labels)


def upload_visible_to(user: Any, pk: int) -> TicketUpload | None:
    """An upload waiting for its mapping: its own uploader's (administrators see all)."""
    uploads = TicketUpload.objects.all()
    if user.role != Role.ADMIN:
        uploads = uploads.filter(created_by=user)
    return uploads.filter(pk=pk).first()


def import_job(user: Any, job_id: Any) -> Job | None:
    """A ticket import job the person may read."""
    return jobs_visible_to(user).filter(kind=JOB_KIND, pk=job_id).first()


#: Rows of the file shown under the mapping.
PREVIEW_ROWS = 5


@dataclass
class UploadPreview:
    """What the mapping step shows of a kept upload: Phare's proposal (or the saved mapping),
    the date order it could not decide (an example, else ""), the first rows."""

    proposal: imports.Proposal
    undecided: str
    date_order: str
    header: list[str]
    rows: list[list[str]]
    rows_read: int


def upload_preview(upload: TicketUpload) -> UploadPreview:
    """Read a kept upload for its mapping step; raises ``TicketImportError`` when it cannot
    be read (it was read once already, so only a file gone meanwhile gets there)."""
    with upload.file.open("rb") as stream:
        table = imports.read_table(stream.read())
    proposal = imports.mapping_for(table, system=upload.system)
    saved = saved_mapping(proposal.signature)
    if saved is not None:
        proposal = imports.mapping_for(table, system=upload.system, columns=saved.columns)
    order, undecided = imports.date_order_of(table, proposal)
    date_order = saved.date_order if saved is not None and saved.date_order else order or ""
    return UploadPreview(proposal=proposal, undecided=undecided if not date_order else "",
                         date_order=date_order, header=table.header,
                         rows=[cells for _line, cells in table.rows[:PREVIEW_ROWS]],
                         rows_read=len(table.rows))
