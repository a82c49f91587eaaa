"""Writes to needs: submit, change status, vote, follow, comment, merge duplicates, score;
the scoring criteria and the delivery teams.

Rules:
- Statuses move along ``TRANSITIONS`` only: new → qualified → under study → planned → in
  progress → delivered, or declined (a reason is required) from any open status; a declined need
  may be reopened (qualified). "Merged" is reached only by :func:`need_merge`.
- Every change is recorded in the need's history and queued as news for its submitter and
  followers (not for the person who made it); :mod:`phare.needs.notifications` sends digests.
- A person votes once per need and may withdraw; an open campaign may cap the votes each person
  gives to its needs. Only open needs take votes.
- Merging carries the duplicate's votes and followers (and its submitter, as a voter and a
  follower) over to the need it is merged into, without counting anyone twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, Person
from phare.lib.i18n import reader_language
from phare.needs import notifications
from phare.needs.models import (
    Campaign,
    Comment,
    Criterion,
    DeliveryTeam,
    Effort,
    Follow,
    Need,
    Rule,
    Score,
    StatusChange,
    Vote,
)
from phare.needs.policy import need_actions
from phare.needs.scoring import criteria_ensure

S = Need.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.QUALIFIED, S.UNDER_STUDY, S.PLANNED, S.DECLINED}),
    S.QUALIFIED: frozenset({S.UNDER_STUDY, S.PLANNED, S.DECLINED}),
    S.UNDER_STUDY: frozenset({S.PLANNED, S.QUALIFIED, S.DECLINED}),
    S.PLANNED: frozenset({S.IN_PROGRESS, S.UNDER_STUDY, S.DECLINED}),
    S.IN_PROGRESS: frozenset({S.DELIVERED, S.PLANNED, S.DECLINED}),
    S.DELIVERED: frozenset(),
    S.DECLINED: frozenset({S.QUALIFIED}),
    S.MERGED: frozenset(),
}
#: The order statuses come in, for "has this need reached planned yet?".
PROGRESS: list[str] = [S.NEW, S.QUALIFIED, S.UNDER_STUDY, S.PLANNED, S.IN_PROGRESS, S.DELIVERED]
MAX_COMMENT = 4000


def invalid(field: str, message: str, code: str) -> ValidationError:
    """A refusal about one field, with a code callers (and the API) can test."""
    return ValidationError({field: ValidationError(message, code=code)})


def _person_id(user: Any) -> int | None:
    return getattr(user, "person_id", None) if user is not None else None


def _record(need: Need, *, to: str, reason: str = "", user: Any = None,
            campaign: Campaign | None = None, previous: str = "") -> StatusChange:
    return StatusChange.objects.create(need=need, from_status=previous, to_status=to,
                                       reason=reason, by=user, campaign=campaign)


def audience(need: Need) -> set[int]:
    """Who hears of a need's changes: its submitter and followers."""
    people = set(Follow.objects.filter(need=need).values_list("person_id", flat=True))
    if need.submitter_id:
        people.add(need.submitter_id)
    return people


@transaction.atomic
def need_submit(
    *, person: Person, title: str, description: str, business_unit: BusinessUnit,
    concerned_units: Iterable[BusinessUnit] = (), services: Iterable[Service] = (),
    expected_benefit: str = "", urgency: str = Need.Urgency.MEDIUM, user: Any = None,
    language: str | None = None,
) -> Need:
    """A new need, submitted by ``person``, who follows it from then on; ``language``: the
    one it is written in (by default the language the submitter is using)."""
    need = Need(title=title.strip(), description=description.strip(),
                business_unit=business_unit, expected_benefit=expected_benefit.strip(),
                urgency=urgency, submitter=person, language=language or reader_language())
    need.full_clean()
    need.save()
    need.concerned_units.set(list(concerned_units))
    need.services.set(list(services))
    Follow.objects.create(need=need, person=person)
    _record(need, to=S.NEW, user=user)
    return need


