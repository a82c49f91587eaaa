"""A person's raw usage events in the usage store (Parquet): read for the archive, re-keyed
for an erasure.

Events are stored under a keyed pseudonym of the person (``usage.services.person_key``), which
anyone holding the secret key and the directory's ids can recompute. An erasure rewrites every
partition that holds the person's key with a random key instead: the events still count (the
figures of the service, of the month, of the unit as it stands in the people file) but no
longer lead to anyone. The rewrite follows the store's own rules (new generation files, one
manifest swap under the store's lock, old files removed after), through its private helpers,
since ``usage.store`` is the one writer of the store.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from phare.usage import store
from phare.usage.services import person_key, sync_people


def events(person_id: int) -> list[dict[str, Any]]:
    """The person's raw events still in the store (months past retention are folded into
    aggregates that hold no one)."""
    key = person_key(person_id)
    found: list[dict[str, Any]] = []
    for path in store.files():
        source = Path(path).parent.parent.name.removeprefix("source=")
        table = pq.read_table(path, schema=store.EVENTS, filters=[("person", "=", key)])
        for row in table.drop_columns(["person"]).to_pylist():
            found.append({"source": source, **row})
    return found


def rekey(person_id: int) -> int:
    """Replace the person's key by a random one in every event file; the number of events
    re-keyed. The people file is rewritten from the directory (the erased person is no longer
    an active person there)."""
    key = person_key(person_id)
    if not store.root().exists():
        return 0
    replacement = secrets.token_hex(16)
    changed = 0
    with store._locked():
        manifest = store._manifest()
        written: list[str] = []
        replaced: list[str] = []
        try:
            for source, partitions in manifest["events"].items():
                for month, relative in list(partitions.items()):
                    table = pq.read_table(store.root() / relative, schema=store.EVENTS)
                    mine = pc.equal(table["person"], key)
                    count = pc.sum(mine).as_py() or 0
                    if not count:
                        continue
                    people = pc.if_else(mine, replacement, table["person"])
                    table = table.set_column(table.schema.get_field_index("person"),
                                             "person", people)
                    new = (f"events/source={source}/month={month}/"
                           f"{store._generation(manifest)}.parquet")
                    store._write(store._sorted(table), new)
                    written.append(new)
                    replaced.append(relative)
                    partitions[month] = new
                    changed += count
            if written:
                store._swap_manifest(manifest)
        except BaseException:
            store._remove(written)
            raise
        store._remove(replaced)
    sync_people()
    return changed
