"""Writes to the communication plan: plans, objectives, saved audiences, webhooks, actions and
their workflow (status changes, approvals), comments and attachments.

Rules:
- Who may do what is :mod:`phare.comms.policy`'s: a refusal by role raises
  :class:`~django.core.exceptions.PermissionDenied`; a refusal by state (a move the workflow
  does not have, a plan whose actions went out, an audience in use) raises a
  :class:`~django.core.exceptions.ValidationError` whose code is in :data:`CONFLICTS`; bad
  input raises a ``ValidationError`` naming each field. Nothing is written then.
- An action's content must be complete from ``ready`` on: a subject and a text in each of its
  languages, an audience or everyone for an email or an invitation (not both, ever), a webhook
  for a Teams or Slack post, the start and end of an event, the last day of portal news.
- Changing what an approved action says, or to whom, sends it back to ``ready``: the approval is
  withdrawn, and the history says so. Once it goes out, that content no longer changes.
- A company-wide email (``everyone``) is approved by an executive only (``policy.can_approve``).
- Every step of an action's life is a row of its history (:class:`ActionChange`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.comms import audiences, objectives, policy
from phare.comms.models import (
    Action,
    ActionChange,
    Attachment,
    Audience,
    Objective,
    Plan,
    Webhook,
)
from phare.contact.models import Category
from phare.lib.i18n import reader_language

S = Action.Status
C = Action.Channel

#: Codes of the refusals that concern the object's state, not the input (the API's 409).
CONFLICTS = frozenset({"transition", "sent", "in_use"})
MAX_COMMENT = 4000
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
#: What may be attached to an action: visuals, briefs, slides.
ATTACHMENT_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".docx",
                         ".pptx", ".xlsx", ".odt", ".odp", ".ods", ".txt", ".md", ".csv")

#: What is said and to whom: changing it withdraws an approval, and it is fixed once sent.
CONTENT_FIELDS = ("channel", "category", "mandatory", "audience", "everyone", "languages",
                  "subject_fr", "subject_en", "body_fr", "body_en", "webhook", "location",
                  "starts_at", "ends_at", "expires_on", "holdout_percent", "services")
#: What still changes once an action went out.
AFTER_SENDING = frozenset({"title", "language", "objective", "budget", "owner", "contributors",
                           "kind"})


class ActionFields(TypedDict, total=False):
    """The fields of an action a save may set (every other one is the workflow's)."""

    objective: Objective | None
    title: str
    language: str
    kind: str
    channel: str
    category: str
    mandatory: bool
    audience: Audience | None
    everyone: bool
    languages: list[str]
    owner: Any
    contributors: list[Any]
    starts_on: dt.date
    ends_on: dt.date | None
    send_at: dt.datetime | None
    budget: Decimal | None
    services: list[Service]
    subject_fr: str
    subject_en: str
    body_fr: str
    body_en: str
    webhook: Webhook | None
    location: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    capacity: int | None
    expires_on: dt.date | None
    holdout_percent: int
    origin: str


ACTION_FIELDS = frozenset(ActionFields.__annotations__)
_M2M = ("contributors", "services")


def invalid(field: str, message: str, code: str) -> ValidationError:
    """A refusal about one field, with a code callers (and the API) can test."""
    return ValidationError({field: ValidationError(message, code=code)})


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _record(action: Action, *, user: Any, to: str = "", previous: str = "",
            comment: str = "") -> ActionChange:
    return ActionChange.objects.create(action=action, from_status=previous, to_status=to,
                                       comment=comment, by=user)


def _merge(errors: dict[str, list[ValidationError]], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
    else:
        errors.setdefault("__all__", []).extend(exc.error_list)


def _raise(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _written_in(obj: Plan | Objective | Audience | Action, language: str | None) -> None:
    """Set the language ``obj``'s texts are written in: ``language`` when given, else the
    writer's for a new one (an existing one keeps its own); ``full_clean`` checks the code."""
    if language is not None:
        obj.language = language
    elif obj.pk is None:
        obj.language = reader_language()


# Plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, user: Any, plan: Plan | None = None, name: str, starts_on: dt.date,
              ends_on: dt.date, description: str = "",
              contributors: Iterable[Any] | None = None, language: str | None = None) -> Plan:
    """Create a plan (``plan`` None) or change it; ``contributors`` None keeps them;
    ``language``: the one its name and description are written in (None: the writer's for a
    new plan, unchanged for an existing one)."""
    _refuse_unless(policy.can_edit_plan(user, plan), _("Only the marketing lead and "
                                                       "administrators change plans."))
    if plan is None:
        plan = Plan(created_by=user)
    else:
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.name, plan.description = name.strip(), description.strip()
    plan.starts_on, plan.ends_on = starts_on, ends_on
    _written_in(plan, language)
    errors: dict[str, list[ValidationError]] = {}
    try:
        plan.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(ValidationError(
            _("The plan ends before it starts."), code="dates"))
    _raise(errors)
    plan.save()
    if contributors is not None:
        plan.contributors.set(list(contributors))
    return plan


def plan_sent(plan: Plan) -> bool:
    """Whether any action of the plan went out (then the plan is kept)."""
    return plan.actions.filter(status__in=policy.SENT_STATUSES).exists() or (
        plan.actions.filter(sent_at__isnull=False).exists())


def _delete_files(names: list[str]) -> None:
    """Delete stored files once the transaction that forgot them commits."""
    storage = Attachment._meta.get_field("file").storage

    def delete(name: str) -> None:
        transaction.on_commit(lambda: storage.delete(name))

    for name in names:
        delete(name)


@transaction.atomic
def plan_delete(*, user: Any, plan: Plan) -> None:
    """Delete a plan with its objectives and actions — refused once one of them was sent."""
    _refuse_unless(policy.can_edit_plan(user, plan), _("Only the marketing lead and "
                                                       "administrators delete plans."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan_sent(plan):
        raise invalid("plan", _("Actions of this plan were sent: it is kept with their "
                                "results."), "sent")
    files = list(Attachment.objects.filter(action__plan=plan).values_list("file", flat=True))
    plan.delete()
    _delete_files(files)


# Objectives ---------------------------------------------------------------------------------


@transaction.atomic
def objective_save(*, user: Any, plan: Plan, objective: Objective | None = None, title: str,
                   metric: str = Objective.Metric.NONE, params: dict[str, Any] | None = None,
                   baseline: Decimal | None = None, target: Decimal | None = None,
                   due_on: dt.date | None = None, source: str = "",
                   position: int | None = None, language: str | None = None) -> Objective:
    """Create or change an objective of ``plan``; its figure's parameters are checked by
    :func:`phare.comms.objectives.check_params`; ``language``: the one its title is written
    in (None: the writer's for a new objective, unchanged for an existing one)."""
    _refuse_unless(policy.can_edit_plan(user, plan), _("Only the marketing lead and "
                                                       "administrators change objectives."))
    if objective is None:
        objective = Objective(plan=plan)
        if position is None:
            position = plan.objectives.count()
    else:
        objective = Objective.objects.select_for_update().get(pk=objective.pk, plan=plan)
    objective.title, objective.metric, objective.source = title.strip(), metric, source.strip()
    objective.baseline, objective.target, objective.due_on = baseline, target, due_on
    _written_in(objective, language)
    if position is not None:
        objective.position = position
    errors: dict[str, list[ValidationError]] = {}
    try:
        objective.params = objectives.check_params(metric, params or {})
    except ValidationError as exc:
        _merge(errors, exc)
        objective.params = {}
    try:
        objective.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _raise(errors)
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, user: Any, objective: Objective) -> None:
    """Delete an objective; its actions stay in the plan, without an objective."""
    _refuse_unless(policy.can_edit_plan(user, objective.plan),
                   _("Only the marketing lead and administrators change objectives."))
    objective.delete()


# Audiences and webhooks ---------------------------------------------------------------------


@transaction.atomic
def audience_save(*, user: Any, audience: Audience | None = None, name: str,
                  criteria: dict[str, Any], description: str = "",
                  language: str | None = None) -> Audience:
    """Create or change a saved audience; its criteria are checked and normalised by
    :func:`phare.comms.audiences.check` (errors as ``criteria.<field>``); ``language``: the
    one its name and description are written in (None: the writer's for a new audience,
    unchanged for an existing one)."""
    _refuse_unless(policy.is_manager(user), _("Only the marketing lead and administrators "
                                              "change audiences."))
    if audience is None:
        audience = Audience(created_by=user)
    else:
        audience = Audience.objects.select_for_update().get(pk=audience.pk)
    audience.name, audience.description = name.strip(), description.strip()
    _written_in(audience, language)
    errors: dict[str, list[ValidationError]] = {}
    try:
        audience.criteria = audiences.check(criteria)
    except audiences.AudienceInvalid as exc:
        for field, reason in exc.details:
            key = f"criteria.{field}" if field else "criteria"
            errors.setdefault(key, []).append(ValidationError(str(reason), code="criteria"))
        audience.criteria = {}
    try:
        audience.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _raise(errors)
    audience.save()
    return audience


@transaction.atomic
def audience_delete(*, user: Any, audience: Audience) -> None:
    """Delete a saved audience no action uses."""
    _refuse_unless(policy.is_manager(user), _("Only the marketing lead and administrators "
                                              "change audiences."))
    if Action.objects.filter(audience=audience).exists():
        raise invalid("audience", _("Actions use this audience: change them first."),
                      "in_use")
    audience.delete()


@transaction.atomic
def webhook_save(*, user: Any, webhook: Webhook | None = None, name: str, kind: str,
                 url: str) -> Webhook:
    """Create or change a Teams or Slack incoming webhook."""
    _refuse_unless(policy.is_manager(user), _("Only the marketing lead and administrators "
                                              "change webhooks."))
    if webhook is None:
        webhook = Webhook()
    else:
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    webhook.name, webhook.kind, webhook.url = name.strip(), kind, url.strip()
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, user: Any, webhook: Webhook) -> None:
    """Delete a webhook no action uses."""
    _refuse_unless(policy.is_manager(user), _("Only the marketing lead and administrators "
                                              "change webhooks."))
    if Action.objects.filter(webhook=webhook).exists():
        raise invalid("webhook", _("Actions post through this webhook: change them first."),
                      "in_use")
    webhook.delete()


# Actions ------------------------------------------------------------------------------------


def _value(action: Action, field: str, pending: dict[str, Any]) -> Any:
    if field in pending:
        return pending[field]
    if field in _M2M:
        return list(getattr(action, field).all()) if action.pk else []
    return getattr(action, field)


def _same(a: Any, b: Any) -> bool:
    """Whether a field's old and new values are the same (objects by id, in any order)."""
    if isinstance(a, list) and isinstance(b, list) and all(hasattr(x, "pk") for x in a + b):
        return {x.pk for x in a} == {x.pk for x in b}
    return bool(a == b)


def completeness_errors(action: Action) -> dict[str, list[ValidationError]]:
    """What ``action`` lacks to be ready to go out (empty when complete)."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code="incomplete"))

    languages = action.languages or []
    if not languages:
        add("languages", _("Choose the language(s) of the message."))
    for code in languages:
        if code not in LANGUAGE_CODES:
            continue
        if not (getattr(action, f"subject_{code}") or "").strip():
            add(f"subject_{code}", _("Write the subject in this language."))
        if not (getattr(action, f"body_{code}") or "").strip():
            add(f"body_{code}", _("Write the text in this language."))
    if action.channel in (C.EMAIL, C.EVENT) and not action.everyone and action.audience_id is None:
        add("audience", _("Choose an audience, or everyone."))
    if action.channel == C.WEBHOOK and action.webhook_id is None:
        add("webhook", _("Choose the Teams or Slack channel to post to."))
    if action.channel == C.EVENT:
        if action.starts_at is None:
            add("starts_at", _("Say when the event starts."))
        if action.ends_at is None:
            add("ends_at", _("Say when the event ends."))
    if action.channel == C.PORTAL and action.expires_on is None:
        add("expires_on", _("Say until when the news is shown."))
    return errors


def _check_action(action: Action, *, changed: set[str], plan: Plan,
                  now: dt.datetime) -> dict[str, list[ValidationError]]:
    """Every error of ``action`` as it would be saved (fields set, many-to-many aside)."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str = "invalid") -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        action.full_clean(exclude=["plan"])
    except ValidationError as exc:
        _merge(errors, exc)
    languages = action.languages
    if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
        add("languages", _("Give a list of language codes."))
    else:
        unknown = [c for c in languages if c not in LANGUAGE_CODES]
        if unknown:
            add("languages", _("Unknown language: %(codes)s (choose among %(known)s).") % {
                "codes": ", ".join(unknown), "known": ", ".join(LANGUAGE_CODES)})
        elif len(set(languages)) != len(languages):
            add("languages", _("A language is given twice."))
    if action.objective_id is not None and action.objective is not None and (
            action.objective.plan_id != plan.pk):
        add("objective", _("The objective is not one of this plan's."))
    if action.everyone and action.audience_id is not None:
        add("audience", _("Choose an audience or everyone, not both."))
    if action.webhook_id is not None and action.channel != C.WEBHOOK:
        add("webhook", _("Only a Teams or Slack post goes through a webhook."))
    if action.mandatory and action.category != Category.NOTICE:
        add("mandatory", _("Only a service notice can be mandatory: choose the category "
                           "“notice”."))
    if action.starts_on and action.ends_on and action.ends_on < action.starts_on:
        add("ends_on", _("The action ends before it starts."))
    if action.starts_at and action.ends_at and action.ends_at <= action.starts_at:
        add("ends_at", _("The event ends before it starts."))
    if action.starts_on and action.expires_on and action.expires_on < action.starts_on:
        add("expires_on", _("The news would expire before it is shown."))
    if action.send_at is not None and "send_at" in changed and action.send_at < now:
        add("send_at", _("The time to send it is past."), "past")
    if action.status in policy.COMPLETE_STATUSES:
        for field, items in completeness_errors(action).items():
            errors.setdefault(field, []).extend(items)
    return errors


@transaction.atomic
def action_save(*, user: Any, plan: Plan | None = None, action: Action | None = None,
                now: dt.datetime | None = None, **fields: Any) -> Action:
    """Create an action in ``plan`` (status idea) or change ``action``: any field of
    :class:`ActionFields`; those not given keep their value (their default for a new one;
    a new one's title is written in the writer's language unless ``language`` says).

    Changing the content of an approved action sends it back to ``ready`` (recorded); once it
    went out, only its title, kind, objective, budget, owner and contributors change.
    """
    unknown = sorted(set(fields) - ACTION_FIELDS)
    if unknown:
        raise TypeError(f"action_save() got unknown fields: {', '.join(unknown)}")
    now = now or timezone.now()
    if action is None:
        if plan is None:
            raise TypeError("action_save() needs a plan or an action")
        _refuse_unless(policy.can_edit_plan(user, plan), _(
            "Only the marketing lead and administrators add actions to a plan."))
        action = Action(plan=plan, created_by=user, owner=user if user else None,
                        language=reader_language())
        previous: dict[str, Any] = {}
    else:
        action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
        plan = action.plan
        _refuse_unless(policy.can_edit_action(user, action),
                       _("Only the action's owner, its contributors and the marketing lead "
                         "change it."))
        previous = {field: _value(action, field, {}) for field in fields}
    changed = {field for field, value in fields.items()
               if not action.pk or not _same(previous[field], value)}
    errors: dict[str, list[ValidationError]] = {}
    if action.status in policy.SENT_STATUSES:
        for field in sorted(changed - AFTER_SENDING):
            errors.setdefault(field, []).append(ValidationError(
                _("The action was sent: this no longer changes."), code="sent"))
    for field, value in fields.items():
        if field in _M2M:
            continue
        if isinstance(value, str) and field not in ("languages",):
            value = value.strip()
        setattr(action, field, value)
    withdrawn = False
    if action.pk and action.status == S.APPROVED and changed & set(CONTENT_FIELDS):
        action.status, action.approved_by, action.approved_at = S.READY, None, None
        withdrawn = True
    for field, items in _check_action(action, changed=changed, plan=plan, now=now).items():
        errors.setdefault(field, []).extend(items)
    if errors:
        if any(e.code == "sent" for items in errors.values() for e in items):
            errors = {f: items for f, items in errors.items()
                      if any(e.code == "sent" for e in items)}
        raise ValidationError(errors)
    created = action.pk is None
    action.save()
    for field in _M2M:
        if field in fields:
            getattr(action, field).set(list(fields[field]))
    if created:
        _record(action, user=user, to=action.status)
    elif withdrawn:
        _record(action, user=user, previous=S.APPROVED, to=S.READY,
                comment=_("The content changed: the approval is withdrawn."))
    return action


@transaction.atomic
def action_transition(*, action: Action, user: Any, to: str, comment: str = "",
                      now: dt.datetime | None = None) -> ActionChange:
    """Move ``action`` to status ``to`` if :func:`phare.comms.policy.transitions` lets
    ``user``; approving records who and when."""
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    _refuse_unless(policy.can_see_plan(user, action.plan), _("This plan is not yours to see."))
    comment = comment.strip()
    if to not in S.values:
        raise invalid("to", _("Unknown status: %(to)s.") % {"to": to}, "invalid")
    if to in (S.SENDING, S.DONE):
        raise invalid("to", _("An action is done once it is sent or published."), "transition")
    if len(comment) > MAX_COMMENT:
        raise invalid("comment", _("At most %(n)s characters.") % {"n": MAX_COMMENT}, "long")
    if to not in policy.transitions(user, action):
        if to in policy.FLOW.get(action.status, ()):
            if to == S.APPROVED and policy.needs_executive(action):
                raise PermissionDenied(_("A company-wide email is approved by an executive."))
            raise PermissionDenied(_("Your role does not allow this change."))
        raise invalid("to", _("An action that is “%(current)s” cannot become “%(to)s”.") % {
            "current": S(action.status).label, "to": S(to).label}, "transition")
    if to in (S.READY, S.APPROVED):
        _raise(completeness_errors(action))
    previous, action.status = action.status, to
    if to == S.APPROVED:
        action.approved_by, action.approved_at = user, now or timezone.now()
    elif previous == S.APPROVED and to == S.READY:
        action.approved_by, action.approved_at = None, None
    action.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return _record(action, user=user, previous=previous, to=to, comment=comment)


@transaction.atomic
def action_comment(*, action: Action, user: Any, text: str) -> ActionChange:
    """A comment in the action's history (anyone who sees its plan)."""
    _refuse_unless(policy.can_comment(user, action), _("This plan is not yours to see."))
    text = text.strip()
    if not text:
        raise invalid("text", _("Write a comment."), "required")
    if len(text) > MAX_COMMENT:
        raise invalid("text", _("At most %(n)s characters.") % {"n": MAX_COMMENT}, "long")
    return _record(action, user=user, comment=text)


def attachment_limit() -> int:
    """The largest attachment, in bytes (the imports' limit)."""
    return int(settings.PHARE_MAX_IMPORT_BYTES)


@transaction.atomic
def attachment_add(*, action: Action, user: Any, file: UploadedFile) -> Attachment:
    """Attach a file (a visual, a brief) to an action: of a known type, within the limit."""
    _refuse_unless(policy.can_edit_action(user, action),
                   _("Only the action's owner, its contributors and the marketing lead "
                     "change it."))
    name = os.path.basename(file.name or "")[:200]
    if not name.lower().endswith(ATTACHMENT_EXTENSIONS):
        raise invalid("file", _("“%(name)s” is not a file that can be attached (%(types)s).")
                      % {"name": name, "types": ", ".join(ATTACHMENT_EXTENSIONS)}, "type")
    size = int(file.size or 0)
    if size > attachment_limit():
        raise invalid("file", _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(attachment_limit())}, "size")
    attachment = Attachment(action=action, name=name, size=size, uploaded_by=user)
    attachment.file.save(name, file, save=False)
    try:
        attachment.full_clean()
    except ValidationError:
        attachment.file.delete(save=False)
        raise
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user: Any) -> None:
    """Remove an attachment (its file goes once the removal is committed)."""
    _refuse_unless(policy.can_edit_action(user, attachment.action),
                   _("Only the action's owner, its contributors and the marketing lead "
                     "change it."))
    name = attachment.file.name
    attachment.delete()
    if name:
        _delete_files([name])
