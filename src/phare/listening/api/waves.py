"""The listening API: waves."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["waves"])
