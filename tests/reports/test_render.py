"""The three renderers, read back: PDF (pypdf), slides (python-pptx), workbook (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import weasyprint
from django.utils import timezone
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from phare.lib.charts import chart, encode, values
from phare.reports import content as C
from phare.reports.render_pdf import render_html, render_pdf
from phare.reports.render_pptx import render_pptx
from phare.reports.render_xlsx import render_xlsx, sheet_name


def _content(language: str = "en") -> C.ReportContent:
    trend = pd.DataFrame({"Wave": ["Vague 1", "Vague 2"], "NPS": [25.0, 40.0],
                          "Answers (n)": [12, 10]})
    frame = pd.DataFrame({"wave": ["Vague 1", "Vague 2"], "nps": [25.0, 40.0]})
    spec = {"data": values(frame), "mark": {"type": "line", "point": True},
            "encoding": {"x": encode("wave:N", title=None), "y": encode("nps:Q", title="NPS")}}
    nps = chart(spec, id="nps", title="NPS by wave", table=frame, n=22, columns={"nps": "NPS"})
    hidden = pd.DataFrame({"Group": ["Company", "Ventes"], "Ratings (n)": [48, "too few answers"],
                           "Happiness": [33.3, None]})
    sections = [
        C.Section(title="Barometer", message="NPS 40 in Vague 2 (n = 10)", figures=[
            C.Figure(title="Baromètre IT: NPS by wave", table=trend, n=10,
                     note="NPS in points with its interval.", chart=nps)]),
        C.Section(title="Ticket experience", message="Ticket happiness 33.3 (n = 48)",
                  figures=[C.Figure(title="Ticket happiness and lost time", table=hidden,
                                    n=48)]),
    ]
    return C.ReportContent(title="Quarterly report", period_label="2025-07-01 to 2025-09-30",
                           starts_on=dt.date(2025, 7, 1), ends_on=dt.date(2025, 9, 30),
                           unit_name="Ventes", language=language, sections=sections,
                           generated_at=timezone.now())


def test_the_pdf_holds_the_sections_their_n_and_page_numbers():
    pdf = PdfReader(io.BytesIO(render_pdf(_content())))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in ("Quarterly report", "2025-07-01 to 2025-09-30", "Barometer",
                     "Ticket experience", "NPS 40 in Vague 2 (n = 10)", "n = 10", "n = 48",
                     "too few answers", "Ventes"):
        assert expected in text, expected
    assert len(pdf.pages) == 3  # a cover, then one page per section
    assert f"Page 1 / {len(pdf.pages)}" in pdf.pages[0].extract_text()


def test_the_pdf_draws_charts_inline_and_tables_in_the_readers_numbers():
    html = render_html(_content(language="fr"))
    assert html.count("<svg") == 1 and "<?xml" not in html
    assert "33,3" in html  # French decimals
    assert "data:" not in html  # nothing the PDF fetcher would refuse


def test_the_slides_say_one_message_each_with_n_in_the_notes():
    deck = Presentation(io.BytesIO(render_pptx(_content())))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Quarterly report"
    assert [s.shapes.title.text for s in slides[1:]] == [
        "NPS 40 in Vague 2 (n = 10)", "Ticket happiness 33.3 (n = 48)"]
    notes = [s.notes_slide.notes_text_frame.text for s in slides[1:]]
    assert "n = 10" in notes[0] and "n = 48" in notes[1]
    assert any(shape.shape_type == 13 for shape in slides[1].shapes)  # the chart's picture
    table = next(shape.table for shape in slides[2].shapes if shape.has_table)
    assert [table.cell(0, j).text for j in range(3)] == ["Group", "Ratings (n)", "Happiness"]
    assert [table.cell(2, j).text for j in range(3)] == ["Ventes", "too few answers", "—"]


def test_the_workbook_has_a_cover_and_one_sheet_per_figure_equal_to_the_tables():
    report = _content()
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames == ["Report", "Baromètre IT NPS by wave",
                               "Ticket happiness and lost time"]
    cover = book["Report"]
    assert cover["B4"].value.date() == dt.date(2025, 7, 1)
    assert cover["B5"].value.date() == dt.date(2025, 9, 30)
    for section, name in zip(report.sections, book.sheetnames[1:], strict=True):
        figure, sheet = section.figures[0], book[name]
        header = [c.value for c in sheet[3]][:len(figure.table.columns)]
        assert header == list(figure.table.columns)
        assert sheet["A3"].font.bold
        rows = [[c.value for c in row][:len(header)] for row in sheet.iter_rows(
            min_row=4, max_row=3 + len(figure.table))]
        expected = [[None if pd.isna(v) else v for v in row]
                    for row in figure.table.astype(object).itertuples(index=False, name=None)]
        assert rows == expected
    # The simple NPS line becomes a native chart; the ticket table has none.
    charts = book["Baromètre IT NPS by wave"]._charts
    assert len(charts) == 1 and charts[0].tagname == "lineChart"
    assert book["Ticket happiness and lost time"]._charts == []


def test_sheet_names_are_short_valid_and_unique():
    taken: set[str] = set()
    long = "Satisfaction: the services that cost the most / by unit [all]"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)
    assert second.endswith("(2)")


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


def test_a_built_report_renders_three_ways(personas):
    from tests.insights.factories import add_wave, answer
    from tests.listening.factories import make_barometer

    survey = make_barometer(created_by=personas["marketing"])
    wave = add_wave(survey, 1, dt.date(2025, 7, 7))
    for i in range(10):
        answer(survey, wave, nps=[10, 9, 9, 8, 2][i % 5], day=dt.date(2025, 7, 9))
    report = C.build(starts_on=dt.date(2025, 7, 1), ends_on=dt.date(2025, 9, 30),
                     language="en")
    message = report.sections[0].message
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report))).pages)
    assert "Barometer" in text and "n = 10" in text
    deck = Presentation(io.BytesIO(render_pptx(report)))
    assert list(deck.slides)[1].shapes.title.text == message
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(book.sheetnames) == 1 + len(report.sections[0].figures)


def test_a_table_of_many_columns_keeps_to_the_pages_width():
    """WeasyPrint cuts what overflows the page: a value table of nine columns with long French
    headers (the value cards') must fit inside the page's content box."""
    columns = ["Service", "Coût annuel de fonctionnement (€)", "Personnes servies",
               "Coût par personne (€)", "NPS du service", "NPS du service (n)",
               "Satisfaction des tickets", "Notes de tickets (n)", "Temps perdu par ticket (h)"]
    row = ["Centre de services informatiques", 1_450_000, 4925, 294, None,
           "trop peu de réponses", -19.3, 953, 5.96]
    table = pd.DataFrame([row] * 3, columns=columns)
    content = _content("fr")
    content.sections.append(C.Section(title="Valeur des services", message="…", figures=[
        C.Figure(title="Les services qui coûtent le plus", table=table, n=None)]))
    document = weasyprint.HTML(string=render_html(content)).render()
    overflowing = []
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        overflowing += [table.margin_width() for table in box.descendants()
                        if isinstance(table, boxes.TableBox)
                        and table.position_x + table.margin_width() > right + 0.5]
    assert document.pages and not overflowing
