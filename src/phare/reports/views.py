"""The Reports page (``/reports/``): the reports generated, with their progress and files; the
form that asks for one; the schedules that send them by email.

Readers (``policy.READERS``) read and download; managers (``policy.MANAGERS``) generate and
schedule, through :mod:`phare.reports.services`, whose refusals are shown on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.audit.actions import Action
from phare.audit.services import record
from phare.reports import policy, queries, services
from phare.reports.forms import ReportForm, ScheduleForm, add_service_errors
from phare.reports.models import FORMATS, Schedule


def _page(request: SignedInRequest, *, report_form: ReportForm | None = None,
          schedule_form: ScheduleForm | None = None, status: int = 200) -> HttpResponse:
    can_manage = policy.can_manage(request.user)
    context: dict[str, Any] = {
        "reports": queries.reports()[:100], "schedules": queries.schedules(),
        "units": queries.unit_names(), "formats": list(FORMATS), "can_manage": can_manage,
    }
    if can_manage:
        context["report_form"] = report_form or ReportForm()
        context["schedule_form"] = schedule_form or ScheduleForm()
    return render(request, "reports/home.html", context, status=status)


@allow(policy.READERS)
def home(request: SignedInRequest) -> HttpResponse:
    return _page(request)


@allow(policy.MANAGERS)
@require_POST
def report_new(request: SignedInRequest) -> HttpResponse:
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_request(user=request.user, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is being generated."))
            return redirect("reports:home")
    return _page(request, report_form=form, status=422)


@allow(policy.READERS)
def report_row(request: SignedInRequest, pk: int) -> HttpResponse:
    """One report's row: htmx polls it until the report is ready or failed."""
    report = get_object_or_404(queries.reports(), pk=pk)
    return render(request, "reports/_report_row.html",
                  {"report": report, "units": queries.unit_names(), "formats": list(FORMATS)})


@allow(policy.READERS)
def download(request: SignedInRequest, pk: int, fmt: str) -> FileResponse:
    """One of the report's files, with its content type and a name that says what it is."""
    found = queries.open_ready_file(pk, fmt)
    if found is None:
        raise Http404
    report, handle = found
    record(action=Action.EXPORT, actor=request.user, target=report, details={"format": fmt})
    return FileResponse(handle, as_attachment=True, filename=report.filename(fmt),
                        content_type=FORMATS[fmt][1])


@allow(policy.MANAGERS)
@require_POST
def schedule_new(request: SignedInRequest) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_save(user=request.user, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Schedule saved."))
            return redirect("reports:home")
    return _page(request, schedule_form=form, status=422)


@allow(policy.MANAGERS)
def schedule_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk)
    form = ScheduleForm(request.POST or None, schedule=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_save(user=request.user, schedule=schedule, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Schedule saved."))
            return redirect("reports:home")
    return render(request, "reports/schedule_form.html", {"form": form, "schedule": schedule},
                  status=422 if form.errors else 200)


@allow(policy.MANAGERS)
@require_POST
def schedule_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule, pk=pk)
    try:
        services.schedule_delete(user=request.user, schedule=schedule)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Schedule deleted."))
    return redirect("reports:home")
