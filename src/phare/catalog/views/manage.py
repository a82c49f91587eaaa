"""Management pages for the marketing lead and service owners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.catalog import access, queries, services
from phare.catalog.access import CATALOG_EDITORS
from phare.catalog.content import (
    content_of,
    effective_content,
    normalise,
)
from phare.catalog.forms import LifecycleForm, ManageFilterForm, NoteForm, ServiceEditor
from phare.catalog.models import Service

PAGE_SIZE = 50


def _managed(request: SignedInRequest, slug: str) -> Service:
    found = access.services_managed_by(request.user).select_related(
        "family", "owner", "deputy", "replacement", "pending_by").filter(slug=slug).first()
    if found is None:
        if access.services_visible_to(request.user).filter(slug=slug).exists():
            raise PermissionDenied  # they can see it, but it is not theirs to change
        raise Http404
    return found


def _errors_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@allow(CATALOG_EDITORS)
def service_list(request: SignedInRequest) -> HttpResponse:
    form = ManageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = queries.ManageFilter(**{k: data.get(k) or "" for k in
                                ("q", "family", "lifecycle", "publication", "owner")})
    page = Paginator(queries.manage_list(request.user, f), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context = {"form": form, "page": page, "queue": queries.review_queue(request.user),
               "can_publish": access.can_publish(request.user)}
    if request.htmx:
        return render(request, "catalog/manage/_list_results.html", context)
    return render(request, "catalog/manage/list.html", context)


def _save(request: SignedInRequest, editor: ServiceEditor, service: Service | None) -> Any:
    """Run the create or update service; on refusal, put the reasons on the form."""
    try:
        if service is None:
            return services.service_create(user=request.user, data=editor.content())
        return services.service_update(user=request.user, service=service,
                                       data=editor.content())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            editor.add_errors({k: " ".join(v) for k, v in exc.message_dict.items()})
        else:
            editor.form.add_error(None, _errors_message(exc))
    return None


@allow(CATALOG_EDITORS)
def service_new(request: SignedInRequest) -> HttpResponse:
    initial = None
    if request.user.role == "owner" and (person := request.user.person) is not None:
        initial = {"audience_everyone": True, "cost_unit": "none", "charging": "included",
                   "owner": person.employee_id}
    editor = ServiceEditor(request.POST or None, initial=initial,
                           service_choices=queries.service_choices())
    if request.method == "POST" and editor.is_valid():
        created = _save(request, editor, None)
        if created is not None:
            messages.success(request, _("Service created as a draft."))
            return redirect("catalog:manage_detail", slug=created.slug)
    return render(request, "catalog/manage/edit.html", {"editor": editor, "service": None})


@allow(CATALOG_EDITORS)
def service_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    service = _managed(request, slug)
    editor = ServiceEditor(request.POST or None, initial=normalise(effective_content(service)),
                           service_choices=queries.service_choices(exclude=service))
    if request.method == "POST" and editor.is_valid():
        saved = _save(request, editor, service)
        if saved is not None:
            if saved.pending and not access.can_publish(request.user):
                messages.success(request, _("Your changes are saved as a proposal; the "
                                            "published page is unchanged until they are "
                                            "submitted and published."))
            else:
                messages.success(request, _("Service saved."))
            return redirect("catalog:manage_detail", slug=service.slug)
    return render(request, "catalog/manage/edit.html", {"editor": editor, "service": service})


def _publication_button(name: str, service: Service) -> dict[str, Any]:
    """How the page draws one publication action: its address, label, style and note field."""
    button: dict[str, Any] = {"name": name, "url": reverse(f"catalog:manage_{name}",
                                                           args=[service.slug]),
                              "style": "", "note": None}
    if name == "submit":
        button["label"] = _("Submit for review")
    elif name == "publish":
        button.update(label=_("Publish the changes") if service.pending else _("Publish"),
                      style="primary", note={"id": "publish-note", "required": False,
                                             "label": _("Note (optional)")})
    elif name == "send_back":
        button.update(label=_("Send back to its owner"),
                      note={"id": "send-back-note", "required": True,
                            "label": _("What should change")})
    else:
        button.update(label=_("Unpublish"), style="danger")
    return button


@allow(CATALOG_EDITORS)
def service_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    return _detail_page(request, _managed(request, slug))


def _detail_page(request: SignedInRequest, service: Service,
                 lifecycle_form: LifecycleForm | None = None) -> HttpResponse:
    """The service's management page; ``lifecycle_form`` when it was posted with errors."""
    current = content_of(service)
    pending = queries.pending_changes(service, current)
    actions = [_publication_button(name, service) for name in
               services.publication_actions(user=request.user, service=service)]
    context = {
        "service": service,
        "pending": pending,
        "history": queries.history(service),
        # Submitting sits with the page's own buttons; the rest is the marketing lead's review.
        "owner_actions": [a for a in actions if a["name"] == "submit"],
        "review_actions": [a for a in actions if a["name"] != "submit"],
        "lifecycle_form": lifecycle_form or LifecycleForm(
            service_choices=queries.service_choices(exclude=service)),
        "transitions": [Service.Lifecycle(t) for t in
                        sorted(services.LIFECYCLE_TRANSITIONS[service.lifecycle])],
        "note_form": NoteForm(),
    }
    return render(request, "catalog/manage/detail.html", context)


def _act(request: SignedInRequest, slug: str, action, success: str, **kwargs: Any) -> HttpResponse:
    service = _managed(request, slug)
    try:
        action(user=request.user, service=service, **kwargs)
    except ValidationError as exc:
        messages.error(request, _errors_message(exc))
    else:
        messages.success(request, success)
    return redirect("catalog:manage_detail", slug=slug)


@allow(CATALOG_EDITORS)
@require_POST
def service_submit(request: SignedInRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.service_submit,
                _("Submitted: the marketing lead will review it."))


@allow(access.CATALOG_MANAGERS)
@require_POST
def service_publish(request: SignedInRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.service_publish, _("Published."),
                note=request.POST.get("note", ""))


@allow(access.CATALOG_MANAGERS)
@require_POST
def service_send_back(request: SignedInRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.service_send_back, _("Sent back to its owner."),
                note=request.POST.get("note", ""))


@allow(access.CATALOG_MANAGERS)
@require_POST
def service_unpublish(request: SignedInRequest, slug: str) -> HttpResponse:
    return _act(request, slug, services.service_unpublish, _("Unpublished."),
                note=request.POST.get("note", ""))


@allow(CATALOG_EDITORS)
@require_POST
def service_lifecycle(request: SignedInRequest, slug: str) -> HttpResponse:
    form = LifecycleForm(request.POST, service_choices=queries.service_choices())
    if not form.is_valid():
        return _detail_page(request, _managed(request, slug), lifecycle_form=form)
    replacement = (Service.objects.filter(slug=form.cleaned_data["replacement"]).first()
                   if form.cleaned_data["replacement"] else None)
    return _act(request, slug, services.service_change_lifecycle, _("Lifecycle changed."),
                to=form.cleaned_data["to"], replacement=replacement,
                note=form.cleaned_data["note"])
