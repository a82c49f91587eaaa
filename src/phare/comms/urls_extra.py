"""The Teams and Slack channels' pages and an event's registrations (in ``comms``)."""

from __future__ import annotations

urlpatterns: list = []
