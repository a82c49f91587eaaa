from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from phare.accounts.signals import signing_out
from phare.lib import periodic, privacy


class SignonConfig(AppConfig):
    name = "phare.signon"
    verbose_name = _("Sign-on")

    def ready(self) -> None:
        from phare.signon import ldap_sync, logout

        # Signing out of Phare signs out at the identity provider that signed the person in.
        signing_out.connect(logout.provider_logout, dispatch_uid="phare.signon.logout")

        # The directory read from the LDAP server every PHARE_LDAP_SYNC_HOURS (0: never).
        periodic.register("signon.ldap_sync", ldap_sync.periodic_step)
        # Personal data (lib/privacy.py): an erased person leaves the SCIM provisioning.
        privacy.declare("signon.ScimUser", "person", by="person", erase=privacy.DELETE,
                        section="scim_user")
        privacy.declare("signon.ScimGroup", "members", by="person", erase=privacy.DETACH,
                        section="scim_groups")
