"""iCalendar files of the plan (RFC 5545, with the ``icalendar`` library): the team's feed of
every action, and the invitation attached to an event's email.

Each action is one VEVENT whose UID never changes (``comms-action-<id>@<Phare's host>``), so a
calendar app that reads the feed again updates its events instead of adding new ones. Times
are written in UTC; days without a time are all-day events (DTEND is the day after the last).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from phare.accounts.models import User
from phare.comms import policy
from phare.comms.models import Action
from phare.lib.i18n import language_name, written

PRODID = "-//Phare//Communication plan//EN"

#: Where an action stands, as a calendar app understands it.
STATUS: dict[str, str] = {
    Action.Status.IDEA: "TENTATIVE",
    Action.Status.PLANNED: "TENTATIVE",
    Action.Status.READY: "CONFIRMED",
    Action.Status.APPROVED: "CONFIRMED",
    Action.Status.SENDING: "CONFIRMED",
    Action.Status.DONE: "CONFIRMED",
    Action.Status.MEASURED: "CONFIRMED",
    Action.Status.CANCELLED: "CANCELLED",
}


def host() -> str:
    return urlsplit(settings.PHARE_BASE_URL).hostname or "localhost"


def uid(action: Action) -> str:
    return f"comms-action-{action.pk}@{host()}"


def action_url(action: Action) -> str:
    return f"{settings.PHARE_BASE_URL}/comms/actions/{action.pk}/"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    return cal


def _when(event: icalendar.Event, action: Action) -> None:
    if action.starts_at is not None:
        event.add("dtstart", _utc(action.starts_at))
        if action.ends_at is not None and action.ends_at > action.starts_at:
            event.add("dtend", _utc(action.ends_at))
        return
    last = max(action.ends_on or action.starts_on, action.starts_on)
    event.add("dtstart", action.starts_on)
    event.add("dtend", last + dt.timedelta(days=1))


def _written(text: str, language: str) -> str:
    """``text``, typed in ``language``, followed by “(in French)” or “(in English)” for a
    reader of the other language (a calendar app shows plain text)."""
    value = written(text, language)
    return f"{value.text} ({language_name(value.language)})" if value.fallback else value.text


def _audience(action: Action) -> str:
    if action.everyone:
        return _("Everyone")
    if action.audience is not None:
        return _written(action.audience.name, action.audience.language)
    return _("No audience yet")


def _event(action: Action, summary: str, description: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(action))
    event.add("dtstamp", _utc(action.updated_at or action.created_at))
    event.add("last-modified", _utc(action.updated_at or action.created_at))
    _when(event, action)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("status", STATUS.get(action.status, "TENTATIVE"))
    if action.location:
        event.add("location", action.location)
    return event


def action_event(action: Action) -> icalendar.Event:
    """The feed's VEVENT of one action: what, where it stands, who, to whom, its page."""
    owner = action.owner.display_name if action.owner is not None else _("No owner")
    description = "\n".join([
        _("Channel: %(channel)s") % {"channel": action.get_channel_display()},
        _("Status: %(status)s") % {"status": action.get_status_display()},
        _("Owner: %(owner)s") % {"owner": owner},
        _("Audience: %(audience)s") % {"audience": _audience(action)},
        action_url(action),
    ])
    event = _event(action, _written(action.title, action.language), description)
    event.add("url", action_url(action))
    event.add("categories", [str(action.get_channel_display())])
    return event


def plan_feed(actions: Iterable[Action], *, name: str) -> bytes:
    """The ICS feed of ``actions`` (give them with ``owner__person`` and ``audience``
    selected: one query, not one per action), in the active language."""
    cal = _calendar(name)
    for action in actions:
        cal.add_component(action_event(action))
    return cal.to_ical()


def user_feed(user: User) -> bytes:
    """The feed of every action of the plans ``user`` may see now, in their language."""
    actions = (policy.visible_actions(user)
               .select_related("owner", "owner__person", "audience").order_by("starts_on", "pk"))
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return plan_feed(actions, name=_("Communication plan – Phare"))


def event_invitation(action: Action, *, email: str, name: str = "", summary: str = "",
                     description: str = "") -> bytes:
    """The ``.ics`` attached to an event's invitation (METHOD:REQUEST): the event under the
    same UID as in the team's feed, Phare as its organiser, ``email`` (``name``) its one
    attendee; ``summary`` and ``description`` as the email says them (the action's title and
    nothing by default). A timed event without an end lasts an hour."""
    cal = _calendar(summary or action.title)
    cal["method"] = "REQUEST"
    event = _event(action, summary or action.title, description)
    if action.starts_at is not None and "dtend" not in event:
        event.add("dtend", _utc(action.starts_at + dt.timedelta(hours=1)))
    organizer = icalendar.vCalAddress(f"mailto:{_address_of(settings.DEFAULT_FROM_EMAIL)}")
    organizer.params["cn"] = icalendar.vText("Phare")
    event["organizer"] = organizer
    if email:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = icalendar.vText(name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()


def _address_of(sender: str) -> str:
    """``phare@example.com`` out of ``Phare <phare@example.com>``."""
    found = re.search(r"<([^>]+)>", sender)
    return found.group(1) if found else sender.strip()
