"""``phare tick``: run every app's periodic work once (for cron), and say what it did."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from phare.core.management.home import require_secret_key
from phare.lib.periodic import run_due


class Command(BaseCommand):
    help = ("Run the periodic work once: close the waves whose closing day has passed, send the "
            "reminders and ticket surveys due, and the needs' news digests. `phare worker` "
            "does it every PHARE_TICK_SECONDS.")

    def handle(self, *args, **options) -> None:
        require_secret_key()
        done = run_due()
        if "listening.waves" in done:
            self.stdout.write(gettext("Waves closed: %(n)s") % {"n": done["listening.waves"]})
        reminders = done.get("listening.reminders")
        if reminders:
            self.stdout.write(gettext("Reminders sent: %(sent)s (failed: %(failed)s)") % {
                "sent": reminders["sent"], "failed": reminders["failed"]})
        if "tickets" in done:
            self.stdout.write(gettext("Ticket survey invitations sent: %(n)s") % {
                "n": done["tickets"]})
        if "need_digests" in done:
            self.stdout.write(gettext("Need digests sent: %(n)s") % {"n": done["need_digests"]})
        # Reminders stopped by a mail server that looks down: sent in part, failed all the same.
        errors = done["errors"] + (["listening.reminders"] if reminders and reminders["stopped"]
                                   else [])
        if errors:
            raise CommandError(gettext("These steps failed (see the log): %s")
                               % ", ".join(errors))
