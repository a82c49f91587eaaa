"""Sign-in slows down before it locks.

After a failed sign-in, the next attempt for that account, or from that address, must wait
``PHARE_LOGIN_DELAY_SECONDS``, doubling with each further failure (1 s, 2 s, 4 s, 8 s…), until
django-axes locks them both at ``PHARE_LOGIN_FAILURE_LIMIT`` failures. An attempt made during
the wait is not tried at all (so a right password does not get in either) and is told how long
to wait. Nothing sleeps: the wait is a time kept in the shared cache, so no worker is held and
every worker sees it. Keys are hashes: no account name or address is kept in clear.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from phare.lib.clients import client_address
from phare.lib.pseudonyms import pseudonym

#: The clock (tests replace it).
clock = time.time


def _keys(request: HttpRequest, username: str) -> list[str]:
    subjects = [f"user:{username.strip().casefold()}", f"ip:{client_address(request)}"]
    return ["signin-wait:" + pseudonym(subject) for subject in subjects]


def wait(request: HttpRequest, username: str) -> int:
    """Seconds still to wait before this account may be tried from this address (0: now)."""
    if not settings.PHARE_LOGIN_DELAY_SECONDS:
        return 0
    now = clock()
    until = max((entry[1] for entry in cache.get_many(_keys(request, username)).values()),
                default=0.0)
    return max(0, math.ceil(until - now))


def failed(request: HttpRequest, username: str) -> None:
    """Count a failure for the account and the address, and set when they may try again."""
    base = settings.PHARE_LOGIN_DELAY_SECONDS
    if not base:
        return
    now = clock()
    lifetime = int(settings.AXES_COOLOFF_TIME.total_seconds())
    for key in _keys(request, username):
        failures, _until = cache.get(key, (0, 0.0))
        failures += 1
        cache.set(key, (failures, now + base * 2 ** (failures - 1)), timeout=lifetime)
