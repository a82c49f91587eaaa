"""Contact pressure: who may receive a survey invitation now.

One place for the rules every invitation obeys (barometer waves, pulses, ticket feedback):

- a person who opted out of surveys receives none (listening's own opt-out, and the survey
  category of :mod:`phare.contact`'s opt-outs);
- nobody receives more than ``PHARE_SURVEY_CONTACT_CAP`` invitations over
  ``PHARE_SURVEY_CONTACT_DAYS`` days (surveys' own cap);
- and the one contact-pressure policy of :mod:`phare.contact.policy` has its say: quiet periods
  and the budget shared with campaigns, events and notices (surveys may use all of it). The
  invitations count in that budget through :func:`count_invitations`, registered in
  ``ListeningConfig.ready()``.

Opting out of surveys (and taking it back) are writes: :func:`phare.listening.services.
opt_out_record` and :func:`~phare.listening.services.opt_out_withdraw`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from phare.contact import policy
from phare.contact.models import Category
from phare.listening.models import Invitation, OptOut

OPTED_OUT = policy.OPTED_OUT
QUIET_PERIOD = policy.QUIET_PERIOD
CONTACT_CAP = policy.CONTACT_CAP
#: Every reason, first the one that wins when several apply (labelled by
#: ``phare.contact.policy.reason_label``).
REASONS = policy.REASONS


def window_start(now: dt.datetime | None = None) -> dt.datetime:
    """The start of the window of surveys' own cap."""
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.PHARE_SURVEY_CONTACT_DAYS)


def refusals(person_ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[int, str]:
    """Among ``person_ids``, those who may not be invited now, with the first reason that
    applies (:data:`OPTED_OUT`, :data:`QUIET_PERIOD`, :data:`CONTACT_CAP`). A few queries
    whatever the number of people."""
    ids = sorted(set(person_ids))
    asked = set(ids)
    refused: dict[int, str] = {}
    for opted in policy.for_people(OptOut.objects.all(), ids):
        for person_id in opted.values_list("person_id", flat=True):
            if person_id in asked:
                refused[person_id] = OPTED_OUT
    recent = Invitation.objects.filter(created_at__gte=window_start(now))
    for invited in policy.for_people(recent, ids):
        busy = (invited.values("person_id").annotate(n=Count("id"))
                .filter(n__gte=settings.PHARE_SURVEY_CONTACT_CAP)
                .values_list("person_id", flat=True))
        for person_id in busy:
            if person_id in asked:
                refused.setdefault(person_id, CONTACT_CAP)
    shared = policy.refusals([i for i in ids if refused.get(i) != OPTED_OUT],
                             category=Category.SURVEY, now=now)
    for person_id, reason in shared.items():
        if person_id not in refused or (policy.REASONS.index(reason)
                                        < policy.REASONS.index(refused[person_id])):
            refused[person_id] = reason
    return refused


def refusal(person_id: int, *, now: dt.datetime | None = None) -> str | None:
    """Why this person may not be invited now, or None."""
    return refusals([person_id], now=now).get(person_id)


def count_invitations(person_ids: list[int], start: dt.datetime,
                      end: dt.datetime) -> dict[int, int]:
    """The survey and ticket-rating invitations each person received in ``[start, end)``: what
    the shared contact budget sees of listening (a :mod:`phare.contact.registry` counter).
    For many people (:func:`phare.contact.policy.many`), the window's invitations are counted
    per person whoever they went to, and those asked about kept."""
    asked = set(person_ids)
    in_window = Invitation.objects.filter(created_at__gte=start, created_at__lt=end)
    return {person_id: n for queryset in policy.for_people(in_window, sorted(asked))
            for person_id, n in queryset.values("person_id").annotate(n=Count("id"))
            .values_list("person_id", "n") if person_id in asked}


def quiet_until(person_ids: Iterable[int], *,
                now: dt.datetime | None = None) -> dict[int, dt.date]:
    """For those a quiet period holds back from surveys today, its last day (periods that
    follow each other day after day count as one): they may be invited from the day after,
    as far as quiet periods go."""
    return policy.quiet_until(person_ids, category=Category.SURVEY, now=now)


def left_out(counts: Mapping[str, int]) -> str:
    """Those refused, by reason, in the active language ("Opted out: 2, Quiet period: 5"):
    the reasons :data:`REASONS` of ``counts`` with at least one person, in their order; empty
    when nobody was refused."""
    return ", ".join(f"{policy.reason_label(reason)}: {counts[reason]}" for reason in REASONS
                     if counts.get(reason))
