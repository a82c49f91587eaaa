"""Every SCIM write: users through the directory import's checks, groups and the roles they give,
and the audit trail's entry of each call. Each write is atomic: a refusal writes nothing.

A user's account (created at the person's first sign-on) follows SCIM's ``active``: false
disables it, true enables it again only if SCIM disabled it. ``DELETE`` deactivates the person
and their account and forgets the SCIM link (the directory keeps the person, inactive); a new
``POST`` with the same employeeNumber links them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phare.accounts import services as accounts
from phare.accounts.models import User
from phare.audit.actions import Action
from phare.audit.services import record
from phare.directory.importer import DirectoryImportError, upsert_people
from phare.directory.models import Person
from phare.signon.identity import role_for
from phare.signon.models import ScimGroup, ScimUser
from phare.signon.scim import patch, queries
from phare.signon.scim.errors import ScimError, invalid_value
from phare.signon.scim.resources import (
    ATTRIBUTE_OF_COLUMN,
    ENTERPRISE,
    GROUP,
    READ_ONLY,
    USER,
    USER_EXTENSIONS,
    GroupInput,
    UserInput,
    group_resource,
    parse_group,
    parse_user,
    user_resource,
)


def audit(*, actor: Any, operation: str, resource: str, status: int,
          details: dict[str, Any] | None = None) -> None:
    """The audit trail's entry of one SCIM call (action "import")."""
    record(action=Action.IMPORT, actor=actor,
           target=("signon.scim", resource, f"SCIM {operation}"),
           details={"operation": operation, "resource": resource, "status": status,
                    **(details or {})})


# --- users --------------------------------------------------------------------------------------

@transaction.atomic
def user_create(*, body: Any) -> ScimUser:
    data = parse_user(body, manager_employee_id=queries.employee_id_of)
    employee_id = data.columns["employee_id"]
    person = Person.objects.filter(employee_id=employee_id).first()
    if person is not None and ScimUser.objects.filter(person=person).exists():
        raise ScimError(409, _("%(attribute)s: '%(value)s' is already the employee number of "
                               "the user with id %(id)s") % {
            "attribute": f"{ENTERPRISE}:employeeNumber", "value": employee_id,
            "id": person.pk}, "uniqueness")
    return _write_user(None, data)


@transaction.atomic
def user_replace(*, scim: ScimUser, body: Any) -> ScimUser:
    return _write_user(scim, parse_user(body, manager_employee_id=queries.employee_id_of))


@transaction.atomic
def user_patch(*, scim: ScimUser, body: Any) -> ScimUser:
    current = user_resource(scim, "", queries.groups_of(scim.person))
    patched = patch.apply(current, body, core=USER, extensions=USER_EXTENSIONS,
                          read_only=READ_ONLY)
    return _write_user(scim, parse_user(patched, manager_employee_id=queries.employee_id_of,
                                        complete=True))


@transaction.atomic
def user_delete(*, scim: ScimUser) -> None:
    person = scim.person
    _upsert({"employee_id": person.employee_id, "first_name": person.first_name,
             "last_name": person.last_name, "email": person.email, "active": "0"})
    _set_account_active(person, active=False, scim=None)
    groups = list(person.scim_groups.all())
    for group in groups:
        group.members.remove(person)
    if groups:
        _apply_roles([person.pk])
    scim.delete()


def _write_user(scim: ScimUser | None, data: UserInput) -> ScimUser:
    taken = ScimUser.objects.filter(user_name__iexact=data.user_name)
    if scim is not None:
        taken = taken.exclude(pk=scim.pk)
        if data.columns["employee_id"] != scim.person.employee_id:
            raise ScimError(400, _("%(attribute)s cannot change: the directory knows this person "
                                   "as '%(value)s'") % {
                "attribute": f"{ENTERPRISE}:employeeNumber",
                "value": scim.person.employee_id}, "mutability")
    if taken.exists():
        raise ScimError(409, _("userName: '%(value)s' is already taken")
                        % {"value": data.user_name}, "uniqueness")
    _upsert(data.columns)
    person = Person.objects.get(employee_id=data.columns["employee_id"])
    if scim is None:
        scim = ScimUser(person=person)
    scim.person = person  # as written, for the answer
    scim.user_name, scim.external_id = data.user_name, data.external_id
    _set_account_active(person, active=person.active, scim=scim)
    scim.full_clean()
    scim.save()
    return scim


