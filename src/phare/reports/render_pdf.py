"""The quarterly report as a PDF: a printed page of Phare's own template, laid out by
WeasyPrint through :mod:`phare.lib.pdf`.

Charts are drawn as inline SVG (vector, sharp at any print size): :mod:`phare.lib.pdf` loads
nothing but Phare's static files, so an image cannot come from a ``data:`` URL. Tables rather
than flex or grid, so that pages break between rows, with the header repeated.
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from phare.lib.charts import to_svg
from phare.lib.pdf import html_to_pdf
from phare.reports.content import ReportContent, cell_text, is_number

#: Charts are drawn this wide (CSS pixels) and scaled to the page's width.
CHART_WIDTH = 640
#: The report's font (the template's too): Debian's fonts-dejavu-core.
PRINT_FONT = "DejaVu Sans"
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def _svg(figure: Any) -> str:
    if figure.chart is None:
        return ""
    # The page's font, so that the text vl-convert measured is the text WeasyPrint draws
    # (another font would run past the drawing's edge and be cut).
    spec = figure.chart.spec
    svg = to_svg({**spec, "config": {**spec.get("config", {}), "font": PRINT_FONT}},
                 width=CHART_WIDTH)
    # Anything before the root element (an XML declaration) has no place inside HTML.
    svg = svg[max(svg.find("<svg"), 0):]
    # The drawing's own size goes: the page's width scales it (by its viewBox), legends
    # included, instead of cutting what passes the margin.
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    return mark_safe(f"{head}>{rest}")  # noqa: S308 (vl-convert escapes the text it draws)


def render_html(content: ReportContent) -> str:
    """The report's HTML page (what :func:`render_pdf` lays out)."""
    with translation.override(content.language):
        sections = [{
            "title": section.title, "message": section.message,
            "figures": [{
                "title": figure.title, "n": figure.n, "note": figure.note,
                "svg": _svg(figure),
                "columns": [str(c) for c in figure.table.columns],
                "rows": [[{"text": cell_text(v), "numeric": is_number(v)} for v in row]
                         for row in figure.table.astype(object).itertuples(index=False,
                                                                           name=None)],
            } for figure in section.figures],
        } for section in content.sections]
        return render_to_string("reports/report_pdf.html", {
            "content": content, "sections": sections,
            "generated_on": content.generated_at.date().isoformat()})


def render_pdf(content: ReportContent) -> bytes:
    """The report as a PDF document."""
    return html_to_pdf(render_html(content))
