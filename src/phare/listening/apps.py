from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import SURVEY_MANAGERS
from phare.contact import registry
from phare.lib import navigation, periodic, privacy


class ListeningConfig(AppConfig):
    name = "phare.listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        navigation.register(_("Surveys"), "listening:surveys", SURVEY_MANAGERS, position=40)
        # Registers the background job handlers: waves' invitations and reminders (jobs),
        # the survey import (imports.jobs).
        from phare.listening import jobs, pressure, schedule  # noqa: F401
        from phare.listening.imports import jobs as _imports  # noqa: F401  (survey import)

        # At every tick: the waves past their closing day closed, then the reminders due.
        periodic.register("listening.waves", schedule.close_waves)
        periodic.register("listening.reminders", schedule.send_reminders)
        # Survey and ticket-rating invitations count in the one contact budget (contact.policy).
        registry.register_counter("listening.invitations", pressure.count_invitations)
        # Personal data (lib/privacy.py): invitations and responses stay (response rates and
        # results unchanged), unlinked from the person's name and address; anonymous
        # responses are linked to no one and are neither exported nor touched.
        privacy.declare("listening.Survey", "created_by", by="user", erase=privacy.KEEP,
                        section="work_records", export=False)
        privacy.declare("listening.Invitation", "person", by="person", erase=privacy.KEEP,
                        section="invitations", clear={"email": "", "draft": {}},
                        hidden=("token",))
        privacy.declare("listening.Invitation", "email", by="email", erase=privacy.DETACH,
                        section="invitations", clear={"draft": {}}, hidden=("token",))
        privacy.declare("listening.Response", "respondent", by="person", erase=privacy.DETACH,
                        section="named_responses", clear={"source_id": ""},
                        hidden=("submission_id",))
        # An erased person is opted out of surveys (phare.privacy): no email to no address.
        privacy.declare("listening.OptOut", "person", by="person", erase=privacy.KEEP,
                        section="survey_opt_out")
