"""The positioning API: results."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["positioning"])
