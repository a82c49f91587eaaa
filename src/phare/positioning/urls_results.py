"""Routes of the positioning study: results (included by ``urls.py``)."""

from __future__ import annotations

urlpatterns: list = []
