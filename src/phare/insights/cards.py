"""The list of value cards as a page reads it: its sortable column headers, and its CSV.

The figures are the cards' own (:mod:`phare.insights.value`, computed together by
:func:`phare.insights.dashboards.value_cards`); a figure withheld on a card (too few answers)
is withheld here too, its count included.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from phare.insights.value import DESCENDING, CardRow
from phare.lib.csvtext import csv_writer
from phare.lib.metrics import metric


@dataclass(frozen=True)
class Column:
    """A sortable column header: its name, the order its link asks for, and whether the list
    is in its order now (``"descending"``, ``"ascending"`` or ``""``), for ``aria-sort``."""

    key: str
    label: str
    sort: str
    current: str


def _labels() -> dict[str, str]:
    """The columns' names: the metrics' own (:mod:`phare.lib.metrics`) where the column is
    one (the cost per person *served* and the *total* time lost are the cards' own)."""
    return {"service": _("Service"), "cost": _("Annual run cost"),
            "cost_per_user": _("Cost per person served"),
            "satisfaction": _("Survey %(nps)s") % {"nps": metric("nps").short},
            "happiness": str(metric("ticket_happiness").name),
            "lost": _("Work time lost after tickets"), "adoption": str(metric("adoption").name)}


def sort_links(order: str) -> list[Column]:
    """The list's column headers for the current ``order``: a header's link sorts by its
    column, largest first (names: A to Z), or the other way when already sorted so."""
    columns = []
    for key, label in _labels().items():
        natural = f"-{key}" if key in DESCENDING else key
        other = natural.lstrip("-") if natural.startswith("-") else f"-{natural}"
        current = ""
        if order.lstrip("-") == key:
            current = "descending" if order.startswith("-") else "ascending"
        columns.append(Column(key=key, label=label, sort=other if order == natural else natural,
                              current=current))
    return columns


def _number(value: float | None, places: int = 0) -> Any:
    return "" if value is None else round(value, places)


def cards_csv(rows: list[CardRow]) -> HttpResponse:
    """The list as CSV, in its order: each figure with its interval and n; a figure withheld
    (too few answers) is named so, with no count."""
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow([_("Service"), _("Annual run cost (€)"), _("People served"),
                     _("Cost per person (€)"), _("Survey NPS"), _("low"), _("high"), "n",
                     _("CSAT (%)"), "n", _("Ticket happiness"), _("low"), _("high"), "n",
                     _("Hours lost after tickets"), _("Adoption (%)"), _("low"), _("high"),
                     _("Note")])
    for row in rows:
        card, notes = row.card, []
        nps, csat, happiness, adoption = row.nps, row.csat, row.happiness, row.adoption
        if row.satisfaction_hidden:
            notes.append(_("survey: too few answers"))
        if card.tickets_hidden:
            notes.append(_("tickets: too few rated tickets"))
        writer.writerow([
            row.service.name, _number(row.cost), card.reach, _number(card.cost_per_user),
            *((_number(nps.value), _number(nps.low), _number(nps.high), nps.n) if nps
              else ("", "", "", "")),
            *((_number(csat.value), csat.n) if csat else ("", "")),
            *((_number(happiness.value), _number(happiness.low), _number(happiness.high),
               card.tickets["total"]["n"]) if happiness and card.tickets else ("", "", "", "")),
            _number(row.lost_hours),
            *((_number(100 * adoption.value, 1), _number(100 * adoption.low, 1),
               _number(100 * adoption.high, 1)) if adoption else ("", "", "")),
            "; ".join(notes)])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="value-cards.csv"'
    return response
