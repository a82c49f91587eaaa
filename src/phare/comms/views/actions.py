"""An action's pages (under ``/comms/``): its form, its page (the message previewed in each
language, a test email to oneself, the status changes the reader may make, the approval, the
sending, the results, comments, attachments and history), and its printable message (HTML
or PDF).

An action of a plan the reader is not named on is a 404; a change their role does not allow
is refused by :mod:`phare.comms.services.plans` (a 403, or a message on the page for the
buttons). The writes go through the services; the send is a background job whose progress
page (``jobs:detail``) the reader is sent to when they may open it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow, has_role
from phare.accounts.roles import JOB_USERS
from phare.comms import emails, figures, policy, queries
from phare.comms.forms import (
    ActionForm,
    AttachmentForm,
    CommentForm,
    PreviewForm,
    TransitionForm,
    add_service_errors,
)
from phare.comms.models import Action, Attachment
from phare.comms.services import plans as services
from phare.comms.services import sending
from phare.comms.views.plans import visible_plan
from phare.lib.pdf import PdfUnavailable, html_to_pdf

T = "comms/"
S = Action.Status

#: What each status change's button says (the approval is withdrawn by going back to ready).
MOVES: dict[str, Any] = {
    S.IDEA: gettext_lazy("Back to idea"),
    S.PLANNED: gettext_lazy("Mark as planned"),
    S.READY: gettext_lazy("Mark as ready"),
    S.APPROVED: gettext_lazy("Approve"),
    S.MEASURED: gettext_lazy("Mark as measured"),
    S.CANCELLED: gettext_lazy("Cancel the action"),
}


def visible_action(request: SignedInRequest, pk: int) -> Action:
    """The action ``pk`` if the reader may see its plan (a 404 otherwise)."""
    try:
        action = queries.action_detail(pk)
    except Action.DoesNotExist:
        raise Http404 from None
    if not policy.can_see_action(request.user, action):
        raise Http404
    return action


def _refusal(exc: ValidationError | PermissionDenied | sending.SendRefused) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, sending.SendRefused):
        return exc.message
    return str(exc) or _("Your role does not allow this change.")


def _action_form(request: SignedInRequest, plan: Any, action: Action | None) -> HttpResponse:
    initial = ActionForm.initial_for(action) if action else {
        "languages": ["fr", "en"], "starts_on": plan.starts_on, "owner": request.user}
    form = ActionForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.action_save(user=request.user, plan=None if action else plan,
                                         action=action, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Action saved."))
            return redirect("comms:action", pk=saved.pk)
    return render(request, T + "action_form.html",
                  {"form": form, "plan": plan, "action": action})


@allow(policy.COMMS_USERS)
def action_new(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return _action_form(request, plan, None)


@allow(policy.COMMS_USERS)
def action_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    action = visible_action(request, pk)
    if not policy.can_edit_action(request.user, action):
        raise PermissionDenied
    return _action_form(request, action.plan, action)


def _languages(action: Action) -> list[str]:
    return [code for code in (action.languages or []) if code in ("fr", "en")] or ["fr"]


def _preview_context(action: Action, language: str, reader: Any) -> dict[str, Any]:
    """The preview with the reader's own merge fields (their first name, unit…), when they
    are in the directory; the fields as typed otherwise."""
    return {"action": action, "language": language, "preview_languages": _languages(action),
            "preview": emails.preview(action, language=language,
                                      person=getattr(reader, "person", None))}


@allow(policy.COMMS_USERS)
def action_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """Everything about an action, and what the reader may do with it now."""
    return _action_page(request, visible_action(request, pk))


def _action_page(request: SignedInRequest, action: Action,
                 **sent_back: forms.Form) -> HttpResponse:
    """The action's page; ``sent_back`` are its forms posted with errors (``comment_form``,
    ``attachment_form``), shown with their error summary instead of empty ones."""
    page = queries.action_page(request.user, action)
    form = PreviewForm(request.GET or None)
    language = (form.cleaned_data["language"] if form.is_valid() and form.cleaned_data[
        "language"] in _languages(action) else _languages(action)[0])
    audience = action.audience
    context: dict[str, Any] = {
        "action": action, "page": page, "plan": action.plan,
        "moves": [(to, MOVES.get(to, S(to).label)) for to in page.transitions],
        "reach": figures.reach_rows(page.reach),
        "sent": action.status in policy.SENT_STATUSES or page.reach.get("audience") != 0,
        "audience_lines": queries.describe(audience.criteria) if audience else [],
        "audience_size": queries.released_size(audience.criteria) if audience else None,
        "testable": action.channel in sending.EMAIL_CHANNELS,
        "comment_form": sent_back.get("comment_form") or CommentForm(),
        "attachment_form": sent_back.get("attachment_form") or AttachmentForm(),
        "can_open_jobs": has_role(request.user, JOB_USERS),
    }
    context.update(_preview_context(action, language, request.user))
    return render(request, T + "action.html", context)


@allow(policy.COMMS_USERS)
def action_preview(request: SignedInRequest, pk: int) -> HttpResponse:
    """The message in one language, as :func:`phare.comms.emails.preview` renders it (the
    preview's tab; without htmx, the action's page on that tab)."""
    action = visible_action(request, pk)
    form = PreviewForm(request.GET)
    if not form.is_valid() or form.cleaned_data["language"] not in _languages(action):
        language = _languages(action)[0]
    else:
        language = form.cleaned_data["language"]
    if not request.htmx:
        return redirect(f"{action_url(action)}?language={language}#preview")
    return render(request, T + "_preview.html",
                  _preview_context(action, language, request.user))


def action_url(action: Action) -> str:
    return reverse("comms:action", args=[action.pk])


@allow(policy.COMMS_USERS)
@require_POST
def action_test(request: SignedInRequest, pk: int) -> HttpResponse:
    """Email the message in one language to the reader only."""
    action = visible_action(request, pk)
    if not policy.can_edit_action(request.user, action):
        raise PermissionDenied
    form = PreviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose French or English."))
        return redirect("comms:action", pk=action.pk)
    try:
        outcome = sending.deliver_test(action=action, user=request.user,
                                       language=form.cleaned_data["language"])
    except sending.SendRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Test email sent to %(address)s.") % {
            "address": outcome.message.to})
    return redirect(f"{action_url(action)}?language={form.cleaned_data['language']}#preview")


@allow(policy.COMMS_USERS)
@require_POST
def action_status(request: SignedInRequest, pk: int) -> HttpResponse:
    """Move the action to another status (approving records who and when)."""
    action = visible_action(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status the action may move to."))
        return redirect("comms:action", pk=action.pk)
    to = form.cleaned_data["to"]
    try:
        services.action_transition(action=action, user=request.user, to=to,
                                   comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("The action is now “%(status)s”.") % {
            "status": S(to).label})
    return redirect("comms:action", pk=action.pk)


@allow(policy.COMMS_USERS)
@require_POST
def action_send(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the approved action (a background job, whose page follows) or publish it when it
    has nothing to send (portal news, printed material)."""
    action = visible_action(request, pk)
    if not (policy.can_send(request.user, action) or policy.can_publish(request.user, action)):
        messages.error(request, _("This action cannot be sent now: it must be approved, and "
                                  "yours to change."))
        return redirect("comms:action", pk=action.pk)
    try:
        if action.channel in policy.PUBLISHED:
            sending.publish(action=action, user=request.user)
            messages.success(request, _("Published."))
            return redirect("comms:action", pk=action.pk)
        job = sending.send_start(action=action, user=request.user)
    except sending.SendRefused as exc:
        messages.error(request, exc.message)
        return redirect("comms:action", pk=action.pk)
    messages.success(request, _("Sending started: the page of the action shows its results "
                                "as they come."))
    if has_role(request.user, JOB_USERS):
        return redirect("jobs:detail", job_id=job.pk)
    return redirect("comms:action", pk=action.pk)


