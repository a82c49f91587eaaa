"""What people do with an action's email: the links it counts, the clicks on them, the opt-outs
of its category, registrations to its event and who came (recorded by its organisers), the
open pixel, and the mail server's refusals of an address (past ``PHARE_COMMS_BOUNCE_LIMIT`` the
address receives no more campaign email).

Clicks are counted once per person and link (:class:`~phare.comms.models.Click`), or only in
total on the link when ``PHARE_COMMS_INDIVIDUAL_TRACKING`` is off. Every function here is
called from a public page whose link's token is the authority: nobody signs in — except
attendance, recorded by the event's organisers, whom the caller checks
(``policy.can_edit_action``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.comms.models import Action, Bounce, Click, Delivery, Link, Open, Registration
from phare.contact import services as contact_services
from phare.contact.models import Category
from phare.directory.models import Person


class TrackingError(Exception):
    """A request of a public page that cannot be done (``code`` says which, ``message`` why,
    in words for the person)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def find_delivery(token: str) -> Delivery | None:
    """The delivery a link's token names, with its action and person (None: nobody's)."""
    if not token or len(token) > 32:
        return None
    return (Delivery.objects.select_related("action", "person")
            .filter(token=token).first())


@transaction.atomic
def link_ids(*, action: Action, urls: list[str]) -> dict[str, int]:
    """The :class:`Link` of each of ``urls`` in ``action``'s message, recorded if new."""
    wanted = list(dict.fromkeys(url for url in urls if url))
    if not wanted:
        return {}
    known = dict(Link.objects.filter(action=action, url__in=wanted).values_list("url", "pk"))
    missing = [Link(action=action, url=url) for url in wanted if url not in known]
    if missing:
        # Two runs may record the same link at once: the constraint keeps one.
        Link.objects.bulk_create(missing, ignore_conflicts=True)
        known = dict(Link.objects.filter(action=action, url__in=wanted)
                     .values_list("url", "pk"))
    return known


def click(*, token: str, link_id: int, count: bool = True) -> str | None:
    """Count a click of the delivery ``token`` on link ``link_id``: the first per person (or
    one more in total when individual tracking is off). The link's address, or None when the
    token or the link is unknown (or they are not of the same action). ``count=False`` only
    looks the address up (a HEAD request)."""
    link = Link.objects.filter(pk=link_id).first()
    delivery = find_delivery(token)
    if link is None or delivery is None or delivery.action_id != link.action_id:
        return None
    if not count:
        return link.url
    if settings.PHARE_COMMS_INDIVIDUAL_TRACKING:
        # get_or_create takes care of two clicks at the same time (the constraint keeps one).
        Click.objects.get_or_create(link=link, delivery=delivery)
    else:
        Link.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return link.url


def click_anonymous(*, link_id: int, count: bool = True) -> str | None:
    """Count a click on link ``link_id`` in its total only; its address (None: unknown)."""
    link = Link.objects.filter(pk=link_id).first()
    if link is None or not count:
        return link.url if link is not None else None
    Link.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return link.url


def record_open(*, token: str) -> bool:
    """Count the open pixel of the delivery ``token`` (once), when open pixels are on."""
    if not settings.PHARE_COMMS_OPEN_PIXEL:
        return False
    delivery = find_delivery(token)
    if delivery is None:
        return False
    Open.objects.get_or_create(delivery=delivery)
    return True


# --- Unsubscribing from an action's category ----------------------------------------------------

def can_unsubscribe(action: Action) -> bool:
    """A mandatory notice (or a notice at all) cannot be unsubscribed from."""
    return not action.mandatory and action.category != Category.NOTICE


def _opt_out_target(token: str) -> tuple[Delivery, str]:
    delivery = find_delivery(token)
    if delivery is None:
        raise TrackingError("unknown", _("This link is not valid."))
    action = delivery.action
    if not can_unsubscribe(action):
        raise TrackingError("mandatory", _("Service notices cannot be unsubscribed from: they "
                                           "tell you what you need to use your IT services."))
    return delivery, action.category


def unsubscribe(*, token: str, category: str | None = None) -> Delivery:
    """The person of delivery ``token`` no longer receives the action's category (or
    ``category``, when given, which must then be a category that can be left)."""
    delivery, own = _opt_out_target(token)
    chosen = category or own
    if chosen not in Category.values or chosen == Category.NOTICE:
        raise TrackingError("category", _("This category cannot be unsubscribed from."))
    contact_services.opt_out(person=delivery.person, category=chosen)
    return delivery


def resubscribe(*, token: str, category: str | None = None) -> Delivery:
    """Undo :func:`unsubscribe`: the person receives the category again."""
    delivery, own = _opt_out_target(token)
    chosen = category or own
    if chosen not in Category.values:
        raise TrackingError("category", _("This category is not known."))
    contact_services.opt_in(person=delivery.person, category=chosen)
    return delivery


# --- Registrations to an event ----------------------------------------------------------------

def seats_taken(action: Action) -> int:
    return Registration.objects.filter(action=action, cancelled_at__isnull=True).count()


