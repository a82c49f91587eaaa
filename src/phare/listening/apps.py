from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "phare.listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        # Registers the background job handlers: waves' invitations and reminders (jobs),
        # the ticket CSV import (ticket_import), the survey import (imports.jobs).
        from phare.core import periodic
        from phare.listening import jobs, schedule, ticket_import  # noqa: F401
        from phare.listening.imports import jobs as _imports  # noqa: F401  (survey import)

        # Closing waves, reminders and ticket surveys, at every tick.
        periodic.register("listening", lambda now: schedule.tick(now=now))
