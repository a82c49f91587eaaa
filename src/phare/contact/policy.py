"""The one contact-pressure policy: whether a person may receive a solicitation now.

Every sender asks it (campaigns, events, notices, surveys, ticket ratings); the rules, in plain
words:

- **What counts.** Every solicitation a person received counts in their budget: the
  ``Solicitation`` ledger (campaign emails, event invitations, notices, recorded by
  :func:`phare.contact.services.claim`) and what other apps record in their own tables through
  the counters of :mod:`phare.contact.registry` (listening counts its survey and ticket-rating
  invitations). Mandatory notices count too.
- **The budget.** A person receives at most ``PHARE_CONTACT_CAP`` solicitations over any
  ``PHARE_CONTACT_DAYS`` days. To stay true for every window of that many days, a request at
  time *t* counts what lies within ``PHARE_CONTACT_DAYS`` days before or after *t* (a claim
  made ahead of a scheduled send counts too).
- **Priorities.** Categories, from the most to the least important: service notices, surveys,
  events, newsletters (news and campaigns). Notices and surveys may use the whole budget;
  events and newsletters stop ``PHARE_CONTACT_RESERVE`` short of it, leaving room for what
  matters more.
- **Mandatory notices** (an outage, a migration deadline) are never refused: no cap, no quiet
  period, no opt-out stops them. Only a service notice can be mandatory.
- **Quiet periods** (closing weeks for Finance, say): from their first to their last day
  included, the people of the units they name and of every sub-unit below them (everyone when
  they name no unit) receive no solicitation of the categories they name (surveys, events and
  newsletters when they name none). Notices are never held by a quiet period.
- **Opt-outs.** A person may opt out of any category but notices; an opted-out person receives
  nothing more of it. (Surveys also have listening's own opt-out, which
  :mod:`phare.listening.pressure` adds.)
- **One reason per refused person**, the first that applies: ``opted_out``, then
  ``quiet_period``, then ``contact_cap``.

Reading is here; writing (claims, opt-outs, quiet periods) is in :mod:`phare.contact.services`.
A check costs a few queries whatever the number of people. For a few people each query names
them (``person_id IN (…)``); for many (above :data:`MANY` and a third of the directory), naming
them would cost more than the answer (Django prepares each parameter), so each query reads the
whole window, counted per person in SQL, and the people asked about are kept in Python: the
cost then grows with the solicitations of the window, not with the people asked about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.contact.models import Category, OptOut, QuietPeriod, Solicitation
from phare.contact.registry import counters
from phare.directory.models import BusinessUnit, Person

OPTED_OUT = "opted_out"
QUIET_PERIOD = "quiet_period"
CONTACT_CAP = "contact_cap"
#: The reasons, first the one that wins when several apply.
REASONS = (OPTED_OUT, QUIET_PERIOD, CONTACT_CAP)

#: Categories a person may opt out of, and a quiet period may name.
OPTIONAL = (Category.SURVEY, Category.EVENT, Category.NEWSLETTER)
#: Categories that use the whole budget; the others leave PHARE_CONTACT_RESERVE of it.
WHOLE_BUDGET = (Category.NOTICE, Category.SURVEY)

CHUNK = 5000
#: Above this many people, and a third of the directory (:data:`SHARE`), a query reads every
#: row of its window or table and the people asked about are kept in Python, instead of naming
#: each of them in ``IN (…)``. For fewer, reading everyone's window would cost more than naming
#: them (bench/pressure.py: 10,000 of 100,000 people, 7 times more).
MANY = 1000
SHARE = 3

_M = TypeVar("_M", bound=Model)


def check(category: str, mandatory: bool = False) -> None:
    """Refuse a category that does not exist, or a mandatory message that is not a notice
    (a ``ValidationError`` naming the field)."""
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown category: %(category)s.")
                               % {"category": category}})
    if mandatory and category != Category.NOTICE:
        raise ValidationError({"mandatory": _("Only a service notice can be mandatory.")})


def cap_for(category: str, mandatory: bool = False) -> int | None:
    """How many solicitations a person may have received for this one to be allowed (it is
    refused from that many on); None: never refused by the cap."""
    check(category, mandatory)
    if mandatory:
        return None
    cap: int = settings.PHARE_CONTACT_CAP
    if category in WHOLE_BUDGET:
        return cap
    return max(cap - settings.PHARE_CONTACT_RESERVE, 0)


def window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)``: the solicitations counted against one sent at ``now``."""
    now = now or timezone.now()
    days = dt.timedelta(days=settings.PHARE_CONTACT_DAYS)
    return now - days, now + days


