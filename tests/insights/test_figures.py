"""The insights charts in both languages: colours keyed by codes (a quadrant is the same colour
in French and in English), significance by shape as well as colour, marks of enough contrast,
wrapped labels, few ticks, tooltips named in the reader's language, numbers written in it."""

from __future__ import annotations

from types import SimpleNamespace as NS

from django.utils import translation

from phare.insights import figures
from phare.lib import charts


def estimate(value: float, n: int = 40) -> NS:
    return NS(value=value, low=value - 12.5, high=value + 12.5, n=n)


def barometer() -> NS:
    waves = [NS(name="Vague 1", wave=1, nps=estimate(-24.6278755074), nps_change=None),
             NS(name="Vague 2", wave=2, nps=estimate(8.0), nps_change=NS(significant=True)),
             NS(name="Vague 3", wave=3, nps=estimate(10.0), nps_change=NS(significant=False))]
    segments = [{"segment": code, "nps": estimate(value), "n": 30, "suppressed": False}
                for code, value in (("DSI", 12.0), ("VEN", -4.0))]
    segments.append({"segment": "DG", "nps": None, "n": None, "suppressed": True})
    attributes = [{"label": label, "importance": imp, "performance": perf, "quadrant": quadrant}
                  for label, imp, perf, quadrant in (
                      ("Réactivité", 4.5, 2.9, "concentrate_here"),
                      ("Compétence", 4.4, 4.2, "keep_up_the_good_work"),
                      ("Communication", 3.1, 3.0, "low_priority"),
                      ("Horaires", 3.0, 4.4, "possible_overkill"))]
    shares = [{"label": f"Attribut numéro {i} avec un nom assez long", "percent": 100 / 28}
              for i in range(28)]
    return NS(waves=waves, breakdowns={"unit": segments}, attributes=attributes,
              attributes_n=80, drivers={"shares": shares, "n": 80, "r2": 0.7234},
              survey=NS(min_group_size=5))


def layers(item: charts.Chart) -> list[dict]:
    return item.spec["layer"]


def colour_map(encoding: dict) -> dict[str, str]:
    return dict(zip(encoding["scale"]["domain"], encoding["scale"]["range"], strict=True))


def build(language: str) -> figures.BarometerCharts:
    with translation.override(language):
        return figures.barometer_charts(barometer(), {"unit": {}, "site": {}, "job_family": {}})


def test_it_colours_each_quadrant_the_same_in_french_and_in_english():
    french, english = build("fr").importance, build("en").importance
    assert french is not None and english is not None
    colours = [colour_map(layers(item)[0]["encoding"]["color"]) for item in (french, english)]
    assert colours[0] == colours[1] == figures.QUADRANT_COLORS
    assert layers(french)[0]["encoding"]["color"]["field"] == "quadrant"
    # The legend says each code in the reader's language, under the plot (never over a point).
    legend = layers(english)[0]["encoding"]["color"]["legend"]
    assert '"Concentrate here"' in legend["labelExpr"]
    assert legend["orient"] == "bottom"


def test_significance_is_told_by_shape_and_fill_as_well_as_colour():
    for language in ("fr", "en"):
        trend = build(language).trend
        assert trend is not None
        points = layers(trend)[2]["encoding"]
        assert colour_map(points["shape"]) == {"significant": "diamond",
                                               "not_significant": "circle"}
        assert colour_map(points["fill"]) == {"significant": "#b91c1c",
                                              "not_significant": "#ffffff"}
        assert colour_map(points["stroke"])["significant"] == "#b91c1c"
        rows = trend.spec["data"]["values"]
        assert [row["change"] for row in rows] == ["not_significant", "significant",
                                                    "not_significant"]


def test_its_marks_and_whiskers_stand_out_from_white_by_three_to_one():
    def contrast(colour: str) -> float:
        def channel(c: int) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
        return 1.05 / (lum + 0.05)

    built = build("fr")
    trend, segment = built.trend, built.segments[0]
    assert trend is not None
    marks = [layers(trend)[0]["mark"]["color"], layers(segment)[0]["mark"]["color"],
             layers(segment)[1]["mark"]["color"], *figures.QUADRANT_COLORS.values(),
             *figures.PERCEPTION_COLORS.values(), "#b91c1c", "#1d4ed8"]
    assert all(contrast(colour) >= 3 for colour in marks), marks
    assert charts.CONFIG["point"]["opacity"] == 1


