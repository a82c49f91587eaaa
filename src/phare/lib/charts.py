"""Charts: Vega-Lite specifications built with Altair, drawn in pages and exported to images.

Every chart Phare shows carries what a careful reader needs: its title, the number of answers it
rests on (``n``), an accessible table with the same figures, and a CSV download of that table.
A view builds :class:`Chart` objects with :func:`chart`, passes them to the template, which
includes ``includes/chart.html`` for each and ``includes/chart_scripts.html`` once; a request
with ``?csv=<chart id>`` is answered by :func:`csv_download`::

    charts = [chart(alt.Chart(frame).mark_line()..., id="trend", title=_("NPS by wave"),
                    table=frame, n=total)]
    if (download := csv_download(request, charts)) is not None:
        return download
    return render(request, "page.html", {"charts": charts})

Specifications can also be written as plain Vega-Lite dicts with :func:`encode` and
:func:`values` — what the dashboards do: Altair's objects cost a tenth of a second per chart
to build, a dict nothing, and both are checked against the schema in tests (:data:`VALIDATE`).

For reports, :func:`to_svg` and :func:`to_png` render the same specification with vl-convert.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from phare.lib.csvtext import safe_cell

#: The look shared by every chart (fonts and colours follow the stylesheet).
CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e5e7eb"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
    "mark": {"color": "#1d4ed8"},
    "range": {"category": ["#1d4ed8", "#d97706", "#059669", "#dc2626", "#7c3aed",
                           "#0891b2", "#65a30d", "#db2777", "#475569", "#ca8a04"]},
}

_ID = re.compile(r"^[a-z][a-z0-9-]*$")

#: Whether :func:`chart` checks each specification against the Vega-Lite schema. Checking costs
#: more than building the chart (a third of a second for a dashboard's six), and every chart
#: a page builds comes from code, not from data: the test suite turns it on for every chart it
#: builds (``tests/conftest.py``), pages leave it off.
VALIDATE = False


@dataclass
class Chart:
    """A chart ready for a page: its Vega-Lite spec and the table a screen reader gets."""

    id: str
    title: str
    spec: dict[str, Any]
    table: pd.DataFrame
    n: int | None = None
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def spec_element_id(self) -> str:
        return f"chart-{self.id}-spec"

    @property
    def spec_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, default=str)

    @property
    def table_columns(self) -> list[str]:
        return [self.columns.get(name, name) for name in self.table.columns]

    @property
    def table_rows(self) -> list[list[Any]]:
        return [[_cell(value) for value in row]
                for row in self.table.itertuples(index=False, name=None)]


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        if pd.isna(value):
            return "—"
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return value


_TYPES = {"N": "nominal", "O": "ordinal", "Q": "quantitative", "T": "temporal"}


def encode(shorthand: str, **props: Any) -> dict[str, Any]:
    """A Vega-Lite field definition from ``"name:Q"`` (N, O, Q or T) and its properties:
    ``encode("nps:Q", title="NPS")``; ``sort_field="order"`` sorts by another field."""
    name, _sep, kind = shorthand.partition(":")
    out: dict[str, Any] = {"field": name, "type": _TYPES[kind or "N"]}
    if "sort_field" in props:
        out["sort"] = {"field": props.pop("sort_field")}
    for key, value in props.items():
        out[key] = str(value) if key == "title" and value is not None else value
    return out


def values(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as inline Vega-Lite data: JSON-ready rows, a missing number as null."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return {"values": [{str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                       for row in rows]}


def _checked(spec: dict[str, Any]) -> None:
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import core

    validate_jsonschema(spec, core.load_schema())


def chart(figure: Any, *, id: str, title: str, table: pd.DataFrame, n: int | None = None,
          description: str = "", columns: Mapping[str, str] | None = None) -> Chart:
    """A :class:`Chart` from an Altair chart (or a Vega-Lite dict).

    ``table`` is what the accessible alternative and the CSV download show; ``columns`` gives
    its columns' human names. ``id`` is unique within the page (lowercase, digits, hyphens).
    """
    from phare.lib.assets import ensure_vega_bundle

    if not _ID.match(id):
        raise ValueError(f"chart id {id!r}: use lowercase letters, digits and hyphens")
    if isinstance(figure, dict):
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", **figure}
    else:
        spec = figure.to_dict(validate=VALIDATE)
    spec = {**spec, "config": {**CONFIG, **spec.get("config", {})}}
    spec.setdefault("width", "container")
    if VALIDATE:
        _checked(spec)
    ensure_vega_bundle()
    return Chart(id=id, title=str(title), spec=spec, table=table.reset_index(drop=True), n=n,
                 description=str(description), columns=dict(columns or {}))


def csv_bytes(item: Chart) -> bytes:
    # Labels can be people's text (answers, unit names): guarded like every CSV Phare writes;
    # pandas keeps writing the numbers and dates, which safe_cell leaves alone.
    frame = item.table.rename(columns=item.columns)
    frame = frame.rename(columns=safe_cell).map(safe_cell)
    # A BOM so that Excel opens accented text correctly.
    return frame.to_csv(index=False).encode("utf-8-sig")


def csv_download(request: HttpRequest, charts: Iterable[Chart]) -> HttpResponse | None:
    """The CSV of the chart named by ``?csv=<id>``, or None when the request asks for none."""
    wanted = request.GET.get("csv")
    if not wanted:
        return None
    for item in charts:
        if item.id == wanted:
            response = HttpResponse(csv_bytes(item), content_type="text/csv; charset=utf-8")
            name = slugify(item.title) or item.id
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
    from django.http import Http404

    raise Http404(f"No chart “{wanted}” on this page.")


def _static_spec(item: Chart | Mapping[str, Any], width: int) -> dict[str, Any]:
    spec = dict(item.spec if isinstance(item, Chart) else item)
    if spec.get("width") == "container":
        spec["width"] = width
    return spec


def to_svg(item: Chart | Mapping[str, Any], *, width: int = 640) -> str:
    """The chart as an SVG document (for PDF and slide reports)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_static_spec(item, width))


def to_png(item: Chart | Mapping[str, Any], *, width: int = 640, scale: float = 2.0) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(_static_spec(item, width), scale=scale)
