"""Signing in with the directory server's password (LDAP, Active Directory), with ldap3.

:class:`LDAPBackend` is a Django authentication backend, listed after django-axes (which
refuses locked accounts and addresses first) and after Phare's own passwords. For a login and
a password it:

1. connects to ``PHARE_LDAP_URL`` (``ldaps://``, or ``ldap://`` upgraded with StartTLS when
   ``PHARE_LDAP_START_TLS``), binds as the service account (``PHARE_LDAP_BIND_DN``; anonymous
   when empty) and searches ``PHARE_LDAP_BASE_DN`` with ``PHARE_LDAP_USER_FILTER``, the login
   escaped into ``{login}`` (``*)(uid=*`` is searched as those very characters);
2. binds as the one entry found with the password typed (nobody, or several people, found:
   the sign-in fails). An empty password is refused before any bind: LDAP servers take a DN
   with an empty password for an anonymous bind, which "succeeds";
3. turns the entry into an :class:`Identity` (DN, email, employee id, groups from
   ``memberOf`` or a group search) and lets :func:`account_for` find the person in the
   directory and their account, created just in time.

A wrong password or an unknown login is an ordinary failure (``None``: Django sends
``user_login_failed``, axes and the slow-down count it). A server that cannot be reached
raises a ``ValidationError`` the sign-in form shows ("the directory server cannot be reached"),
after sending ``user_login_failed`` itself, so that guesses made during an outage still count.
A person the directory server knows but Phare will not let in (not in its directory, account
disabled) is told why, and the refusal is recorded.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from phare.signon import services
from phare.signon.identity import Identity, SignOnRefused, account_for

logger = logging.getLogger(__name__)

PROVIDER = "ldap"
#: Active Directory's userAccountControl bit of a disabled account.
ACCOUNT_DISABLED = 0x2
__all__ = ["DirectoryUnavailable", "LDAPBackend", "authenticate_identity", "enabled"]


class DirectoryUnavailable(Exception):
    """The directory server could not be reached or refused the service account; ``detail``
    says what happened (for the logs), ``message`` what a person is told."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def message(self) -> str:
        return _("The directory server (LDAP) cannot be reached right now, so Phare cannot "
                 "check your password. Try again in a few minutes; if it lasts, tell the IT "
                 "department.")


def enabled() -> bool:
    return bool(settings.PHARE_LDAP_URL)


# -- talking to the server ----------------------------------------------------------------

def server() -> Server:
    """The server of ``PHARE_LDAP_URL``; its certificate is always checked (ldaps, StartTLS)."""
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.PHARE_LDAP_CA_FILE or None)
    return Server(settings.PHARE_LDAP_URL, get_info=NONE, tls=tls,
                  connect_timeout=settings.PHARE_LDAP_TIMEOUT)


def _connect(user: str | None, password: str | None) -> tuple[Connection, bool]:
    """An open connection (encrypted when configured) and whether the bind succeeded.

    Raises :class:`DirectoryUnavailable` when the server cannot be reached or StartTLS fails."""
    conn = Connection(server(), user=user, password=password, auto_bind=False,
                      receive_timeout=settings.PHARE_LDAP_TIMEOUT, read_only=True,
                      auto_referrals=False, raise_exceptions=False)
    try:
        conn.open()
        if settings.PHARE_LDAP_START_TLS and not conn.server.ssl and not conn.start_tls():
            raise DirectoryUnavailable(f"StartTLS refused: {_describe(conn.result)}")
        return conn, bool(conn.bind())
    except LDAPException as exc:
        conn.unbind()
        raise DirectoryUnavailable(f"{settings.PHARE_LDAP_URL}: {exc}") from exc
    except DirectoryUnavailable:
        conn.unbind()
        raise


@contextmanager
def service_connection() -> Iterator[Connection]:
    """A connection bound as the service account (anonymous without ``PHARE_LDAP_BIND_DN``);
    :class:`DirectoryUnavailable` when it cannot be had."""
    conn, bound = _connect(settings.PHARE_LDAP_BIND_DN or None,
                           settings.PHARE_LDAP_BIND_PASSWORD or None)
    try:
        if not bound:
            raise DirectoryUnavailable(
                f"the service account {settings.PHARE_LDAP_BIND_DN or '(anonymous)'} could not "
                f"bind: {_describe(conn.result)}")
        yield conn
    finally:
        conn.unbind()


def _describe(result: Mapping[str, Any] | None) -> str:
    if not result:
        return "no answer"
    return " ".join(str(part) for part in (result.get("description"), result.get("message"))
                    if part)


def search(conn: Connection, base: str, query: str, attributes: Iterable[str], *,
           scope: Any = SUBTREE, size_limit: int = 0) -> list[tuple[str, dict[str, list[str]]]]:
    """``(dn, {attribute name in lower case: values})`` of the entries found (referrals left
    out); :class:`DirectoryUnavailable` when the search fails (a size limit reached is not a
    failure: the entries found so far are returned)."""
    try:
        conn.search(base, query, search_scope=scope, attributes=list(attributes),
                    size_limit=size_limit)
    except LDAPException as exc:
        raise DirectoryUnavailable(f"search of {base} with {query}: {exc}") from exc
    # Success, or the size limit reached; anything else (a base that does not exist, no right
    # to search) is the configuration's fault, and must not pass for "nobody found".
    if conn.result and conn.result.get("result") not in (0, 4):
        raise DirectoryUnavailable(f"search of {base} with {query}: {_describe(conn.result)}")
    return [entry(item) for item in conn.response or [] if item.get("type") == "searchResEntry"]


