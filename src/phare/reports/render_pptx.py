"""The quarterly report as slides (python-pptx): one message per slide.

A title slide with the period, then one slide per figure: its title is the section's
message (an editable title placeholder), the chart as a picture drawn at print resolution
(:func:`phare.lib.charts.to_png`, scale 2) and, when the table is small, a native table the
reader can edit; the speaker notes hold the figure's title, its n and its note.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from phare.lib.charts import to_png
from phare.reports.content import Figure, ReportContent, cell_text

#: A table with more rows or columns than this is left to the workbook (the notes say so).
MAX_ROWS, MAX_COLUMNS = 12, 9
#: A table this narrow sits beside its chart; a wider one of at most BELOW_ROWS rows below it.
NARROW, BELOW_ROWS = 5, 7
MARGIN, ROW_HEIGHT = Inches(0.5), Inches(0.32)
TITLE_ONLY, TITLE_SLIDE = 5, 0
CHART_WIDTH = 800


def _notes(figure: Figure) -> str:
    n = f"n = {figure.n}" if figure.n is not None else _("n: see each row of the table")
    parts = [figure.title, n]
    if figure.note:
        parts.append(figure.note)
    if len(figure.table) > MAX_ROWS or len(figure.table.columns) > MAX_COLUMNS:
        parts.append(_("The whole table is in the workbook."))
    parts.append(_("Source: Phare, released figures only (groups with too few answers are "
                   "not shown)."))
    return "\n".join(parts)


def _fit(shape: Any, deck: Any) -> None:
    """Stretch a placeholder of the (4:3) default layout across the 16:9 slide."""
    shape.left, shape.width = MARGIN, deck.slide_width - 2 * MARGIN


def _picture(slide: Any, figure: Figure, left: int, top: int, width: int, height: int) -> Any:
    assert figure.chart is not None
    image = io.BytesIO(to_png(figure.chart, width=CHART_WIDTH, scale=2))
    picture = slide.shapes.add_picture(image, left, top, width=width)
    if picture.height > height:  # keep the chart's proportions within its room
        ratio = height / picture.height
        picture.height, picture.width = height, int(picture.width * ratio)
    return picture


def _table(slide: Any, figure: Figure, left: int, top: int, width: int, height: int) -> None:
    table = figure.table
    rows, columns = len(table) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, columns, left, top, width,
                                   Emu(min(height, ROW_HEIGHT * rows)))
    grid = shape.table
    for j, column in enumerate(table.columns):
        grid.cell(0, j).text = str(column)
    for i, row in enumerate(table.astype(object).itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            grid.cell(i, j).text = cell_text(value)
    size = Pt(12 if columns <= 4 else 10 if columns <= 6 else 9)
    for cell in (grid.cell(i, j) for i in range(rows) for j in range(columns)):
        for paragraph in cell.text_frame.paragraphs:
            paragraph.font.size = size


def _slide(deck: Any, message: str, figure: Figure) -> None:
    """One slide: the message as its title; chart and table side by side when the table is
    narrow, the chart above the table when it is wide, the table alone without a chart."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = message
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(26)
    _fit(slide.shapes.title, deck)
    left, top = MARGIN, Inches(1.6)
    width, height = deck.slide_width - 2 * MARGIN, deck.slide_height - top - Inches(0.4)
    table = figure.table
    rows, columns = len(table), len(table.columns)
    fits = not table.empty and rows <= MAX_ROWS and columns <= MAX_COLUMNS
    gap = Inches(0.25)
    if figure.chart is None:
        if fits:
            _table(slide, figure, left, top, width, height)
    elif fits and columns <= NARROW:
        half = (width - gap) // 2
        _picture(slide, figure, left, top, half, height)
        _table(slide, figure, left + half + gap, top, half, height)
    elif fits and rows + 1 <= BELOW_ROWS:
        picture = _picture(slide, figure, left, top, width, height - ROW_HEIGHT * (rows + 1)
                           - gap)
        _table(slide, figure, left, top + picture.height + gap, width,
               ROW_HEIGHT * (rows + 1))
    else:
        _picture(slide, figure, left, top, width, height)
    slide.notes_slide.notes_text_frame.text = _notes(figure)


def render_pptx(content: ReportContent) -> bytes:
    """The report as a PowerPoint deck (16:9)."""
    with translation.override(content.language):
        deck: Any = Presentation()
        deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
        cover = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
        cover.shapes.title.text = content.title
        _fit(cover.shapes.title, deck)
        _fit(cover.placeholders[1], deck)
        subtitle = content.period_label
        if content.unit_name:
            subtitle += " · " + content.unit_name
        cover.placeholders[1].text = subtitle
        cover.notes_slide.notes_text_frame.text = _("Generated on %(day)s") % {
            "day": content.generated_at.date().isoformat()}
        for section in content.sections:
            for figure in section.figures:
                _slide(deck, section.message, figure)
        out = io.BytesIO()
        deck.save(out)
        return out.getvalue()
