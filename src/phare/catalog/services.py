"""Writes to the catalogue: create, edit (directly or as proposed changes), submit, publish,
send back, unpublish, change lifecycle — each recorded in the service's history.

Rules:
- Lifecycle: proposed → design → live → retiring → retired, with the transitions in
  ``LIFECYCLE_TRANSITIONS`` only; a retiring service names its replacement.
- Publication: draft → review (the owner submits) → published (the marketing lead publishes);
  the marketing lead may send a service back to draft, or unpublish a published one.
- A published service stays on the portal while its owner edits it: the owner's changes are kept
  as *pending* and replace the published content only when the marketing lead publishes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.audit.actions import Action as AuditAction
from phare.audit.services import record as audit_record
from phare.catalog import access
from phare.catalog.content import (
    CODE_LISTS,
    MONEY_FIELDS,
    TEXT_FIELDS,
    Content,
    check_content,
    content_of,
    diff,
    normalise,
)
from phare.catalog.history import as_text
from phare.catalog.models import (
    Commitment,
    Faq,
    FieldChange,
    NewsEntry,
    OfferFamily,
    Revision,
    Service,
)
from phare.directory.models import Person

L = Service.Lifecycle
P = Service.Publication
LIFECYCLE_TRANSITIONS: dict[str, set[str]] = {
    L.PROPOSED: {L.DESIGN, L.RETIRED},
    L.DESIGN: {L.LIVE, L.PROPOSED, L.RETIRED},
    L.LIVE: {L.RETIRING},
    L.RETIRING: {L.RETIRED, L.LIVE},
    L.RETIRED: set(),
}

#: The publication actions, in the order the pages offer them (see :func:`publication_actions`).
PUBLICATION_ACTIONS = ("submit", "publish", "send_back", "unpublish")


def publication_actions(*, user: Any, service: Service) -> list[str]:
    """The publication actions ``user`` may take on ``service`` in its present state, as the
    pages offer them: submit a draft or unsubmitted changes (its editors), publish what is not
    published or the pending changes, send back what waits for review, unpublish what is
    published (the marketing lead). The services below refuse what is not listed."""
    allowed = []
    if access.can_edit(user, service) and (
            service.publication == P.DRAFT or service.pending and not service.pending_submitted):
        allowed.append("submit")
    if access.can_publish(user):
        if service.publication != P.PUBLISHED or service.pending:
            allowed.append("publish")
        if service.publication == P.REVIEW or service.pending_submitted:
            allowed.append("send_back")
        if service.publication == P.PUBLISHED:
            allowed.append("unpublish")
    return allowed


def record_revision(
    *, service: Service, action: str, user: Any = None,
    changes: Sequence[tuple[str, Any, Any]] = (), note: str = "",
) -> Revision:
    """Add one entry to the service's history with the fields it changed."""
    revision = Revision.objects.create(service=service, action=action, by=user, note=note[:500])
    FieldChange.objects.bulk_create(
        FieldChange(revision=revision, field=name, old=as_text(old), new=as_text(new))
        for name, old, new in changes)
    return revision


@transaction.atomic
def apply_content(service: Service, data: Content) -> Service:
    """Write a checked, normalised content dict to ``service`` (saved, children replaced),
    recording nothing: the services below record the change in the history and index it."""
    for name in TEXT_FIELDS:
        setattr(service, name, data[name])
    service.family = OfferFamily.objects.get(code=data["family"])
    service.audience_everyone = data["audience_everyone"]
    service.cost_unit, service.charging = data["cost_unit"], data["charging"]
    for name in MONEY_FIELDS:
        setattr(service, name, Decimal(data[name]) if data[name] else None)
    people = {p.employee_id: p for p in Person.objects.filter(
        employee_id__in=[data["owner"], data["deputy"]])}
    service.owner = people.get(data["owner"])
    service.deputy = people.get(data["deputy"])
    service.replacement = (Service.objects.get(slug=data["replacement"])
                           if data["replacement"] else None)
    service.save()
    for name, model in CODE_LISTS.items():
        getattr(service, name).set(model.objects.filter(code__in=data[name]))
    service.related.set(Service.objects.filter(slug__in=data["related"]))
    service.commitments.all().delete()
    Commitment.objects.bulk_create(
        Commitment(service=service, position=i, text_fr=c["text_fr"], text_en=c["text_en"],
                   target=Decimal(c["target"]), unit=c["unit"])
        for i, c in enumerate(data["commitments"]))
    service.faqs.all().delete()
    Faq.objects.bulk_create(
        Faq(service=service, position=i, **f) for i, f in enumerate(data["faqs"]))
    service.news.all().delete()
    NewsEntry.objects.bulk_create(
        NewsEntry(service=service, date=dt.date.fromisoformat(n["date"]), title_fr=n["title_fr"],
                  title_en=n["title_en"], body_fr=n["body_fr"], body_en=n["body_en"])
        for n in data["news"])
    return service


