"""The right to erasure: a person erased across every module in one transaction.

What happens to each kind of data is declared by its app (``lib/privacy.py``); this module
applies the declarations and the few rules too particular for them (``CUSTOM``). The directory
record and the accounts survive, stripped of everything that says who it was, so that what
others did and what is counted stays right: responses, votes, deliveries and licences keep
counting, under "Former employee #<pseudonym>".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext

from phare.accounts.roles import Role
from phare.audit import services as audit
from phare.audit.actions import Action
from phare.directory.models import Person
from phare.lib import privacy
from phare.listening.services.waves import opt_out_record
from phare.needs.models import Need, Vote
from phare.privacy import usage_events
from phare.privacy.holdings import Identity, empty_value, identity, rows, stable_pseudonym
from phare.reports.models import Schedule


class ErasureRefused(Exception):
    """The person cannot be erased (already erased): the message says why."""


def pseudonym_label(person: Person) -> str:
    """The name an erased person goes by, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{gettext('Former employee')} #{stable_pseudonym(person)}"


ERASED_PREFIX = "erased-"


def is_erased(person: Person) -> bool:
    return person.employee_id.startswith(ERASED_PREFIX)


# -- the custom rules ---------------------------------------------------------------------------

def _person_record(who: Identity, label: str) -> int:
    """The directory record: names, address and employee id replaced, no longer active."""
    person = who.person
    Person.objects.filter(pk=person.pk).update(
        first_name=label.split(" #")[0], last_name=f"#{stable_pseudonym(person)}", email="",
        employee_id=f"{ERASED_PREFIX}{stable_pseudonym(person)}", active=False, manager=None,
        updated_at=timezone.now())  # the usage store's people file follows the directory
    # No survey email may go to no address: the pseudonymised record is opted out.
    opt_out_record(person_id=person.pk)
    return 1


def _accounts(who: Identity, label: str) -> int:
    """Each account: deactivated, renamed, no address, no password, no role, no groups."""
    for user in who.users:
        user.username = f"{ERASED_PREFIX}{stable_pseudonym(who.person)}-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.role = Role.EMPLOYEE
        user.person = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    return len(who.users)


def _needs(who: Identity, label: str) -> int:
    """Needs nobody else voted for are deleted (unless something refers to them: merged
    duplicates, a published decision); the others stay under the pseudonymised record."""
    deleted = 0
    for need in Need.objects.filter(submitter=who.person):
        if Vote.objects.filter(need=need).exclude(person=who.person).exists():
            continue
        try:
            with transaction.atomic():
                need.delete()
                deleted += 1
        except ProtectedError:
            continue
    return deleted


def _schedules(who: Identity, label: str) -> int:
    """The address leaves every report schedule's recipients."""
    changed = 0
    emails = set(who.emails)
    for schedule in Schedule.objects.all():
        recipients = [r for r in schedule.recipients if str(r).lower() not in emails]
        if recipients != schedule.recipients:
            Schedule.objects.filter(pk=schedule.pk).update(recipients=recipients)
            changed += 1
    return changed


def _audit(who: Identity, label: str) -> int:
    targets = [("directory.person", str(who.person.pk))]
    targets += [("accounts.user", str(user.pk)) for user in who.users]
    changed = audit.pseudonymise(name=label, targets=targets, words=who.words,
                                 exact=who.usernames)
    for user in who.users:
        changed += audit.pseudonymise(name=label, actor_id=user.pk)
    return changed


#: The rules of the holdings declared ``CUSTOM``, by holding key; each answers a count.
CUSTOM: dict[str, Callable[[Identity, str], int]] = {
    "directory.Person.email": _person_record,
    "accounts.User.person": _accounts,
    # The same accounts, stripped by the rule above.
    "accounts.User.email": lambda who, label: 0,
    "accounts.User.username": lambda who, label: 0,
    "needs.Need.submitter": _needs,
    "reports.Schedule.recipients": _schedules,
    "audit.Entry.actor_id": _audit,
}
#: The order custom rules run in: the audit trail first (it needs nothing erased yet), the
#: records that say who it was last.
CUSTOM_ORDER = ["audit.Entry.actor_id", "needs.Need.submitter", "reports.Schedule.recipients",
                "accounts.User.email", "accounts.User.username", "accounts.User.person",
                "directory.Person.email"]


def _cleared(values: dict[str, Any], label: str) -> dict[str, Any]:
    return {name: label if value == privacy.PSEUDONYM else value
            for name, value in values.items()}


def _generic(holding: privacy.Holding, who: Identity, label: str) -> int:
    found = rows(holding, who)
    if found is None:
        return 0
    model = found.model
    selected = model._default_manager.filter(pk__in=list(found.values_list("pk", flat=True)))
    if holding.erase == privacy.DELETE:
        count = selected.count()
        selected.delete()
        return count
    link = holding.field
    field = model._meta.get_field(link) if "__" not in link else None
    if field is not None and field.many_to_many:  # a membership: detached, or kept
        if holding.erase == privacy.DETACH:
            target = who.person if holding.by == "person" else None
            for obj in selected:
                getattr(obj, link).remove(*([target] if target else who.users))
        return selected.count()
    changes = _cleared(dict(holding.clear), label)
    if holding.erase == privacy.DETACH:
        changes[link] = empty_value(model, link)
    if not changes:
        return selected.count()
    return selected.update(**changes)


@transaction.atomic
def erase(person: Person, *, actor: Any) -> dict[str, int]:
    """Erase ``person`` everywhere, in one transaction; what was done, by holding section.

    Raises :class:`ErasureRefused` when the person was already erased. The audit entry that
    records the erasure names the pseudonym, never the person.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if is_erased(person):
        raise ErasureRefused(gettext("This person was already erased."))
    who = identity(person)
    label = pseudonym_label(person)
    done: dict[str, int] = {}
    declared = privacy.holdings()
    for holding in declared:
        if holding.erase != privacy.CUSTOM:
            done[holding.section] = done.get(holding.section, 0) + _generic(holding, who, label)
    custom = {holding.key: holding for holding in declared if holding.erase == privacy.CUSTOM}
    for key in [k for k in CUSTOM_ORDER if k in custom] + sorted(set(custom) - set(CUSTOM_ORDER)):
        section = custom[key].section
        done[section] = done.get(section, 0) + CUSTOM[key](who, label)
    done["usage_events"] = usage_events.rekey(person.pk)
    audit.record(action=Action.ERASURE, actor=actor, target=("directory.person", person.pk, label),
                 details={"pseudonym": label, "accounts": len(who.users),
                          "done": {name: count for name, count in sorted(done.items())
                                   if count}})
    return done

