"""The audit of groups nested by chance over ticket ratings (:class:`release.RowAudit`),
whose rows are sets of bits, answers as its straightforward version did (kept here as the
reference: numpy masks and one ``np.unique`` per count) on random ratings and on every group
a page asks about."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from phare.insights import release

TREE: dict[str, str | None] = {"DG": None, "DSI": "DG", "APP": "DSI", "INF": "DSI",
                               "VEN": None, "VEN-N": "VEN"}
DIMS = ["channel", "service", "category", "reassign", "unit"]
VALUES = {"channel": ["portal", "phone", "email"], "service": ["wiki", "visio", ""],
          "category": ["poste", "réseau"], "reassign": ["0", "1", "3"],
          "unit": [*TREE, "OLD", ""]}  # a unit no longer in the tree, and none known


class Reference:
    """:class:`release.RowAudit` as it was before its rows became sets of bits: numpy masks
    and ``np.unique`` for each count."""

    def __init__(self, frame: Any, dims: Sequence[str], tree: dict[str, str | None]) -> None:
        self.dims, self.tree = tuple(dims), tree
        self.people = pd.factorize(frame["person"])[0]
        # Each column as integer codes and its distinct values: comparing and sorting integers
        # is what makes the many checks of a page cheap.
        self.codes: dict[str, Any] = {}
        self.uniques: dict[str, Any] = {}
        for dim in self.dims:
            codes, uniques = pd.factorize(frame[dim].astype(str))
            self.codes[dim], self.uniques[dim] = codes, np.asarray(uniques, dtype=object)
        self._masks: dict[tuple[str, Any], Any] = {}
        #: People per group already counted: a page asks about the same groups many times
        #: (every cell of every breakdown is compared with the groups that hold it).
        self._people: dict[tuple[tuple[str, Any], ...], int] = {}
        self._answers: dict[tuple[tuple[tuple[str, Any], ...], int], bool] = {}

    def _mask(self, dim: str, value: Any) -> Any:
        key = (dim, value)
        if key not in self._masks:
            codes, uniques = self.codes[dim], self.uniques[dim]
            if dim == release.UNIT:
                inside = [i for i, code in enumerate(uniques)
                          if value in release.ancestors(code, self.tree)]
                self._masks[key] = np.isin(codes, inside)
            else:
                where = np.flatnonzero(uniques == value)
                self._masks[key] = codes == (where[0] if where.size else -2)
        return self._masks[key]

    def _select(self, criteria: dict[str, Any]) -> Any:
        mask = np.ones(len(self.people), dtype=bool)
        for dim, value in criteria.items():
            mask &= self._mask(dim, value)
        return mask

    def _count(self, mask: Any) -> int:
        return int(np.unique(self.people[mask]).size)

    @staticmethod
    def _key(criteria: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted(criteria.items(), key=lambda item: item[0]))

    def _group_count(self, criteria: dict[str, Any], mask: Any = None) -> int:
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
        options: list[list[tuple[str, Any] | None]] = []
        for dim in self.dims:
            values = self.uniques[dim][np.unique(self.codes[dim][mask])]
            shared: list[Any] = []
            if dim == release.UNIT:
                first = release.ancestors(str(values[0]), self.tree)
                shared = [a for a in first
                          if all(a in release.ancestors(str(v), self.tree) for v in values)]
            elif len(values) == 1:
                shared = [values[0]]
            options.append([None, *((dim, v) for v in shared)])
        for combination in itertools.product(*options):
            chosen = dict(c for c in combination if c is not None)
            if release.disclosure.small(self._group_count(chosen) - total, k):
                return True
        return False


def ratings(seed: int, rows: int, people: int) -> pd.DataFrame:
    draw = random.Random(seed)
    frame = pd.DataFrame({dim: [draw.choice(VALUES[dim]) for _ in range(rows)] for dim in DIMS})
    frame["person"] = [None if draw.random() < 0.02 else f"p{draw.randrange(people)}"
                       for _ in range(rows)]
    return frame


def groups() -> list[dict[str, Any]]:
    """Every group of one or two criteria, as a page's filters and breakdowns make them."""
    singles = [(dim, value) for dim in DIMS for value in [*VALUES[dim], "absent"]]
    out: list[dict[str, Any]] = [{}]
    out += [dict([one]) for one in singles]
    out += [dict(pair) for pair in itertools.combinations(singles, 2) if pair[0][0] != pair[1][0]]
    return out


def test_it_finds_the_groups_nested_by_chance_as_the_reference_does():
    found = 0
    for seed, rows, people in [(1, 40, 30), (2, 120, 60), (3, 400, 150), (4, 15, 4)]:
        frame = ratings(seed, rows, people)
        audit = release.RowAudit(frame, DIMS, TREE)
        expected = Reference(frame, DIMS, TREE)
        for k in (3, 5):
            for criteria in groups():
                answer = audit.isolated(criteria, k)
                assert answer == expected.isolated(criteria, k), (seed, k, criteria)
                assert audit._group_count(criteria) == expected._group_count(criteria)
                found += answer
    assert found > 100  # many groups are nested by chance: the comparison is not all "no"


def test_it_counts_people_not_rows():
    frame = pd.DataFrame({"channel": ["phone"] * 6, "unit": ["APP"] * 6,
                          "person": ["a", "a", "b", "b", "b", None]})
    audit = release.RowAudit(frame, ["channel", "unit"], TREE)
    assert audit._group_count({"channel": "phone"}) == 3
    assert audit._group_count({"unit": "DG"}) == 3 and audit._group_count({"unit": "VEN"}) == 0
    assert audit.isolated({"channel": "phone"}, 5) == Reference(
        frame, ["channel", "unit"], TREE).isolated({"channel": "phone"}, 5)
