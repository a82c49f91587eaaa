"""The perceptual map and the gaps in both languages: shapes and colours keyed by codes (the
same in French and in English), axis titles written with the language's decimal mark."""

from __future__ import annotations

from types import SimpleNamespace as NS

from django.utils import translation

from phare.positioning import figures


def point(code: str, x: float, y: float, group_name: str = "") -> NS:
    return NS(code=code, label=f"Point {code}", x=x, y=y, quality=0.9, group_name=group_name)


def result() -> NS:
    return NS(hidden=False, n=120, percent=[61.25, 22.5], ideal=None,
              rows=[point("dsi", 0.4, 0.1), point("saas", -0.3, 0.2)],
              columns=[point("prix", 0.2, -0.3)], supplementary=[point("VEN", 0.1, 0.05, "VEN")])


def scale_map(encoding: dict) -> dict[str, str]:
    return dict(zip(encoding["scale"]["domain"], encoding["scale"]["range"], strict=True))


def test_the_maps_kinds_keep_their_shapes_and_colours_in_both_languages():
    maps = {}
    for language in ("fr", "en"):
        with translation.override(language):
            maps[language] = figures.map_chart(result())
    encodings = []
    for item in maps.values():
        assert item is not None
        points = item.spec["layer"][2]["encoding"]
        encodings.append((scale_map(points["shape"]), scale_map(points["color"])))
        assert points["shape"]["field"] == points["color"]["field"] == "kind_code"
        assert "kind_code" not in item.table.columns
    assert encodings[0] == encodings[1]
    assert encodings[0][0] == {"alternative": "circle", "attribute": "triangle-up",
                               "supplementary": "diamond"}


def test_the_axis_titles_write_the_share_of_inertia_in_the_readers_language():
    with translation.override("fr"):
        french = figures.axis_title(result(), 1)
    with translation.override("en"):
        english = figures.axis_title(result(), 1)
    assert "61,2" in french or "61,3" in french
    assert "61.2" in english or "61.3" in english
