"""Every write of contact pressure: claims in the ledger (safe under concurrent senders),
opt-outs by category, quiet periods. The rules they apply are in :mod:`phare.contact.policy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.contact import policy
from phare.contact.models import Category, OptOut, QuietPeriod, Solicitation
from phare.directory.models import BusinessUnit, Person


def _check_claim(source: str, reference: str) -> None:
    errors: dict[str, list[str]] = {}
    if not source:
        errors["source"] = [_("Say which sender claims these messages.")]
    for name, value, field in (("source", source, Solicitation.source.field),
                               ("reference", reference, Solicitation.reference.field)):
        limit = field.max_length or 0
        if len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if errors:
        raise ValidationError(errors)


def lock_people(*, person_ids: Iterable[int]) -> set[int]:
    """Lock these people's rows until the end of the transaction under way (it must be one), in
    the order of their ids and :data:`~phare.contact.policy.CHUNK` at a time; the ids that
    exist.

    Every sender that counts a person's budget and then records a solicitation for them takes
    these locks first (:func:`claim`, a wave's launch, a ticket's invitation): a second sender
    for the same people waits for the first to commit, then counts what it recorded. Taken in
    the same order by all, two senders never wait for each other in a circle. On SQLite every
    write transaction is the only one (``transaction_mode=IMMEDIATE``): nothing to lock.
    """
    ids = sorted(set(person_ids))
    known: set[int] = set()
    for chunk in policy.chunks(ids):
        known.update(Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
                     .values_list("pk", flat=True))
    return known


@transaction.atomic
def claim(*, person_ids: Iterable[int], category: str, mandatory: bool, source: str,
          reference: str, now: dt.datetime | None = None) -> dict[int, str]:
    """Record one solicitation of ``category`` for each of these people the policy allows now,
    and return the others with their reason.

    Idempotent: a person already claimed by ``source`` for ``reference`` is neither refused nor
    recorded again. Safe under concurrent senders, so that two never both use a person's last
    place: the people's rows are locked first, in the order of their ids (two claims never wait
    for each other in a circle), so a second claim for the same people waits for the first to
    commit and then sees its claims; on SQLite every transaction is the only writer
    (``transaction_mode=IMMEDIATE``). The claims are then recorded before the budget is counted
    again, and those that went over the cap are taken back: a solicitation another app
    committed meanwhile without taking these locks (a survey invitation) is counted too.
    """
    policy.check(category, mandatory)
    _check_claim(source, reference)
    now = now or timezone.now()
    ids = sorted(set(person_ids))
    known = lock_people(person_ids=ids)
    if missing := [i for i in ids if i not in known]:
        raise ValidationError({"person_ids": _("Unknown people: %(ids)s.")
                               % {"ids": ", ".join(map(str, missing[:10]))}})
    mine = Solicitation.objects.filter(source=source, reference=reference)
    claimed = {person_id for queryset in policy.for_people(mine, ids)
               for person_id in queryset.values_list("person_id", flat=True)
               if person_id in known}
    asked = [i for i in ids if i not in claimed]
    refused = policy.refusals(asked, category=category, mandatory=mandatory, now=now)
    allowed = [i for i in asked if i not in refused]
    Solicitation.objects.bulk_create(
        [Solicitation(person_id=person_id, category=category, mandatory=mandatory,
                      source=source, reference=reference, at=now) for person_id in allowed],
        batch_size=1000)
    # Counted again now that the claims are in: what another app committed since the check
    # above without taking the people's locks is seen here, and the later claim gives way.
    late = policy.over_cap(allowed, category=category, mandatory=mandatory, now=now, extra=1)
    for chunk in policy.chunks(sorted(late)):
        Solicitation.objects.filter(person_id__in=chunk, source=source,
                                    reference=reference).delete()
    refused.update(dict.fromkeys(late, policy.CONTACT_CAP))
    return refused


@transaction.atomic
def unclaim(*, person_id: int, source: str, reference: str) -> bool:
    """Give back a claim whose message could not be sent; whether there was one."""
    deleted, _by_model = Solicitation.objects.filter(
        person_id=person_id, source=source, reference=reference).delete()
    return deleted > 0


def _optional_category(category: str) -> str:
    policy.check(category)
    if category == Category.NOTICE:
        raise ValidationError({"category": _(
            "Service notices cannot be unsubscribed from: they say what people must know.")})
    return category


@transaction.atomic
def opt_out(*, person: Person, category: str) -> OptOut:
    """Record that ``person`` wants no more messages of ``category`` (idempotent; refused for
    notices)."""
    category = _optional_category(category)
    return OptOut.objects.get_or_create(person=person, category=category)[0]


@transaction.atomic
def opt_in(*, person: Person, category: str) -> None:
    """``person`` takes back their opt-out of ``category`` (nothing when there was none, as
    always for notices)."""
    policy.check(category)
    OptOut.objects.filter(person=person, category=category).delete()


def _categories(categories: Any) -> list[str]:
    """The categories a quiet period names, checked, in priority order."""
    if not isinstance(categories, list | tuple | set | frozenset):
        raise ValidationError({"categories": _("Give a list of categories.")})
    for category in categories:
        if category == Category.NOTICE:
            raise ValidationError({"categories": _(
                "A quiet period cannot hold back service notices.")})
        if category not in policy.OPTIONAL:
            raise ValidationError({"categories": _("Unknown category: %(category)s.")
                                   % {"category": category}})
    return [c.value for c in policy.OPTIONAL if c in categories]


def _units(units: Iterable[BusinessUnit | int]) -> list[int]:
    given = [unit.pk if isinstance(unit, BusinessUnit) else unit for unit in units]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in given):
        raise ValidationError({"units": _("Give business units.")})
    ids = sorted(set(given))
    known = set(BusinessUnit.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [i for i in ids if i not in known]:
        raise ValidationError({"units": _("Unknown business units: %(ids)s.")
                               % {"ids": ", ".join(map(str, missing))}})
    return ids


@transaction.atomic
def quiet_period_save(*, period: QuietPeriod | None = None, name: str,
                      starts_on: dt.date | str, ends_on: dt.date | str,
                      units: Iterable[BusinessUnit | int], categories: Sequence[str]
                      ) -> QuietPeriod:
    """Create a quiet period (``period`` None) or change one: the people of ``units`` and
    their sub-units (everyone when none) receive nothing of ``categories`` (every category but
    notices when none) from ``starts_on`` to ``ends_on`` included."""
    errors: dict[str, list[str]] = {}
    checked_categories: list[str] = []
    unit_ids: list[int] = []
    try:
        checked_categories = _categories(categories)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        unit_ids = _units(units)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    target = period if period is not None else QuietPeriod()
    target.name, target.starts_on, target.ends_on = name, starts_on, ends_on
    target.categories = checked_categories
    try:
        target.full_clean()  # also turns dates given as text into dates
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if ("starts_on" not in errors and "ends_on" not in errors
            and target.ends_on < target.starts_on):
        errors["ends_on"] = [_("The last day comes before the first.")]
    if errors:
        if period is not None:
            period.refresh_from_db()  # nothing half-changed on the caller's object
        raise ValidationError(errors)
    target.save()
    target.units.set(unit_ids)
    return target


@transaction.atomic
def quiet_period_delete(*, period: QuietPeriod) -> None:
    """Remove a quiet period: what it held back may be sent again."""
    period.delete()
