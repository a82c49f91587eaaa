"""Language choice: the person's explicit choice (cookie), else their directory language,
else ``PHARE_LANGUAGE``. The browser's Accept-Language is ignored on purpose: a French group
shows French unless a person asks otherwise."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def pick_language(request: HttpRequest) -> str:
    supported = {code for code, _ in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in supported:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preferred = user.preferred_language
        if preferred in supported:
            return preferred
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = pick_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
