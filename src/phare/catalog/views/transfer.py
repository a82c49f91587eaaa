"""Export and import of the whole catalogue, for the marketing lead and administrators."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.accounts.policy import allow
from phare.accounts.roles import CATALOG_MANAGERS
from phare.catalog.transfer import CONTENT_TYPES, export_catalog, export_filename
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start
from phare.lib.uploads import ImportFileField


class CatalogImportForm(forms.Form):
    file = ImportFileField(
        extensions=(".xlsx", ".zip", ".csv"),
        wrong_type=gettext_lazy("Expected an .xlsx, .zip or .csv file, got “%(name)s”."),
        label=gettext_lazy("Catalogue file"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a .zip of CSV files as exported "
                               "here, or a single services.csv."))


@allow(CATALOG_MANAGERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(export_catalog(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    return response


@allow(CATALOG_MANAGERS)
def import_file(request: HttpRequest) -> HttpResponse:
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