def reason_label(code: str) -> str:
    """A refusal's reason in the active language."""
    labels = {
        OPTED_OUT: _("Opted out"),
        QUIET_PERIOD: _("Quiet period"),
        CONTACT_CAP: _("Contact limit reached"),
    }
    if code not in labels:
        raise ValueError(f"unknown contact-pressure reason: {code!r}")
    return labels[code]


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size`` (the bound of one ``IN (…)`` query)."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def many(person_ids: list[int]) -> bool:
    """Whether these people are better read with everyone (more than :data:`MANY`, and at
    least a :data:`SHARE`-th of the directory) than named one by one."""
    return len(person_ids) > MANY and len(person_ids) * SHARE >= Person.objects.count()


def for_people(queryset: QuerySet[_M], person_ids: list[int], *,
               field: str = "person_id") -> Iterator[QuerySet[_M]]:
    """``queryset`` narrowed to ``person_ids``: one query per :data:`CHUNK` naming them, or,
    for :func:`many` people, ``queryset`` itself once (the caller keeps, from its rows, those
    of the people asked about: it must read ``field`` back)."""
    if many(person_ids):
        yield queryset
        return
    for chunk in chunks(person_ids):
        yield queryset.filter(**{f"{field}__in": chunk})


def load(person_ids: Iterable[int], *, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """How many solicitations each person received in ``[start, end)``: the ledger plus every
    registered counter (every person given is in the answer, with 0 when none).

    Counters are called with the people in chunks of :data:`CHUNK`, or, for :func:`many`
    people, once with all of them (a counter then reads its whole window, as the ledger here).
    """
    ids = sorted(set(person_ids))
    found = dict.fromkeys(ids, 0)
    if not ids:
        return found
    in_window = Solicitation.objects.filter(at__gte=start, at__lt=end)
    for queryset in for_people(in_window, ids):
        for person_id, n in (queryset.values("person_id").annotate(n=Count("id"))
                             .values_list("person_id", "n")):
            if person_id in found:
                found[person_id] += n
    batches = [ids] if many(ids) else list(chunks(ids))
    for counter in counters().values():
        for batch in batches:
            for person_id, n in counter(batch, start, end).items():
                if person_id in found:
                    found[person_id] += n
    return found


def opted_out(person_ids: Iterable[int], *, category: str) -> set[int]:
    """Those who opted out of ``category`` (nobody for notices)."""
    check(category)
    ids = sorted(set(person_ids))
    if category not in OPTIONAL or not ids:
        return set()
    asked = set(ids)
    return {person_id for queryset in for_people(OptOut.objects.filter(category=category), ids)
            for person_id in queryset.values_list("person_id", flat=True)
            if person_id in asked}


def _unit_tree() -> dict[int, int | None]:
    """Every business unit's parent, by unit id."""
    return dict(BusinessUnit.objects.values_list("id", "parent_id"))


def _with_sub_units(unit_ids: set[int], parents: dict[int, int | None] | None = None
                    ) -> set[int]:
    """The units and every unit below them (the tree read once, or given)."""
    parents = _unit_tree() if parents is None else parents
    inside: set[int] = set()
    for unit_id in parents:
        chain: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in chain:  # a cycle cannot loop forever
            if current in unit_ids:
                inside.add(unit_id)
                break
            chain.append(current)
            current = parents.get(current)
    return inside


def quiet(person_ids: Iterable[int], *, category: str,
          now: dt.datetime | None = None) -> set[int]:
    """Those a quiet period holds back from ``category`` today (nobody for notices)."""
    check(category)
    ids = sorted(set(person_ids))
    if category not in OPTIONAL or not ids:
        return set()
    today = timezone.localdate(now or timezone.now())
    periods = [pk for pk, categories in QuietPeriod.objects.filter(
                   starts_on__lte=today, ends_on__gte=today).values_list("pk", "categories")
               if not categories or category in categories]
    if not periods:
        return set()
    named: dict[int, set[int]] = {pk: set() for pk in periods}
    for period_id, unit_id in QuietPeriod.units.through.objects.filter(
            quietperiod_id__in=periods).values_list("quietperiod_id", "businessunit_id"):
        named[period_id].add(unit_id)
    if not all(named.values()):
        return set(ids)  # a quiet period for everyone
    units = _with_sub_units(set().union(*named.values()))
    asked = set(ids)
    inside = Person.objects.filter(business_unit_id__in=units)
    return {person_id for queryset in for_people(inside, ids, field="pk")
            for person_id in queryset.values_list("pk", flat=True) if person_id in asked}


def quiet_until(person_ids: Iterable[int], *, category: str,
                now: dt.datetime | None = None) -> dict[int, dt.date]:
    """For each of these people a quiet period holds back from ``category`` today, the last day
    one does: periods that overlap or follow each other day after day hold a person back as
    one. From the day after, no quiet period holds them back (a later one may, from its first
    day). The people not held back today are not in the answer."""
    check(category)
    ids = sorted(set(person_ids))
    if category not in OPTIONAL or not ids:
        return {}
    today = timezone.localdate(now or timezone.now())
    spans = {pk: (starts_on, ends_on) for pk, starts_on, ends_on, categories
             in QuietPeriod.objects.filter(ends_on__gte=today)
             .values_list("pk", "starts_on", "ends_on", "categories")
             if not categories or category in categories}
    if not spans:
        return {}
    named: dict[int, set[int]] = {pk: set() for pk in spans}
    for period_id, unit_id in QuietPeriod.units.through.objects.filter(
            quietperiod_id__in=list(spans)).values_list("quietperiod_id", "businessunit_id"):
        named[period_id].add(unit_id)
    tree = _unit_tree() if any(named.values()) else {}
    # None: the period holds back everyone.
    covered = {pk: _with_sub_units(units, tree) if units else None
               for pk, units in named.items()}
    unit_of: dict[int, int | None] = {}
    for queryset in for_people(Person.objects.all(), ids, field="pk"):
        unit_of.update(queryset.values_list("pk", "business_unit_id"))
    until: dict[int, dt.date] = {}
    for person_id in ids:
        mine = [span for pk, span in spans.items()
                if covered[pk] is None or unit_of.get(person_id) in (covered[pk] or ())]
        day = today
        while ends := [ends_on for starts_on, ends_on in mine if starts_on <= day <= ends_on]:
            day = max(ends) + dt.timedelta(days=1)
        if day > today:
            until[person_id] = day - dt.timedelta(days=1)
    return until


def over_cap(person_ids: Iterable[int], *, category: str, mandatory: bool = False,
             now: dt.datetime | None = None, extra: int = 0) -> set[int]:
    """Those whose budget for ``category`` is spent at ``now``; ``extra`` solicitations of
    theirs are already counted in the window and do not use it (a claim just recorded)."""
    cap = cap_for(category, mandatory)
    if cap is None:
        return set()
    start, end = window(now)
    return {person_id for person_id, n in load(person_ids, start=start, end=end).items()
            if n - extra >= cap}


def refusals(person_ids: Iterable[int], *, category: str, mandatory: bool = False,
             now: dt.datetime | None = None) -> dict[int, str]:
    """Among ``person_ids``, those who may not receive a ``category`` solicitation now, each
    with the first reason that applies (``opted_out``, ``quiet_period``, ``contact_cap``)."""
    check(category, mandatory)
    ids = sorted(set(person_ids))
    if mandatory or not ids:
        return {}
    now = now or timezone.now()
    refused = dict.fromkeys(opted_out(ids, category=category), OPTED_OUT)
    for person_id in quiet(ids, category=category, now=now):
        refused.setdefault(person_id, QUIET_PERIOD)
    for person_id in over_cap([i for i in ids if i not in refused], category=category,
                              now=now):
        refused[person_id] = CONTACT_CAP
    return refused
