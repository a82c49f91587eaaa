"""Disclosure control: which counts and figures about people may be released.

The rules every page, API field, export and chart of Phare follows when it shows a figure
computed from people's answers (``docs/PRIVACY.md`` says where each is applied). Pure
functions over counts: no Django, no data access.

A *cell* is a group of people with its count ``n`` (people, or answers when one person
answers once). A *breakdown* splits a population into cells (by business unit, site, wave,
month…), possibly with a *residual*: people of the population in no displayable cell (the
members of a unit attached to it directly, not to one of its sub-units; answers with an
unknown unit). The residual is never displayed but can be computed as the total minus the
cells, so it counts as hidden.

Rules (Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley, §5.2–5.4):

- **threshold**: a cell with ``0 < n < k`` is hidden (primary suppression): no count, rate,
  mean or interval computed from it is released;
- **complementary suppression** (:func:`suppress`): the hidden cells of a breakdown, residual
  included, must together hold 0 or at least ``k`` people, otherwise subtracting the shown
  cells from the total gives them; the smallest shown cells are hidden too until they do;
- **differencing** (:func:`selection_released`): a filter selecting some cells of a breakdown
  releases a figure only when it selects no hidden cell, or hidden cells holding ``k`` or
  more, *and* leaves outside hidden cells holding 0 or ``k`` or more — so that the filtered
  figure, the unfiltered one and the shown cells never subtract to a small group;
- **hierarchies** (:func:`unit_released`): a unit covers its sub-units; a unit's figure is
  released only when the unit is released in its parent's breakdown (its siblings and the
  parent's direct members), and so on up to the top;
- **rates** (:func:`rate_cells_hidden`): a cell that shows a rate (active users out of an
  audience) shows two groups, the ``active`` and the ``inactive = audience - active`` people;
  both go through the threshold and complementary suppression, each on its own count;
- **k-anonymity** (:func:`k_anonymize`): each row of a microdata export shares its values of
  every released quasi-identifier with at least ``k - 1`` others; values are generalised
  (blanked) column by column, in a stated order, until it holds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from phare.analysis.errors import AnalysisError

K = TypeVar("K", bound=Hashable)


def _check_k(k: object) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise AnalysisError(f"k: must be a whole number of at least 1, got {k!r}")
    return k


def small(n: int, k: int) -> bool:
    """A group too small to release (``0 < n < k``); an empty group discloses nothing."""
    return 0 < n < k


def suppress(counts: Mapping[K, int], k: int, *, residual: int = 0,
             hidden: Iterable[K] = ()) -> set[K]:
    """The cells of a breakdown to hide: those under ``k`` (primary) and those already
    ``hidden`` by another rule, then, while the hidden cells and the ``residual`` hold fewer
    than ``k`` people (but some), the smallest shown cell (ties: the first in ``counts``'
    order) — complementary suppression."""
    _check_k(k)
    if residual < 0 or any(n < 0 for n in counts.values()):
        raise AnalysisError("counts: must not be negative")
    hidden = {key for key, n in counts.items() if small(n, k)} | set(hidden)
    mass = residual + sum(counts[key] for key in hidden)
    shown = sorted((key for key, n in counts.items() if key not in hidden and n > 0),
                   key=lambda key: counts[key])  # stable: ties go to the first listed
    while small(mass, k) and shown:
        key = shown.pop(0)
        hidden.add(key)
        mass += counts[key]
    return hidden


def selection_released(counts: Mapping[K, int], selected: Collection[K], k: int, *,
                       residual: int = 0, hidden: Iterable[K] = ()) -> bool:
    """Whether the union of the ``selected`` cells of a breakdown may be released: it holds at
    least ``k`` people, and the hidden cells (after :func:`suppress`) inside the selection and
    outside it (with the residual) each hold 0 or at least ``k`` people."""
    hidden = suppress(counts, k, residual=residual, hidden=hidden)
    total = sum(counts.get(key, 0) for key in selected)
    inside = sum(counts.get(key, 0) for key in selected if key in hidden)
    outside = residual + sum(n for key, n in counts.items()
                             if key in hidden and key not in selected)
    return total >= k and not small(inside, k) and not small(outside, k)


def rate_cells_hidden(active: Mapping[K, int], audience: Mapping[K, int], k: int, *,
                      residual_active: int = 0, residual_audience: int = 0,
                      hidden: Iterable[K] = ()) -> set[K]:
    """The cells of a breakdown of a rate (active users out of an audience, by unit, site, job
    family…) to hide.

    A shown cell gives ``active``, ``audience`` and their rate, so it also gives the
    ``inactive = audience - active`` people: a cell of 40 with 38 active says who the 2 are not.
    Each cell therefore holds two groups, and both are protected:

    - **threshold**: a cell is hidden when its audience, its active or its inactive people
      number 1 to ``k - 1`` (0 discloses no group; a rate of 0 % or 100 % over ``k`` or more
      people says as much about each of them as a unanimous survey answer does);
    - **complementary suppression**: subtracting the shown cells from the population's totals
      gives the hidden cells plus the residual (``residual_active`` of ``residual_audience``
      people in no displayable cell), for the active and for the inactive people alike. So the
      hidden cells and the residual must hold 0 or at least ``k`` active people *and* 0 or at
      least ``k`` inactive people; while one of them falls short, the cell with the fewest
      people of the short kind is hidden too (:func:`suppress` on that count; ties: the first
      in ``active``' order). The two counts are checked in turn, then again until neither
      hides anything more; as a shown cell holds 0 or at least ``k`` of each kind, hiding it
      for one count never makes the other fall short. The hidden audience then holds 0 or at
      least ``k`` people too, being the sum of the two.
    - **a population short of one kind**: when the population itself holds 1 to ``k - 1``
      active (or inactive) people, every cell holding some of them is hidden and their mass
      stays short — the population's own figure says as much, and is for the threshold of
      the breakdown it belongs to. The hidden audience must still hold 0 or at least ``k``
      people (:func:`suppress` on the audience: the smallest shown cells join), or the
      totals minus the shown cells would pin those few on a small hidden group (36 people of
      whom 35 active, shown as 35 of 35 and one hidden cell: the hidden person is inactive).

    Cells already ``hidden`` by another rule (differencing, hierarchies) count as hidden from
    the start, as in :func:`suppress`. Re-running on the shown cells, with the hidden ones
    added to the residual, hides nothing. ``active`` and ``audience`` must have the same cells,
    and no count may be negative or exceed its audience.
    """
    _check_k(k)
    if set(active) != set(audience):
        raise AnalysisError("active, audience: must have the same cells")
    inactive: dict[K, int] = {}
    for key, n in active.items():
        if n < 0 or audience[key] < 0:
            raise AnalysisError(f"counts: must not be negative (cell {key!r})")
        if n > audience[key]:
            raise AnalysisError(f"counts: active users exceed the audience (cell {key!r})")
        inactive[key] = audience[key] - n
    people = {key: audience[key] for key in active}  # in active's order, for ties
    if residual_active < 0 or residual_audience < 0:
        raise AnalysisError("residual: must not be negative")
    if residual_active > residual_audience:
        raise AnalysisError("residual: active users exceed the audience")
    residual_inactive = residual_audience - residual_active
    hidden = set(hidden) | {key for key in active if small(audience[key], k)
                            or small(active[key], k) or small(inactive[key], k)}
    while True:
        more = suppress(active, k, residual=residual_active, hidden=hidden)
        more = suppress(inactive, k, residual=residual_inactive, hidden=more)
        more = suppress(people, k, residual=residual_audience, hidden=more)
        if more == hidden:
            return hidden
        hidden = more


def release_before(today: dt.date) -> dt.date:
    """The first day whose continuously collected answers are not released yet on ``today``:
    answers coming in continuously (ticket ratings, surveys without waves) are released by
    whole months that are over, so that two reads never differ by one person's answer."""
    return today.replace(day=1)


def subtree_counts(counts: Mapping[str, int], parent_of: Mapping[str, str | None]
                   ) -> dict[str, int]:
    """Each unit's count with its sub-units' (``counts`` are by the unit people belong to)."""
    totals = dict.fromkeys(parent_of, 0)
    for code, n in counts.items():
        seen: set[str] = set()
        node: str | None = code if code in parent_of else None
        while node is not None and node not in seen:
            seen.add(node)
            totals[node] += n
            node = parent_of.get(node)
    return totals


def unit_cells(counts: Mapping[str, int], parent_of: Mapping[str, str | None],
               parent: str | None) -> tuple[dict[str, int], int]:
    """The breakdown of ``parent`` (``None``: everyone) into its sub-units' subtrees, and the
    residual: the parent's direct members, or at the top, people of no known unit."""
    totals = subtree_counts(counts, parent_of)
    cells = {code: totals[code] for code, up in parent_of.items() if up == parent}
    if parent is not None:
        residual = counts.get(parent, 0)
    else:
        residual = sum(n for code, n in counts.items() if code not in parent_of)
    return cells, residual


def unit_released(counts: Mapping[str, int], parent_of: Mapping[str, str | None], unit: str,
                  k: int) -> bool:
    """Whether ``unit`` (with its sub-units) may be released: it is released in its parent's
    breakdown, and its parent in its own, up to the top (see the module docstring)."""
    if unit not in parent_of:
        return selection_released(counts, {unit}, k)
    node: str | None = unit
    seen: set[str] = set()
    while node is not None and node not in seen:
        seen.add(node)
        parent = parent_of.get(node)
        cells, residual = unit_cells(counts, parent_of, parent)
        if not selection_released(cells, {node}, k, residual=residual):
            return False
        node = parent
    return True


def k_anonymize(rows: Sequence[Sequence[Any]], k: int, *, order: Sequence[int],
                blank: Any = "") -> tuple[list[list[Any]], dict[int, int]]:
    """Rows whose quasi-identifier values (every column of ``rows``) are shared by at least
    ``k`` rows each, and how many values of each column were changed.

    First each column on its own, in ``order``: its values held by fewer than ``k`` rows are
    blanked, with complementary suppression (:func:`suppress`) so that the blanked rows of a
    column are 0 or at least ``k`` — a lone blank would point at the rare value. Then, for the
    rows of a combination still held by fewer than ``k`` rows, the columns in ``order`` are
    blanked one after the other, re-counting after each column. Rows left with
    every column blank form a group too: while it holds fewer than ``k`` rows, the smallest
    other combination joins it. Only when all rows together are fewer than ``k`` can a group
    stay under ``k``.
    """
    _check_k(k)
    out = [list(row) for row in rows]
    width = len(out[0]) if out else 0
    if sorted(order) != list(range(width)):
        raise AnalysisError("order: must list every column once")
    changed = dict.fromkeys(range(width), 0)
    for column in order:
        values = Counter(row[column] for row in out if row[column] != blank)
        hidden = suppress(dict(sorted(values.items(), key=lambda item: str(item[0]))), k,
                          residual=sum(1 for row in out if row[column] == blank))
        for row in out:
            if row[column] != blank and row[column] in hidden:
                row[column] = blank
                changed[column] += 1
    for column in order:
        counts = Counter(tuple(row) for row in out)
        for row in out:
            if counts[tuple(row)] < k and row[column] != blank:
                row[column] = blank
                changed[column] += 1
    empty = tuple([blank] * width)
    counts = Counter(tuple(row) for row in out)
    while 0 < counts[empty] < k and len(counts) > 1:
        smallest = min((c for c in counts if c != empty), key=lambda c: (counts[c], str(c)))
        for row in out:
            if tuple(row) == smallest:
                for column in range(width):
                    if row[column] != blank:
                        row[column] = blank
                        changed[column] += 1
        counts = Counter(tuple(row) for row in out)
    return out, changed
