"""Writes for accounts: users and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.models import ApiToken, User
from phare.accounts.roles import Role
from phare.accounts.signals import audited

TOKEN_PREFIX = "phare_"
# Avoid a write on every API call: "last used" is accurate to the minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenExpired(Exception):
    """A genuine token whose expiry date has passed: it authenticates no one."""

    def __init__(self, token: ApiToken) -> None:
        expired = token.expires_at.astimezone(UTC)
        super().__init__(f"The API token “{token.name}” ({token.prefix}…) expired on "
                         f"{expired:%Y-%m-%d %H:%M} UTC; create a new one on the "
                         "'API tokens' page.")
        self.token = token


def _digest(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (no offline guessing).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(
    *, username: str, password: str | None, role: Role | str, email: str = "",
    person=None, validate: bool = True,
) -> User:
    user = User(username=username, email=email, role=Role(role), person=person)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audited.send(User, action="account.created", target=user, actor=None,
                 details={"role": user.role, "is_active": user.is_active})
    return user


@transaction.atomic
def user_update(*, user: User, role: Role | str, person=None, email: str = "",
                is_active: bool = True) -> User:
    """Change a user's role, person, email and whether they may log in.

    Phare always keeps one active administrator: the last one can neither lose the role nor be
    deactivated (nobody could manage accounts any more).
    """
    role = Role(role)
    before = {"role": user.role, "is_active": user.is_active}
    losing_admin = user.role == Role.ADMIN and (role != Role.ADMIN or not is_active)
    if losing_admin and not (
        User.objects.select_for_update()
        .filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ValidationError(
            {"role": _("Phare needs at least one active administrator; "
                       "make someone else administrator first.")})
    user.role, user.person, user.email, user.is_active = role, person, email, is_active
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.full_clean(exclude=["password"])
    user.save()
    after = {"role": user.role, "is_active": user.is_active}
    if after != before:
        audited.send(User, action="account.role_changed", target=user, actor=None,
                     details={"from": before, "to": after})
    return user


def user_set_password(*, user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(user=user, name=name.strip(), prefix=raw[: len(TOKEN_PREFIX) + 6],
                     digest=_digest(raw))
    token.full_clean()
    token.save()
    audited.send(ApiToken, action="token.created", target=token, actor=user,
                 details={"owner": user.username, "expires_at": token.expires_at})
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audited.send(ApiToken, action="token.revoked", target=token, actor=None,
                     details={"owner": token.user.username})
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None for an unknown, revoked or inactive one.

    An expired token raises :class:`TokenExpired`, so the caller can say why it is refused.
    """
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
