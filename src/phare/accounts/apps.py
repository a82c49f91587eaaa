from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phare.accounts.roles import ADMINS, EVERYONE, Role
from phare.lib import navigation, privacy


class AccountsConfig(AppConfig):
    name = "phare.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        navigation.register(_("Accounts"), "accounts:users", ADMINS, position=110)
        # Tokens serve those who connect a tool to Phare; an employee may still open the page
        # (the access matrix is unchanged), it just does not crowd their menu.
        navigation.register(_("API tokens"), "accounts:tokens", EVERYONE - {Role.EMPLOYEE},
                            position=120)
        from django.contrib.auth.signals import user_login_failed

        from phare.accounts import throttle

        def on_failure(sender: object, credentials: dict, request: HttpRequest | None = None,
                       **kwargs: object) -> None:
            if request is not None:
                throttle.failed(request, str(credentials.get("username") or ""))

        user_login_failed.connect(on_failure, dispatch_uid="phare-signin-slow-down",
                                  weak=False)
        # Personal data (lib/privacy.py): an erasure strips the account (phare.privacy) and
        # deletes its tokens and the sign-in attempts django-axes kept under its username.
        privacy.declare("accounts.User", "person", by="person", erase=privacy.CUSTOM,
                        section="account", hidden=("password",))
        privacy.declare("accounts.User", "email", by="email", erase=privacy.CUSTOM,
                        section="account", hidden=("password",), export=False)
        privacy.declare("accounts.User", "username", by="username", erase=privacy.CUSTOM,
                        section="account", hidden=("password",), export=False)
        privacy.declare("accounts.ApiToken", "user", by="user", erase=privacy.DELETE,
                        section="api_tokens", hidden=("digest",))
        for model in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
            privacy.declare(model, "username", by="username", erase=privacy.DELETE,
                            section="sign_in_attempts")