def _checked(data: Content, *, slug: str | None) -> Content:
    data = normalise(data)
    errors = check_content(data, slug=slug)
    if errors:
        raise ValidationError(errors)
    return data


def _reindex(service: Service) -> None:
    from phare.catalog.search import index_service

    index_service(service)


#: Words the catalogue's own pages use in their addresses (``/catalogue/search/``…).
RESERVED_SLUGS = frozenset({"search", "manage", "new", "import", "export"})


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "service"
    if base in RESERVED_SLUGS:
        base = f"{base}-service"
    slug, n = base, 2
    while Service.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def service_create(*, user: Any, data: Content, slug: str | None = None) -> Service:
    """A new service, in draft, proposed; owners may create only services they own."""
    if not access.can_publish(user):
        if user.role != "owner" or not user.person_id:
            raise PermissionDenied
        data = {**data, "owner": data.get("owner") or user.person.employee_id}
    if slug is not None and (slug in RESERVED_SLUGS or Service.objects.filter(slug=slug).exists()):
        raise ValidationError({"slug": _("“%(slug)s” is already used; choose another "
                                         "identifier.") % {"slug": slug}})
    slug = slug or unique_slug(str(data.get("name_fr") or ""))
    data = _checked(data, slug=slug)
    if not access.can_publish(user) and user.person.employee_id not in (data["owner"],
                                                                        data["deputy"]):
        raise ValidationError({"owner": _("you can only create services you own or back up")})
    service = apply_content(Service(slug=slug), data)
    record_revision(service=service, action=Revision.Action.CREATED, user=user,
                    changes=diff({}, data))
    # Indexed from the start: the marketing lead and owners search drafts too (the portal's
    # audience rules decide who sees what, not the index).
    _reindex(service)
    return service


@transaction.atomic
def service_update(*, user: Any, service: Service, data: Content) -> Service:
    """Edit a service: applied at once, except an owner's edit of a published service, which
    becomes pending changes for the marketing lead to publish."""
    if not access.can_edit(user, service):
        raise PermissionDenied
    data = _checked(data, slug=service.slug)
    current = content_of(service)
    if service.publication == P.PUBLISHED and not access.can_publish(user):
        changes = diff(current, data)
        service.pending = {name: after for name, _before, after in changes} or None
        service.pending_by = user if changes else None
        service.pending_submitted = False
        service.save(update_fields=["pending", "pending_by", "pending_submitted", "updated_at"])
        if changes:
            record_revision(service=service, action=Revision.Action.PROPOSED, user=user,
                            changes=changes)
        return service
    changes = diff(current, data)
    if changes:
        apply_content(service, data)
        record_revision(service=service, action=Revision.Action.EDITED, user=user,
                        changes=changes)
        _reindex(service)
    return service


@transaction.atomic
def service_submit(*, user: Any, service: Service) -> Service:
    """The owner asks the marketing lead to publish the service (or its pending changes)."""
    if not access.can_edit(user, service):
        raise PermissionDenied
    if service.publication == P.PUBLISHED:
        if not service.pending:
            raise ValidationError(_("There are no changes to submit."))
        service.pending_submitted = True
        service.save(update_fields=["pending_submitted", "updated_at"])
    elif service.publication == P.DRAFT:
        service.publication = P.REVIEW
        service.save(update_fields=["publication", "updated_at"])
    else:
        raise ValidationError(_("This service is already waiting for review."))
    record_revision(service=service, action=Revision.Action.SUBMITTED, user=user)
    return service


