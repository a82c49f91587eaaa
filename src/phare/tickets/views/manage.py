"""Ticket feedback management: the ticket survey's rules and what was decided (the import of
ITSM exports is in :mod:`.imports`). The survey's results on the page are a fragment of
insights (``insights:ticket_summary``, loaded with htmx): they are the ticket experience
page's figures, computed once over the analytical store."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.listening import services as listening_services
from phare.listening.errors import ListeningError
from phare.listening.models import Survey
from phare.tickets import queries, services
from phare.tickets.forms import TicketRulesForm

PAGE_SIZE = 25
T = "tickets/"


def _act(request: HttpRequest, survey: Survey | None, form: TicketRulesForm) -> bool:
    """Run the posted action; True when done (the page is then loaded again)."""
    action = request.POST.get("action")
    try:
        if action == "create" and survey is None:
            services.ticket_survey_start(created_by=request.user)
            messages.success(request, _("The ticket survey is open: closed tickets are now "
                                        "surveyed under the rules below."))
        elif action in ("open", "close") and survey is not None:
            status = Survey.Status.OPEN if action == "open" else Survey.Status.CLOSED
            listening_services.survey_set_status(survey, status)
            messages.success(request, _("The ticket survey is open.") if action == "open"
                             else _("The ticket survey is closed: no ticket is surveyed."))
        elif action == "rules" and survey is not None:
            if not form.is_valid():
                return False
            listening_services.survey_update(survey, **form.cleaned_data)
            messages.success(request, _("The rules are saved; they apply to tickets received "
                                        "from now on."))
        else:
            messages.error(request, _("This action is not available."))
    except ListeningError as exc:
        if action == "rules":
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return False
        messages.error(request, exc.message)
    return True


@allow(SURVEY_MANAGERS)
def ticket_feedback(request: HttpRequest) -> HttpResponse:
    """The ticket survey's rules and status, the decisions taken, the tickets (the results are
    loaded from insights by the page)."""
    survey = queries.managed_ticket_survey()
    initial = ({name: getattr(survey, name) for name in TicketRulesForm.base_fields}
               if survey else None)
    form = TicketRulesForm(request.POST if request.POST.get("action") == "rules" else None,
                           initial=initial)
    if request.method == "POST" and _act(request, survey, form):
        return redirect("tickets:manage")
    page = Paginator(queries.latest_tickets(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "survey": survey, "form": form, "decisions": queries.decision_counts(),
        "page": page, "rows": queries.ticket_rows(page),
        "rate": queries.response_rate(survey) if survey else None,
    }
    return render(request, T + "manage.html", context)
