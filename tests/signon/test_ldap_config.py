"""The LDAP settings and the small rules of the LDAP modules (no server needed)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from unittest import mock

import pytest

import phare
from phare import env
from phare.signon import ldap
from phare.signon.ldap_sync import _language


def test_the_server_address_is_read_and_checked():
    assert env.ldap_url({}) == ""
    assert env.ldap_url({"PHARE_LDAP_URL": " ldaps://ldap.example.com:636/ "}) == (
        "ldaps://ldap.example.com:636")
    assert env.ldap_url({"PHARE_LDAP_URL": "ldap://10.0.0.5"}) == "ldap://10.0.0.5"
    for bad in ("https://ldap.example.com", "ldap://", "ldap://host:port",
                "ldap://host/dc=example,dc=com", "ldap.example.com"):
        with pytest.raises(env.ConfigError, match="PHARE_LDAP_URL"):
            env.ldap_url({"PHARE_LDAP_URL": bad})


def test_where_the_unit_comes_from_is_read_and_checked():
    assert env.ldap_unit_from({}) == "attribute:department"
    assert env.ldap_unit_from({"PHARE_LDAP_UNIT_FROM": "OU"}) == "ou"
    assert env.ldap_unit_from({"PHARE_LDAP_UNIT_FROM": "none"}) == "none"
    assert env.ldap_unit_from({"PHARE_LDAP_UNIT_FROM": "attribute: departmentNumber"}) == (
        "attribute:departmentNumber")
    for bad in ("department", "attribute:", "ou:x", "dn"):
        with pytest.raises(env.ConfigError, match="PHARE_LDAP_UNIT_FROM"):
            env.ldap_unit_from({"PHARE_LDAP_UNIT_FROM": bad})


def test_languages_are_read_from_the_usual_spellings():
    assert [_language(v) for v in ("fr", "fr-FR", "en_GB", "EN", "French", "de", "", "de-CH")] == [
        "fr", "fr", "en", "en", "fr", "", "", ""]


def test_active_directory_disabled_accounts_are_recognised():
    assert ldap.disabled({"useraccountcontrol": ["514"]})  # NORMAL_ACCOUNT | ACCOUNTDISABLE
    assert not ldap.disabled({"useraccountcontrol": ["512"]})
    assert not ldap.disabled({})


def test_dns_compare_case_and_space_blind():
    assert ldap.normal_dn("CN=Bob Durand, OU=People,DC=Phare") == "cn=bob durand,ou=people,dc=phare"
    assert ldap.rdn_value("cn=Phare Admins,ou=groups") == "Phare Admins"




def _load_settings(**variables: str) -> dict[str, object]:
    """The settings module run afresh with these variables (it has no side effect to undo)."""
    with mock.patch.dict(os.environ, variables):
        return runpy.run_path(str(Path(phare.__file__).resolve().parent / "settings.py"))


def test_the_settings_read_the_server_and_insist_on_a_base():
    with pytest.raises(env.ConfigError, match="PHARE_LDAP_BASE_DN"):
        _load_settings(PHARE_LDAP_URL="ldaps://ldap.example.com")
    # A filter without {login} would find the same person whatever the login.
    with pytest.raises(env.ConfigError, match="PHARE_LDAP_USER_FILTER"):
        _load_settings(PHARE_LDAP_USER_FILTER="(uid=alice)")
    with pytest.raises(env.ConfigError, match="PHARE_LDAP_GROUP_FILTER"):
        _load_settings(PHARE_LDAP_GROUP_BASE_DN="ou=groups,dc=example,dc=com",
                       PHARE_LDAP_GROUP_FILTER="(objectClass=groupOfNames)")
    values = _load_settings(PHARE_LDAP_URL="ldaps://ldap.example.com",
                            PHARE_LDAP_BASE_DN="ou=people,dc=example,dc=com",
                            PHARE_LDAP_SYNC_HOURS="6", PHARE_LDAP_UNIT_FROM="ou")
    assert (values["PHARE_LDAP_URL"], values["PHARE_LDAP_SYNC_HOURS"],
            values["PHARE_LDAP_UNIT_FROM"]) == ("ldaps://ldap.example.com", 6, "ou")
    assert "phare.signon.ldap.LDAPBackend" in values["AUTHENTICATION_BACKENDS"]
    backends = values["AUTHENTICATION_BACKENDS"]
    assert backends.index("axes.backends.AxesStandaloneBackend") < backends.index(
        "phare.signon.ldap.LDAPBackend")
