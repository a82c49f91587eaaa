"""The communication plan's pages (under /comms/)."""

from __future__ import annotations

app_name = "comms"
urlpatterns: list = []
