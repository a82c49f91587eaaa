"""``disclosure.rate_cells_hidden``: rates by unit never give a small group of active or inactive
people, whether read off a cell or derived from the totals."""

from __future__ import annotations

import itertools
import random

import pytest

from phare.analysis.disclosure import rate_cells_hidden, small
from phare.analysis.errors import AnalysisError

K = 5


def split(cells: dict[str, tuple[int, int]]) -> tuple[dict[str, int], dict[str, int]]:
    """``{cell: (active, audience)}`` as the two mappings the function takes."""
    return ({key: a for key, (a, _) in cells.items()},
            {key: n for key, (_, n) in cells.items()})


def hidden_of(cells: dict[str, tuple[int, int]], k: int = K, **residual: int) -> set[str]:
    active, audience = split(cells)
    return rate_cells_hidden(active, audience, k, **residual)


# --- Threshold (primary) ---------------------------------------------------------------------


def test_it_hides_a_cell_whose_audience_is_small() -> None:
    # The other cells hold 0 active people in the hidden one: the active count stays 0.
    cells = {"a": (0, 3), "b": (10, 20), "c": (12, 30)}
    assert hidden_of(cells, residual_active=0, residual_audience=7) == {"a"}


def test_it_hides_a_cell_whose_active_count_is_small() -> None:
    cells = {"a": (3, 20), "b": (10, 20), "c": (12, 30), "d": (40, 60)}
    hidden = hidden_of(cells)
    assert "a" in hidden


def test_it_hides_a_cell_whose_inactive_count_is_small() -> None:
    # 38 of 40 active says who the 2 others are not.
    cells = {"a": (38, 40), "b": (10, 20), "c": (12, 30)}
    assert "a" in hidden_of(cells)


def test_it_shows_cells_of_zero_or_whole_audiences_when_large_enough() -> None:
    cells = {"none": (0, 20), "all": (20, 20), "empty": (0, 0), "some": (10, 25)}
    assert hidden_of(cells) == set()


def test_it_hides_nothing_when_every_count_is_large() -> None:
    cells = {"a": (5, 10), "b": (6, 12), "c": (50, 100)}
    assert hidden_of(cells, residual_active=5, residual_audience=11) == set()


def test_it_uses_the_threshold_it_is_given() -> None:
    cells = {"a": (7, 16), "b": (20, 40), "c": (30, 60)}
    assert hidden_of(cells, k=5) == set()
    assert "a" in hidden_of(cells, k=8)  # 7 active
    assert "a" in hidden_of({"a": (9, 16), "b": (20, 40), "c": (30, 60)}, k=8)  # 7 inactive


# --- Complementary suppression ---------------------------------------------------------------


def test_it_hides_the_cell_with_fewest_active_people_when_the_active_mass_is_short() -> None:
    # a is hidden for its 3 active people; the totals minus b, c, d would give them.
    cells = {"a": (3, 20), "b": (10, 20), "c": (12, 30), "d": (40, 60)}
    assert hidden_of(cells) == {"a", "b"}


def test_it_hides_the_cell_with_fewest_inactive_people_when_the_inactive_mass_is_short() -> None:
    # a is hidden for its 2 inactive people. b has more active people than c but fewer
    # inactive ones: the short count decides.
    cells = {"a": (18, 20), "b": (20, 27), "c": (15, 30)}
    assert hidden_of(cells) == {"a", "b"}


def test_it_fixes_both_counts_when_both_fall_short() -> None:
    # a hides 3 active people, b 3 inactive ones. Hiding c (fewest active) fixes the active
    # mass but adds no inactive person; d (fewest inactive) is hidden for that.
    cells = {"a": (3, 3), "b": (0, 3), "c": (10, 10), "d": (30, 36), "e": (40, 60)}
    assert hidden_of(cells) == {"a", "b", "c", "d"}


