"""The web import of ITSM exports: upload, the column mapping when Phare is unsure (or when
asked), the report; and the labels of the ITSM not yet read as catalogue services."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.jobs.queries import jobs_visible_to
from phare.tickets import queries, services
from phare.tickets.forms import LabelMapForm, TicketImportForm, TicketMappingForm
from phare.tickets.imports import JOB_KIND, TicketImportError
from phare.tickets.jobs import SKIPPED_LABELS
from phare.tickets.models import TicketUpload

T = "tickets/"


@allow(SURVEY_MANAGERS)
def ticket_import(request: HttpRequest) -> HttpResponse:
    """Upload an export: imported at once when Phare is sure of its columns, else the
    mapping step."""
    form = TicketImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.ticket_import_begin(
                file=form.cleaned_data["file"], system=form.cleaned_data["system"],
                strict=form.cleaned_data["strict"], review=form.cleaned_data["review"],
                user=request.user)
        except TicketImportError as exc:
            for error in exc.errors:
                form.add_error("file", str(error))
        else:
            if isinstance(started, TicketUpload):
                return redirect("tickets:import_mapping", upload_id=started.pk)
            return redirect("tickets:import_report", job_id=started.pk)
    recent = jobs_visible_to(request.user).filter(kind=JOB_KIND)[:5]
    return render(request, T + "import.html", {"form": form, "recent": recent,
                                               "survey": queries.active_ticket_survey()})


@allow(SURVEY_MANAGERS)
def ticket_import_mapping(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The columns Phare proposes for a kept upload, a preview of its first rows; confirmed,
    the mapping is saved for the next file of this shape and the file imported."""
    upload = queries.upload_visible_to(request.user, upload_id)
    if upload is None:
        raise Http404
    try:
        preview = queries.upload_preview(upload)
    except TicketImportError as exc:
        messages.error(request, "; ".join(str(error) for error in exc.errors))
        return redirect("tickets:import")
    form = TicketMappingForm(request.POST or None, proposal=preview.proposal,
                             undecided=preview.undecided,
                             initial={"date_order": preview.date_order})
    if request.method == "POST" and form.is_valid():
        job = services.ticket_import_confirm(
            upload=upload, columns=form.columns(),
            date_order=form.cleaned_data["date_order"], user=request.user)
        return redirect("tickets:import_report", job_id=job.pk)
    return render(request, T + "import_mapping.html", {
        "upload": upload, "preview": preview, "form": form})


@allow(SURVEY_MANAGERS)
def ticket_import_report(request: SignedInRequest, job_id: UUID) -> HttpResponse:
    """The report of an import: while it runs, its progress (htmx polls the fragment)."""
    job = queries.import_job(request.user, job_id)
    if job is None:
        raise Http404
    result = job.result or {}
    context = {"job": job, "result": result, "skipped": [
        (SKIPPED_LABELS.get(reason, reason), n)
        for reason, n in (result.get("skipped") or {}).items()]}
    template = "_import_report.html" if request.htmx else "import_report.html"
    return render(request, T + template, context)


@allow(SURVEY_MANAGERS)
def ticket_unmapped(request: HttpRequest) -> HttpResponse:
    """The ITSM's service labels no catalogue service names, each with a form to map it."""
    if request.method == "POST":
        form = LabelMapForm(request.POST)
        if form.is_valid():
            changed = services.ticket_label_map(label=form.cleaned_data["label"],
                                                service=form.cleaned_data["service"],
                                                user=request.user)
            messages.success(request, ngettext(
                "“%(label)s” is now read as %(service)s: %(count)d ticket changed.",
                "“%(label)s” is now read as %(service)s: %(count)d tickets changed.",
                changed) % {"label": form.cleaned_data["label"],
                            "service": form.cleaned_data["service"], "count": changed})
            return redirect("tickets:unmapped")
        messages.error(request, _("Choose a catalogue service for this label."))
    labels = [{**row, "form": LabelMapForm(initial={"label": row["service_label"]},
                                           auto_id=f"id_%s_{n}")}
              for n, row in enumerate(queries.unmapped_labels())]
    return render(request, T + "unmapped.html", {"labels": labels})
