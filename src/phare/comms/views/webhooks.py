"""The Teams and Slack channels the plan posts to, for the marketing lead and administrators:
the list (each address masked: it is a secret), the form (the address shows blank on a change
and a blank one keeps it), deletion (refused while actions post to the channel) and a test
post whose outcome is shown — never the address."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.comms import policy, queries, webhooks
from phare.comms.forms import ChannelForm, add_service_errors
from phare.comms.models import Webhook
from phare.comms.services import plans


@allow(policy.COMMS_MANAGERS)
def webhook_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "comms/webhooks.html", {"rows": queries.webhook_list()})


def _form(request: SignedInRequest, webhook: Webhook | None) -> HttpResponse:
    initial = ChannelForm.initial_for(webhook) if webhook is not None else None
    form = ChannelForm(request.POST or None, initial=initial, editing=webhook is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = data["url"] or (webhook.url if webhook is not None else "")
        try:
            saved = plans.webhook_save(user=request.user, webhook=webhook, name=data["name"],
                                       kind=data["kind"], url=url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Channel “%(name)s” saved.") % {"name": saved.name})
            return redirect("comms:webhooks")
    return render(request, "comms/webhook_form.html", {
        "form": form, "webhook": webhook,
        "row": queries.webhook_row(webhook) if webhook is not None else None})


@allow(policy.COMMS_MANAGERS)
def webhook_new(request: SignedInRequest) -> HttpResponse:
    return _form(request, None)


@allow(policy.COMMS_MANAGERS)
def webhook_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Webhook, pk=pk))


@allow(policy.COMMS_MANAGERS)
@require_POST
def webhook_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(Webhook, pk=pk)
    try:
        plans.webhook_delete(user=request.user, webhook=webhook)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Channel “%(name)s” deleted.") % {"name": webhook.name})
    return redirect("comms:webhooks")


@allow(policy.COMMS_MANAGERS)
@require_POST
def webhook_test(request: SignedInRequest, pk: int) -> HttpResponse:
    """Post a short test card to the channel and say what became of it."""
    webhook = get_object_or_404(Webhook, pk=pk)
    posted = webhooks.post_test(webhook)
    if posted.ok:
        messages.success(request, _("The test post reached “%(name)s”: look for it in the "
                                    "channel.") % {"name": webhook.name})
    else:
        messages.error(request, _("The test post to “%(name)s” failed: %(error)s")
                       % {"name": webhook.name, "error": posted.error})
    return redirect("comms:webhooks")
