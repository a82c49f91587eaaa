"""Export and import of the whole catalogue, for the marketing lead and administrators."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import CATALOG_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import record
from phare.catalog.forms import CatalogImportForm
from phare.catalog.transfer import CONTENT_TYPES, Format, export_catalog, export_filename
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start


@allow(CATALOG_MANAGERS)
def export(request: SignedInRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    known = cast(Format, fmt)  # CONTENT_TYPES has one key per format
    record(action=Action.EXPORT, actor=request.user, target=("catalog.service", "", "Catalogue"),
           details={"format": known, "filters": {}})
    response = HttpResponse(export_catalog(known), content_type=CONTENT_TYPES[known])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(known)}"'
    return response


@allow(CATALOG_MANAGERS)
def import_file(request: SignedInRequest) -> HttpResponse:
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind="catalog.import",
                        title=_("Catalogue import: %(name)s") % {"name": upload.name},
                        user=request.user, params={"filename": upload.name},
                        input_file=upload, input_name=upload.name)
        return redirect("jobs:detail", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind="catalog.import")[:5]
    return render(request, "catalog/manage/import.html", {"form": form, "recent": recent})
