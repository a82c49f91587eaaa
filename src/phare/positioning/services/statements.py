"""Writes to the positioning statement of a study: drafts and their publication.

Rules:
- Only the positioning managers (``POSITIONING_MANAGERS``) write; others get
  :class:`~django.core.exceptions.PermissionDenied`.
- A study has at most one draft: saving edits it, or starts a new version when there is none.
  Published and replaced versions are never edited: a new draft starts from the published text
  (the form's initial values, :func:`phare.positioning.outputs.statement_initial`).
- Publishing a draft replaces the published version (archived): one published per study.
- Every part of the classic form is required in French; English is optional.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.policy import has_role
from phare.accounts.roles import POSITIONING_MANAGERS
from phare.audit.actions import Action
from phare.audit.services import record
from phare.positioning.models import Statement, Study

S = Statement.Status
#: The fields a statement's save may set: each part in French and English.
PART_FIELDS = tuple(f"{part}_{lang}" for part in Statement.PARTS for lang in ("fr", "en"))
#: Codes of the refusals that concern the object's state, not the input (the API's 409).
CONFLICTS = frozenset({"transition"})


def refuse_unless_manager(user: Any) -> None:
    """Refuse (403) anyone who is not a positioning manager."""
    if not has_role(user, POSITIONING_MANAGERS):
        raise PermissionDenied(_("Only the marketing lead and administrators change the "
                                 "positioning study's outputs."))


@transaction.atomic
def statement_save(*, user: Any, study: Study, **parts: str) -> Statement:
    """Save the study's draft statement (a new version when there is no draft): ``parts``
    are ``<part>_fr`` and ``<part>_en`` for each of :attr:`Statement.PARTS`."""
    refuse_unless_manager(user)
    unknown = sorted(set(parts) - set(PART_FIELDS))
    if unknown:
        raise TypeError(f"statement_save() got unknown fields: {', '.join(unknown)}")
    # The study's row serialises versions: two managers saving at once make one draft.
    Study.objects.select_for_update().get(pk=study.pk)
    draft = study.statements.filter(status=S.DRAFT).order_by("-version").first()
    if draft is None:
        last = study.statements.aggregate(last=Max("version"))["last"] or 0
        draft = Statement(study=study, version=last + 1, created_by=user)
    for field in PART_FIELDS:
        setattr(draft, field, (parts.get(field) or "").strip())
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def statement_publish(*, user: Any, statement: Statement, now: Any = None) -> Statement:
    """Publish a draft; the version published until now is archived."""
    refuse_unless_manager(user)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != S.DRAFT:
        raise ValidationError({"status": ValidationError(
            _("Only a draft is published: version %(version)s is “%(status)s”.") % {
                "version": statement.version, "status": S(statement.status).label},
            code="transition")})
    statement.full_clean()
    (Statement.objects.filter(study_id=statement.study_id, status=S.PUBLISHED)
     .update(status=S.ARCHIVED))
    statement.status = S.PUBLISHED
    statement.published_at = now or timezone.now()
    statement.save(update_fields=["status", "published_at"])
    record(action=Action.PUBLICATION, actor=user, target=statement,
           details={"study": statement.study_id, "version": statement.version})
    return statement
