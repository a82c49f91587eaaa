"""What every page's layout needs: the navigation for the signed-in user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from phare.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": navigation_for(request)}
