"""From a person to the rows each declared holding (``lib/privacy.py``) keeps about them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from phare.accounts.models import User
from phare.directory.models import Person
from phare.lib import privacy
from phare.lib.pseudonyms import pseudonym


@dataclass(frozen=True)
class Identity:
    """Who a person is, read before anything is erased: their record, their accounts, and
    every word that names them (names, addresses, usernames, employee id)."""

    person: Person
    users: tuple[User, ...]
    emails: tuple[str, ...]
    usernames: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        """What names them in free text: names, addresses, employee id (not usernames,
        which may be common words: see :func:`phare.audit.services.pseudonymise`)."""
        person = self.person
        names = {person.full_name, f"{person.last_name} {person.first_name}",
                 person.employee_id, *self.emails}
        names |= {user.get_full_name() for user in self.users}
        return tuple(sorted(name.strip() for name in names if name and name.strip()))


def identity(person: Person) -> Identity:
    """The person's identity: accounts linked to them or holding their address."""
    found = Q(person=person)
    if person.email:
        found |= Q(email__iexact=person.email)
    users = tuple(User.objects.filter(found).order_by("pk"))
    emails = sorted({e.lower() for e in [person.email, *(u.email for u in users)] if e})
    return Identity(person=person, users=users, emails=tuple(emails),
                    usernames=tuple(sorted({u.username for u in users})))


def stable_pseudonym(person: Person) -> str:
    """Eight characters standing for the person, the same at every erasure (keyed hash)."""
    return pseudonym("privacy-erased", person.pk)[:8]


def archived() -> list[privacy.Holding]:
    """The holdings a person's archive (and its summary) reads: each kind of row once (an
    account found by its address as well as by its person is read once), and not the
    directory record's address, which the archive's ``person`` section already holds."""
    exported = {holding.model for holding in privacy.holdings() if holding.export}
    return [holding for holding in privacy.holdings()
            if (holding.export or holding.model not in exported)
            and holding.key != "directory.Person.email"]


def model_of(holding: privacy.Holding) -> type[models.Model] | None:
    """The holding's model, or None when its app is not installed."""
    try:
        return apps.get_model(holding.model)
    except LookupError:
        return None


def rows(holding: privacy.Holding, who: Identity) -> QuerySet[Any] | None:
    """The rows of ``holding`` about the person (None when the model is not installed or the
    holding cannot be read as a filter: the privacy app handles those itself)."""
    model = model_of(holding)
    if model is None:
        return None
    manager = model._default_manager
    name = holding.field
    if holding.by == "person":
        return manager.filter(**{name: who.person})
    if holding.by == "user":
        if not who.users:
            return manager.none()
        field = model._meta.get_field(name) if "__" not in name else None
        values: list[Any] = (list(who.users) if field is None or field.is_relation
                             else [user.pk for user in who.users])
        return manager.filter(**{f"{name}__in": values}).distinct()
    if holding.by == "username":
        return manager.filter(**{f"{name}__in": who.usernames}) if who.usernames \
            else manager.none()
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField):  # a list of addresses (JSON): handled apart
        return None
    if not who.emails:
        return manager.none()
    return manager.filter(reduce(or_, (Q(**{f"{name}__iexact": email}) for email in who.emails)))


def empty_value(model: type[models.Model], name: str) -> Any:
    """What a detached field becomes: null when it may be, else the empty text."""
    field = model._meta.get_field(name)
    return None if field.null else ""


def as_record(obj: models.Model, holding: privacy.Holding) -> dict[str, Any]:
    """One row as plain values for the archive: every concrete field but the hidden ones and
    the link to the person itself; a foreign key as its label (and id)."""
    record: dict[str, Any] = {}
    link = holding.field.split("__")[0]
    for field in obj._meta.concrete_fields:
        if field.name in holding.hidden or field.name == link and holding.by in ("person",
                                                                                  "user"):
            continue
        if field.is_relation:
            value_id = getattr(obj, field.attname)
            record[f"{field.name}_id"] = value_id
            if value_id is not None:
                record[field.name] = str(getattr(obj, field.name))
            continue
        value = getattr(obj, field.attname)
        if hasattr(value, "name") and isinstance(field, models.FileField):
            value = value.name
        record[field.name] = value
    return record
