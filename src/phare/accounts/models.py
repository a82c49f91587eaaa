"""Users who log in to Phare, their role, and their personal API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import Role


class User(AbstractUser):
    """A login, with one role and, usually, the directory person it belongs to."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        # No query when the link is empty: the descriptor answers None from ``person_id``.
        if (person := self.person) is not None:
            return person.full_name
        return self.get_full_name() or self.username

    @property
    def preferred_language(self) -> str | None:
        return person.language if (person := self.person) is not None else None


def token_expiry() -> datetime:
    """When a token created now stops working: ``PHARE_TOKEN_DAYS`` from now."""
    return timezone.now() + timedelta(days=settings.PHARE_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal token for the JSON API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
