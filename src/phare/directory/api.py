"""Directory endpoints: people, business units, sites, job families, and the import."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import ADMINS, DIRECTORY_READERS
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.directory.queries import PeopleFilter, people_search
from phare.jobs.api import JobOut
from phare.jobs.services import job_start
from phare.lib.api import Pagination, resolve_annotations

router = Router(tags=["directory"])


class PersonOut(Schema):
    employee_id: str
    first_name: str
    last_name: str
    email: str
    language: str
    business_unit: str | None
    site: str | None
    job_family: str | None
    manager_id: str | None
    active: bool

    @staticmethod
    def resolve_business_unit(obj: Person) -> str | None:
        return unit.code if (unit := obj.business_unit) is not None else None

    @staticmethod
    def resolve_site(obj: Person) -> str | None:
        return site.code if (site := obj.site) is not None else None

    @staticmethod
    def resolve_job_family(obj: Person) -> str | None:
        return family.code if (family := obj.job_family) is not None else None

    @staticmethod
    def resolve_manager_id(obj: Person) -> str | None:
        return manager.employee_id if (manager := obj.manager) is not None else None


class UnitOut(Schema):
    code: str
    name: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: BusinessUnit) -> str | None:
        return parent.code if (parent := obj.parent) is not None else None


class SiteOut(Schema):
    code: str
    name: str
    city: str
    country: str


class JobFamilyOut(Schema):
    code: str
    name: str


@router.get("/people", response=list[PersonOut], auth=roles(DIRECTORY_READERS))
@paginate(Pagination)
@resolve_annotations
def list_people(request, q: str = "", business_unit: str = "", site: str = "",
                job_family: str = "", status: Literal["active", "inactive", "all"] = "active"):
    """People of the directory; `business_unit` includes its sub-units."""
    return people_search(PeopleFilter(q=q, business_unit=business_unit, site=site,
                                      job_family=job_family, status=status))


@router.get("/people/{employee_id}", response=PersonOut, auth=roles(DIRECTORY_READERS))
def get_person(request, employee_id: str):
    return get_object_or_404(
        Person.objects.select_related("business_unit", "site", "job_family", "manager"),
        employee_id=employee_id,
    )


@router.get("/business-units", response=list[UnitOut], auth=roles(DIRECTORY_READERS))
@paginate(Pagination)
def list_units(request):
    return BusinessUnit.objects.select_related("parent").order_by("code")


@router.get("/sites", response=list[SiteOut], auth=roles(DIRECTORY_READERS))
@paginate(Pagination)
def list_sites(request):
    return Site.objects.order_by("code")


@router.get("/job-families", response=list[JobFamilyOut], auth=roles(DIRECTORY_READERS))
@paginate(Pagination)
def list_job_families(request):
    return JobFamily.objects.order_by("code")


@router.post("/directory/imports", response={202: JobOut}, auth=roles(ADMINS))
def start_import(request, file: File[UploadedFile], keep_missing: Form[bool] = False):
    """Queue a directory import of a CSV file; follow it at `/api/v1/jobs/{id}`."""
    job = job_start(kind="directory.import", title=f"Directory import: {file.name}",
                    user=request.auth, params={"deactivate_missing": not keep_missing},
                    input_file=file, input_name=file.name or "people.csv")
    return Status(202, job)
