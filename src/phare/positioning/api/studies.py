"""The positioning API: studies."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["positioning"])
