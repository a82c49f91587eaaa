"""Accounts test data: the personas every test speaks of, one user per role, and their password."""

from __future__ import annotations

from typing import Any

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from tests.directory.factories import make_person

#: The password of every persona (long enough for the validators).
PASSWORD = "correct-horse-battery-staple"

PERSONA_ROLES = {
    "admin": Role.ADMIN,
    "marketing": Role.MARKETING,
    "owner": Role.OWNER,
    "executive": Role.EXECUTIVE,
    "employee": Role.EMPLOYEE,
}


def make_personas(org: dict[str, Any]) -> dict[str, User]:
    """One user per role, each linked to a person of ``org`` (``make_org()``'s organisation)."""
    people = {
        "admin": make_person(org, "E0001", "Alice", "Admin"),
        "marketing": make_person(org, "E0002", "Mathilde", "Marchand"),
        "owner": make_person(org, "E0003", "Olivier", "Owner"),
        "executive": make_person(org, "E0004", "Claire", "Dupont", business_unit=org["dg"]),
        "employee": make_person(org, "E0005", "Eric", "Martin", business_unit=org["sales"],
                                site=org["lyon"], job_family=org["sell"]),
    }
    return {
        name: user_create(username=name, password=PASSWORD, role=role, person=people[name],
                          email=people[name].email)
        for name, role in PERSONA_ROLES.items()
    }
