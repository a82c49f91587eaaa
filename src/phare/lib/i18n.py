"""Language helpers shared by every app (model-free)."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, falling back to the other language when empty."""
    language = (language or get_language() or "fr")[:2]
    other = "en" if language == "fr" else "fr"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{other}", "")