@transaction.atomic
def need_set_status(*, user: Any, need: Need, to: str, reason: str = "",
                    campaign: Campaign | None = None, notify: bool = True) -> StatusChange:
    """Move ``need`` to status ``to``, record it and queue the news."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    reason = reason.strip()
    if to == S.MERGED:
        raise invalid("to", _("Use “merge” to mark a need as a duplicate."), "use_merge")
    if to not in TRANSITIONS.get(need.status, ()):
        raise invalid("to", _("A need that is “%(current)s” cannot become “%(to)s”.") % {
            "current": S(need.status).label, "to": S(to).label if to in S.values else to},
            "transition")
    if to == S.DECLINED and not reason:
        raise invalid("reason", _("Say why the need is declined: the reason is shown on its "
                                  "page and sent to the people who follow it."), "reason_required")
    previous, need.status = need.status, to
    need.save(update_fields=["status", "updated_at"])
    change = _record(need, to=to, reason=reason, user=user, campaign=campaign,
                     previous=previous)
    if notify:
        notifications.queue(people=audience(need) - {_person_id(user)}, need=need,
                            kind="status", payload={"from": previous, "to": to,
                                                    "reason": reason})
    return change


def _campaign_caps(person: Person, need: Need) -> list[tuple[Campaign, int]]:
    """Open campaigns with a cap, holding ``need``, and the votes ``person`` gave to them."""
    found = []
    for campaign in need.campaigns.filter(status=Campaign.Status.OPEN, vote_cap__isnull=False):
        given = Vote.objects.filter(person=person, need__campaigns=campaign).count()
        found.append((campaign, given))
    return found


@transaction.atomic
def vote_cast(*, person: Person, need: Need) -> Vote:
    """``person`` votes for ``need``: once, on an open need, within campaigns' caps."""
    # Locking the person's row serialises their votes, so two clicks cannot pass a cap.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if "vote" not in need_actions(need):
        raise ValidationError(_("This need is “%(status)s”: it takes no more votes.")
                              % {"status": S(need.status).label}, code="closed")
    if "vote" not in need_actions(need, person.pk):
        raise ValidationError(_("You raised this need: your vote is already counted in it."),
                              code="own_need")
    if Vote.objects.filter(need=need, person=person).exists():
        raise ValidationError(_("You already vote for this need."), code="already_voted")
    for campaign, given in _campaign_caps(person, need):
        cap = campaign.vote_cap  # never None: _campaign_caps keeps capped campaigns only
        if cap is not None and given >= cap:
            raise ValidationError(
                _("You already gave your %(cap)d votes in “%(campaign)s”: withdraw one to vote "
                  "for this need.") % {"cap": cap, "campaign": campaign.name},
                code="vote_cap")
    try:
        with transaction.atomic():
            return Vote.objects.create(need=need, person=person)
    except IntegrityError:  # the same vote, sent twice at once
        raise ValidationError(_("You already vote for this need."),
                              code="already_voted") from None


@transaction.atomic
def vote_withdraw(*, person: Person, need: Need) -> bool:
    """Withdraw ``person``'s vote; False if there was none."""
    deleted, _rows = Vote.objects.filter(need=need, person=person).delete()
    return bool(deleted)


@transaction.atomic
def follow_set(*, person: Person, need: Need, follow: bool) -> bool:
    """Follow or stop following ``need``; returns whether ``person`` follows it now."""
    if follow:
        Follow.objects.get_or_create(need=need, person=person)
    else:
        Follow.objects.filter(need=need, person=person).delete()
    return follow


@transaction.atomic
def comment_add(*, person: Person, need: Need, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise invalid("text", _("Write a comment first."), "required")
    if len(text) > MAX_COMMENT:
        raise invalid("text", _("A comment is at most %(max)d characters.")
                      % {"max": MAX_COMMENT}, "too_long")
    if "comment" not in need_actions(need):
        raise ValidationError(_("This need was merged: comment on the need it was merged into."),
                              code="merged")
    return Comment.objects.create(need=need, author=person, text=text)


@transaction.atomic
def need_merge(*, user: Any, duplicate: Need, into: Need, reason: str = "") -> Need:
    """Mark ``duplicate`` as merged into ``into``, carrying its votes and followers over."""
    duplicate = Need.objects.select_for_update().get(pk=duplicate.pk)
    into = Need.objects.select_for_update().get(pk=into.pk)
    if duplicate.pk == into.pk:
        raise invalid("into", _("A need cannot be merged into itself."), "self")
    if "merge" not in need_actions(duplicate):
        raise ValidationError(_("A need that is “%(status)s” cannot be merged.")
                              % {"status": S(duplicate.status).label}, code="transition")
    if into.status == S.MERGED:
        raise invalid("into", _("“%(title)s” was itself merged into need %(id)d: merge into "
                                "that one.") % {"title": into.title, "id": into.merged_into_id},
                      "merged_target")
    audience_before = audience(duplicate)
    supporters = set(Vote.objects.filter(need=duplicate).values_list("person_id", flat=True))
    followers = set(audience_before)
    if duplicate.submitter_id:
        # Raising the same need is support for it.
        supporters.add(duplicate.submitter_id)
    # The survivor's author does not vote for their own need, even by a duplicate they raised.
    supporters.discard(into.submitter_id)
    have_voted = set(Vote.objects.filter(need=into).values_list("person_id", flat=True))
    have_followed = set(Follow.objects.filter(need=into).values_list("person_id", flat=True))
    Vote.objects.bulk_create(Vote(need=into, person_id=p) for p in supporters - have_voted)
    Follow.objects.bulk_create(Follow(need=into, person_id=p) for p in followers - have_followed)
    Vote.objects.filter(need=duplicate).delete()
    Follow.objects.filter(need=duplicate).delete()

    # Open campaigns weigh the need it was merged into instead.
    for campaign in duplicate.campaigns.filter(status=Campaign.Status.OPEN):
        campaign.needs.remove(duplicate)
        campaign.needs.add(into)
        Rule.objects.filter(campaign=campaign, need=duplicate).update(need=into)
        Rule.objects.filter(campaign=campaign, other=duplicate).update(other=into)
        Rule.objects.filter(campaign=campaign, need=into, other=into).delete()

    previous = duplicate.status
    duplicate.status, duplicate.merged_into = S.MERGED, into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    _record(duplicate, to=S.MERGED, reason=reason.strip(), user=user, previous=previous)
    notifications.queue(people=audience_before - {_person_id(user)}, need=duplicate,
                        kind="merged", payload={"into": into.pk, "into_title": into.title,
                                                "reason": reason.strip()})
    return into


# --- Scoring ---------------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u202f", "")
                         .replace(" ", ""))
    except InvalidOperation:
        raise invalid(field, _("Enter a number."), "invalid") from None
    if not number.is_finite() or number < 0:
        raise invalid(field, _("Enter a number of zero or more."), "invalid")
    return number


