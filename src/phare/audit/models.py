"""The audit trail: one append-only table of who did what, when and from where."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phare.audit.actions import Action


class AppendOnly(Exception):
    """An audit entry was to be changed or deleted: the trail only grows (the retention purge,
    :func:`phare.audit.services.purge`, is the one way out)."""


class EntryQuerySet(models.QuerySet["Entry"]):
    """Entries are read, never changed: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnly("audit entries are only deleted by the retention purge")


class Entry(models.Model):
    """One recorded action: who, when, from where (IP, user agent), what (action, target)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    # Not a foreign key: the trail keeps who acted after their account is gone, and deleting an
    # account must not try to change entries (which the database refuses).
    actor_id = models.IntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    target_type = models.CharField(_("target type"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit entries are never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are only deleted by the retention purge")

    @property
    def detail_lines(self) -> list[tuple[str, str]]:
        """The details as ``(name, value)`` lines for a page (nested values as JSON)."""
        return [(str(name), value if isinstance(value, str)
                 else json.dumps(value, ensure_ascii=False, sort_keys=True))
                for name, value in sorted(self.details.items())]
