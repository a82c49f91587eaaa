"""Catalogue endpoints under the same rules as the pages: `/api/v1/services`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthorizationError, HttpError
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import CATALOG_EDITORS, CATALOG_MANAGERS, EVERYONE
from phare.catalog import access, services
from phare.catalog.content import content_of
from phare.catalog.models import Service
from phare.catalog.search import search_services
from phare.lib.api import Pagination, Refusal

router = Router(tags=["catalogue"])


class ServiceSummary(Schema):
    slug: str
    name: str
    promise: str
    family: str
    lifecycle: str
    publication: str
    owner: str | None
    has_pending_changes: bool
    updated_at: datetime

    @staticmethod
    def resolve_family(obj: Service) -> str:
        return obj.family.code

    @staticmethod
    def resolve_owner(obj: Service) -> str | None:
        return obj.owner.employee_id if obj.owner is not None else None

    @staticmethod
    def resolve_has_pending_changes(obj: Service) -> bool:
        return bool(obj.pending)


class ServiceDetail(ServiceSummary):
    content: dict[str, Any] = Field(description="The service's content (see content.py).")
    pending: dict[str, Any] | None = Field(
        description="Changes proposed to a published service, not yet published.")
    replacement: str | None
    published_at: datetime | None

    @staticmethod
    def resolve_content(obj: Service) -> dict[str, Any]:
        return content_of(obj)

    @staticmethod
    def resolve_replacement(obj: Service) -> str | None:
        return obj.replacement.slug if obj.replacement is not None else None


class ServiceIn(Schema):
    """A service's content; absent keys keep their current value on update."""

    slug: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,80}$")
    content: dict[str, Any]


class NoteIn(Schema):
    note: str = Field("", max_length=500)


class LifecycleIn(Schema):
    to: str
    replacement: str | None = None
    note: str = Field("", max_length=500)


def _refuse(exc: ValidationError) -> HttpError:
    return Refusal(422, " ".join(exc.messages),
                   [{"field": f"content.{k}", "reason": " ".join(v)}
                    for k, v in exc.message_dict.items()] if hasattr(exc, "error_dict") else [])


def _run(action, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except PermissionDenied:
        raise AuthorizationError(message="You may not change this service.") from None
    except ValidationError as exc:
        raise _refuse(exc) from None


def _visible(request, slug: str) -> Service:
    return get_object_or_404(
        access.services_visible_to(request.auth).select_related(
            "family", "owner", "deputy", "replacement"), slug=slug)


@router.get("/services", response=list[ServiceSummary], auth=roles(EVERYONE))
@paginate(Pagination)
def list_services(request, q: str = "", family: str = "", lifecycle: str = "",
                  publication: str = "", owner: str = ""):
    """Services you may see; `q` searches like the portal (ranked by relevance)."""
    visible = access.services_visible_to(request.auth).select_related("family", "owner")
    if family:
        visible = visible.filter(family__code=family)
    if lifecycle:
        visible = visible.filter(lifecycle=lifecycle)
    if publication:
        visible = visible.filter(publication=publication)
    if owner:
        visible = visible.filter(owner__employee_id=owner)
    if q:
        return [hit.service for hit in search_services(q, within=visible,
                                                       language=get_language(), limit=200)]
    return visible.order_by("family__position", "name_fr")


@router.get("/services/{slug}", response=ServiceDetail, auth=roles(EVERYONE))
def get_service(request, slug: str):
    return _visible(request, slug)


@router.post("/services", response={201: ServiceDetail}, auth=roles(CATALOG_EDITORS))
def create_service(request, payload: ServiceIn):
    """Create a service (a draft, proposed); owners create services they own."""
    created = _run(services.service_create, user=request.auth, data=payload.content,
                   slug=payload.slug)
    return Status(201, created)


@router.patch("/services/{slug}", response=ServiceDetail, auth=roles(CATALOG_EDITORS))
def update_service(request, slug: str, payload: ServiceIn):
    """Change a service's content; an owner's change to a published service stays pending."""
    service = _visible(request, slug)
    data = {**content_of(service), **(service.pending or {}), **payload.content}
    return _run(services.service_update, user=request.auth, service=service, data=data)


@router.post("/services/{slug}/submit", response=ServiceDetail, auth=roles(CATALOG_EDITORS))
def submit_service(request, slug: str):
    return _run(services.service_submit, user=request.auth, service=_visible(request, slug))


@router.post("/services/{slug}/publish", response=ServiceDetail,
             auth=roles(CATALOG_MANAGERS))
def publish_service(request, slug: str, payload: NoteIn):
    return _run(services.service_publish, user=request.auth, service=_visible(request, slug),
                note=payload.note)


@router.post("/services/{slug}/send-back", response=ServiceDetail,
             auth=roles(CATALOG_MANAGERS))
def send_back_service(request, slug: str, payload: NoteIn):
    return _run(services.service_send_back, user=request.auth,
                service=_visible(request, slug), note=payload.note)


@router.post("/services/{slug}/unpublish", response=ServiceDetail,
             auth=roles(CATALOG_MANAGERS))
def unpublish_service(request, slug: str, payload: NoteIn):
    return _run(services.service_unpublish, user=request.auth,
                service=_visible(request, slug), note=payload.note)


@router.post("/services/{slug}/lifecycle", response=ServiceDetail,
             auth=roles(CATALOG_EDITORS))
def change_lifecycle(request, slug: str, payload: LifecycleIn):
    replacement = (_visible(request, payload.replacement) if payload.replacement else None)
    return _run(services.service_change_lifecycle, user=request.auth,
                service=_visible(request, slug), to=payload.to, replacement=replacement,
                note=payload.note)
