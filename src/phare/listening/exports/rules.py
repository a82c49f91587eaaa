"""The disclosure rules of an export, as pure functions (the table they apply to is
:mod:`.table`'s; the counting and blanking themselves are :mod:`phare.analysis.disclosure`'s).

Thresholds (the survey's ``min_group_size`` k and ``min_verbatim_group_size``)
    - fewer than k responses: the export is refused (:class:`ExportRefused`, raised by
      :func:`check_group_size`);
    - anonymous and confidential exports are k-anonymous on every released column that could
      single someone out with the directory — site, job family, language, channel, day
      (given by month only), unit, version, wave — blanked in that order where a combination has
      fewer than k rows (:func:`protect_rows`); named exports keep every (unit, site, job
      family) combination at k rows or more (:func:`protect_segments`);
    - free-text columns only when the export has at least ``min_verbatim_group_size`` responses.

Rows come by the date the export gives, then by a hash of the response id (:func:`row_order`)
— never in the order responses were recorded, so that row order cannot be matched against
invitation times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis import disclosure
from phare.listening.errors import ListeningError

SEGMENTS = ("unit", "site", "job_family")
#: For a group under the threshold, the finest segment goes first.
BLANK_ORDER = ("site", "job_family", "unit")
#: The columns of an anonymous or confidential export that could single someone out when
#: combined with the directory, blanked in this order where a combination has fewer than k
#: rows (the answers themselves are what the export is for).
QUASI_IDENTIFIERS = ("site", "job_family", "language", "channel", "day", "unit", "version",
                     "wave")
SEGMENT_LABELS = {"unit": gettext_lazy("Business unit"), "site": gettext_lazy("Site"),
                  "job_family": gettext_lazy("Job family")}
COLUMN_LABELS = {**SEGMENT_LABELS, "day": gettext_lazy("Month answered"),
                 "language": gettext_lazy("Language"), "channel": gettext_lazy("Channel"),
                 "version": gettext_lazy("Questionnaire version"), "wave": gettext_lazy("Wave")}


class ExportRefused(ListeningError):
    """An export that cannot be given: too few responses, or an unknown wave or version."""


Segment = tuple[str, str, str]


def protect_segments(segments: Sequence[Segment], k: int) -> tuple[list[Segment], dict[str, int]]:
    """Blank segment values so that every (unit, site, job family) combination has ≥ k rows.

    :func:`phare.analysis.disclosure.k_anonymize` over the three segments, the site blanked
    first, then the job family, then the unit. Returns the new segments (same order) and how
    many values of each segment were blanked.
    """
    rows, changed = disclosure.k_anonymize(segments, k, order=[
        SEGMENTS.index(segment) for segment in BLANK_ORDER])
    return ([(row[0], row[1], row[2]) for row in rows],
            {segment: changed[i] for i, segment in enumerate(SEGMENTS)})


def protect_rows(rows: list[list[Any]], names: Sequence[str], k: int) -> dict[str, int]:
    """Make ``rows`` k-anonymous on every released quasi-identifier (:data:`QUASI_IDENTIFIERS`
    present in ``names``), in place, blanking in that order; returns how many values of each
    were blanked. A blank is ``None`` for numbers and dates, "" for text."""
    columns = [names.index(name) for name in QUASI_IDENTIFIERS if name in names]
    keys = [[row[i] if row[i] not in ("", None) else None for i in columns] for row in rows]
    protected, changed = disclosure.k_anonymize(keys, k, order=list(range(len(columns))),
                                                blank=None)
    for row, values in zip(rows, protected, strict=True):
        for position, value in zip(columns, values, strict=True):
            if value is None and row[position] not in ("", None):
                row[position] = "" if isinstance(row[position], str) else None
    return {names[i]: changed[n] for n, i in enumerate(columns) if changed[n]}


def check_group_size(count: int, minimum: int) -> None:
    """Refuse an export of fewer than ``minimum`` responses."""
    if count < minimum:
        raise ExportRefused(_("Fewer than %(k)d responses: nothing can be exported, so that no "
                              "one's answers can be singled out.") % {"k": minimum},
                            field="responses")


def keeps_verbatims(count: int, minimum: int) -> bool:
    return count >= minimum


def row_order(day: dt.date, response_id: Any) -> tuple[dt.date, str]:
    """Day, then a stable hash of the (random) id: says nothing of the order of answering."""
    return day, hashlib.sha256(str(response_id).encode()).hexdigest()
