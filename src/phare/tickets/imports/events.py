"""Event-log exports: one row per update of a ticket, reduced to each ticket's last state.

ServiceNow's audit and metric exports, and process-mining data sets (the incident logs of the
BPI challenges, XES logs saved as CSV), list a ticket on many rows, each with the time of the
update and the state it reached. A ticket is read from its rows in time order (file order
where a time is missing): each value is the last one given, its state the last state. When
the log has no opening or resolution column, the first update opened the ticket and the
update that reached its final resolved or closed state resolved it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from phare.tickets.imports.columns import normalise

#: Final states, normalised (see :func:`phare.tickets.imports.columns.normalise`), in the
#: languages Phare reads; ServiceNow's state codes 6 and 7 are turned into words before.
RESOLVED = {
    "resolved", "closed", "closed_complete", "closed_incomplete", "closed_skipped", "solved",
    "complete", "completed", "done", "resolve", "close", "incident_closed", "ticket_closed",
    "resolu", "resolue", "clos", "close_e", "ferme", "cloture", "resout",
    "gelost", "geloest", "geschlossen", "erledigt",
    "resuelto", "cerrado", "solucionado",
    "resolvido", "encerrado", "fechado", "solucionado_fechado",
    "risolto", "chiuso",
}
CANCELLED = {"cancelled", "canceled", "annule", "storniert", "abgebrochen", "cancelado",
             "annullato"}


def reduce(records: list[dict[str, Any]],
           when: Callable[[str], dt.datetime | None]) -> list[dict[str, Any]]:
    """One record per ticket (in the order tickets first appear), at the line of its last
    update."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record["external_id"], []).append(record)
    reduced = []
    for updates in groups.values():
        timed = [(when(u["updated_at"]) if u.get("updated_at") else None, u) for u in updates]
        # Rows without a readable time keep their place in the file, after timed rows before.
        order = sorted(range(len(timed)), key=lambda i: (
            timed[i][0] is None, timed[i][0] or dt.datetime.min.replace(tzinfo=dt.UTC), i))
        ordered = [timed[i] for i in order]
        last: dict[str, Any] = {}
        for _moment, update in ordered:
            for key, value in update.items():
                if value:
                    last[key] = value
        last["line"] = ordered[-1][1]["line"]
        last["state"] = ordered[-1][1].get("state", "") or last.get("state", "")
        moments = [moment for moment, _update in ordered if moment is not None]
        if moments and not last.get("opened_at"):
            last["opened_at"] = moments[0]
        if not last.get("resolved_at") and not last.get("closed_at"):
            last["resolved_at"] = _reached_final_state(ordered)
        reduced.append(last)
    return reduced


def _reached_final_state(ordered: list[tuple[dt.datetime | None, dict[str, Any]]]
                         ) -> dt.datetime | None:
    """The time of the update from which the ticket stayed in a resolved or closed state."""
    reached = None
    for moment, update in ordered:
        state = normalise(update.get("state", ""))
        if state in RESOLVED or update.get("state", "") in ("6", "7"):
            reached = reached or moment
        elif state:
            reached = None
    return reached
