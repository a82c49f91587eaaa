from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from phare.accounts import signals, throttle
from phare.accounts.forms import PasswordSetForm, TokenForm, UserCreateForm, UserForm
from phare.accounts.models import User
from phare.accounts.policy import SignedInRequest, allow, public
from phare.accounts.roles import ADMINS, EVERYONE
from phare.accounts.services import (
    token_create,
    token_revoke,
    user_create,
    user_set_password,
    user_update,
)


class SignInView(auth_views.LoginView):
    """Django's sign-in, refused without trying while the account or the address must wait
    after a failure (:mod:`phare.accounts.throttle`), then locked by django-axes."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        seconds = throttle.wait(request, username)
        if not seconds:
            return super().post(request, *args, **kwargs)
        message = ngettext(
            "A sign-in attempt for this account or from this address failed a moment ago: "
            "wait %(seconds)s second before trying again (the wait doubles with each failure).",
            "A sign-in attempt for this account or from this address failed a moment ago: "
            "wait %(seconds)s seconds before trying again (the wait doubles with each "
            "failure).", seconds) % {"seconds": seconds}
        form = AuthenticationForm(request, initial={"username": username})
        response = render(request, self.template_name, {
            "form": form, "locked": message, "next": request.POST.get("next", "")}, status=429)
        response["Retry-After"] = str(seconds)
        return response


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; then, when an app answering ``signals.signing_out`` says where (the
    identity provider that signed the person in), the browser goes there. The local session
    ends first, whatever that app or the provider does."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answers = signals.signing_out.send_robust(sender=User, request=request)
        elsewhere = next((url for _receiver, url in answers if isinstance(url, str) and url), "")
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(elsewhere) if elsewhere else response


login = public(SignInView.as_view())
logout = public(SignOutView.as_view())


def login_locked(request: HttpRequest, response: HttpResponse | None = None,
                 credentials: dict | None = None) -> HttpResponse:
    """The sign-in page saying that it is locked (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={
        "username": (credentials or {}).get("username") or request.POST.get("username", "")})
    message = ngettext(
        "Too many failed sign-in attempts for this account or from this address: signing in "
        "is locked for %(minutes)s minute after the last attempt, even with the right "
        "password. An administrator can unlock it sooner.",
        "Too many failed sign-in attempts for this account or from this address: signing in "
        "is locked for %(minutes)s minutes after the last attempt, even with the right "
        "password. An administrator can unlock it sooner.", minutes) % {"minutes": minutes}
    context = {"form": form, "locked": message, "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)


password_change = allow(EVERYONE)(auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("core:home")))


@allow(EVERYONE)
def tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token,
               "token_days": settings.PHARE_TOKEN_DAYS}
    return render(request, "accounts/tokens.html", context)


@allow(EVERYONE)
@require_POST
def token_revoke_view(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@allow(ADMINS)
def users(request: SignedInRequest) -> HttpResponse:
    accounts = User.objects.select_related("person__business_unit").order_by("username")
    return render(request, "accounts/users.html", {"users": accounts})


@allow(ADMINS)
def user_new(request: SignedInRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(username=data["username"], password=data["password"],
                               role=data["role"], email=data["email"], person=data["person"])
        except ValidationError as exc:
            form.add_error("password" if hasattr(exc, "error_list") else None, exc)
        else:
            if not data["is_active"]:
                user_update(user=user, role=user.role, person=user.person, email=user.email,
                            is_active=False)
            messages.success(request, _("Account “%(name)s” created.") % {"name": user.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


def _edit_form(account: User, data: Any = None) -> UserForm:
    initial = {"role": account.role, "email": account.email, "is_active": account.is_active,
               "person": person.employee_id if (person := account.person) is not None else ""}
    form = UserForm(data, initial=initial)
    form.user_pk = account.pk
    return form


@allow(ADMINS)
def user_edit(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("person"), pk=user_id)
    form = _edit_form(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(user=account, role=data["role"], person=data["person"],
                        email=data["email"], is_active=data["is_active"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Account “%(name)s” saved.") % {"name": account.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "account": account,
                                                       "password_form": PasswordSetForm()})


@allow(ADMINS)
@require_POST
def user_password(request: SignedInRequest, user_id: int) -> HttpResponse:
    """An administrator sets a new password for someone who lost theirs."""
    account = get_object_or_404(User.objects.select_related("person"), pk=user_id)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            user_set_password(user=account, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(request, _("New password set for “%(name)s”.")
                             % {"name": account.username})
            return redirect("accounts:users")
    # The account's page again, the password's errors summed up and linked to the field.
    return render(request, "accounts/user_form.html", {"form": _edit_form(account),
                                                       "account": account,
                                                       "password_form": form})
