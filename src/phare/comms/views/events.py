"""An event's registrations, for its organisers (those who may change the action): who
registered (name, unit, when, cancelled or not), the seats taken, the attendance ticked after
the event, and the list as CSV. This is personal data the organisers need to welcome people;
other readers see only the released counts of the action's results."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.comms import policy, queries
from phare.comms.forms import AttendanceForm
from phare.comms.models import Action
from phare.comms.services import tracking
from phare.comms.views.actions import visible_action
from phare.lib.csvtext import csv_writer


def organised_event(request: SignedInRequest, pk: int) -> Action:
    """The event ``pk`` if the reader organises it: 404 when they may not see it (or it is
    not an event), 403 when they see it but may not change it."""
    action = visible_action(request, pk)
    if not tracking.is_event(action):
        raise Http404
    if not policy.can_edit_action(request.user, action):
        raise PermissionDenied
    return action


@allow(policy.COMMS_USERS)
def registrations(request: SignedInRequest, pk: int) -> HttpResponse:
    """The list, and (POST) the attendance of the people on it."""
    action = organised_event(request, pk)
    page = queries.registrations(action)
    people = [r.person_id for r in page.rows if r.cancelled_at is None]
    form = AttendanceForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST":
        if form.is_valid():
            try:
                tracking.attendance_record(action=action, attended=form.attendance())
            except tracking.TrackingError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Attendance saved."))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                             for e in errors))
        return redirect("comms:registrations", pk=action.pk)
    return render(request, "comms/registrations.html", {"action": action, "page": page})


@allow(policy.COMMS_USERS)
def registrations_csv(request: SignedInRequest, pk: int) -> HttpResponse:
    action = organised_event(request, pk)
    columns, rows = queries.registration_table(action)
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(columns)
    writer.writerows(rows)
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    name = slugify(action.title)[:60] or "event"
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (f'attachment; filename="registrations-{name}-'
                                       f'{stamp}.csv"')
    return response
