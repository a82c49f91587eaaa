"""Contact pressure: who may receive a survey invitation now.

One place for the rules every invitation obeys (barometer waves, pulses, ticket feedback):
a person who opted out receives none, and nobody receives more than
``PHARE_SURVEY_CONTACT_CAP`` invitations over ``PHARE_SURVEY_CONTACT_DAYS`` days. Opting out
(and taking it back) are writes: :func:`phare.listening.services.opt_out_record` and
:func:`~phare.listening.services.opt_out_withdraw`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from phare.listening.models import Invitation, OptOut

OPTED_OUT = "opted_out"
CONTACT_CAP = "contact_cap"


def window_start(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.PHARE_SURVEY_CONTACT_DAYS)


def refusals(person_ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[int, str]:
    """Among ``person_ids``, those who may not be invited now, with the reason
    (:data:`OPTED_OUT` or :data:`CONTACT_CAP`). Two queries whatever the number of people."""
    ids = list(set(person_ids))
    refused: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for person_id in OptOut.objects.filter(person_id__in=chunk).values_list("person_id",
                                                                                flat=True):
            refused[person_id] = OPTED_OUT
        busy = (Invitation.objects.filter(person_id__in=chunk, created_at__gte=window_start(now))
                .values("person_id").annotate(n=Count("id"))
                .filter(n__gte=settings.PHARE_SURVEY_CONTACT_CAP))
        for row in busy:
            refused.setdefault(row["person_id"], CONTACT_CAP)
    return refused


def refusal(person_id: int, *, now: dt.datetime | None = None) -> str | None:
    """Why this person may not be invited now, or None."""
    return refusals([person_id], now=now).get(person_id)
