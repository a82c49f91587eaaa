"""The plan's calendar: a month's grid or a quarter's timeline of the actions the reader may
see, with their filters, the collisions to look at, the contact pressure forecast per audience
for the coming weeks, and the reader's personal ICS feed address (made, replaced, revoked).

Open to whoever sees at least one plan (:func:`phare.comms.policy.visible_plans`): the
marketing lead, administrators, executives and the contributors named on a plan; others 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.comms import calendar, policy, queries
from phare.comms.forms import ActionFilterForm, CalendarForm
from phare.comms.services import feeds
from phare.lib import links

#: The filters of the action list the calendar takes (the others are the board's).
FILTERS = ("plan", "status", "channel", "owner", "audience", "service")


def _reader(request: SignedInRequest) -> None:
    if not policy.visible_plans(request.user).exists():
        raise PermissionDenied


def _query(request: SignedInRequest, **changes: Any) -> str:
    """The page's query string with ``changes`` (empty values left out)."""
    values = {key: request.GET.get(key, "") for key in (*FILTERS, "view")}
    values.update({key: str(value) for key, value in changes.items()})
    return "?" + urlencode({key: value for key, value in values.items() if value})


def feed_address(request: SignedInRequest, secret: str) -> str:
    return links.absolute(f"/api/v1/comms/calendar.ics?{urlencode({'token': secret})}", request)


def _page(request: SignedInRequest, *, feed_secret: str = "") -> HttpResponse:
    today = timezone.localdate()
    filter_form = ActionFilterForm(request.GET or None, user=request.user)
    shown = CalendarForm(request.GET or None)
    view, year, month = shown.shown(today)
    actions = queries.calendar_actions(request.user, filter_form.calendar_filters())
    context: dict[str, Any] = {"filter_form": filter_form, "view": view, "today": today,
                               "feed_exists": feeds.feed_exists(user=request.user),
                               "feed_address": (feed_address(request, feed_secret) if feed_secret
                                                else ""),
                               "cap": settings.PHARE_CONTACT_CAP,
                               "min_group": queries.min_group(),
                               "month_url": _query(request, view="month", year=year,
                                                   month=month),
                               "timeline_url": _query(request, view="timeline", year=year,
                                                      quarter=(month - 1) // 3 + 1)}
    if view == CalendarForm.TIMELINE:
        first, last = queries.quarter_of(dt.date(year, month, 1))
        before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        context.update({
            "timeline": calendar.timeline(actions, first, last),
            "quarter": (month - 1) // 3 + 1, "year": year,
            "previous_url": _query(request, view="timeline", year=before.year,
                                   quarter=(before.month - 1) // 3 + 1),
            "next_url": _query(request, view="timeline", year=after.year,
                               quarter=(after.month - 1) // 3 + 1)})
    else:
        grid = calendar.month(actions, year, month)
        first, last = grid.weeks[0][0].date, grid.weeks[-1][-1].date
        context.update({
            "grid": grid,
            "previous_url": _query(request, view="month", year=grid.previous[0],
                                   month=grid.previous[1]),
            "next_url": _query(request, view="month", year=grid.next[0], month=grid.next[1])})
    context["collisions"] = calendar.collisions(queries.reaching_between(actions, first, last))
    context["forecast"] = queries.calendar_forecast(actions, today)
    return render(request, "comms/calendar.html", context)


@allow(policy.COMMS_USERS)
def calendar_page(request: SignedInRequest) -> HttpResponse:
    _reader(request)
    return _page(request)


@allow(policy.COMMS_USERS)
def calendar_feed(request: SignedInRequest) -> HttpResponse:
    """Make (or replace) the reader's feed address and show it once, or revoke it (POST)."""
    _reader(request)
    if request.method != "POST":
        return redirect("comms:calendar")
    if request.POST.get("action") == "revoke":
        if feeds.feed_revoke(user=request.user):
            messages.success(request, _("Your calendar address no longer works."))
        return redirect("comms:calendar")
    return _page(request, feed_secret=feeds.feed_create(user=request.user))
