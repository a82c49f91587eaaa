"""Links in campaign emails (under /m/): clicks, unsubscribe, event registration, open pixel."""

from __future__ import annotations

app_name = "comms_public"
urlpatterns: list = []
