"""The positioning API: outputs."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["positioning"])