def test_it_breaks_ties_by_the_order_of_the_cells() -> None:
    cells = {"a": (3, 20), "b": (10, 20), "c": (10, 20), "d": (40, 60)}
    assert hidden_of(cells) == {"a", "b"}
    reordered = {"a": (3, 20), "c": (10, 20), "b": (10, 20), "d": (40, 60)}
    assert hidden_of(reordered) == {"a", "c"}


def test_it_counts_the_residual_as_hidden() -> None:
    cells = {"a": (10, 20), "b": (12, 30), "c": (40, 60)}
    # 2 active people outside every cell: the cell with fewest active people joins them.
    assert hidden_of(cells, residual_active=2, residual_audience=10) == {"a"}
    # 3 inactive people outside every cell: the cell with fewest inactive people joins them.
    assert hidden_of(cells, residual_active=7, residual_audience=10) == {"a"}
    assert hidden_of({"a": (10, 40), "b": (12, 20), "c": (40, 60)},
                     residual_active=7, residual_audience=10) == {"b"}
    # A residual of 0 or k and more of each kind hides nothing.
    assert hidden_of(cells, residual_active=5, residual_audience=10) == set()
    assert hidden_of(cells, residual_active=0, residual_audience=0) == set()
    assert hidden_of(cells, residual_active=0, residual_audience=5) == set()


def test_it_hides_every_cell_with_some_when_the_population_holds_fewer_than_k() -> None:
    # 4 active people in all: any cell holding some of them is hidden.
    cells = {"a": (2, 20), "b": (2, 20), "c": (0, 30)}
    assert hidden_of(cells) == {"a", "b"}


def test_it_does_not_pin_a_population_short_of_one_kind_on_a_small_hidden_cell() -> None:
    # 35 of 36 people active: shown 35 of 35 beside a hidden cell of one, the totals would say
    # the one person of that cell is the inactive one.
    assert hidden_of({"a": (35, 35), "b": (0, 1)}) == {"a", "b"}
    # Among 16 hidden people, the one inactive person of the population is not singled out.
    assert hidden_of({"a": (20, 20), "b": (15, 16)}) == {"b"}


def test_it_starts_from_cells_hidden_by_another_rule() -> None:
    cells = {"a": (10, 20), "b": (12, 30), "c": (40, 60), "d": (20, 40)}
    active, audience = split(cells)
    assert rate_cells_hidden(active, audience, K) == set()
    # b hidden elsewhere holds enough of both kinds: nothing more.
    assert rate_cells_hidden(active, audience, K, hidden=["b"]) == {"b"}
    # With 3 active people outside every cell, the cell with fewest active people joins them,
    # unless a cell hidden elsewhere already does.
    cells = {"a": (10, 20), "b": (12, 30), "c": (40, 60)}
    active, audience = split(cells)
    assert rate_cells_hidden(active, audience, K, residual_active=3,
                             residual_audience=9) == {"a"}
    assert rate_cells_hidden(active, audience, K, residual_active=3, residual_audience=9,
                             hidden=["c"]) == {"c"}


def test_it_accepts_any_hashable_cell_key() -> None:
    active = {("unit", 1): 3, ("unit", 2): 10, ("unit", 3): 40}
    audience = {("unit", 1): 20, ("unit", 2): 20, ("unit", 3): 60}
    assert rate_cells_hidden(active, audience, K) == {("unit", 1), ("unit", 2)}


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "audience", "residual", "message"),
    [
        ({"a": 1}, {"b": 1}, {}, "same cells"),
        ({"a": 6}, {"a": 5}, {}, "exceed the audience"),
        ({"a": -1}, {"a": 5}, {}, "negative"),
        ({"a": 1}, {"a": -5}, {}, "negative"),
        ({"a": 1}, {"a": 5}, {"residual_active": -1}, "negative"),
        ({"a": 1}, {"a": 5}, {"residual_active": 3, "residual_audience": 2}, "exceed"),
    ],
)
def test_it_refuses_counts_that_do_not_fit(
    active: dict[str, int], audience: dict[str, int], residual: dict[str, int], message: str,
) -> None:
    with pytest.raises(AnalysisError, match=message):
        rate_cells_hidden(active, audience, K, **residual)


