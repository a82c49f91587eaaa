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

Every chart speaks its reader's language (the one active when it is built): its numbers and
dates follow that language's conventions (:func:`locale`, put in the spec's ``config.locale``,
which Vega applies in the page and vl-convert in reports), and its ``description`` — what a
screen reader announces for the drawing — is its title. A categorical colour is keyed by a
stable code, never by a translated label (:func:`category`): a quadrant is the same colour in
French and in English.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language

from phare.lib.csvtext import safe_cell

#: The look shared by every chart (fonts and colours follow the stylesheet).
CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e5e7eb"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
    # Waves and months read level; where they would overlap, every other one is left out.
    "axisXDiscrete": {"labelAngle": 0, "labelOverlap": "parity"},
    # Vega's automatic tick count is the width over 40 px: 28 ticks on a wide chart, labels
    # running into each other on a phone. One tick per 80 px across, per 50 px up.
    "axisXQuantitative": {"tickCount": {"expr": "max(2, min(8, ceil(width / 80)))"},
                          "labelOverlap": True},
    "axisYQuantitative": {"tickCount": {"expr": "max(2, min(8, ceil(height / 50)))"},
                          "labelOverlap": True},
    "view": {"stroke": None},
    "mark": {"color": "#1d4ed8"},
    # Vega-Lite draws points at 70 % opacity, under 3:1 against white for light colours.
    "point": {"opacity": 1},
    # Assistive technologies get the chart's description (its title) and the table below it,
    # not Vega's English descriptions of every axis and mark with raw values.
    "aria": False,
    "range": {"category": ["#1d4ed8", "#d97706", "#059669", "#dc2626", "#7c3aed",
                           "#0891b2", "#65a30d", "#db2777", "#475569", "#ca8a04"]},
}

#: Vega's number formats (d3-format) per interface language: French writes "1 234,5" (a narrow
#: no-break space between thousands), "12 %" and "12 €"; English "1,234.5", "12%" and "€12".
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"],
           "percent": "\u202f%", "minus": "\u2212"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""],
           "minus": "\u2212"},
}
#: Vega's date formats (d3-time-format) per interface language.
TIME_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
           "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
           "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                      "septembre", "octobre", "novembre", "décembre"],
           "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                           "sept.", "oct.", "nov.", "déc."]},
    "en": {"dateTime": "%a %e %b %X %Y", "date": "%d/%m/%Y", "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                    "Saturday"],
           "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
           "months": ["January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December"],
           "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                           "Oct", "Nov", "Dec"]},
}


def language(code: str | None = None) -> str:
    """``code`` (default: the active language) as one of the charts' languages."""
    code = (code or get_language() or "fr")[:2]
    return code if code in NUMBER_LOCALES else "fr"


def locale(code: str | None = None) -> dict[str, Any]:
    """Vega's ``config.locale`` for ``code`` (default: the active language)."""
    code = language(code)
    return {"number": NUMBER_LOCALES[code], "time": TIME_LOCALES[code]}


#: Bars on white (3.7:1), the intervals drawn over them (3.9:1 on the bar, 14:1 on white) and
#: the whiskers of points on white (4.8:1): every mark that carries a figure is at least 3:1.
BAR_COLOR = "#3b82f6"
INTERVAL_COLOR = "#1e293b"
WHISKER_COLOR = "#64748b"

#: An axis whose labels were broken into lines by :func:`wrap`: Vega draws each line.
WRAPPED_AXIS: dict[str, Any] = {"labelExpr": "split(datum.label, '\\n')", "labelLimit": 260}


