"""Shared fixtures: the personas every test speaks of, and a small organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.directory.models import BusinessUnit, JobFamily, Person, Site

PASSWORD = "correct-horse-battery-staple"

PERSONA_ROLES = {
    "admin": Role.ADMIN,
    "marketing": Role.MARKETING,
    "owner": Role.OWNER,
    "executive": Role.EXECUTIVE,
    "employee": Role.EMPLOYEE,
}


@pytest.fixture(autouse=True)
def _no_sign_in_wait(settings):
    # The wait between failed sign-ins has its own tests (tests/accounts/test_login_throttling.py).
    settings.PHARE_LOGIN_DELAY_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers cost ~0.25 s per user; tests of hashing itself live with Django.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db) -> dict[str, object]:
    """A tiny organisation: two units (one a sub-unit), two sites, two job families."""
    dg = BusinessUnit.objects.create(code="DG", name="Direction générale")
    dsi = BusinessUnit.objects.create(code="DSI", name="Systèmes d'information", parent=dg)
    sales = BusinessUnit.objects.create(code="VEN", name="Ventes")
    paris = Site.objects.create(code="PAR", name="Paris La Défense", city="Paris", country="FR")
    lyon = Site.objects.create(code="LYS", name="Lyon Gerland", city="Lyon", country="FR")
    it = JobFamily.objects.create(code="IT", name="Informatique")
    sell = JobFamily.objects.create(code="COM", name="Commercial")
    return {"dg": dg, "dsi": dsi, "sales": sales, "paris": paris, "lyon": lyon, "it": it,
            "sell": sell}


def make_person(org: dict[str, object], employee_id: str, first: str, last: str,
                **extra: object) -> Person:
    values = {"email": f"{first}.{last}@example.com".lower(), "business_unit": org["dsi"],
              "site": org["paris"], "job_family": org["it"], "language": "fr"}
    values.update(extra)
    return Person.objects.create(employee_id=employee_id, first_name=first, last_name=last,
                                 **values)


@pytest.fixture
def personas(org) -> dict[str, User]:
    """One user per role, each linked to a person of the organisation."""
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


@pytest.fixture
def login(client: Client, personas: dict[str, User]):
    """``login("marketing")`` signs the test client in as that persona and returns it."""

    def sign_in(name: str) -> Client:
        client.force_login(personas[name])
        return client

    return sign_in
