"""Sign-on through the organisation's identity provider (OIDC, SAML, LDAP): one rule for all.

A provider tells who signed in as an :class:`Identity` (its own stable subject, an email
and/or an employee id, the groups it knows). :func:`account_for` turns that into a Phare
account, the same way whatever the protocol:

- the person is found in the directory, by employee id first, then by email (case-blind),
  among active people only; nobody found, or two people for one email, is a refusal
  (:class:`SignOnRefused`, whose ``reason`` a page explains) — Phare never guesses;
- the account linked to that person is used, or created just in time (no usable password:
  it signs in through the provider only);
- when ``PHARE_SSO_ROLE_GROUPS`` maps groups to roles, the role follows the groups at every
  sign-in (the most powerful role whose groups the person is in; employee otherwise); when
  no mapping is set, a new account is an employee and an existing one keeps its role;
- when the provider could not tell the groups (``groups_unavailable``: Entra ID's overage and
  Microsoft Graph failing), nothing is decided on them: an existing account keeps its role,
  a new one is an employee — a role is never granted by default.

Role changes and creations go through :mod:`phare.accounts.services`, so they are audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from phare.accounts import services
from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.directory.models import Person

#: From the most to the least powerful: the first role whose groups match wins.
ROLE_ORDER: tuple[Role, ...] = (Role.ADMIN, Role.MARKETING, Role.EXECUTIVE, Role.OWNER)


@dataclass(frozen=True)
class Identity:
    """Who a provider says signed in."""

    provider: str  # "oidc", "saml", "ldap"…
    subject: str  # the provider's stable id for the person (sub, NameID, DN)
    email: str = ""
    employee_id: str = ""
    groups: tuple[str, ...] = field(default=())
    #: Why the groups could not be read (empty: ``groups`` is the whole list).
    groups_unavailable: str = ""


class SignOnRefused(Exception):
    """The provider vouched for someone Phare will not let in; ``reason`` says why."""

    REASONS = {
        "no_identifier": _("Your identity provider sent neither an email address nor an "
                           "employee id, so Phare cannot tell who you are."),
        "not_in_directory": _("You are not in the organisation's directory as Phare knows it. "
                              "If you joined recently, the directory may not have been updated "
                              "yet: ask the IT department."),
        "ambiguous": _("Several people in the directory share your email address, so Phare "
                       "cannot tell which one you are: ask the IT department."),
        "account_disabled": _("Your Phare account is disabled: ask the IT department."),
    }

    def __init__(self, reason: str, identity: Identity) -> None:
        super().__init__(reason)
        self.reason = reason
        self.identity = identity

    @property
    def message(self) -> str:
        return str(self.REASONS[self.reason])


def role_for(groups: Iterable[str], mapping: Mapping[str, tuple[str, ...]]) -> Role:
    """The most powerful role one of ``groups`` maps to; employee when none does.

    Group names compare case-blind (directories differ in case, not in meaning)."""
    held = {g.casefold() for g in groups}
    for role in ROLE_ORDER:
        if held & {g.casefold() for g in mapping.get(role.value, ())}:
            return role
    return Role.EMPLOYEE


def find_person(identity: Identity) -> Person:
    """The active directory person ``identity`` is, or SignOnRefused."""
    people = Person.objects.filter(active=True)
    if identity.employee_id:
        person = people.filter(employee_id=identity.employee_id.strip()).first()
        if person is not None:
            return person
    if identity.email:
        found = list(people.filter(email__iexact=identity.email.strip())[:2])
        if len(found) > 1:
            raise SignOnRefused("ambiguous", identity)
        if found:
            return found[0]
    if not identity.email and not identity.employee_id:
        raise SignOnRefused("no_identifier", identity)
    raise SignOnRefused("not_in_directory", identity)


@transaction.atomic
def account_for(identity: Identity) -> User:
    """The account ``identity`` signs in as, created just in time; or SignOnRefused."""
    person = find_person(identity)
    mapping: Mapping[str, tuple[str, ...]] = settings.PHARE_SSO_ROLE_GROUPS
    user = User.objects.select_for_update().filter(person=person).first()
    if identity.groups_unavailable:
        mapping = {}  # no groups known: no role decided on them
    if user is None:
        role = role_for(identity.groups, mapping) if mapping else Role.EMPLOYEE
        return services.user_create(
            username=_free_username(person), password=None, role=role,
            email=person.email, person=person)
    if not user.is_active:
        raise SignOnRefused("account_disabled", identity)
    if mapping:
        role = role_for(identity.groups, mapping)
        if role != user.role:
            services.user_update(user=user, role=role, person=person,
                                 email=user.email or person.email, is_active=True)
    return user


def _free_username(person: Person) -> str:
    """The person's email (or employee id) as username, suffixed when already taken."""
    base = (person.email or person.employee_id).strip().lower()[:140]
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
