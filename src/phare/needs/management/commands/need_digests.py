"""``phare need-digests``: send each person their pending news about needs, once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from phare.needs.notifications import send_need_digests


class Command(BaseCommand):
    help = "Send each person one email with their pending news about needs (votes, statuses, " \
           "arbitration decisions)."

    def handle(self, *args, **options) -> None:
        sent = send_need_digests()
        self.stdout.write(f"{sent} digest email(s) sent.")
