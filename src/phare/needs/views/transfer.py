"""CSV export and import of needs, for the marketing lead."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.policy import allow
from phare.accounts.roles import NEEDS_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import acting_user, record
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start
from phare.needs.forms import NeedImportForm
from phare.needs.transfer import export_needs


@allow(NEEDS_MANAGERS)
def export(request: HttpRequest) -> HttpResponse:
    record(action=Action.EXPORT, actor=acting_user(request), target=("needs.need", "", "Needs"),
           details={"format": "csv", "filters": {}})
    response = HttpResponse(export_needs(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="phare-needs-{stamp}.csv"'
    return response


@allow(NEEDS_MANAGERS)
def import_file(request: HttpRequest) -> HttpResponse:
    form = NeedImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind="needs.import", user=request.user, input_file=upload,
                        input_name=upload.name,
                        title=_("Needs import: %(name)s") % {"name": upload.name})
        return redirect("jobs:detail", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind="needs.import")[:5]
    return render(request, "needs/import.html", {"form": form, "recent": recent})
