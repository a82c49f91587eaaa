"""Routes of the positioning study: outputs (included by ``urls.py``)."""

from __future__ import annotations

urlpatterns: list = []
