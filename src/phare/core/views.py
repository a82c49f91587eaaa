from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow, public
from phare.accounts.roles import EVERYONE, Role
from phare.core.cockpit import cockpit_for
from phare.core.heartbeat import readiness
from phare.directory.queries import directory_summary
from phare.lib.http import on_this_site


@allow(EVERYONE)
def home(request: SignedInRequest) -> HttpResponse:
    """Each role's cockpit: its figures, what needs attention, its own things."""
    cockpit = cockpit_for(request.user, language=get_language() or settings.LANGUAGE_CODE)
    if request.user.role == Role.ADMIN:
        return render(request, "core/home_admin.html",
                      {"summary": directory_summary(), "cockpit": cockpit})
    return render(request, "core/home.html", {"person": request.user.person, "cockpit": cockpit})


@public
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database, its migrations, the shared cache and the worker's heartbeat;
    503 naming the part that fails (``/healthz`` is the liveness check: the database only)."""
    ready, parts = readiness()
    return JsonResponse(parts, status=200 if ready else 503)


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie and go back where the person was."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(on_this_site(request, request.POST.get("next", "/")) or "/")
    if language in {code for code, _ in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
            samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
    return response


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)