def wrap(text: Any, width: int = 26) -> str:
    """A label broken into lines of about ``width`` characters (joined by a newline), for an
    axis with :data:`WRAPPED_AXIS`: a long unit name gets room instead of being cut."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def band_height(labels: Iterable[str], *, minimum: int = 80, line: int = 15,
                padding: int = 11) -> int:
    """The height of a bar chart with one band per label, tall enough for its wrapped lines."""
    counts = [str(label).count("\n") + 1 for label in labels]
    if not counts:
        return minimum
    return max(minimum, len(counts) * (padding + line * max(counts)))


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


#: A "YYYY-MM" month as the reader writes it, "févr. 2026" or "Feb 2026": a Vega expression on
#: ``{value}``, in the chart's time format locale (the page's charts.js and vl-convert both pass
#: it). Any other value (a wave's name beside months) is left as it is.
_MONTH_EXPR = ("test(regexp('^[0-9]{{4}}-[0-9]{{2}}$'), {value}) "
               "? utcFormat(toDate({value} + '-01'), '%b %Y') : {value}")


def month_label(value: str) -> str:
    """The Vega expression that writes ``value`` (an expression, e.g. ``datum.month``), a
    "YYYY-MM" month, as "févr. 2026" / "Feb 2026"."""
    return _MONTH_EXPR.format(value=value)


def month_axis(shorthand: str, **props: Any) -> dict[str, Any]:
    """An ordinal month axis (``"month:O"``, values "YYYY-MM", one band each, in order) whose
    labels read "févr. 2026" / "Feb 2026"; the data, the table and the CSV keep ISO months."""
    out = encode(shorthand, **props)
    out["axis"] = {**out.get("axis", {}), "labelExpr": month_label("datum.value")}
    return out


def month_labels(field: str, as_: str | None = None) -> dict[str, Any]:
    """A ``calculate`` transform adding ``<field>_label``, the month written as on its axis,
    for tooltips: ``"transform": [month_labels("month")]``, then ``encode("month_label:N")``."""
    return {"calculate": month_label(f"datum[{json.dumps(field)}]"),
            "as": as_ or f"{field}_label"}


def category(shorthand: str, labels: Mapping[str, Any], colors: Mapping[str, str], *,
             title: str | None = None, legend: Mapping[str, Any] | None = None
             ) -> dict[str, Any]:
    """A colour (or shape, or any categorical channel) keyed by a stable code: ``labels`` and
    ``colors`` are by code, the legend shows each code's label in the reader's language. The
    same code gets the same colour in every language (a label would be sorted differently)."""
    codes = list(colors)
    cases = " : ".join(f"datum.value === {json.dumps(code)} ? "
                       f"{json.dumps(str(labels[code]), ensure_ascii=False)}"
                       for code in codes if code in labels)
    out = encode(shorthand, title=title, scale={"domain": codes, "range": list(colors.values())})
    out["legend"] = {**(legend or {}), "labelExpr": f"{cases} : datum.label" if cases
                     else "datum.label"}
    return out


def _checked(spec: dict[str, Any]) -> None:
    """Raise Altair's error when ``spec`` does not follow the Vega-Lite schema.

    Altair's ``validate_jsonschema`` parses the 1.6 MB schema and rewrites its references at
    every call (20 ms a chart); the validator is made once, and Altair's function runs only on
    a spec found wrong, for its readable message."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import core

    if next(_validator().iter_errors(spec), None) is not None:
        validate_jsonschema(spec, core.load_schema())


@functools.cache
def _validator() -> Any:
    from altair.utils import schemapi
    from altair.vegalite.v6.schema import core

    # The same validator class, references and registry as Altair's own check (its helpers).
    schema = core.load_schema()
    draft = schemapi._get_json_schema_draft_url(schema)
    cls = schemapi.jsonschema.validators.validator_for({"$schema": draft})
    prepared = schemapi._prepare_references_in_schema(schema)
    return cls(prepared, registry=schemapi._get_referencing_registry(prepared, draft),
               format_checker=cls.FORMAT_CHECKER)


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
    spec = {**spec, "config": {**CONFIG, "locale": locale(), **spec.get("config", {})}}
    spec.setdefault("width", "container")
    # Vega names the drawing with it ("Vega visualization" otherwise).
    spec.setdefault("description", f"{title} — {description}" if description else str(title))
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


def _locale_of(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's own locale (the language it was built in), else the active language's."""
    return spec.get("config", {}).get("locale") or locale()


def to_svg(item: Chart | Mapping[str, Any], *, width: int = 640) -> str:
    """The chart as an SVG document (for PDF and slide reports), in its language's formats."""
    import vl_convert

    spec = _static_spec(item, width)
    formats = _locale_of(spec)
    return vl_convert.vegalite_to_svg(spec, format_locale=formats["number"],
                                      time_format_locale=formats["time"])


def to_png(item: Chart | Mapping[str, Any], *, width: int = 640, scale: float = 2.0) -> bytes:
    import vl_convert

    spec = _static_spec(item, width)
    formats = _locale_of(spec)
    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale=formats["number"],
                                      time_format_locale=formats["time"])