@pytest.mark.parametrize("k", [0, -1, True, 2.5])
def test_it_refuses_a_bad_threshold(k: object) -> None:
    with pytest.raises(AnalysisError, match="k:"):
        rate_cells_hidden({"a": 1}, {"a": 5}, k)  # type: ignore[arg-type]


# --- Stability and the attacker --------------------------------------------------------------


def random_breakdown(rng: random.Random) -> tuple[dict[int, tuple[int, int]], int, int]:
    """A breakdown mixing tiny, small and large cells, with a residual half of the time."""
    cells: dict[int, tuple[int, int]] = {}
    for key in range(rng.randint(1, 7)):
        audience = rng.choice([0, 1, 2, 3, 4, 6, 8, 12, 20, 35])
        shape = rng.random()
        if shape < 0.2:
            active = rng.randint(0, min(audience, 2))
        elif shape < 0.4:
            active = audience - rng.randint(0, min(audience, 2))
        else:
            active = rng.randint(0, audience)
        cells[key] = (active, audience)
    residual_audience = rng.choice([0, 0, 0, 1, 2, 3, 5, 9])
    residual_active = rng.randint(0, residual_audience)
    return cells, residual_active, residual_audience


def test_it_is_stable_on_its_own_result() -> None:
    rng = random.Random(20261206)
    for _ in range(500):
        cells, r_active, r_audience = random_breakdown(rng)
        active, audience = split(cells)  # type: ignore[arg-type]
        hidden = rate_cells_hidden(active, audience, K, residual_active=r_active,
                                   residual_audience=r_audience)
        shown_active = {key: n for key, n in active.items() if key not in hidden}
        shown_audience = {key: n for key, n in audience.items() if key not in hidden}
        again = rate_cells_hidden(
            shown_active, shown_audience, K,
            residual_active=r_active + sum(active[key] for key in hidden),
            residual_audience=r_audience + sum(audience[key] for key in hidden),
        )
        assert again == set(), (cells, r_active, r_audience, hidden)


def test_it_leaves_no_small_group_to_an_attacker_who_subtracts_shown_cells() -> None:
    """The reader sees the population's totals and every shown cell. Subtracting any non-empty
    set of shown cells (of the kind subtracted) from a total must not give 1 to k-1 active,
    inactive or audience people, and no shown cell may hold such a group itself."""
    rng = random.Random(12)
    complementary = 0
    for _ in range(2000):
        cells, r_active, r_audience = random_breakdown(rng)
        active, audience = split(cells)  # type: ignore[arg-type]
        hidden = rate_cells_hidden(active, audience, K, residual_active=r_active,
                                   residual_audience=r_audience)
        primary = {key for key, (a, n) in cells.items()
                   if small(a, K) or small(n, K) or small(n - a, K)}
        complementary += bool(hidden - primary)
        counts = {key: {"active": a, "inactive": n - a, "audience": n}
                  for key, (a, n) in cells.items()}
        residual = {"active": r_active, "inactive": r_audience - r_active,
                    "audience": r_audience}
        shown = [key for key in cells if key not in hidden]
        for key in shown:
            assert not any(small(n, K) for n in counts[key].values()), (cells, key)
        for kind in ("active", "inactive", "audience"):
            total = residual[kind] + sum(c[kind] for c in counts.values())
            for size in range(1, len(shown) + 1):
                for subtracted in itertools.combinations(shown, size):
                    taken = sum(counts[key][kind] for key in subtracted)
                    if taken == 0:
                        continue  # the total itself: nothing was subtracted
                    assert not small(total - taken, K), (cells, r_active, r_audience,
                                                          hidden, kind, subtracted)
    assert complementary > 100  # the cases did exercise complementary suppression
