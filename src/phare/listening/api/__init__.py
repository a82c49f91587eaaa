"""The listening API: one router per area, mounted by :func:`phare.api.register_routers`."""

from __future__ import annotations

from phare.lib.api import Refusal

__all__ = ["Refusal"]
