"""The homes of the readers of everything, prepared by the worker (a periodic step).

The figures of the marketing lead's and the executives' homes (the barometer, the ticket
experience, adoption and the other headlines) are cached by the state of their data and by the
day (:mod:`phare.insights.memo`, :mod:`phare.usage.memo`). Without this step, the first view of
the day, or the first after an import, computes them all while its reader waits (seconds at a
few thousand people, most of a minute at 300,000). At each tick of ``phare worker`` this step
builds those homes once, in each language, as the first active user of each role sees them:
what changed is computed then, the rest is read from the cache (a fraction of a second).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from phare.accounts.roles import Role
from phare.core.cockpit import cockpit_for

#: The roles whose homes show figures about everyone (an owner's show their own services,
#: which the ticket surveys' refresh prepares: ``insights.dashboards.prepare``).
ROLES = (Role.MARKETING, Role.EXECUTIVE)


def periodic_step(now: dt.datetime) -> dict[str, int]:
    """Build the homes of :data:`ROLES` for the cache; per role, the languages built (nothing
    when the dashboards' cache is off: every view computes its figures then)."""
    if not settings.PHARE_INSIGHTS_CACHE_SECONDS:
        return {}
    today = timezone.localdate(now)
    users = get_user_model().objects.filter(is_active=True)
    done: dict[str, int] = {}
    for role in ROLES:
        user = users.filter(role=role).order_by("pk").first()
        if user is None:
            continue
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                cockpit_for(user, language=language, today=today)
        done[str(role)] = len(settings.LANGUAGES)
    return done
