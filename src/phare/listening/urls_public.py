"""Pages of respondents (``/s/``): reached by a link, signed in or not."""

from __future__ import annotations

from django.urls import path  # noqa: F401  (the areas below add their pages)

app_name = "answer"
urlpatterns: list = [
    # answering a survey (views/respond.py)
    # one-click ticket rating (views/ticket_rating.py)
    # opting out (views/waves.py)
]
