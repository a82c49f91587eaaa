"""The listening API: surveys."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["surveys"])
