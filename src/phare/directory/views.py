from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import ADMINS, CATALOG_EDITORS, DIRECTORY_READERS
from phare.directory.forms import DirectoryImportForm, PeopleFilterForm
from phare.directory.models import Person
from phare.directory.queries import (
    PeoplePaginator,
    directory_summary,
    people_search,
    people_to_pick,
    unit_tree,
)
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start

PAGE_SIZE = 50
#: Who fills a person picker (lib/widgets.py): admins and marketing in every form, a service's
#: owner for its deputy. Others never pick people, so the search is closed to them.
PERSON_PICKERS = CATALOG_EDITORS


@allow(DIRECTORY_READERS)
def people(request: SignedInRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    search = form.to_filter()
    pages = PeoplePaginator(people_search(search), PAGE_SIZE, searched=bool(search.q.split()))
    context = {"form": form, "page": pages.get_page(request.GET.get("page"))}
    if request.htmx:  # the results alone: the page's summary is not redrawn
        return render(request, "directory/_people_results.html", context)
    return render(request, "directory/people.html", {**context, "summary": directory_summary()})


@allow(DIRECTORY_READERS)
def person(request: SignedInRequest, employee_id: str) -> HttpResponse:
    found = get_object_or_404(
        Person.objects.select_related("business_unit__parent", "site", "job_family", "manager"),
        employee_id=employee_id,
    )
    reports = found.reports.filter(active=True).order_by("last_name", "first_name")
    return render(request, "directory/person.html", {"person": found, "reports": reports})


@allow(PERSON_PICKERS)
def people_pick(request: SignedInRequest) -> JsonResponse:
    """A person picker's search: names and units of active people matching ``q``."""
    return JsonResponse({"results": people_to_pick(request.GET.get("q", "")[:100])})


@allow(DIRECTORY_READERS)
def units(request: SignedInRequest) -> HttpResponse:
    return render(request, "directory/units.html", {"tree": unit_tree()})


@allow(ADMINS)
def import_people(request: SignedInRequest) -> HttpResponse:
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            kind="directory.import", title=_("Directory import: %(name)s") % {"name": upload.name},
            user=request.user, params={"deactivate_missing": not form.cleaned_data["keep_missing"]},
            input_file=upload, input_name=upload.name,
        )
        return redirect("jobs:detail", job_id=job.pk)
    recent = jobs_visible_to(request.user).filter(kind="directory.import")[:5]
    return render(request, "directory/import.html", {"form": form, "recent": recent})
