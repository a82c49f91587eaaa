"""The plan's calendar as an ICS feed (``GET /comms/calendar.ics?token=…``), authenticated by a
personal secret in its address.

Calendar apps (Outlook, Google Calendar, Thunderbird) subscribe to an address and cannot send a
header: the secret made by ``services.feeds.feed_create`` is the credential, so the operation
takes no token or session (``auth=None``) and answers 401, in the API's error shape, to a
missing, wrong or revoked secret. The feed holds the actions of the plans its user may see now
(``comms.policy``), in their language.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from phare.comms import ics
from phare.comms.services import feeds
from phare.lib.api import ErrorOut, Refusal

router = Router(tags=["comms"])

FEED_DOC = {"responses": {200: {
    "description": "The plan's actions as iCalendar (RFC 5545): one VEVENT per action.",
    "content": {"text/calendar": {"schema": {"type": "string"}}}}}}


@router.get("/comms/calendar.ics", auth=None, response={401: ErrorOut},
            openapi_extra=FEED_DOC, operation_id="comms_calendar_feed",
            summary="The plan's calendar (ICS feed)")
def calendar_feed(request: HttpRequest, token: str = "") -> HttpResponse:
    """The communication plan's calendar for a calendar app: every action of the plans you
    may see. `token` is your personal feed secret (made on the calendar page; a new one
    replaces the old): no API token or session is needed, or taken."""
    user = feeds.feed_user(token)
    if user is None:
        raise Refusal(401, _("This calendar address is not valid (or no longer): make a new "
                             "one on the calendar page."),
                      [{"field": "token", "reason": _("missing, wrong or revoked")}])
    response = HttpResponse(ics.user_feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="phare-comms.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
