"""The one sign-on rule every provider (OIDC, SAML, LDAP) goes through."""

from __future__ import annotations

import pytest

from phare import env
from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.audit.models import Entry
from phare.signon.identity import Identity, SignOnRefused, account_for, role_for
from tests.directory.factories import make_org, make_person

MAPPING = {"admin": ("Phare Admins",), "marketing": ("Comms", "Marketing")}


@pytest.fixture
def org(db):
    return make_org()


def oidc(**kwargs) -> Identity:
    return Identity(provider="oidc", subject="sub-1", **kwargs)


def test_a_person_of_the_directory_gets_an_account_just_in_time_as_an_employee(org, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    alice = make_person(org, "E1", "Alice", "Martin")
    user = account_for(oidc(email="ALICE.Martin@example.com"))
    assert (user.person, user.role, user.username) == (alice, Role.EMPLOYEE,
                                                      "alice.martin@example.com")
    assert not user.has_usable_password()
    assert Entry.objects.filter(action="account.created", target_id=str(user.pk)).exists()
    assert account_for(oidc(email="alice.martin@example.com")) == user  # no second account


def test_the_employee_id_is_tried_first_then_the_email(org, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    alice = make_person(org, "E1", "Alice", "Martin")
    bob = make_person(org, "E2", "Bob", "Durand")
    assert account_for(oidc(employee_id="E2", email=alice.email)).person == bob
    assert account_for(oidc(employee_id="E404", email=alice.email)).person == alice


@pytest.mark.parametrize(("identity", "reason"), [
    (oidc(), "no_identifier"),
    (oidc(email="nobody@example.com"), "not_in_directory"),
    (oidc(email="twin@example.com"), "ambiguous"),
    (oidc(email="gone@example.com"), "not_in_directory"),
])
def test_phare_refuses_whom_it_cannot_tell_apart_or_find(org, settings, identity, reason):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    make_person(org, "T1", "Twin", "One", email="twin@example.com")
    make_person(org, "T2", "Twin", "Two", email="Twin@example.com")
    make_person(org, "G1", "Gone", "Away", email="gone@example.com", active=False)
    with pytest.raises(SignOnRefused) as refused:
        account_for(identity)
    assert refused.value.reason == reason and refused.value.message
    assert not User.objects.exists()


def test_a_disabled_account_stays_out(org, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    alice = make_person(org, "E1", "Alice", "Martin")
    user = user_create(username="alice", password=None, role=Role.EMPLOYEE, person=alice)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SignOnRefused) as refused:
        account_for(oidc(employee_id="E1"))
    assert refused.value.reason == "account_disabled"


def test_with_a_mapping_the_role_follows_the_groups_at_every_sign_in(org, settings):
    settings.PHARE_SSO_ROLE_GROUPS = MAPPING
    alice = make_person(org, "E1", "Alice", "Martin")
    user = account_for(oidc(employee_id="E1", groups=("marketing", "Staff")))
    assert user.role == Role.MARKETING
    user = account_for(oidc(employee_id="E1", groups=("Staff",)))
    assert user.role == Role.EMPLOYEE
    assert Entry.objects.filter(action="account.role_changed", target_id=str(user.pk)).exists()
    assert User.objects.get(person=alice).role == Role.EMPLOYEE


def test_without_a_mapping_an_existing_account_keeps_its_role(org, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    alice = make_person(org, "E1", "Alice", "Martin")
    user_create(username="alice", password=None, role=Role.EXECUTIVE, person=alice)
    assert account_for(oidc(employee_id="E1", groups=("Phare Admins",))).role == Role.EXECUTIVE


def test_the_most_powerful_mapped_role_wins():
    assert role_for(["comms", "PHARE ADMINS"], MAPPING) == Role.ADMIN
    assert role_for([], MAPPING) == Role.EMPLOYEE


def test_the_mapping_setting_is_read_and_checked():
    assert env.env_role_groups({"X": "admin = A ; marketing=B, C;"}, "X") == {
        "admin": ("A",), "marketing": ("B", "C")}
    assert env.env_role_groups({}, "X") == {}
    for bad in ("boss=A", "admin", "admin= , "):
        with pytest.raises(env.ConfigError, match="X"):
            env.env_role_groups({"X": bad}, "X")
    assert set(env.ROLES) == set(Role.values)
