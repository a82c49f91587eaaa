"""The report's value cards ranked by change (hidden ones last, marked) and the positioning
study's gaps with their benchmarks, each with its interval and n."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import translation
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from phare.positioning.services.benchmarks import benchmark_save
from phare.reports import content as C
from phare.reports.render_pdf import render_pdf
from phare.reports.render_pptx import render_pptx
from phare.reports.render_xlsx import render_xlsx
from tests.catalog.factories import make_families, make_service
from tests.positioning.factories import make_answered_study
from tests.reports.factories import make_rated_services

Q1_2026 = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 3, 31)}


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


def _section(report, title):
    return next((s for s in report.sections if s.title == title), None)


@pytest.fixture
def rated_services(personas):
    return make_rated_services()


def test_value_cards_are_ranked_by_their_change_hidden_ones_last(rated_services):
    section = _section(C.build(**Q1_2026, language="en"), "Value cards by change")
    [figure] = section.figures
    table = figure.table
    assert list(table["Service"]) == ["VPN", "VISIO", "MAIL", "WIKI"]
    vpn, visio, mail, wiki = (table.iloc[i] for i in range(4))
    # VPN: +80 in February (8 promoters, 2 passives of 10), −60 in March (2, 0, 8): −140.
    assert vpn["Figure"] == "Ticket happiness" and vpn["Period"] == "2026-03"
    assert vpn["Change (points)"] == pytest.approx(-140.0)
    assert vpn["Latest figure"] == pytest.approx(-60.0)
    assert vpn["low"] < -140 < vpn["high"] and vpn["n"] == 10 and vpn["Significant"]
    assert visio["Figure"] == "Ticket happiness" and visio["n"] == 15
    assert abs(visio["Change (points)"]) < 140 and not visio["Significant"]
    # The hidden Marches: marked, with no figure and no count.
    for hidden in (mail, wiki):
        assert hidden["Figure"] == "too few answers" and hidden["n"] == "too few answers"
        assert pd.isna(hidden["Change (points)"])
    assert section.message.startswith("VPN changed the most: Ticket happiness −140.0 points "
                                      "in 2026-03 (95 % interval: ")
    assert figure.chart is not None and figure.chart.spec["layer"][0]["mark"]["type"] == "bar"


def test_no_value_card_with_data_gives_no_ranking(personas):
    make_families()
    make_service("vpn", name_fr="VPN", name_en="VPN", family="remote")
    assert _section(C.build(**Q1_2026, language="en"), "Value cards by change") is None


def test_the_positioning_gaps_come_with_their_benchmarks_source_and_date(personas):
    study = make_answered_study(120)
    attribute = study.attributes.order_by("pk").first()
    benchmark_save(user=personas["marketing"], study=study, attribute=attribute.code,
                   label_fr="Satisfaction moyenne", label_en="Average satisfaction",
                   value=Decimal("4.1"), unit="/5", source="HappySignals", source_url="",
                   as_of=dt.date(2025, 3, 1))
    benchmark_save(user=personas["marketing"], study=study, attribute="",
                   label_fr="Part du shadow IT", label_en="Shadow IT share", value=Decimal("30"),
                   unit="%", source="Gartner", source_url="", as_of=dt.date(2024, 6, 1))
    section = _section(C.build(**Q1_2026, language="en"), "Positioning")
    assert section is not None
    gaps, others = section.figures
    assert gaps.n == 120
    table = gaps.table
    assert len(table) == study.attributes.count()
    with translation.override("en"):
        label, title = attribute.label, study.title
    row = table[table["Attribute"] == label].iloc[0]
    assert row["Benchmarks"] == "Average satisfaction: 4.1 /5 (HappySignals, 2025-03-01)"
    assert row["low"] <= row["Gap"] <= row["high"]
    assert list(others.table["Source"]) == ["Gartner"]
    assert list(others.table["Published on"]) == ["2024-06-01"]
    assert section.message.startswith(f"{title} (n = 120): ahead on ")


def test_a_study_without_results_gives_no_positioning_section(personas):
    make_answered_study(3)  # too few answers: its gaps are hidden
    assert _section(C.build(**Q1_2026, language="en"), "Positioning") is None


def test_the_ranking_renders_in_the_pdf_the_slides_and_the_workbook(rated_services):
    report = C.build(**Q1_2026, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render_pdf(report))).pages)
    assert "Value cards ranked by change" in text and "VPN changed the most" in text
    assert "too few answers" in text
    deck = Presentation(io.BytesIO(render_pptx(report)))
    [slide] = [s for s in deck.slides if s.shapes.title.text.startswith("VPN changed the most")]
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    assert [table.cell(i, 0).text for i in range(1, 5)] == ["VPN", "VISIO", "MAIL", "WIKI"]
    assert table.cell(3, 1).text == "too few answers"
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = book["Value cards ranked by change"]
    header = [c.value for c in sheet[3]]
    row = {name: cell.value for name, cell in zip(header, sheet[4], strict=False)}
    assert row["Service"] == "VPN" and row["Significant"] == "yes"
    assert row["Change (points)"] == pytest.approx(-140.0)
    assert [c.tagname for c in sheet._charts] == ["barChart"]
