"""The shell's own records: every email Phare tried to send."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from phare.lib.mail import Status


class SentMail(models.Model):
    """One email's outcome as ``lib/mail`` announced it: what, to whom, and how it went."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    #: What the email was (``wave_invitation``, ``need_digest``…) and what it was about.
    kind = models.CharField(max_length=40)
    reference = models.CharField(max_length=100, blank=True)
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=[(s.value, s.value) for s in Status])
    attempts = models.PositiveSmallIntegerField()
    #: The last error's text; empty when sent.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} → {self.recipient}: {self.status}"

    @classmethod
    def record(cls, sender: Any = None, *, kind: str, reference: str, recipient: str,
               status: str, attempts: int, error: str, **signal: Any) -> SentMail:
        """Store one outcome: the receiver of ``lib.mail.mail_outcome``."""
        row = cls(kind=kind[:40], reference=reference[:100], recipient=recipient[:254],
                  status=status, attempts=min(attempts, 32767), error=error)
        row.full_clean()
        row.save()
        return row
