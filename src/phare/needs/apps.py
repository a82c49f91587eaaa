from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import EVERYONE, NEEDS_MANAGERS
from phare.lib import navigation, periodic, privacy


class NeedsConfig(AppConfig):
    name = "phare.needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        navigation.register(_("Needs"), "needs:list", EVERYONE, position=60)
        navigation.register(_("Arbitration"), "needs:campaigns", NEEDS_MANAGERS, position=70)
        from phare.needs import jobs, notifications  # noqa: F401  (jobs registers handlers)

        # One email per person with their pending news about needs, at every tick.
        periodic.register("need_digests",
                          lambda now: notifications.send_need_digests(now=now))
        # Personal data (lib/privacy.py): a need others voted for stays under "a former
        # employee" (the pseudonymised record), the others go (phare.privacy); votes and
        # comments stay on the pseudonymised record, so that counts are unchanged.
        privacy.declare("needs.Need", "submitter", by="person", erase=privacy.CUSTOM,
                        section="needs_submitted")
        privacy.declare("needs.Vote", "person", by="person", erase=privacy.KEEP,
                        section="need_votes")
        privacy.declare("needs.Follow", "person", by="person", erase=privacy.DELETE,
                        section="need_follows")
        privacy.declare("needs.Comment", "author", by="person", erase=privacy.KEEP,
                        section="need_comments")
        privacy.declare("needs.Notification", "person", by="person", erase=privacy.DELETE,
                        section="need_notifications")
        for model, field in (("needs.StatusChange", "by"), ("needs.Campaign", "created_by"),
                             ("needs.Arbitration", "created_by"),
                             ("needs.Decision", "decided_by"),
                             ("needs.Decision", "published_by")):
            privacy.declare(model, field, by="user", erase=privacy.KEEP,
                            section="work_records", export=False)
