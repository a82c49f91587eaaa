"""Saved audiences, for the marketing lead and administrators: the list with each one's size
now (released through the disclosure rules) and its criteria in words, the criteria form with
the size shown live as they change, and deletion (refused while actions use the audience)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.comms import policy, queries
from phare.comms.forms import AudienceForm
from phare.comms.models import Audience
from phare.comms.services import plans

#: The fields that are not criteria (their errors do not stop the live size).
NOT_CRITERIA = ("name", "description", "language")


@allow(policy.COMMS_MANAGERS)
def audience_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "comms/audiences.html", {"rows": queries.audience_list(),
                                                    "min_group": queries.min_group()})


def _service_errors(form: AudienceForm, exc: ValidationError) -> None:
    """A refusal of ``plans.audience_save`` on the form's fields (criteria paths mapped)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        field = name if name in NOT_CRITERIA else form.field_of(name)
        form.add_error(field, errors)


def _form(request: SignedInRequest, audience: Audience | None) -> HttpResponse:
    initial = AudienceForm.initial_for(audience) if audience is not None else None
    form = AudienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = plans.audience_save(user=request.user, audience=audience,
                                        name=data["name"], description=data["description"],
                                        criteria=form.criteria(),
                                        language=data["language"])
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Audience “%(name)s” saved.") % {"name": saved.name})
            return redirect("comms:audiences")
    criteria = audience.criteria if audience is not None and not form.is_bound else None
    return render(request, "comms/audience_form.html", {
        "form": form, "audience": audience,
        "size": queries.released_size(criteria) if criteria is not None else None,
        "description": queries.describe(criteria) if criteria is not None else [],
        "min_group": queries.min_group()})


@allow(policy.COMMS_MANAGERS)
def audience_new(request: SignedInRequest) -> HttpResponse:
    return _form(request, None)


@allow(policy.COMMS_MANAGERS)
def audience_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Audience, pk=pk))


@allow(policy.COMMS_MANAGERS)
@require_POST
def audience_size(request: SignedInRequest) -> HttpResponse:
    """The size of the criteria being written (htmx, on every change of the form)."""
    form = AudienceForm(request.POST)
    form.is_valid()
    errors = {name: list(found) for name, found in form.errors.items()
              if name not in NOT_CRITERIA}
    criteria = form.criteria() if not errors else None
    return render(request, "comms/_audience_size.html", {
        "form": form, "errors": [(form.fields[name].label if name in form.fields else "",
                                  message) for name, found in errors.items()
                                 for message in found],
        "size": queries.released_size(criteria) if criteria is not None else None,
        "description": queries.describe(criteria) if criteria is not None else [],
        "min_group": queries.min_group()})


@allow(policy.COMMS_MANAGERS)
@require_POST
def audience_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    audience = get_object_or_404(Audience, pk=pk)
    try:
        plans.audience_delete(user=request.user, audience=audience)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("comms:audiences")
    messages.success(request, _("Audience “%(name)s” deleted.") % {"name": audience.name})
    return redirect("comms:audiences")
