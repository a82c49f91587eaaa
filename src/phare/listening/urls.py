"""Pages of those who run surveys (``/surveys/``): builder, waves, tickets, imports, exports."""

from __future__ import annotations

from django.urls import path  # noqa: F401  (the areas below add their pages)

app_name = "listening"
urlpatterns: list = [
    # builder (views/builder.py)
    # waves, invitations and reminders (views/waves.py)
    # ticket feedback management (views/tickets.py)
    # imports and exports (views/transfer.py)
]