def _upsert(columns: dict[str, str]) -> None:
    try:
        upsert_people([columns])
    except DirectoryImportError as exc:
        raise invalid_value("; ".join(
            f"{ATTRIBUTE_OF_COLUMN.get(e.column, e.column)}: {e.reason}" if e.column
            else e.reason for e in exc.errors)) from None


def _set_account_active(person: Person, *, active: bool, scim: ScimUser | None) -> None:
    """Disable the person's account, or enable it again if SCIM disabled it."""
    user = User.objects.filter(person=person).first()
    if user is None:
        return
    if not active and user.is_active:
        _user_update(user, role=user.role, is_active=False)
        if scim is not None:
            scim.account_disabled = True
    elif active and not user.is_active and scim is not None and scim.account_disabled:
        _user_update(user, role=user.role, is_active=True)
        scim.account_disabled = False


def _user_update(user: User, *, role: str, is_active: bool) -> None:
    try:
        accounts.user_update(user=user, role=role, person=user.person, email=user.email,
                             is_active=is_active)
    except ValidationError as exc:
        raise ScimError(400, " ".join(exc.messages), "invalidValue") from None


# --- groups -------------------------------------------------------------------------------------

@transaction.atomic
def group_create(*, body: Any) -> ScimGroup:
    return _write_group(None, parse_group(body))


@transaction.atomic
def group_replace(*, group: ScimGroup, body: Any) -> ScimGroup:
    return _write_group(group, parse_group(body))


@transaction.atomic
def group_patch(*, group: ScimGroup, body: Any) -> ScimGroup:
    current = group_resource(group, "", queries.members_of(group))
    patched = patch.apply(current, body, core=GROUP, extensions=(), read_only=READ_ONLY)
    return _write_group(group, parse_group(patched))


@transaction.atomic
def group_delete(*, group: ScimGroup) -> None:
    members = list(group.members.values_list("pk", flat=True))
    group.delete()
    _apply_roles(members)


def _write_group(group: ScimGroup | None, data: GroupInput) -> ScimGroup:
    taken = ScimGroup.objects.filter(display_name__iexact=data.display_name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ScimError(409, _("displayName: '%(value)s' is already the name of a group")
                        % {"value": data.display_name}, "uniqueness")
    known = set(Person.objects.filter(pk__in=data.members).values_list("pk", flat=True))
    unknown = [str(pk) for pk in data.members if pk not in known]
    if unknown:
        raise invalid_value(_("members.value: no user has the id %(ids)s")
                            % {"ids": ", ".join(unknown)})
    before: set[int] = set()
    renamed = False
    if group is None:
        group = ScimGroup()
    else:
        before = set(group.members.values_list("pk", flat=True))
        renamed = group.display_name != data.display_name
    group.display_name, group.external_id = data.display_name, data.external_id
    group.full_clean()
    group.save()
    after = set(data.members)
    group.members.remove(*(before - after))
    group.members.add(*(after - before))
    _apply_roles(before | after if renamed else before ^ after)
    return group


def _apply_roles(people: Iterable[int]) -> None:
    """Give the accounts of these people the role their groups map to, when a mapping is set."""
    mapping = settings.PHARE_SSO_ROLE_GROUPS
    if not mapping:
        return
    for user in User.objects.filter(person__in=list(people)).select_related("person"):
        names = ScimGroup.objects.filter(members=user.person_id).values_list("display_name",
                                                                             flat=True)
        role = role_for(names, mapping)
        if role != user.role:
            _user_update(user, role=role, is_active=user.is_active)
