"""What people see of the communication plan: their own preferences (which categories of
messages they receive), the portal news fragment (on the portal's home and on service pages),
and, for the marketing lead and administrators, the quiet periods when nothing but service
notices reaches some units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import EVERYONE
from phare.comms import policy, queries
from phare.comms.forms import PreferenceForm, QuietPeriodForm, add_service_errors
from phare.contact import services as contact
from phare.contact.models import Category, QuietPeriod
from phare.listening.services import waves


@allow(EVERYONE)
def preferences(request: SignedInRequest) -> HttpResponse:
    """The reader's categories of messages; POST receives one again or stops it."""
    person = request.user.person if request.user.person_id else None
    if person is None:
        return render(request, "comms/preferences.html", {"person": None})
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a category of messages, and whether you want it."))
            return redirect("comms:preferences")
        category, receive = form.cleaned_data["category"], form.cleaned_data["receive"]
        try:
            if category == Category.SURVEY:
                if receive:
                    waves.opt_out_withdraw(person_id=person.pk)
                else:
                    waves.opt_out_record(person_id=person.pk)
            elif receive:
                contact.opt_in(person=person, category=category)
            else:
                contact.opt_out(person=person, category=category)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("comms:preferences")
        label = Category(category).label
        messages.success(request, (_("You receive “%(category)s” again.") if receive
                                   else _("You no longer receive “%(category)s”."))
                         % {"category": label})
        return redirect(reverse("comms:preferences") + f"?undo={category}&was={int(receive)}")
    rows = queries.preferences(person)
    # Just changed (``?undo=<category>&was=<1 received, 0 stopped>``): offer to take it back
    # while the category is still as the change left it.
    changed_to = request.GET.get("was") == "1"
    undo = next((row for row in rows if row.optional and row.category == request.GET.get("undo")
                 and row.receives == changed_to), None)
    return render(request, "comms/preferences.html", {"person": person, "rows": rows,
                                                      "undo": undo})


@allow(EVERYONE)
def news(request: SignedInRequest) -> HttpResponse:
    """The portal news of today (htmx fragment): every one, or those of one service."""
    service = request.GET.get("service", "")[:80]
    items = queries.portal_news(language=(get_language() or "fr")[:2],
                                today=timezone.localdate(), service=service)
    return render(request, "comms/_news.html", {"items": items, "service": service})


@allow(policy.COMMS_MANAGERS)
def quiet_periods(request: SignedInRequest) -> HttpResponse:
    return render(request, "comms/quiet_periods.html", {"periods": queries.quiet_period_list()})


def _quiet_form(request: SignedInRequest, period: QuietPeriod | None) -> HttpResponse:
    initial = QuietPeriodForm.initial_for(period) if period is not None else None
    form = QuietPeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = contact.quiet_period_save(
                period=period, name=data["name"], starts_on=data["starts_on"],
                ends_on=data["ends_on"], units=list(data["units"]),
                categories=list(data["categories"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Quiet period “%(name)s” saved.") % {"name": saved.name})
            return redirect("comms:quiet_periods")
    return render(request, "comms/quiet_form.html", {"form": form, "period": period})


@allow(policy.COMMS_MANAGERS)
def quiet_period_new(request: SignedInRequest) -> HttpResponse:
    return _quiet_form(request, None)


@allow(policy.COMMS_MANAGERS)
def quiet_period_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _quiet_form(request, get_object_or_404(QuietPeriod, pk=pk))


@allow(policy.COMMS_MANAGERS)
@require_POST
def quiet_period_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(QuietPeriod, pk=pk)
    contact.quiet_period_delete(period=period)
    messages.success(request, _("Quiet period “%(name)s” deleted.") % {"name": period.name})
    return redirect("comms:quiet_periods")