@transaction.atomic
def service_publish(*, user: Any, service: Service, note: str = "") -> Service:
    """Publish a service, or the pending changes of a published one."""
    if not access.can_publish(user):
        raise PermissionDenied
    changes: list[tuple[str, Any, Any]] = []
    if service.pending:
        before = content_of(service)
        after = _checked({**before, **service.pending}, slug=service.slug)
        changes = diff(before, after)
        apply_content(service, after)
    elif service.publication == P.PUBLISHED:
        raise ValidationError(_("This service is already published."))
    changes = [("publication", service.publication, P.PUBLISHED)] * (
        service.publication != P.PUBLISHED) + changes
    service.publication, service.published_at = P.PUBLISHED, timezone.now()
    service.pending, service.pending_by, service.pending_submitted = None, None, False
    service.save()
    record_revision(service=service, action=Revision.Action.PUBLISHED, user=user,
                    changes=changes, note=note)
    audit_record(action=AuditAction.PUBLICATION, actor=user, target=service,
                 details={"published": True, "changed": [name for name, _a, _b in changes]})
    _reindex(service)
    return service


@transaction.atomic
def service_send_back(*, user: Any, service: Service, note: str) -> Service:
    """The marketing lead returns a service (or its pending changes) to its owner, saying why."""
    if not access.can_publish(user):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    if service.publication == P.REVIEW:
        service.publication = P.DRAFT
    elif service.pending_submitted:
        service.pending_submitted = False
    else:
        raise ValidationError(_("This service is not waiting for review."))
    service.save()
    record_revision(service=service, action=Revision.Action.RETURNED, user=user, note=note)
    return service


@transaction.atomic
def service_unpublish(*, user: Any, service: Service, note: str = "") -> Service:
    if not access.can_publish(user):
        raise PermissionDenied
    if service.publication != P.PUBLISHED:
        raise ValidationError(_("This service is not published."))
    service.publication = P.DRAFT
    service.save(update_fields=["publication", "updated_at"])
    record_revision(service=service, action=Revision.Action.UNPUBLISHED, user=user, note=note,
                    changes=[("publication", P.PUBLISHED, P.DRAFT)])
    audit_record(action=AuditAction.PUBLICATION, actor=user, target=service,
                 details={"published": False})
    _reindex(service)
    return service


@transaction.atomic
def service_change_lifecycle(*, user: Any, service: Service, to: str,
                             replacement: Service | None = None, note: str = "") -> Service:
    """Move a service along its lifecycle; only the allowed transitions."""
    if not access.can_edit(user, service):
        raise PermissionDenied
    if to not in LIFECYCLE_TRANSITIONS.get(service.lifecycle, set()):
        allowed = ", ".join(
            str(L(t).label) for t in sorted(LIFECYCLE_TRANSITIONS[service.lifecycle]))
        raise ValidationError({"lifecycle": _(
            "A service cannot go from “%(from)s” to “%(to)s”; allowed: %(allowed)s.") % {
                "from": L(service.lifecycle).label, "to": L(to).label if to in L.values else to,
                "allowed": allowed or _("none")}})
    changes = [("lifecycle", service.lifecycle, to)]
    if to == L.RETIRING:
        if replacement is None or replacement.pk == service.pk:
            raise ValidationError({"replacement": _(
                "A retiring service must name the service that replaces it.")})
        if service.replacement_id != replacement.pk:
            changes.append(("replacement", service.replacement.slug
                            if service.replacement is not None else "", replacement.slug))
        service.replacement = replacement
    service.lifecycle = to
    service.save(update_fields=["lifecycle", "replacement", "updated_at"])
    record_revision(service=service, action=Revision.Action.LIFECYCLE, user=user,
                    changes=changes, note=note)
    _reindex(service)
    return service
