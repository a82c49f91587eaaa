"""What the template needs to draw the kinds of :mod:`phare.listening.question_kinds`: one
native input (number, slider, date), a list of numbers (several numbers, constant sum), ranks
as numbered selects, a table (numbers, texts) or rows rated on several scales.

Field names are those :func:`.pages.read_page` reads: ``<code>`` for one input,
``<code>.<row>`` for a row, ``<code>.<row>.<column or scale>`` for a cell. Input ids go by
position (``q-<code>-r0-c1``), so that codes holding "-" cannot collide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from phare.listening import question_kinds as kinds
from phare.listening.models import Question

#: Kinds drawn as one labelled input rather than a fieldset.
SINGLE_INPUT = {"numeric", "slider", "date"}


@dataclass
class Cell:
    """One input: its name, id, value, and its label (a row's, or "row, column")."""

    name: str
    input_id: str
    value: str
    label: str


@dataclass
class Option:
    """One radio button of a scale, or one entry of a rank's select."""

    value: str
    label: str
    input_id: str
    checked: bool


@dataclass
class ScaleGroup:
    """A radio group: one scale of a row."""

    name: str
    legend: str
    options: list[Option]


@dataclass
class Row:
    """A row of a list or table: its label and its inputs (or scales)."""

    label: str
    cells: list[Cell] = field(default_factory=list)
    scales: list[ScaleGroup] = field(default_factory=list)


@dataclass
class Widget:
    """The inputs of one question of the new kinds."""

    kind: str
    #: ``number``, ``range``, ``date``, ``datetime-local`` (one input) or ``text``.
    input_type: str = "number"
    value: str = ""
    low: str = ""
    high: str = ""
    step: str = ""
    decimals: int = 0
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    #: Ranking: how many ranks each select offers.
    ranks: list[int] = field(default_factory=list)
    #: Constant sum: the total the rows must add up to.
    total: str = ""
    #: Said once above the inputs: the bounds, the total, how to rank.
    key: str = ""

    @property
    def single(self) -> bool:
        return self.kind in SINGLE_INPUT

    @property
    def first_id(self) -> str:
        for row in self.rows:
            if row.cells:
                return row.cells[0].input_id
            if row.scales:
                return row.scales[0].options[0].input_id
        return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def widget_for(question: Question, value: Any, language: str) -> Widget:
    """The widget of ``question`` showing ``value`` (an answer, or a page's raw input)."""
    kind = question.type
    settings = kinds.settings_of(question)
    widget = Widget(kind=kind)
    code = question.code
    rows = question.options or []

    def label(item: Mapping[str, Any]) -> str:
        return kinds.item_label(item, language)

    if kind in {"numeric", "slider", "multinum", "constsum", "numarray"}:
        rule = kinds.number_rule(question)
        widget.low, widget.high = _text(rule["low"]), _text(rule["high"])
        widget.step, widget.decimals = _text(rule["step"]), int(rule["decimals"] or 0)
        widget.key = _bounds_key(widget)
    if kind in SINGLE_INPUT:
        widget.value = _text(value) if not isinstance(value, Mapping | list) else ""
        if kind == "slider":
            widget.input_type = "range"
            widget.value = widget.value or ""
        elif kind == "date":
            time = bool(settings.get("time"))
            widget.input_type = "datetime-local" if time else "date"
            widget.low = settings.get("min") or ""
            widget.high = settings.get("max") or ""
            widget.step = ""
            if widget.low and widget.high:
                widget.key = _("From %(low)s to %(high)s.") % {
                    "low": widget.low.replace("T", " "), "high": widget.high.replace("T", " ")}
        return widget
    if kind in {"multinum", "constsum"}:
        given = _mapping(value)
        widget.rows = [Row(label=label(item), cells=[Cell(
            name=f"{code}.{item['code']}", input_id=f"q-{code}-r{j}",
            value=_text(given.get(str(item["code"]))), label=label(item))])
            for j, item in enumerate(rows)]
        total = settings.get("total")
        if total is not None:
            widget.total = _text(total)
            widget.key = _("The numbers must add up to %s.") % widget.total
        return widget
    if kind == "ranking":
        given = value
        if isinstance(value, list):
            given = {option: position for position, option in enumerate(value, start=1)}
        given = _mapping(given)
        size = kinds.ranking_size(question)
        widget.ranks = list(range(1, size + 1))
        widget.rows = [Row(label=label(item), cells=[Cell(
            name=f"{code}.{item['code']}", input_id=f"q-{code}-r{j}",
            value=_text(given.get(str(item["code"]))), label=label(item))])
            for j, item in enumerate(rows)]
        widget.key = (_("Give rank 1 to your first choice, 2 to the next, and so on, each "
                        "rank once.") if size == len(rows) else
                      _("Rank your %d first choices: 1 for the first, each rank once.") % size)
        return widget
    if kind in kinds.ARRAY_KINDS:
        widget.input_type = "number" if kind == "numarray" else "text"
        given = _mapping(value)
        columns = question.columns or []
        widget.columns = [label(column) for column in columns]
        for j, item in enumerate(rows):
            cells = _mapping(given.get(str(item["code"])))
            widget.rows.append(Row(label=label(item), cells=[Cell(
                name=f"{code}.{item['code']}.{column['code']}",
                input_id=f"q-{code}-r{j}-c{i}", value=_text(cells.get(str(column["code"]))),
                label=f"{label(item)}, {label(column)}") for i, column in enumerate(columns)]))
        return widget
    if kind == "dualscale":
        given = _mapping(value)
        scales = settings.get("scales") or []
        for j, item in enumerate(rows):
            ratings = _mapping(given.get(str(item["code"])))
            widget.rows.append(Row(label=label(item), scales=[ScaleGroup(
                name=f"{code}.{item['code']}.{scale['code']}", legend=label(scale),
                options=[Option(value=str(choice["code"]), label=label(choice),
                                input_id=f"q-{code}-r{j}-s{s}-{n}",
                                checked=str(ratings.get(str(scale["code"]), "")) ==
                                str(choice["code"]))
                         for n, choice in enumerate(scale.get("choices") or [])])
                for s, scale in enumerate(scales)]))
        return widget
    return widget


def _bounds_key(widget: Widget) -> str:
    if widget.low and widget.high:
        return _("From %(low)s to %(high)s.") % {"low": widget.low, "high": widget.high}
    if widget.low:
        return _("At least %s.") % widget.low
    if widget.high:
        return _("At most %s.") % widget.high
    return ""


def read_kind(data: Any, question: Question) -> Any:
    """A question's answer from a submitted page (a ``QueryDict``), before cleaning."""
    code = question.code
    kind = question.type
    rows = [str(item.get("code", "")) for item in question.options or []]
    if kind in {"multinum", "constsum", "ranking"}:
        values = {row: data.get(f"{code}.{row}", "").strip() for row in rows}
        return {row: value for row, value in values.items() if value}
    if kind in kinds.ARRAY_KINDS or kind == "dualscale":
        inner = ([str(c.get("code", "")) for c in question.columns or []]
                 if kind in kinds.ARRAY_KINDS else
                 [str(s.get("code", "")) for s in kinds.settings_of(question).get("scales") or []])
        table = {}
        for row in rows:
            cells = {key: data.get(f"{code}.{row}.{key}", "").strip() for key in inner}
            cells = {key: value for key, value in cells.items() if value}
            if cells:
                table[row] = cells
        return table
    return data.get(code, "").strip()