def test_the_tooltips_name_their_fields_in_the_readers_language_and_round_the_values():
    with translation.override("en"):
        trend = build("en").trend
    assert trend is not None
    tooltip = layers(trend)[2]["encoding"]["tooltip"]
    assert all(field.get("title") for field in tooltip)
    assert {field["title"] for field in tooltip} >= {"Wave", "NPS", "low", "high", "Answers"}
    assert all(field.get("format") for field in tooltip if field["type"] == "quantitative"
               and field["field"] != "n")


def test_each_chart_is_described_by_its_title_in_the_page_language():
    for language, word in (("fr", "vague"), ("en", "wave")):
        built = build(language)
        for item in built.all():
            assert item.spec["description"].startswith(item.title)
        assert built.trend is not None and word in built.trend.spec["description"].lower()


def test_the_key_drivers_axis_has_a_few_ticks_and_its_labels_wrap():
    drivers = build("fr").drivers
    assert drivers is not None
    x, y = drivers.spec["encoding"]["x"], drivers.spec["encoding"]["y"]
    assert x["axis"]["tickCount"] <= 6
    assert y["axis"] == charts.WRAPPED_AXIS
    assert all("\n" in row["axis_label"] for row in drivers.spec["data"]["values"])
    assert drivers.spec["height"] >= 28 * (11 + 2 * 15)
    # The table keeps the names whole.
    assert list(drivers.table.columns) == ["label", "percent"]


def test_text_beside_a_chart_writes_numbers_in_the_readers_language():
    french, english = build("fr").drivers, build("en").drivers
    assert french is not None and english is not None
    assert "R² = 0,72" in french.description
    assert "R² = 0.72" in english.description


def test_a_breakdown_is_drawn_with_its_wrapped_labels_and_its_hidden_groups_counted():
    built = build("en")
    (segment,) = built.segments
    assert segment.spec["layer"][0]["encoding"]["y"]["axis"] == charts.WRAPPED_AXIS
    assert [row["segment"] for row in segment.spec["data"]["values"]] == ["DSI", "VEN"]
    assert "1 group(s)" in segment.description


def tooltips(spec: dict) -> list[dict]:
    found = list(spec.get("encoding", {}).get("tooltip", []))
    for layer in spec.get("layer", []):
        found += tooltips(layer)
    return found


def test_every_tooltip_names_its_fields_and_every_chart_has_one():
    groups = [{"key": "Réseau", "happiness": estimate(20.0), "n": 30, "suppressed": False,
               "lost_hours_mean": 1.5}]
    with translation.override("en"):
        drawn = [*build("en").all(),
                 figures.happiness_bars(groups, id="by-group", title="Assignment group"),
                 figures.monthly_chart([{**groups[0], "key": "2026-01"}])]
    for item in drawn:
        assert item is not None
        found = tooltips(item.spec)
        assert found, item.id
        assert all(tip.get("title") for tip in found), (item.id, found)


def test_perception_colours_each_quadrant_by_its_code_and_names_only_those_drawn():
    placed = [NS(service=NS(name=name), adoption=NS(value=a, low=a - .1, high=a + .1, n=50),
                 satisfaction=NS(value=s, low=s - 10, high=s + 10, n=40), measure="NPS",
                 placement=NS(name=code), label=label)
              for name, a, s, code, label in (("VPN", .8, -20.0, "fix", "À corriger"),
                                              ("Wiki", .2, 40.0, "promote", "À promouvoir"))]
    item = figures.perception_map(placed)
    assert item is not None
    colour = item.spec["layer"][4]["encoding"]["color"]
    assert colour_map(colour) == {"promote": figures.PERCEPTION_COLORS["promote"],
                                  "fix": figures.PERCEPTION_COLORS["fix"]}
    assert '"À corriger"' in colour["legend"]["labelExpr"]
    assert "quadrant_code" not in item.table.columns
