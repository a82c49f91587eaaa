"""The plan's calendar as an ICS feed, authenticated by a personal secret in its address."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["comms"])
