"""The results API: the map (recomputed here from its table with a plain SVD), gaps, shadow
IT and segments; roles, unknown studies and hidden results."""

from __future__ import annotations

import numpy as np
import pytest

from tests.positioning.factories import make_answered_study

pytestmark = pytest.mark.django_db



def _plain_ca(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Correspondence analysis written out: principal coordinates and inertias."""
    p = values / values.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sigma, vt = np.linalg.svd(s, full_matrices=False)
    rows = (u * sigma) / np.sqrt(r)[:, None]
    columns = (vt.T * sigma) / np.sqrt(c)[:, None]
    return rows[:, :2], columns[:, :2], sigma**2


def test_it_returns_a_map_an_analyst_can_recompute(api):
    study = make_answered_study(80)
    response = api("executive", "GET", f"/positioning/studies/{study.slug}/map")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["method"] == "ca" and body["n"] == 80 and body["hidden"] is False
    values = np.array(body["table"]["values"])
    assert values.shape == (len(body["table"]["rows"]), len(body["table"]["columns"]))
    rows, columns, inertias = _plain_ca(values)
    got_rows = np.array([[p["x"], p["y"]] for p in body["rows"]])
    got_columns = np.array([[p["x"], p["y"]] for p in body["columns"]])
    signs = np.sign(np.sum(rows * got_rows, axis=0))
    np.testing.assert_allclose(got_rows, rows * signs, atol=1e-9)
    np.testing.assert_allclose(got_columns, columns * signs, atol=1e-9)
    np.testing.assert_allclose(body["inertias"], inertias[:len(body["inertias"])], atol=1e-12)
    assert abs(body["total_inertia"] - inertias.sum()) < 1e-12
    assert [p["label"] for p in body["rows"]] == body["table"]["rows"]
    assert all({"label", "name", "x", "y", "quality"} <= set(p) for p in body["columns"])
    assert body["supplementary"] == []
    placed = api("admin", "GET",
                 f"/positioning/studies/{study.slug}/map?supplementary=top_unit").json()
    assert placed["supplementary"] and all("group" in p for p in placed["supplementary"])
    assert [p["x"] for p in placed["rows"]] == [p["x"] for p in body["rows"]]


def test_it_refuses_roles_unknown_studies_and_bad_groups(api):
    study = make_answered_study(20)
    for path in ("map", "gaps", "shadow-it", "segments"):
        here = f"/positioning/studies/{study.slug}/{path}"
        assert api("employee", "GET", here).status_code == 403
        assert api("marketing", "GET", f"/positioning/studies/nope/{path}").status_code == 404
        assert api("marketing", "GET", here).status_code == 200
    bad = api("marketing", "GET", f"/positioning/studies/{study.slug}/map?supplementary=people")
    assert bad.status_code in (400, 422)


def test_it_answers_hidden_results_without_numbers(api):
    study = make_answered_study(3)
    for path in ("map", "gaps", "shadow-it", "segments"):
        body = api("marketing", "GET", f"/positioning/studies/{study.slug}/{path}").json()
        assert body["hidden"] is True and body["reason"]
        assert set(body) <= {"hidden", "reason", "n", "method"}


def test_it_returns_gaps_shadow_it_and_segments(api):
    study = make_answered_study(120)
    gaps = api("marketing", "GET", f"/positioning/studies/{study.slug}/gaps").json()
    verdicts = {row["attribute"]: row.get("verdict") for row in gaps["attributes"]}
    assert verdicts["security"] == "wins" and verdicts["speed"] == "loses"
    shadow = api("marketing", "GET", f"/positioning/studies/{study.slug}/shadow-it").json()
    assert {"Dropbox", "Trello"} <= {t["name"] for t in shadow["tools"]}
    assert all(t["people"] >= 5 for t in shadow["tools"])
    segments = api("marketing", "GET", f"/positioning/studies/{study.slug}/segments").json()
    assert segments["hidden"] is False, segments
    assert sum(s["size"] for s in segments["segments"]) == segments["used"]
    assert all(s["x"] is not None for s in segments["segments"])
