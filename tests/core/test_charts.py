from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory

from phare.lib import assets, charts


@pytest.fixture
def frame():
    return pd.DataFrame({"wave": ["V1", "V2", "V3"], "nps": [12.5, 18.0, float("nan")],
                         "n": [120, 140, 90]})


def make(frame, **extra):
    figure = alt.Chart(frame).mark_line(point=True).encode(x="wave:N", y="nps:Q")
    return charts.chart(figure, id="trend", title="NPS par vague", table=frame, n=350,
                        columns={"wave": "Vague", "nps": "NPS"}, **extra)


def test_it_builds_a_vega_lite_spec_with_the_house_style(frame):
    item = make(frame)
    assert item.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert item.spec["mark"]["type"] == "line"
    assert item.spec["config"]["font"] == charts.CONFIG["font"]
    assert item.spec["width"] == "container"
    assert item.table_columns == ["Vague", "NPS", "n"]
    assert item.table_rows[2] == ["V3", "—", 90]
    assert item.table_rows[0] == ["V1", "12.5", 120]


def test_it_refuses_ids_that_cannot_name_an_element(frame):
    with pytest.raises(ValueError, match="Bad id"):
        charts.chart({"mark": "bar"}, id="Bad id", title="x", table=frame)


def test_the_bundle_is_generated_once_and_defines_vega_embed(frame):
    make(frame)
    path = assets.vega_bundle_path()
    assert "window.vegaEmbed=" in path.read_text()
    stamp = path.with_suffix(".version")
    mtime = path.stat().st_mtime_ns
    assets.ensure_vega_bundle()
    assert path.stat().st_mtime_ns == mtime
    stamp.write_text("0.0.0")  # another vl-convert version: regenerated
    assets.ensure_vega_bundle()
    assert stamp.read_text() != "0.0.0"


def test_the_template_gives_n_a_table_and_a_csv_link(frame):
    item = make(frame)
    request = RequestFactory().get("/page/", {"wave": "3"})
    html = render_to_string("includes/chart.html", {"chart": item, "request": request})
    assert "n = 350" in html
    assert '<th scope="col">Vague</th>' in html
    assert 'id="chart-trend-spec"' in html and 'data-vega-spec="chart-trend-spec"' in html
    assert "?wave=3&amp;csv=trend" in html


def test_csv_download_answers_the_chart_asked_for(frame):
    item = make(frame)
    factory = RequestFactory()
    assert charts.csv_download(factory.get("/"), [item]) is None
    response = charts.csv_download(factory.get("/", {"csv": "trend"}), [item])
    body = response.content.decode("utf-8-sig").splitlines()
    assert body[0] == "Vague,NPS,n"
    assert body[1] == "V1,12.5,120"
    assert 'filename="nps-par-vague.csv"' in response["Content-Disposition"]
    with pytest.raises(Http404):
        charts.csv_download(factory.get("/", {"csv": "other"}), [item])


def test_reports_get_svg_and_png(frame):
    item = make(frame)
    svg = charts.to_svg(item)
    assert svg.lstrip().startswith("<svg") and "V2" in svg
    assert charts.to_png(item)[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_download_neutralises_formulas_but_keeps_numbers():
    frame = pd.DataFrame({"wave": ['=HYPERLINK("http://x")', "@SUM(1)"], "nps": [-3, 12.5]})
    item = make(frame)
    response = charts.csv_download(RequestFactory().get("/", {"csv": "trend"}), [item])
    body = response.content.decode("utf-8-sig").splitlines()
    assert body[1] == '"\'=HYPERLINK(""http://x"")",-3.0'  # a number: no guard
    assert body[2] == "'@SUM(1),12.5"


def test_a_plain_dict_spec_carries_its_data_as_json_and_is_checked_in_tests(frame):
    figure = {"data": charts.values(frame), "mark": "line",
              "encoding": {"x": charts.encode("wave:N", sort_field="n", title="Vague"),
                           "y": charts.encode("nps:Q", title=None)}}
    item = charts.chart(figure, id="trend", title="NPS", table=frame)
    assert item.spec["data"]["values"][2] == {"wave": "V3", "nps": None, "n": 90}
    assert type(item.spec["data"]["values"][0]["n"]) is int
    assert item.spec["encoding"]["x"] == {"field": "wave", "type": "nominal",
                                          "sort": {"field": "n"}, "title": "Vague"}
    assert '"nps": null' in item.spec_json
    # The suite checks every spec against the schema (pages do not): a typo fails here.
    assert charts.VALIDATE
    bad = {**figure, "encoding": {"x": {"field": "wave", "type": "nominl"}}}
    with pytest.raises(Exception, match="nominl"):
        charts.chart(bad, id="trend", title="NPS", table=frame)
