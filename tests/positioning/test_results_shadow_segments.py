"""Shadow IT and segments computed on hand-built released answers (no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from phare.positioning.answers import StudyData
from phare.positioning.results.segments import compute_segments, job_families_of, profile_hidden
from phare.positioning.results.shadow import ToolInfo, compute_shadow

ALTERNATIVES = ["it", "saas", "personal"]
ATTRIBUTES = ["speed", "security", "ease"]


def make_data(n: int, *, k: int = 5, tools: list[list[str]] | None = None,
              units: list[str] | None = None, families: list[str] | None = None,
              groups: list[int] | None = None, comments: list[str] | None = None) -> StudyData:
    """``n`` respondents; ``groups`` (0/1) give two clear attitude groups for segments."""
    rng = np.random.default_rng(1)
    groups = groups if groups is not None else [i % 2 for i in range(n)]
    rows = [(r, a, t, float(np.clip(round((4.3 if groups[r] else 1.7) + rng.normal(0, .4)),
                                    1, 5)))
            for r in range(n) for a in ALTERNATIVES for t in ATTRIBUTES]
    index = pd.RangeIndex(n, name="respondent")
    importance = pd.DataFrame({t: [float(np.clip(round((1.8 if g else 4.2)
                                                       + rng.normal(0, .4)), 1, 5))
                                   for g in groups] for t in ATTRIBUTES}, index=index)
    units = units or ["A"] * n
    return StudyData(
        study=None, k=k, k_verbatim=3, n=n,  # type: ignore[arg-type]
        alternatives=ALTERNATIVES, alternative_labels={a: a for a in ALTERNATIVES},
        attributes=ATTRIBUTES, attribute_labels={t: t for t in ATTRIBUTES},
        internal="it", scale=(1, 5),
        ratings=pd.DataFrame(rows, columns=["respondent", "alternative", "attribute",
                                            "rating"]),
        importance=importance,
        preference=pd.Series(["it" if g else "saas" for g in groups], index=index,
                             dtype=object),
        used=pd.DataFrame({"saas": [bool(g) for g in groups], "personal": False}, index=index),
        tools=pd.Series(tools or [[] for _ in range(n)], index=index, dtype=object),
        used_why=pd.Series([""] * n, index=index, dtype=object),
        comment=pd.Series(comments or [""] * n, index=index, dtype=object),
        people=pd.DataFrame({"unit": units, "site": "", "job_family": families or [""] * n,
                             "top_unit": units}, index=index, dtype=object))


def test_it_pools_tools_named_by_fewer_than_k_people_and_never_names_them():
    tools = ([["Slack", "Trello"]] * 6 + [["slack "]] * 2 + [["Élan Secret"]] * 4
             + [["Notion"]] * 8)
    data = make_data(20, tools=tools)
    result = compute_shadow(data, tools=[ToolInfo(id=7, name="Trello", aliases=["trelo"],
                                                  service="Planner")])
    names = [g.name for g in result.groups]
    assert names == ["Notion", "Slack", "Trello"]
    slack = result.groups[1]
    assert slack.people == 8 and slack.tool_id is None and slack.status == "unreviewed"
    trello = result.groups[2]
    assert trello.tool_id == 7 and trello.status == "equivalent" and trello.service == "Planner"
    assert "Élan Secret" not in repr(result) and "elan" not in repr(result).lower()
    # The 4 people who named the rare tool are fewer than k: not even their count.
    assert result.other_people is None
    assert result.naming == 20


def test_it_hides_small_users_of_a_unit_and_the_cell_that_would_give_them_away():
    # Slack: 10 users in A (of 10: no non-user), 3 in B (of 10), 7 in C (of 10).
    units = ["A"] * 10 + ["B"] * 10 + ["C"] * 10
    tools = [["Slack"]] * 10 + [["Slack"]] * 3 + [[]] * 7 + [["Slack"]] * 7 + [[]] * 3
    data = make_data(30, tools=tools, units=units)
    result = compute_shadow(data)
    cells = {c.code: c for c in result.groups[0].by_unit}
    assert cells["B"].people is None and cells["B"].share is None
    assert cells["C"].people is None  # complementary: B's 3 users would be 20 − 10 − 7
    assert cells["A"].people == 10 and cells["A"].share == 1.0


def test_it_finds_segments_and_describes_them():
    n = 40
    families = ["F1"] * 20 + ["F2"] * 20
    groups = [1] * 20 + [0] * 20
    comments = [f"comment {i}" for i in range(n)]
    result = compute_segments(make_data(n, groups=groups, families=families,
                                        comments=comments), k=2)
    assert not result.hidden and result.k == 2 and result.used == 40 and result.dropped == 0
    assert sorted(s.size for s in result.segments) == [20, 20]
    first = result.segments[0]
    family = next(p for p in first.profiles if p.dimension == "job_family")
    shown = {c.code: c for c in family.cells}
    assert {c.n for c in shown.values()} == {20, 0}
    top = max(shown.values(), key=lambda c: c.n or 0)
    assert top.index == 200.0 and top.share == 1.0
    assert job_families_of(result, first.number, 40, 5) == [top.code]
    assert len(first.verbatims) == 5 and all(v.startswith("comment") for v in first.verbatims)


def test_it_refuses_segments_smaller_than_k():
    groups = [1] * 36 + [0] * 4
    result = compute_segments(make_data(40, groups=groups), k=2)
    assert result.hidden and "segment" in result.reason and result.segments == []


def test_it_hides_profile_cells_along_rows_and_columns():
    counts = pd.DataFrame({"X": [3, 20, 30], "Y": [20, 3, 30], "Z": [30, 30, 30]},
                          index=[1, 2, 3])
    hidden = profile_hidden(counts, {1: 0, 2: 0, 3: 0}, {"X": 0, "Y": 0, "Z": 0}, 5, set())
    # Primary: (1, X) and (2, Y). Row 1 holds 3 hidden: its smallest other cell (1, Y) goes;
    # row 2 likewise (2, X). Columns X and Y then hold 23 hidden each: enough.
    assert hidden == {(1, "X"), (2, "Y"), (1, "Y"), (2, "X")}
    counts = pd.DataFrame({"X": [3, 30], "Y": [30, 30]}, index=[1, 2])
    hidden = profile_hidden(counts, {1: 6, 2: 0}, {"X": 0, "Y": 0}, 5, set())
    # Row 1's residual (6 people of no known category) covers it; column X does not: (2, X)
    # is hidden along the column (row 2 then hides 30: enough).
    assert hidden == {(1, "X"), (2, "X")}
