"""``phare comms send-due``: start sending every approved action whose time has come (the
periodic tick does it too); ``phare comms propose``: let the playbooks propose their drafts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phare.comms.services import playbooks, sending


class Command(BaseCommand):
    help = "Communication plan: send-due (start what is due), propose (playbooks' drafts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["send-due", "propose"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "send-due":
            started = sending.send_due()
            self.stdout.write(f"{len(started)} action(s) started: "
                              + (", ".join(f"#{a.pk} {a.title}" for a in started) or "none"))
        else:
            proposed = playbooks.propose()
            self.stdout.write(f"{len(proposed)} draft action(s) proposed: "
                              + (", ".join(f"#{a.pk} {a.title}" for a in proposed) or "none"))