@transaction.atomic
def need_score(*, need: Need, values: Mapping[str, Any], efforts: Mapping[str, Any]) -> None:
    """Set the need's criteria (code → value, empty to clear) and team efforts (team code →
    person-days, empty or 0 to clear). Ratings are whole numbers from 1 to 5."""
    criteria = {c.code: c for c in criteria_ensure()}
    teams = {t.code: t for t in DeliveryTeam.objects.all()}
    errors: dict[str, str] = {}
    parsed: dict[str, Decimal | None] = {}
    for code, raw in values.items():
        criterion = criteria.get(code)
        if criterion is None or code == "effort":
            errors[code] = _("Unknown criterion “%(code)s”.") % {"code": code}
            continue
        try:
            number = _decimal(raw, code)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
            continue
        if number is not None and criterion.kind == Criterion.Kind.RATING and (
                number != number.to_integral_value() or not 1 <= number <= 5):
            errors[code] = _("Rate from 1 to 5.")
            continue
        parsed[code] = number
    days: dict[str, Decimal | None] = {}
    for code, raw in efforts.items():
        field = f"effort:{code}"
        if code not in teams:
            errors[field] = _("Unknown delivery team “%(code)s”.") % {"code": code}
            continue
        try:
            days[code] = _decimal(raw, field)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    for code, number in parsed.items():
        if number is None:
            Score.objects.filter(need=need, criterion=criteria[code]).delete()
        else:
            Score.objects.update_or_create(need=need, criterion=criteria[code],
                                           defaults={"value": number})
    for code, number in days.items():
        if not number:
            Effort.objects.filter(need=need, team=teams[code]).delete()
        else:
            Effort.objects.update_or_create(need=need, team=teams[code],
                                            defaults={"days": number})


@transaction.atomic
def criteria_set_weights(*, weights: Mapping[str, Any]) -> None:
    """Set the weight of each criterion (code → a number of zero or more)."""
    criteria = {c.code: c for c in criteria_ensure()}
    errors, parsed = {}, {}
    for code, raw in weights.items():
        if code not in criteria:
            errors[code] = _("Unknown criterion “%(code)s”.") % {"code": code}
            continue
        try:
            parsed[code] = _decimal(raw, code) or Decimal(0)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
            continue
        if parsed[code] >= 10_000:
            errors[code] = _("Enter a weight under 10,000.")
    if errors:
        raise ValidationError(errors)
    for code, weight in parsed.items():
        Criterion.objects.filter(pk=criteria[code].pk).update(weight=weight)


@transaction.atomic
def criterion_add(*, code: str, name_fr: str, name_en: str = "", higher_is_better: bool = True,
                  weight: Decimal = Decimal(1)) -> Criterion:
    """A new rating criterion (1 to 5), after the existing ones."""
    criterion = Criterion(code=code.strip(), name_fr=name_fr.strip(), name_en=name_en.strip(),
                          kind=Criterion.Kind.RATING, higher_is_better=higher_is_better,
                          weight=weight, position=Criterion.objects.count())
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def team_add(*, code: str, name: str) -> DeliveryTeam:
    """A new delivery team, whose person-days needs and campaigns can then count."""
    team = DeliveryTeam(code=code.strip(), name=name.strip())
    team.full_clean()
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:  # the same code, added twice at once
        raise invalid("code", _("This code is already used."), "unique") from None
    return team


def reached(status: str, target: str) -> bool:
    """Whether ``status`` is ``target`` or further along the delivery path."""
    return status in PROGRESS and PROGRESS.index(status) >= PROGRESS.index(target)
