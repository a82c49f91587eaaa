"""Catalogue test data: offer families, a valid content dict, services written from it."""

from __future__ import annotations

from typing import Any

from phare.catalog.content import normalise
from phare.catalog.models import OfferFamily, Service
from phare.catalog.services import apply_content


def make_families() -> dict[str, OfferFamily]:
    specs = [("remote", "Travailler à distance", "Working remotely"),
             ("collab", "Collaborer", "Collaborating"),
             ("support", "Assistance", "Support")]
    return {code: OfferFamily.objects.create(code=code, name_fr=fr, name_en=en, position=i)
            for i, (code, fr, en) in enumerate(specs)}


def content(**values: Any) -> dict[str, Any]:
    """A valid content dict with sensible defaults, overridden by ``values``."""
    base: dict[str, Any] = {
        "name_fr": "Service", "promise_fr": "Une promesse", "family": "collab",
        "audience_everyone": True, "cost_unit": "none", "charging": "included",
    }
    base.update(values)
    return normalise(base)


def make_service(slug: str, *, lifecycle: str = "live", publication: str = "published",
                 **values: Any) -> Service:
    """A service written straight from content (no history, no index): for setting scenes."""
    service = apply_content(Service(slug=slug, lifecycle=lifecycle, publication=publication),
                            content(**values))
    return service
