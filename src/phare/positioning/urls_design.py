"""Routes of the positioning study: design (included by ``urls.py``)."""

from __future__ import annotations

urlpatterns: list = []
