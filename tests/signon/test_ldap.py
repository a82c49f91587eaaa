"""Signing in with the directory server's password, against a real slapd (conftest.py)."""

from __future__ import annotations

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth import authenticate
from django.test import RequestFactory

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import user_create
from phare.audit.models import Entry
from phare.signon import ldap
from tests.directory.factories import make_org, make_person

LOGIN = "/accounts/login/"
BACKEND = "phare.signon.ldap.LDAPBackend"

#: As tests/signon/data/directory.ldif has them.
SUFFIX = "dc=phare,dc=test"
GROUPS_DN = f"ou=groups,{SUFFIX}"

pytestmark = pytest.mark.usefixtures("english", "ldap_settings")


@pytest.fixture
def people(db):
    """Alice (E001), Bob (E002) and Gina (E007) are in Phare's directory; Farid is not."""
    org = make_org()
    return {
        "alice": make_person(org, "E001", "Alice", "Martin", email="alice.martin@phare.test"),
        "bob": make_person(org, "E002", "Bob", "Durand", email="bob.durand@phare.test"),
        "gina": make_person(org, "E007", "Gina", "Moreau", email="gina.moreau@phare.test"),
    }


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR="192.0.2.20")


def signed_in(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_person_signs_in_with_their_uid_and_gets_an_account_just_in_time(client, people,
                                                                          settings):
    settings.PHARE_SSO_ROLE_GROUPS = {}
    response = sign_in(client, "alice", "alice-pass")
    assert response.status_code == 302
    user = signed_in(client)
    assert user is not None and user.person == people["alice"]
    assert user.role == Role.EMPLOYEE
    assert not user.has_usable_password()  # the directory's password is never kept
    assert client.session["_auth_user_backend"] == BACKEND
    entry = Entry.objects.get(action="signin.success")
    assert entry.details["backend"] == BACKEND


def test_a_person_signs_in_with_their_email_as_well(client, people):
    assert sign_in(client, "Bob.Durand@phare.test", "bob-pass").status_code == 302
    assert signed_in(client).person == people["bob"]
    # The same account the next time, whichever login is typed.
    client.logout()
    assert sign_in(client, "bob", "bob-pass").status_code == 302
    assert User.objects.filter(person=people["bob"]).count() == 1


def test_a_wrong_password_fails_and_counts_as_a_failure(client, people):
    response = sign_in(client, "alice", "bob-pass")
    assert response.status_code == 200
    assert signed_in(client) is None
    assert AccessFailureLog.objects.filter(username="alice").count() == 1
    assert Entry.objects.filter(action="signin.failure").exists()
    assert not User.objects.exists()


def test_an_unknown_login_fails_like_a_wrong_password(client, people):
    response = sign_in(client, "mallory", "mallory-pass")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert signed_in(client) is None
    assert AccessFailureLog.objects.filter(username="mallory").count() == 1


def test_an_empty_password_never_binds_although_the_server_takes_it_as_anonymous(people):
    # conftest's slapd has "allow bind_anon_cred": a DN with an empty password is accepted
    # there as an anonymous bind. Phare refuses before asking.
    assert ldap.authenticate_identity("alice", "") is None
    request = RequestFactory().post(LOGIN)
    assert authenticate(request, username="alice", password="") is None
    assert not User.objects.exists()


def test_the_login_is_escaped_in_the_filter(people):
    assert ldap.user_filter("*)(uid=*") == (
        r"(|(uid=\2a\29\28uid=\2a)(mail=\2a\29\28uid=\2a)(sAMAccountName=\2a\29\28uid=\2a))")
    # Unescaped, "ali*" would find Alice alone, and her password would let this login in.
    assert ldap.authenticate_identity("ali*", "alice-pass") is None
    assert ldap.authenticate_identity("*)(uid=alice", "alice-pass") is None
    assert ldap.authenticate_identity("*", "alice-pass") is None


def test_an_injection_attempt_signs_nobody_in(client, people):
    assert sign_in(client, "ali*", "alice-pass").status_code == 200
    assert sign_in(client, "*)(uid=*))(|(uid=*", "alice-pass").status_code == 200
    assert signed_in(client) is None


def test_someone_the_server_knows_but_not_phares_directory_is_told_why(client, people):
    response = sign_in(client, "farid", "farid-pass")
    assert response.status_code == 200
    assert "You are not in the organisation&#x27;s directory" in response.content.decode()
    assert signed_in(client) is None
    assert not User.objects.exists()
    entry = Entry.objects.get(action="signin.failure", details__provider="ldap")
    assert entry.details["reason"] == "not_in_directory"
    assert entry.details["subject"] == f"uid=farid,ou=Engineering,ou=people,{SUFFIX}"


@pytest.mark.parametrize("group_search", [False, True], ids=["memberOf", "group search"])
def test_the_role_follows_the_groups(client, people, settings, group_search):
    settings.PHARE_SSO_ROLE_GROUPS = {"admin": ("Phare Admins",), "marketing": ("comms",)}
    if group_search:
        settings.PHARE_LDAP_GROUP_BASE_DN = GROUPS_DN
    identity = ldap.authenticate_identity("alice", "alice-pass")
    assert identity is not None
    assert identity.groups == ("Phare Admins", f"cn=Phare Admins,{GROUPS_DN}")
    assert identity.employee_id == "E001" and identity.email == "alice.martin@phare.test"
    assert sign_in(client, "alice", "alice-pass").status_code == 302
    assert signed_in(client).role == Role.ADMIN
    client.logout()
    assert sign_in(client, "gina", "gina-pass").status_code == 302
    assert signed_in(client).role == Role.MARKETING


def test_an_unreachable_server_is_said_so_and_still_counts(client, people, settings,
                                                           unreachable_url):
    settings.PHARE_LDAP_URL = unreachable_url
    settings.PHARE_LDAP_TIMEOUT = 1
    response = sign_in(client, "alice", "alice-pass")
    assert response.status_code == 200
    assert "The directory server (LDAP) cannot be reached right now" in response.content.decode()
    assert signed_in(client) is None
    # Counted: guesses at a local password during an outage are still throttled and locked.
    assert AccessFailureLog.objects.filter(username="alice").count() == 1


def test_a_service_account_the_server_refuses_is_an_unavailable_server(client, people, settings):
    settings.PHARE_LDAP_BIND_PASSWORD = "not-the-service-password"
    response = sign_in(client, "alice", "alice-pass")
    assert "cannot be reached right now" in response.content.decode()
    assert signed_in(client) is None


def test_a_base_that_does_not_exist_is_a_configuration_error_not_nobody_found(
        client, people, settings, caplog):
    settings.PHARE_LDAP_BASE_DN = f"ou=nowhere,{SUFFIX}"
    response = sign_in(client, "alice", "alice-pass")
    assert "cannot be reached right now" in response.content.decode()
    assert "noSuchObject" in caplog.text  # the logs say what is wrong


def test_the_lock_applies_to_directory_passwords(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    response = sign_in(client, "alice", "alice-pass")
    assert response.status_code == 429
    assert signed_in(client) is None


def test_nothing_is_asked_of_the_server_while_ldap_is_off(client, people, settings):
    settings.PHARE_LDAP_URL = ""
    assert sign_in(client, "alice", "alice-pass").status_code == 200
    assert signed_in(client) is None


def test_directory_passwords_work_when_local_passwords_are_for_administrators_only(
        client, people, settings):
    settings.PHARE_LOCAL_PASSWORDS = "admins"
    settings.PHARE_SSO_ROLE_GROUPS = {}
    assert sign_in(client, "bob", "bob-pass").status_code == 302
    assert signed_in(client).role == Role.EMPLOYEE


def test_a_disabled_account_is_refused_with_the_reason(client, people):
    user = user_create(username="alice", password=None, role=Role.EMPLOYEE,
                       email="alice.martin@phare.test", person=people["alice"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = sign_in(client, "alice", "alice-pass")
    assert "Your Phare account is disabled" in response.content.decode()
    assert signed_in(client) is None


@pytest.mark.parametrize("mode", ["ldaps", "starttls"])
def test_the_connection_may_be_encrypted_with_a_checked_certificate(client, people, settings,
                                                                    slapd, mode):
    settings.PHARE_LDAP_CA_FILE = slapd.ca_file
    if mode == "ldaps":
        settings.PHARE_LDAP_URL = slapd.ldaps_url
    else:
        settings.PHARE_LDAP_START_TLS = True
    assert sign_in(client, "alice", "alice-pass").status_code == 302
    assert signed_in(client).person == people["alice"]


def test_a_certificate_from_an_unknown_authority_is_refused(client, people, settings, slapd):
    settings.PHARE_LDAP_URL = slapd.ldaps_url  # the system's CAs do not know the test CA
    response = sign_in(client, "alice", "alice-pass")
    assert "cannot be reached right now" in response.content.decode()
    assert signed_in(client) is None


def test_the_login_page_says_the_directory_password_works_when_local_ones_do_not(
        client, settings, db):
    settings.PHARE_LOCAL_PASSWORDS = "admins"
    page = client.get(LOGIN).content.decode()
    assert "Sign in with your organisation account&#x27;s name and password" in page
    settings.PHARE_LDAP_URL = ""
    page = client.get(LOGIN).content.decode()
    assert "Sign in with your organisation account&#x27;s name and password" not in page