@transaction.atomic
def register(*, action: Action, person: Person, now: dt.datetime | None = None
             ) -> Registration:
    """Register ``person`` to the event ``action`` (again, when they had cancelled), within
    its seats; registering twice changes nothing."""
    # The action's row is locked: two people taking the last seat at once get one each.
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.channel != Action.Channel.EVENT and action.kind != Action.Kind.EVENT:
        raise TrackingError("not_event", _("This message is not an event invitation."))
    if action.status == Action.Status.CANCELLED:
        raise TrackingError("cancelled", _("This event is cancelled."))
    if action.starts_at is not None and action.starts_at <= (now or timezone.now()):
        raise TrackingError("past", _("This event has already started: registrations are "
                                      "closed."))
    registration = Registration.objects.filter(action=action, person=person).first()
    if registration is not None and registration.cancelled_at is None:
        return registration
    if action.capacity is not None and seats_taken(action) >= action.capacity:
        raise TrackingError("full", _("This event is full: every seat is taken."))
    if registration is None:
        registration = Registration(action=action, person=person)
        # ``attended`` is unknown (None) until the event: not a value to check yet.
        registration.full_clean(exclude=["attended"])
        registration.save()
    else:
        registration.cancelled_at = None
        registration.save(update_fields=["cancelled_at"])
    return registration


@transaction.atomic
def cancel_registration(*, action: Action, person: Person, now: dt.datetime | None = None
                        ) -> Registration | None:
    """Cancel ``person``'s registration to ``action`` (None: they were not registered); the
    seat is free again."""
    registration = (Registration.objects.select_for_update()
                    .filter(action=action, person=person, cancelled_at__isnull=True).first())
    if registration is None:
        return None
    registration.cancelled_at = now or timezone.now()
    registration.save(update_fields=["cancelled_at"])
    return registration


def registration_of(action: Action, person: Person) -> Registration | None:
    """``person``'s registration to ``action`` that is not cancelled."""
    return Registration.objects.filter(action=action, person=person,
                                       cancelled_at__isnull=True).first()


def is_event(action: Action) -> bool:
    """Whether ``action`` is an event (people register to it)."""
    return action.kind == Action.Kind.EVENT or action.channel == Action.Channel.EVENT


def attendance_open(action: Action, today: dt.date | None = None) -> bool:
    """Whether attendance may be recorded: from the event's day on (any day when its start
    is not set)."""
    if action.starts_at is None:
        return True
    return timezone.localdate(action.starts_at) <= (today or timezone.localdate())


def _check_attendance(action: Action, today: dt.date | None) -> None:
    if not is_event(action):
        raise TrackingError("not_event", _("This message is not an event invitation."))
    if not attendance_open(action, today):
        raise TrackingError("not_yet", _("Attendance is recorded from the day of the event."))


@transaction.atomic
def attendance_set(*, action: Action, person: Person, attended: bool | None,
                   today: dt.date | None = None) -> Registration:
    """Record whether ``person``, registered to the event ``action``, came (None: not
    known). Refused when they are not registered, cancelled, or before the event's day."""
    return attendance_record(action=action, attended={person.pk: attended}, today=today)[0]


@transaction.atomic
def attendance_record(*, action: Action, attended: dict[int, bool | None],
                      today: dt.date | None = None) -> list[Registration]:
    """Record the attendance of several registered people at once (person id → came, or
    None: not known), all or nothing: one person not registered (or who cancelled) refuses
    the whole list. The registrations, in the order of ``attended``."""
    _check_attendance(action, today)
    found = {r.person_id: r for r in Registration.objects.select_for_update()
             .filter(action=action, person_id__in=list(attended))}
    missing = [pk for pk in attended if pk not in found]
    if missing:
        raise TrackingError("not_registered", _("This person is not registered to the "
                                                "event.") if len(attended) == 1 else
                            _("Some of these people are not registered to the event."))
    if any(found[pk].cancelled_at is not None for pk in attended):
        raise TrackingError("cancelled_registration",
                            _("A cancelled registration has no attendance: the person must "
                              "register again."))
    changed = []
    for pk, came in attended.items():
        registration = found[pk]
        if registration.attended is not came:
            registration.attended = came
            changed.append(registration)
    Registration.objects.bulk_update(changed, ["attended"])
    return [found[pk] for pk in attended]


# --- Refusals by the mail server --------------------------------------------------------------

@transaction.atomic
def record_refusal(*, email: str, error: str, now: dt.datetime | None = None) -> Bounce:
    """The mail server refused (5xx) an email to ``email``: counted; at
    ``PHARE_COMMS_BOUNCE_LIMIT`` refusals the address is suppressed (receives no more)."""
    address = email.strip().lower()
    if not address:
        raise TrackingError("email", _("email: an address is required."))
    bounce, _created = Bounce.objects.select_for_update().get_or_create(email=address)
    bounce.count += 1
    bounce.last_error = error[:300]
    bounce.last_at = now or timezone.now()
    bounce.suppressed = bounce.suppressed or bounce.count >= settings.PHARE_COMMS_BOUNCE_LIMIT
    bounce.save()
    return bounce


def suppressed(emails: list[str]) -> set[str]:
    """Which of ``emails`` (compared in lower case) are suppressed."""
    lowered = {email.strip().lower() for email in emails if email}
    return set(Bounce.objects.filter(suppressed=True).annotate(address=Lower("email"))
               .filter(address__in=lowered).values_list("address", flat=True))
