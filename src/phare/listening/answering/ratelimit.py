"""The open link's rate limit: submissions counted per link and client address in the shared
cache, under a keyed hash of both."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from phare.lib.pseudonyms import pseudonym


def rate() -> tuple[int, int]:
    """``PHARE_OPEN_SURVEY_RATE`` ("20/600"): submissions allowed, per that many seconds."""
    count, seconds = str(settings.PHARE_OPEN_SURVEY_RATE).split("/", 1)
    return int(count), int(seconds)


def rate_limit_wait(link: str, client: str, *, now: float | None = None) -> int:
    """Count one submission through an open link (its token) from a client address; the
    seconds to wait when it is over the limit, else 0.

    Each link has its own budget per address, so one survey's answers never block another's.
    The count lives in the shared cache (``CACHES``), so every worker process sees it. Neither
    the address nor the link is stored: the cache key holds a keyed hash of both, for one
    window only, and nothing of it reaches the database.
    """
    limit, window = rate()
    now = time.time() if now is None else now
    slot = int(now // window)
    digest = pseudonym(link, client)
    key = f"phare:answer-rate:{digest}:{slot}"
    # One cache operation for every submission but a window's first (incr, then add).
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first submission from there
        if cache.add(key, 1, timeout=window):
            count = 1
        else:  # a submission in another process added it first
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
                count = 1
    if count > limit:
        return max(1, int((slot + 1) * window - now))
    return 0
