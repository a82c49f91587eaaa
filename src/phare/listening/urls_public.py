"""Pages of respondents (``/s/``): reached by a link, signed in or not.

The one-click ticket rating (``/s/t/``) is the tickets app's."""

from __future__ import annotations

from django.urls import path, re_path  # noqa: F401  (the areas below add their pages)

from phare.listening.views import respond
from phare.listening.views import waves as wave_views

#: An invitation's token (``secrets.token_urlsafe``): long enough never to shadow a word.
TOKEN = r"(?P<token>[A-Za-z0-9_-]{16,64})"

app_name = "answer"
urlpatterns: list = [
    # answering a survey (views/respond.py)
    path("open/<str:open_token>/", respond.open_answer, name="open"),
    path("open/<str:open_token>/thanks/", respond.open_thanks, name="open_thanks"),
    path("open/<str:open_token>/response.json", respond.open_json, name="open_json"),
    re_path(rf"^{TOKEN}/$", respond.respond, name="respond"),
    re_path(rf"^{TOKEN}/thanks/$", respond.thanks, name="thanks"),
    re_path(rf"^{TOKEN}/response\.json$", respond.respond_json, name="respond_json"),
    # opting out (views/waves.py)
    path("optout/<str:token>/", wave_views.opt_out, name="opt_out"),
]
