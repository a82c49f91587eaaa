"""The privacy app's own record: each run of the retention periods and what it removed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One daily run of the retention periods: when, the periods in force, what was removed."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    #: The periods in force (days; 0 keeps everything), by kind of data.
    periods = models.JSONField(_("periods"), default=dict)
    #: What was removed, by kind of data (a count of records, or of usage files folded).
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.removed}"

    @property
    def total(self) -> int:
        return sum(int(value) for value in self.removed.values())
