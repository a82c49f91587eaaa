"""Links in campaign emails (under /m/): clicks, unsubscribe, event registration, open pixel.

Each link's token (a delivery's) is the authority: nobody signs in (``views/public.py``)."""

from __future__ import annotations

from django.urls import path

from phare.comms.views import public

app_name = "comms_public"
urlpatterns: list = [
    path("c/<str:token>/<int:link_id>/", public.click, name="click"),
    path("l/<int:link_id>/", public.link, name="link"),
    path("u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("r/<str:token>/", public.register, name="register"),
    path("o/<str:token>.gif", public.pixel, name="open"),
]
