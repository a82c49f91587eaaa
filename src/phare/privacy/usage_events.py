"""A person's raw usage events in the usage store (Parquet): read for the archive, re-keyed
for an erasure.

Events are stored under a keyed pseudonym of the person (``usage.services.person_key``), which
anyone holding the secret key and the directory's ids can recompute. An erasure rewrites every
partition that holds the person's key with a random key instead: the events still count (the
figures of the service, of the month, of the unit as it stands in the people file) but no
longer lead to anyone. The rewrite is the store's own (``usage.store.rekey``: new generation
files, one manifest swap under the store's lock, old files removed after), since
``usage.store`` is the one writer of the store, on a folder or an object store alike.
"""

from __future__ import annotations

import secrets
from typing import Any

from phare.usage import store
from phare.usage.services import person_key, sync_people


def events(person_id: int) -> list[dict[str, Any]]:
    """The person's raw events still in the store (months past retention are folded into
    aggregates that hold no one)."""
    return store.events_of(person_key(person_id))


def rekey(person_id: int) -> int:
    """Replace the person's key by a random one in every event file; the number of events
    re-keyed. The people file is rewritten from the directory (the erased person is no longer
    an active person there)."""
    if not store.exists():
        return 0
    changed = store.rekey(person_key(person_id), secrets.token_hex(16))
    sync_people()
    return changed
