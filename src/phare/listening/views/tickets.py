"""Ticket feedback management: the ticket survey's rules, what was decided, the results, and
the import of ITSM exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.accounts.policy import allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start
from phare.lib.uploads import ImportFileField
from phare.listening import services, ticket_results, tickets
from phare.listening.models import Survey, Ticket
from phare.listening.services import ListeningError

PAGE_SIZE = 25
T = "listening/tickets/"


class TicketRulesForm(forms.Form):
    sample_percent = forms.IntegerField(
        label=gettext_lazy("Tickets surveyed (%)"), min_value=0, max_value=100,
        help_text=gettext_lazy("Chosen by the ticket id, so the same ticket always gets the "
                               "same answer."))
    send_delay_minutes = forms.IntegerField(
        label=gettext_lazy("Delay after resolution (minutes)"), min_value=0,
        max_value=60 * 24 * 30,
        help_text=gettext_lazy("Leaves time to reopen a ticket that was not really solved."))
    fatigue_days = forms.IntegerField(
        label=gettext_lazy("At most one ticket survey per person every (days)"), min_value=0,
        max_value=365, help_text=gettext_lazy("0: no limit besides the contact limit."))


class TicketImportForm(forms.Form):
    file = ImportFileField(
        extensions=(".csv", ".txt"),
        wrong_type=gettext_lazy("Expected a .csv file, got “%(name)s”."),
        label=gettext_lazy("Ticket export (CSV)"),
        help_text=gettext_lazy("A ServiceNow or GLPI export, UTF-8 or Windows-1252, separated "
                               "by commas or semicolons."))


def _builder_url(survey: Survey) -> str | None:
    """The survey builder's page for it, where the reason lists are edited (if reachable)."""
    try:
        return reverse("listening:survey", args=[survey.slug])
    except NoReverseMatch:
        return None


def _new_slug() -> str:
    # Not "tickets": that word is this page's own address under /surveys/.
    slug, n = "ticket-feedback", 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"ticket-feedback-{n}"
    return slug


def _act(request: HttpRequest, survey: Survey | None, form: TicketRulesForm) -> bool:
    """Run the posted action; True when done (the page is then loaded again)."""
    action = request.POST.get("action")
    try:
        if action == "create" and survey is None:
            with transaction.atomic():
                survey = tickets.ticket_survey_create(slug=_new_slug(), created_by=request.user)
                services.survey_set_status(survey, Survey.Status.OPEN)
            messages.success(request, _("The ticket survey is open: closed tickets are now "
                                        "surveyed under the rules below."))
        elif action in ("open", "close") and survey is not None:
            status = Survey.Status.OPEN if action == "open" else Survey.Status.CLOSED
            services.survey_set_status(survey, status)
            messages.success(request, _("The ticket survey is open.") if action == "open"
                             else _("The ticket survey is closed: no ticket is surveyed."))
        elif action == "rules" and survey is not None:
            if not form.is_valid():
                return False
            services.survey_update(survey, **form.cleaned_data)
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
    """The ticket survey's rules and status, the decisions taken, the results, the tickets."""
    survey = tickets.active_ticket_survey() or Survey.objects.filter(
        kind=Survey.Kind.TRANSACTIONAL).order_by("-created_at", "-pk").first()
    initial = ({name: getattr(survey, name) for name in TicketRulesForm.base_fields}
               if survey else None)
    form = TicketRulesForm(request.POST if request.POST.get("action") == "rules" else None,
                           initial=initial)
    if request.method == "POST" and _act(request, survey, form):
        return redirect("listening:tickets")
    latest = Ticket.objects.select_related("service", "invitation__survey", "response").order_by(
        "-received_at", "-pk")
    context = {
        "survey": survey, "form": form, "decisions": ticket_results.decision_counts(),
        "page": Paginator(latest, PAGE_SIZE).get_page(request.GET.get("page")),
        "rate": ticket_results.response_rate(survey) if survey else None,
        "results": ticket_results.ticket_results(survey) if survey else None,
        "builder_url": _builder_url(survey) if survey else None,
        "bands": {name: (low, high) for name, low, high in tickets.BANDS},
    }
    return render(request, T + "manage.html", context)


@allow(SURVEY_MANAGERS)
def ticket_import(request: HttpRequest) -> HttpResponse:
    """Upload a ServiceNow or GLPI export; it is imported by a background job."""
    form = TicketImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind="listening.tickets_import",
                        title=_("Ticket import: %(name)s") % {"name": upload.name},
                        user=request.user, input_file=upload, input_name=upload.name)
        return redirect("jobs:detail", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind="listening.tickets_import")[:5]
    return render(request, T + "import.html", {"form": form, "recent": recent,
                                               "survey": tickets.active_ticket_survey()})