@allow(policy.COMMS_USERS)
@require_POST
def action_comment(request: SignedInRequest, pk: int) -> HttpResponse:
    action = visible_action(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.action_comment(action=action, user=request.user,
                                    text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Comment added."))
    else:
        return _action_page(request, action, comment_form=form)
    return redirect(f"{action_url(action)}#history")


@allow(policy.COMMS_USERS)
@require_POST
def attachment_add(request: SignedInRequest, pk: int) -> HttpResponse:
    action = visible_action(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(action=action, user=request.user,
                                    file=form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("File attached."))
    else:
        return _action_page(request, action, attachment_form=form)
    return redirect(f"{action_url(action)}#attachments")


def _attachment(request: SignedInRequest, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("action__plan"), pk=pk)
    if not policy.can_see_action(request.user, attachment.action):
        raise Http404
    return attachment


@allow(policy.COMMS_USERS)
def attachment_download(request: SignedInRequest, pk: int) -> FileResponse:
    """An attached file, to whoever sees the action's plan."""
    attachment = _attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@allow(policy.COMMS_USERS)
@require_POST
def attachment_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("File “%(name)s” removed.") % {"name": attachment.name})
    return redirect(f"{action_url(attachment.action)}#attachments")


@allow(policy.COMMS_USERS)
def action_print(request: SignedInRequest, pk: int) -> HttpResponse:
    """The message as a standalone page to print or hand to the intranet team (each of its
    languages, each on its own page once printed); ``?download=1`` saves it as an HTML file,
    ``?format=pdf`` as a PDF (A4, laid out by :mod:`phare.lib.pdf`, nothing fetched)."""
    action = visible_action(request, pk)
    context = {"action": action, "versions": queries.printable(action)}
    name = slugify(action.title) or f"action-{action.pk}"
    if request.GET.get("format") == "pdf":
        html = render_to_string(T + "print.html", context, request=request)
        try:
            pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
        except PdfUnavailable:
            messages.error(request, _("PDFs cannot be made on this server (its Pango library "
                                      "is missing): use the printable version."))
            return redirect(action_url(action))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = render(request, T + "print.html", context)
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return response
