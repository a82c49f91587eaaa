"""The communication plan's API: plans, objectives, actions, audiences, sending, results."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["comms"])
