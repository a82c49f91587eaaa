from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.forms import TokenForm
from phare.accounts.policy import allow, public
from phare.accounts.roles import EVERYONE
from phare.accounts.services import token_create, token_revoke

login = public(auth_views.LoginView.as_view(template_name="accounts/login.html",
                                            redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())


@allow(EVERYONE)
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token}
    return render(request, "accounts/tokens.html", context)


@allow(EVERYONE)
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