def entry(item: Mapping[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """A search result as ``(dn, {attribute in lower case: text values})``."""
    values = {name.lower(): [_text(value) for value in raw]
              for name, raw in (item.get("raw_attributes") or {}).items()}
    return item["dn"], values


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def first(values: Mapping[str, list[str]], attribute: str) -> str:
    """The first value of ``attribute`` (names compare case-blind), stripped; "" when absent."""
    found = values.get(attribute.lower()) or [""]
    return found[0].strip()


def normal_dn(dn: str) -> str:
    """A DN as compared: attribute names and values in lower case, no spaces around the
    separators (``CN=Bob, OU=People`` and ``cn=bob,ou=people`` are one entry)."""
    try:
        parts = parse_dn(dn, escape=False, strip=True)
    except LDAPException:
        return dn.strip().lower()
    return ",".join(f"{name.strip().lower()}={value.strip().lower()}"
                    for name, value, _separator in parts)


def rdn_value(dn: str) -> str:
    """The value of a DN's first part: a group's name (``cn=Phare Admins,ou=groups`` →
    ``Phare Admins``)."""
    try:
        parts = parse_dn(dn, escape=False, strip=True)
    except LDAPException:
        return ""
    return parts[0][1].strip() if parts else ""


# -- signing in ---------------------------------------------------------------------------

def _user_attributes() -> list[str]:
    names = [settings.PHARE_LDAP_EMAIL_ATTRIBUTE, settings.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE,
             "userAccountControl"]
    if not settings.PHARE_LDAP_GROUP_BASE_DN:
        names.append(settings.PHARE_LDAP_GROUP_ATTRIBUTE)
    return [name for name in names if name]


def user_filter(login: str) -> str:
    """``PHARE_LDAP_USER_FILTER`` with ``{login}`` replaced by the login, escaped."""
    return settings.PHARE_LDAP_USER_FILTER.replace("{login}", escape_filter_chars(login))


def authenticate_identity(login: str, password: str) -> Identity | None:
    """Who ``login`` is when ``password`` is their directory password; None otherwise (wrong
    password, nobody or several people found, empty login or password); raises
    :class:`DirectoryUnavailable` when the server cannot be asked."""
    login = login.strip()
    if not login or not password:
        return None  # An empty password would be an anonymous bind, which succeeds.
    with service_connection() as conn:
        found = search(conn, settings.PHARE_LDAP_BASE_DN, user_filter(login), _user_attributes(),
                       size_limit=2)
        if len(found) != 1:
            if found:
                logger.warning("LDAP sign-in: %d entries match login %r; refused", len(found),
                               login)
            return None
        dn, values = found[0]
        if disabled(values):
            return None
        user_conn, bound = _connect(dn, password)
        user_conn.unbind()
        if not bound:
            return None
        groups = _groups(conn, dn, values)
    return Identity(provider=PROVIDER, subject=dn,
                    email=first(values, settings.PHARE_LDAP_EMAIL_ATTRIBUTE),
                    employee_id=first(values, settings.PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE),
                    groups=groups)


def disabled(values: Mapping[str, list[str]]) -> bool:
    control = first(values, "userAccountControl")
    return control.isdigit() and bool(int(control) & ACCOUNT_DISABLED)


def _groups(conn: Connection, dn: str, values: Mapping[str, list[str]]) -> tuple[str, ...]:
    """The person's groups, each by name (its cn) and by DN."""
    if settings.PHARE_LDAP_GROUP_BASE_DN:
        query = settings.PHARE_LDAP_GROUP_FILTER.replace("{dn}", escape_filter_chars(dn))
        dns = [group for group, _values in search(
            conn, settings.PHARE_LDAP_GROUP_BASE_DN, query, ["cn"])]
    else:
        dns = values.get(settings.PHARE_LDAP_GROUP_ATTRIBUTE.lower(), [])
    names: list[str] = []
    for group in dns:
        names += [name for name in (rdn_value(group), group) if name and name not in names]
    return tuple(names)


class LDAPBackend(ModelBackend):
    """The directory server's password (``PHARE_LDAP_URL``; does nothing while it is empty)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if not enabled() or not username or not password:
            return None
        try:
            identity = authenticate_identity(username, password)
        except DirectoryUnavailable as exc:
            logger.error("LDAP sign-in impossible: %s", exc.detail)
            # Raising skips Django's own failure signal: sent here, so axes and the slow-down
            # count this attempt (it may be a guess at a local password during the outage).
            user_login_failed.send(sender=__name__, credentials={"username": username},
                                   request=request)
            raise ValidationError(exc.message, code="ldap_unavailable") from None
        if identity is None:
            return None
        try:
            user = account_for(identity)
        except SignOnRefused as refused:
            if request is not None:
                services.record_failure(request, provider=PROVIDER, reason=refused.reason,
                                        details={"subject": identity.subject[:200],
                                                 "email": identity.email[:254],
                                                 "employee_id": identity.employee_id[:64]})
            raise ValidationError(refused.message, code=refused.reason) from None
        return user if self.user_can_authenticate(user) else None

