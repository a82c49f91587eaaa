"""What the dashboards may release: the disclosure rules of :mod:`phare.analysis.disclosure`
applied to the filters of a page over the analytical store.

Every insights figure about people goes through here before it is computed:

- :func:`allowed` says, for a page's filters, in which waves or months (``per``) the filtered
  group may be shown — each filtered dimension (business unit, site, job family, channel,
  service…) must be released in the breakdown of the population under the *other* filters,
  with complementary suppression, and a unit in its parent's breakdown up to the top;
- :func:`breakdown` gives the cells of a breakdown with the hidden ones marked
  (:func:`phare.analysis.disclosure.suppress`), the unit tree's next level for units, and
  :func:`blocked_cells` the cells whose filters would not pass within them;
- :class:`Cube` (counts by unit × site × job family) and :class:`RowAudit` (ticket ratings,
  one person possibly in several rows) find groups nested by chance: a group that another
  group a reader can select holds, with 1 to k-1 more people;
- :class:`Tally` (people by every combination of a few columns, from one scan) lets a page that
  counts its figures that way run these checks on the same counts, with no query of their own;
- time: the store holds released answers only (closed waves, months that are over: see
  :mod:`phare.insights.store`); :func:`release_before` lets a page say up to when.

Counting is by people when the store knows them (``count(DISTINCT person)`` for ticket ratings,
where one person may rate several tickets), else by responses (one per person and wave).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

from phare.analysis import disclosure
from phare.directory.models import BusinessUnit
from phare.insights import store
from phare.listening.models import Survey

UNIT = "unit"


@dataclass(frozen=True)
class Selection:
    """One filtered dimension: a column (or SQL expression) of the table and the values
    chosen. For ``unit`` the values are a unit and its sub-units (a parent covers them)."""

    column: str
    values: tuple[Any, ...]

    def clause(self) -> tuple[str, list[Any]]:
        marks = ", ".join("?" for _ in self.values)
        return f"{self.column} IN ({marks})", list(self.values)


class Tally:
    """People counted by every combination of some columns in one scan (:func:`tally`): the
    count of any group selected on those columns is a sum of its rows, read with no query.

    Exact when each person is in one row only — the columns describe the person's answer (its
    wave or month, unit, site, job family), not a detail of it. ``frame`` holds the columns,
    people in ``n``, and other counts summed alongside."""

    def __init__(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        self.frame, self.columns = frame, tuple(columns)

    def where(self, selections: Sequence[Selection]) -> Tally:
        """The rows of the group ``selections`` choose (as SQL's ``IN``: NULL is never chosen)."""
        mask = np.ones(len(self.frame), dtype=bool)
        for selection in selections:
            mask &= self.frame[selection.column].isin(list(selection.values)).to_numpy()
        return Tally(self.frame[mask], self.columns)

    def known(self, column: str) -> Tally:
        """The rows whose ``column`` is not NULL."""
        return Tally(self.frame[self.frame[column].notna()], self.columns)

    def sums(self, by: Sequence[str]) -> pd.DataFrame:
        """Every count summed by ``by`` (NULL a value of its own, as in a GROUP BY), ordered by
        ``by``; one row, or none if the group is empty, for no column."""
        counts = [c for c in self.frame.columns if c not in self.columns]
        if not by:
            return self.frame[counts].sum().to_frame().T if len(self.frame) else \
                self.frame[counts]
        return (self.frame.groupby(list(by), dropna=False, sort=True)[counts].sum()
                .reset_index())


def tally(surveys: Sequence[Survey], table: str, columns: Sequence[str], *,
          base: tuple[str, list[Any]] = ("TRUE", []), people: str = "count(DISTINCT response)",
          sums: dict[str, str] | None = None) -> Tally:
    """People (and the ``sums``: name → SQL aggregate) within ``base`` by every combination of
    ``columns``, from one query (see :class:`Tally`)."""
    listed = ", ".join(columns)
    extra = "".join(f", {sql} AS {name}" for name, sql in (sums or {}).items())
    frame = store.query(surveys, f"""
        SELECT {listed}, {people} AS n{extra} FROM {table} WHERE {base[0]}
        GROUP BY {listed}""", base[1])
    return Tally(frame, columns)


def unit_tree() -> dict[str, str | None]:
    """Each business unit's code → its parent's code (``None`` at the top)."""
    rows = list(BusinessUnit.objects.values_list("pk", "code", "parent_id"))
    codes = {pk: code for pk, code, _parent in rows}
    return {code: codes.get(parent) for _pk, code, parent in rows}


def release_before(now: dt.datetime | None = None) -> dt.date:
    """The first day whose continuously collected answers are not released yet: the first of
    the current month (in the server's time zone)."""
    return disclosure.release_before(timezone.localdate(now or timezone.now()))


def where(parts: Sequence[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """SQL clauses and their parameters joined with AND."""
    clauses = [clause for clause, _params in parts if clause]
    params = [p for _clause, values in parts for p in values]
    return (" AND ".join(f"({c})" for c in clauses) or "TRUE"), params


def _tops(codes: Sequence[str], tree: dict[str, str | None]) -> list[str]:
    chosen = set(codes)
    return [code for code in codes if tree.get(code) not in chosen]


def _dimension_released(counts: dict[Any, int], selection: Selection, k: int,
                        tree: dict[str, str | None]) -> bool:
    if selection.column == UNIT:
        tops = _tops([str(v) for v in selection.values], tree)
        return all(disclosure.unit_released(counts, tree, top, k) for top in tops)
    return disclosure.selection_released(counts, set(selection.values), k)


def allowed(surveys: Sequence[Survey], table: str, selections: Sequence[Selection], k: int, *,
            base: tuple[str, list[Any]] = ("TRUE", []), per: str | None = None,
            people: str = "count(DISTINCT response)", tally: Tally | None = None,
            tree: dict[str, str | None] | None = None) -> set[Any]:
    """The values of ``per`` (e.g. ``wave``, ``month``; ``None``: one value, ``None``) in which
    the group selected by ``selections`` within ``base`` may be released: it holds at least
    ``k`` people and every selection passes the differencing rules under the others.

    With ``tally`` (the people within ``base``, already counted by ``per`` and the selections'
    columns), the counts are sums of its rows: no query is run. ``tree``: the unit tree
    (:func:`unit_tree`), when the caller has read it already."""
    if tally is not None:
        sums = tally.where(selections).sums([per] if per else [])
        totals = pd.DataFrame({"per": sums[per] if per else None, "n": sums["n"]})
    else:
        everything = where([base, *(s.clause() for s in selections)])
        totals = store.query(surveys, f"""
            SELECT {per or "NULL"} AS per, {people} AS n FROM {table} WHERE {everything[0]}
            GROUP BY 1""", everything[1])
    ok = {key_of(row.per) for row in totals.itertuples() if int(row.n) >= k}
    if tree is None:
        tree = unit_tree() if any(s.column == UNIT for s in selections) else {}
    for selection in selections:
        if not ok:
            break
        cells = _by_value(surveys, table, selections, selection, per, base, people, key_of,
                          tally)
        ok = {p for p in ok if _dimension_released(cells.get(p, {}), selection, k, tree)}
    return ok


_SKIP = object()


def _by_value(surveys: Sequence[Survey], table: str, selections: Sequence[Selection],
              selection: Selection, group: str | None, base: tuple[str, list[Any]],
              people: str, key: Callable[[Any], Any], tally: Tally | None = None
              ) -> dict[Any, dict[Any, int]]:
    """People by ``key(group)`` (``None``: one group) and by the value of ``selection``'s
    column, under every filter but ``selection`` (groups keyed ``_SKIP`` are left out)."""
    if tally is not None:
        under = tally.where([s for s in selections if s is not selection])
        sums = under.sums(list(dict.fromkeys(c for c in (group, selection.column) if c)))
        frame = pd.DataFrame({"grp": sums[group] if group else None,
                              "value": sums[selection.column], "n": sums["n"]})
    else:
        others = where([base, *(s.clause() for s in selections if s is not selection)])
        # Ordered as the tally's sums are: complementary suppression breaks ties between
        # cells of the same size by their order, which must not change from one read to the
        # next (DuckDB groups rows in no set order).
        frame = store.query(surveys, f"""
            SELECT {group or "NULL"} AS grp, {selection.column} AS value, {people} AS n
            FROM {table} WHERE {others[0]} GROUP BY 1, 2 ORDER BY 1, 2""", others[1])
    counts: dict[Any, dict[Any, int]] = {}
    for row in frame.itertuples():
        grp = key(row.grp)
        if grp is _SKIP:
            continue
        into = counts.setdefault(grp, {})
        into[_value(row.value)] = into.get(_value(row.value), 0) + int(row.n)
    return counts


def key_of(value: Any) -> Any:
    """A value read from DuckDB as a plain Python key (dates as dates, NULL as None)."""
    if value is None or value != value:  # NULL / NaN
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _value(value: Any) -> Any:
    key = key_of(value)
    return "" if key is None else key


def unit_level(within: Sequence[str], tree: dict[str, str | None]) -> str | None:
    """The unit whose sub-units a breakdown shows: the one chosen (``within``: a unit and its
    sub-units), or ``None`` for the top units."""
    tops = _tops(list(within), tree) if within else []
    return tops[0] if len(tops) == 1 and tops[0] in tree else None


def cell_of(code: str, tree: dict[str, str | None], parent: str | None) -> str | None:
    """The sub-unit of ``parent`` (``None``: a top unit) that covers ``code``, or ``None``
    when ``code`` is the parent itself or outside it (the residual)."""
    return next((unit for unit in ancestors(code, tree) if tree.get(unit) == parent), None)


def cell_key(by: str, within: Sequence[str], tree: dict[str, str | None]
             ) -> Callable[[str], Any]:
    """How a breakdown by ``by`` files a value: itself, or for units the sub-unit of the unit
    chosen (``within``) or the top unit that covers it — ``None`` for the residual."""
    parent = unit_level(within, tree) if by == UNIT else None
    if by != UNIT or (within and parent is None):
        return lambda value: value
    return lambda value: cell_of(value, tree, parent)


def blocked_cells(surveys: Sequence[Survey], table: str, selections: Sequence[Selection],
                  by: str, k: int, *, base: tuple[str, list[Any]] = ("TRUE", []),
                  within: Sequence[str] = (), people: str = "count(DISTINCT response)",
                  tally: Tally | None = None, tree: dict[str, str | None] | None = None
                  ) -> set[Any]:
    """The cells of a breakdown by ``by`` of the group ``selections`` selects that may not be
    shown whatever their size: a cell is itself a group (the filters *and* the cell's value),
    so each of the filters must still pass the differencing rules within it (counted from
    ``tally``, the people within ``base``, when given; ``tree`` as in :func:`allowed`)."""
    blocked: set[Any] = set()
    if tree is None:
        tree = unit_tree() if by == UNIT or any(s.column == UNIT for s in selections) else {}
    file_in = cell_key(by, within, tree)

    def key(value: Any) -> Any:
        cell = file_in(_value(value))
        return _SKIP if cell is None else cell

    for selection in selections:
        if selection.column == by:
            continue
        counts = _by_value(surveys, table, selections, selection, by, base, people, key,
                           tally)
        blocked |= {key for key, cell_counts in counts.items()
                    if not _dimension_released(cell_counts, selection, k, tree)}
    return blocked


def breakdown(rows: Sequence[dict[str, Any]], by: str, k: int, *, within: Sequence[str] = (),
              count: str = "n", blocked: set[Any] | frozenset[Any] = frozenset(),
              tree: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """Rows of counts by ``by`` (``"segment"`` key; every other value summed) grouped into the
    cells of a breakdown — for ``unit``, the sub-units of the unit chosen (``within``) or the
    top units, each with its sub-units, the rest being the hidden residual — with
    ``suppressed`` marking the cells to hide (complementary suppression on ``count``, the
    ``blocked`` cells hidden whatever their size; ``tree`` as in :func:`allowed`). Empty
    cells are left out."""
    grouped: dict[Any, dict[str, Any]] = {}
    residual = 0
    if tree is None:
        tree = unit_tree() if by == UNIT else {}
    file_in = cell_key(by, within, tree)
    for row in rows:
        key = file_in(row["segment"])
        if key is None:
            residual += int(row[count])
            continue
        into = grouped.setdefault(key, {"segment": key})
        for name, value in row.items():
            if name != "segment":
                into[name] = into.get(name, 0) + value
    ordered = dict(sorted(grouped.items(), key=lambda item: str(item[0])))
    hidden = disclosure.suppress({key: int(row[count]) for key, row in ordered.items()}, k,
                                 residual=residual, hidden=set(blocked) & set(ordered))
    return [{**row, "suppressed": key in hidden} for key, row in ordered.items()
            if int(row[count]) > 0]


def ancestors(code: str, tree: dict[str, str | None]) -> list[str]:
    """``code`` and the units above it, nearest first."""
    out: list[str] = []
    node: str | None = code if code in tree else None
    while node is not None and node not in out:
        out.append(node)
        node = tree.get(node)
    return out


class Cube:
    """People by combination of dimensions (one being ``unit``, a tree), from one query, so
    that any filter's count is a lookup: ``n((unit or None, site or None, …))``, ``None``
    meaning "any"; a unit covers its sub-units."""

    def __init__(self, totals: dict[tuple[Any, ...], int], dims: Sequence[str],
                 tree: dict[str, str | None]) -> None:
        """``totals``: people for every combination of criteria (see :func:`cube`)."""
        self.dims, self.tree, self.totals = tuple(dims), tree, dict(totals)
        self.values: list[set[Any]] = [
            {key[position] for key in self.totals if key[position] is not None}
            for position in range(len(self.dims))]
        self.children: dict[str | None, list[str]] = {}
        for code, parent in tree.items():
            self.children.setdefault(parent, []).append(code)

    def n(self, criteria: Sequence[Any]) -> int:
        return self.totals.get(tuple(criteria), 0)

    def _candidates(self, criteria: tuple[Any, ...], position: int, total: int) -> list[Any]:
        """The values of one dimension that hold every person of the group ``criteria``."""
        def holds(value: Any) -> bool:
            return self.n(criteria[:position] + (value,) + criteria[position + 1:]) == total

        chosen = criteria[position]
        if self.dims[position] != UNIT:
            if chosen is not None:
                return [None, chosen]
            # In a fixed order (a set's order changes with the process's hash seed): two
            # reads of the same data must hide the same cells.
            shared = sorted((v for v in self.values[position] if holds(v)), key=repr)
            return [None, *shared[:1]]
        # Units: the deepest unit holding the whole group, and every unit above it.
        deepest = chosen
        while True:
            inner = [c for c in self.children.get(deepest, []) if holds(c)]
            if not inner:
                break
            deepest = inner[0]
        return [None, *(ancestors(deepest, self.tree) if deepest is not None else [])]

    def isolated(self, criteria: Sequence[Any], k: int) -> bool:
        """Whether the group ``criteria`` differs by 1 to ``k - 1`` people from another group
        a reader can select that holds all of it (a relaxation of its filters, or filters on
        other dimensions that happen to hold the same people and a few more)."""
        criteria = tuple(criteria)
        total = self.n(criteria)
        if total == 0:
            return False
        options = [self._candidates(criteria, p, total) for p in range(len(self.dims))]
        return any(disclosure.small(self.n(other) - total, k)
                   for other in itertools.product(*options))


def cube(surveys: Sequence[Survey], table: str, dims: Sequence[str], *,
         base: tuple[str, list[Any]] = ("TRUE", []), per: str | None = None,
         people: str = "count(DISTINCT response)", tally: Tally | None = None,
         tree: dict[str, str | None] | None = None) -> dict[Any, Cube]:
    """One :class:`Cube` per value of ``per`` (``None``: a single one, key ``None``): people
    for every combination of criteria, computed by DuckDB in one ``GROUP BY CUBE`` — a unit
    criterion covering its sub-units through a table of (unit, ancestor) pairs — or summed
    from ``tally`` (the people within ``base`` by ``per`` and ``dims``) when given; ``tree``
    as in :func:`allowed`."""
    if tree is None:
        tree = unit_tree()
    pairs = [(code, above) for code in tree for above in ancestors(code, tree)] or [("", "")]
    if tally is not None:
        return {key: Cube(cells, dims, tree)
                for key, cells in _cube_totals(tally, dims, per, pairs).items()}
    anc = ", ".join("(?, ?)" for _ in pairs)
    columns = ["anc.ancestor" if dim == UNIT else f"{table}.{dim}" for dim in dims]
    grouping = ", ".join(f"GROUPING({c}) AS g{i}, {c} AS v{i}" for i, c in enumerate(columns))
    frame = store.query(surveys, f"""
        WITH anc(code, ancestor) AS (VALUES {anc})
        SELECT {per or 'NULL'} AS per, {grouping}, {people} AS n
        FROM {table} LEFT JOIN anc ON {table}.unit = anc.code
        WHERE {base[0]}
        GROUP BY {per or 'NULL'}, CUBE({', '.join(columns)})""",
                        [value for pair in pairs for value in pair] + list(base[1]))
    totals: dict[Any, dict[tuple[Any, ...], int]] = {}
    for row in frame.to_dict("records"):
        key: list[Any] = []
        for i, dim in enumerate(dims):
            if row[f"g{i}"]:
                key.append(None)  # any value
            elif dim == UNIT and key_of(row[f"v{i}"]) is None:
                break  # people of no known unit: no unit criterion selects them
            else:
                key.append(_value(row[f"v{i}"]))
        else:
            totals.setdefault(key_of(row["per"]), {})[tuple(key)] = int(row["n"])
    return {key: Cube(cells, dims, tree) for key, cells in totals.items()}


def _codes(column: pd.Series, convert: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """A column as integer codes, and the values they stand for as the query's rows give them
    (``convert``ed: values that convert alike, NULL and "" for a dimension, share a code)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    converted = [convert(u) for u in uniques] + [convert(None)]  # the last: NULL
    merged, values = pd.factorize(pd.Series(converted, dtype=object), use_na_sentinel=False)
    return merged[codes], np.asarray(values, dtype=object)


def _cube_totals(tally: Tally, dims: Sequence[str], per: str | None,
                 pairs: list[tuple[str, str]]) -> dict[Any, dict[tuple[Any, ...], int]]:
    """The totals of :func:`cube` summed from a tally: for each set of dimensions criteria
    name, people by ``per`` and those dimensions — a unit by each unit above it (people of a
    unit outside the tree are in no unit criterion, as in the query). Sums are made on integer
    codes, one value per combination."""
    frame = tally.frame
    people = frame["n"].to_numpy(dtype=np.int64)
    rows = np.arange(len(frame))
    axes: dict[str, tuple[np.ndarray, np.ndarray]] = {
        column: _codes(frame[column], key_of if column == per else _value)
        for column in ([per] if per else []) + [dim for dim in dims if dim != UNIT]}
    if UNIT in dims:
        # A unit criterion holds the people of the unit and of the units below it: each row
        # once for each unit above its own (none for a unit outside the tree).
        unit_codes, units = pd.factorize(frame[UNIT], use_na_sentinel=True)
        above_codes, aboves = pd.factorize(pd.Series([a for _c, a in pairs], dtype=object))
        position = {code: i for i, code in enumerate(units)}
        links = pd.DataFrame({"unit": [position.get(c, -2) for c, _a in pairs],
                              "above": above_codes})
        expanded = pd.DataFrame({"row": rows, "unit": unit_codes}).merge(links, on="unit")
        unit_rows = expanded["row"].to_numpy()
        unit_axis = (expanded["above"].to_numpy(), np.asarray(aboves, dtype=object))
    totals: dict[Any, dict[tuple[Any, ...], int]] = {}
    for chosen in itertools.product((False, True), repeat=len(dims)):
        named = [dim for dim, on in zip(dims, chosen, strict=True) if on]
        taken = unit_rows if UNIT in named else rows
        columns = ([per] if per else []) + named
        # One integer per combination of codes (mixed radix), summed with bincount.
        key = np.zeros(len(taken), dtype=np.int64)
        for column in columns:
            codes, values = unit_axis if column == UNIT else (axes[column][0][taken],
                                                             axes[column][1])
            key = key * len(values) + codes
        combos, inverse = np.unique(key, return_inverse=True)
        sums = np.bincount(inverse, weights=people[taken], minlength=len(combos))
        decoded: dict[str, list[Any]] = {}
        rest = combos
        for column in reversed(columns):
            values = unit_axis[1] if column == UNIT else axes[column][1]
            decoded[column] = values[rest % len(values)].tolist()
            rest = rest // len(values)
        keys = decoded[per] if per else [None] * len(combos)
        criteria = zip(*(decoded[dim] if on else [None] * len(combos)
                         for dim, on in zip(dims, chosen, strict=True)), strict=True)
        counts = np.rint(sums).astype(np.int64).tolist()
        for key_value, cell, n in zip(keys, criteria, counts, strict=True):
            totals.setdefault(key_value, {})[cell] = n
    return totals


def merge(cubes: Sequence[Cube]) -> Cube | None:
    """The cube of several waves or months together."""
    if not cubes:
        return None
    if len(cubes) == 1:
        return cubes[0]  # a cube is never changed once made
    totals: dict[tuple[Any, ...], int] = {}
    for one in cubes:
        for key, n in one.totals.items():
            totals[key] = totals.get(key, 0) + n
    return Cube(totals, cubes[0].dims, cubes[0].tree)


def criteria_of(dims: Sequence[str], selections: Sequence[Selection],
                tree: dict[str, str | None]) -> tuple[Any, ...] | None:
    """A group's filters as cube criteria (``None``: a dimension filtered on several values,
    which a cube lookup cannot express)."""
    out: list[Any] = []
    for dim in dims:
        chosen = [s for s in selections if s.column == dim]
        if not chosen:
            out.append(None)
            continue
        values = [str(v) for v in chosen[0].values] if dim == UNIT else list(chosen[0].values)
        if dim == UNIT:
            tops = _tops(values, tree)
            if len(tops) != 1:
                return None
            out.append(tops[0])
        elif len(values) == 1:
            out.append(values[0])
        else:
            return None
    return tuple(out)


class RowAudit:
    """The nested-groups audit of :class:`Cube` over rows that one person may appear in more
    than once (ticket ratings): people are counted as distinct ``person`` values.

    ``frame`` holds one row per answer with a ``person`` column and one column per dimension
    (``unit`` is the person's unit, a tree). A page asks about many groups (every cell of
    every breakdown, compared with the groups that hold it), so rows are sets of bits (a
    Python integer, bit ``i`` for row ``i``): selecting a group is a few ANDs, and counting
    its people a popcount less the rows of people counted twice."""

    def __init__(self, frame: Any, dims: Sequence[str], tree: dict[str, str | None]) -> None:
        self.dims, self.tree = tuple(dims), tree
        self.size = len(frame)
        self.everyone = (1 << self.size) - 1
        #: Each row's value of each dimension, and the rows of each value.
        self.values: dict[str, list[str]] = {}
        self.rows: dict[str, dict[str, int]] = {}
        for dim in self.dims:
            codes, uniques = pd.factorize(frame[dim].astype(str))
            names = [str(value) for value in uniques]
            self.values[dim] = np.asarray(names, dtype=object)[codes].tolist()
            self.rows[dim] = {name: _bits(codes == i) for i, name in enumerate(names)}
        # The rows of each person who gave several (the others count once per row).
        people = pd.factorize(frame["person"])[0]
        ordered = np.argsort(people, kind="stable")
        starts = np.flatnonzero(np.diff(people[ordered], prepend=-2))
        self.repeated = [_bits(np.isin(np.arange(self.size), ordered[start:end]))
                         for start, end in zip(starts, [*starts[1:], self.size], strict=True)
                         if end - start > 1]
        self._masks: dict[tuple[str, Any], int] = {}
        #: People per group already counted: a page asks about the same groups many times.
        self._people: dict[tuple[tuple[str, Any], ...], int] = {}
        self._answers: dict[tuple[tuple[tuple[str, Any], ...], int], bool] = {}

    def _mask(self, dim: str, value: Any) -> int:
        """The rows of ``dim = value`` (a unit: of it and of the units below it)."""
        key = (dim, value)
        if key not in self._masks:
            rows = self.rows[dim]
            if dim == UNIT:
                mask = 0
                for code, bits in rows.items():
                    if value in ancestors(code, self.tree):
                        mask |= bits
                self._masks[key] = mask
            else:
                self._masks[key] = rows.get(value, 0) if isinstance(value, str) else 0
        return self._masks[key]

    def _select(self, criteria: dict[str, Any]) -> int:
        mask = self.everyone
        for dim, value in criteria.items():
            mask &= self._mask(dim, value)
        return mask

    def _count(self, mask: int) -> int:
        """Distinct people among the rows ``mask``."""
        twice = 0
        for rows in self.repeated:
            twice += max(0, (mask & rows).bit_count() - 1)
        return mask.bit_count() - twice

    @staticmethod
    def _key(criteria: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted(criteria.items(), key=lambda item: item[0]))

    def _group_count(self, criteria: dict[str, Any], mask: int | None = None) -> int:
        """People in the group ``criteria`` (whose rows are ``mask`` when already selected)."""
        key = self._key(criteria)
        if key not in self._people:
            self._people[key] = self._count(self._select(criteria) if mask is None else mask)
        return self._people[key]

    def isolated(self, criteria: dict[str, Any], k: int) -> bool:
        """Whether the group ``criteria`` ({dimension: value}, a unit covering its sub-units)
        differs by 1 to ``k - 1`` people from another group that holds all of it."""
        key = (self._key(criteria), k)
        if key not in self._answers:
            self._answers[key] = self._isolated(criteria, k)
        return self._answers[key]

    def _isolated(self, criteria: dict[str, Any], k: int) -> bool:
        mask = self._select(criteria)
        total = self._group_count(criteria, mask)
        if total == 0:
            return False
        first = (mask & -mask).bit_length() - 1  # the group's first row
        options: list[list[tuple[str, Any] | None]] = []
        for dim in self.dims:
            # The values every row of the group shares: another group may select by them.
            if dim == UNIT:
                shared = [unit for unit in ancestors(self.values[dim][first], self.tree)
                          if not mask & ~self._mask(dim, unit)]
            else:
                value = self.values[dim][first]
                shared = [] if mask & ~self._mask(dim, value) else [value]
            options.append([None, *((dim, v) for v in shared)])
        for combination in itertools.product(*options):
            chosen = dict(c for c in combination if c is not None)
            if disclosure.small(self._group_count(chosen) - total, k):
                return True
        return False


def _bits(rows: Any) -> int:
    """A boolean array of rows as an integer, bit ``i`` set for row ``i``."""
    return int.from_bytes(np.packbits(rows, bitorder="little").tobytes(), "little")
