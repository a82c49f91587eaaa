"""Calendar feed secrets: each user's personal address of the plan's ICS feed.

A calendar app cannot send a header, so the secret in the feed's address is the credential.
Only its SHA-256 digest is kept (as for API tokens): the secret is shown once, when created, and
a new one replaces the previous (whose address stops working). Looking a secret up by its
digest compares digests in the database index, never the secret itself character by character.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from phare.accounts.models import User
from phare.comms.models import CalendarFeed

#: Longer than any secret this module makes: a longer one is refused without hashing it.
MAX_SECRET = 128


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def feed_create(*, user: User) -> str:
    """A new feed secret for ``user``, replacing any previous one; returned once."""
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    feed = CalendarFeed(user=user, digest=_digest(secret))
    feed.full_clean()
    feed.save()
    return secret


@transaction.atomic
def feed_revoke(*, user: User) -> bool:
    """Stop ``user``'s feed address from working; whether there was one."""
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0


def feed_user(secret: str) -> User | None:
    """The active user whose feed secret this is, or ``None``."""
    if not secret or len(secret) > MAX_SECRET:
        return None
    feed = (CalendarFeed.objects.select_related("user", "user__person")
            .filter(digest=_digest(secret), user__is_active=True).first())
    return feed.user if feed is not None else None


def feed_exists(*, user: User) -> bool:
    """Whether ``user`` has a feed address (its secret cannot be shown again)."""
    return CalendarFeed.objects.filter(user=user).exists()
