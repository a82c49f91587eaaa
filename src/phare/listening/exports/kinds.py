"""The export columns of the kinds of :mod:`phare.listening.question_kinds` (used by
:mod:`.table`, which names them and applies the rules):

- numeric, slider: ``<code>``, a number with the question's decimals;
- multinum, constsum: ``<code>_<row>`` per row (a constant sum answered gives 0 to the rows
  left empty: nothing allocated; several numbers leave them missing);
- date: ``<code>``, a date, or a date and time (SPSS DATETIME);
- ranking: ``<code>_<option>``, the rank given to each option (1 = first), missing when not
  ranked;
- numarray, textarray: ``<code>_<row>_<column>`` per cell (texts are verbatims);
- dualscale: ``<code>_<row>_<scale>``, the choice's position 1..k on that scale with the
  choices as value labels;
- upload: ``<code>_files``, the number of files given in the other tool and not imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Protocol

from django.utils.translation import gettext as _

from phare.listening import question_kinds as kinds


class NumericColumn(Protocol):
    def __call__(self, name: str, label: str, measure: str, labels: Mapping[int, str],
                 get: Callable[[Mapping[str, Any]], Any], low: int = 0, *,
                 decimals: int = 0, kind: str = "numeric") -> Any: ...


StringColumn = Callable[[str, str, Callable[[Mapping[str, Any]], Any]], Any]


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _single(answers: Mapping[str, Any], *, code: str) -> float | int | None:
    return _number(answers.get(code))


def _row(answers: Mapping[str, Any], *, code: str, row: str, zero: bool) -> float | int | None:
    value = answers.get(code)
    if not isinstance(value, Mapping) or not value:
        return None
    number = _number(value.get(row))
    return 0 if number is None and zero else number


def _cell(answers: Mapping[str, Any], *, code: str, row: str, column: str) -> Any:
    value = answers.get(code)
    cells = value.get(row) if isinstance(value, Mapping) else None
    return cells.get(column) if isinstance(cells, Mapping) else None


def _text_cell(answers: Mapping[str, Any], *, code: str, row: str, column: str) -> str:
    value = _cell(answers, code=code, row=row, column=column)
    return value if isinstance(value, str) else ""


def _choice(answers: Mapping[str, Any], *, code: str, row: str, scale: str,
            positions: Mapping[str, int]) -> int | None:
    value = _cell(answers, code=code, row=row, column=scale)
    return positions.get(value) if isinstance(value, str) else None


def _rank(answers: Mapping[str, Any], *, code: str, option: str) -> int | None:
    value = answers.get(code)
    if not isinstance(value, list) or option not in value:
        return None
    return value.index(option) + 1


def _date(answers: Mapping[str, Any], *, code: str, time: bool) -> dt.date | None:
    value = answers.get(code)
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value) if time else dt.date.fromisoformat(value)
    except ValueError:
        return None


def kind_columns(question: Any, text: str, options: list[dict[str, Any]],
                 columns: list[dict[str, Any]], language: str, *, numeric: NumericColumn,
                 string: StringColumn) -> list[Any]:
    """The columns of one question of :data:`~phare.listening.question_kinds.KINDS`."""
    code, kind = question.code, question.type
    settings = kinds.settings_of(question)

    def label(item: Mapping[str, Any]) -> str:
        return kinds.item_label(item, language)

    decimals = int(kinds.number_rule(question)["decimals"] or 0) \
        if kind in {"numeric", "slider", "multinum", "constsum", "numarray"} else 0
    if kind in kinds.SINGLE_NUMBER:
        return [numeric(code, text, "scale", {}, partial(_single, code=code),
                        decimals=decimals)]
    if kind in {"multinum", "constsum"}:
        return [numeric(f"{code}_{o['code']}", f"{text} — {label(o)}", "scale", {},
                        partial(_row, code=code, row=o["code"], zero=kind == "constsum"),
                        decimals=decimals) for o in options]
    if kind == "date":
        time = bool(settings.get("time"))
        return [numeric(code, text, "scale", {}, partial(_date, code=code, time=time),
                        kind="datetime" if time else "date")]
    if kind == "ranking":
        return [numeric(f"{code}_{o['code']}", f"{text} — {label(o)} ({_('rank')})",
                        "ordinal", {}, partial(_rank, code=code, option=o["code"]))
                for o in options]
    if kind == "numarray":
        return [numeric(f"{code}_{o['code']}_{c['code']}", f"{text} — {label(o)} — {label(c)}",
                        "scale", {}, partial(_number_cell, code=code, row=o["code"],
                                             column=c["code"]), decimals=decimals)
                for o in options for c in columns]
    if kind == "textarray":
        return [string(f"{code}_{o['code']}_{c['code']}", f"{text} — {label(o)} — {label(c)}",
                       partial(_text_cell, code=code, row=o["code"], column=c["code"]))
                for o in options for c in columns]
    if kind == "dualscale":
        out = []
        for o in options:
            for scale in settings.get("scales") or []:
                choices = scale.get("choices") or []
                positions = {str(c["code"]): i for i, c in enumerate(choices, start=1)}
                out.append(numeric(
                    f"{code}_{o['code']}_{scale['code']}",
                    f"{text} — {label(o)} — {label(scale)}", "nominal",
                    {i: label(c) for i, c in enumerate(choices, start=1)},
                    partial(_choice, code=code, row=o["code"], scale=str(scale["code"]),
                            positions=positions)))
        return out
    if kind == "upload":
        return [numeric(f"{code}_files", f"{text} — {_('files not imported')}", "scale", {},
                        partial(_single, code=code))]
    return []


def _number_cell(answers: Mapping[str, Any], *, code: str, row: str, column: str
                 ) -> float | int | None:
    return _number(_cell(answers, code=code, row=row, column=column))
