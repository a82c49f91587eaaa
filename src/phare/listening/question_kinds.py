"""The question types surveys from other tools use — numbers, dates, rankings, arrays, sliders,
constant sums, file uploads — their definitions and answers (:mod:`.questions` dispatches here).

Each keeps its parameters in the question's ``settings`` (a small JSON object), its rows in
``options`` and an array's columns in ``columns`` (both ``{"code", "label_fr", "label_en"}``):

========== ============================================== =========================================
type       settings                                       answer
========== ============================================== =========================================
numeric    ``min``, ``max`` (optional numbers),           a number (an int when ``decimals`` is 0)
           ``decimals`` (0–6, default 0)
multinum   as numeric, and ``total`` (optional: the rows  ``{row: number}``, rows left empty absent
           must add up to it); rows in ``options``
constsum   ``total`` (required, > 0), ``decimals``;       ``{row: number ≥ 0}`` adding up to
           rows in ``options``                            ``total`` (empty rows count as 0)
slider     ``min``, ``max`` (required), ``step`` (> 0,    a number on the grid min + k × step
           default 1), ``decimals`` (default: the step's)
date       ``time`` (bool: date and time), ``min``,       ``"YYYY-MM-DD"`` or ``"YYYY-MM-DDTHH:MM"``
           ``max`` (optional, same form as the answer)
ranking    ``top`` (optional k: rank the k first only);   a list of option codes, best first: all
           the options in ``options``                     (or k) when required, else 1 to k
numarray   as numeric; rows ``options``, cells            ``{row: {column: number}}``
           ``columns``
textarray  rows ``options``, cells ``columns``            ``{row: {column: text}}`` (≤ 1,000 chars)
dualscale  ``scales``: 1–6 of ``{"code", "label_fr",      ``{row: {scale code: choice code}}``
           "label_en", "choices": [items]}``; rows in
           ``options``
upload     nothing; never asked in Phare                  the number of files the respondent gave
                                                          in the other tool, not imported
========== ============================================== =========================================

A required array (numbers, texts) has a value in every row; a required dual scale has every
row rated on every scale; a required ranking ranks every option (or the k first).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: The kinds this module defines (``upload`` is only ever imported, never answered here).
KINDS = {"numeric", "multinum", "constsum", "slider", "date", "ranking", "numarray",
         "textarray", "dualscale", "upload"}
#: Kinds with a single number for an answer: display conditions may compare it.
SINGLE_NUMBER = {"numeric", "slider"}
#: Kinds whose rows are the ``options``; arrays also have ``columns``.
ROW_KINDS = {"multinum", "constsum", "ranking", "numarray", "textarray", "dualscale"}
ARRAY_KINDS = {"numarray", "textarray"}
#: Kinds whose numbers take ``min``/``max``/``decimals``.
NUMBER_KINDS = {"numeric", "multinum", "numarray"}
MAX_DECIMALS = 6
MAX_ROWS = 30
MAX_COLUMNS = 12
MAX_SCALES = 6
MAX_CELL_TEXT = 1000
#: Numbers beyond this are typing mistakes, and would lose precision as JSON floats.
LIMIT = 10**12


class DefinitionError(ValueError):
    """A question definition that cannot be used: ``field`` says which part is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def settings_of(question: Any) -> dict[str, Any]:
    settings = getattr(question, "settings", None)
    return settings if isinstance(settings, dict) else {}


def item_label(item: Mapping[str, Any], language: str) -> str:
    other = "en" if language == "fr" else "fr"
    return str(item.get(f"label_{language}") or item.get(f"label_{other}") or item.get("code"))


def _codes(items: Any) -> list[str]:
    return [str(item.get("code", "")) for item in items or [] if isinstance(item, Mapping)]


def _named(items: Sequence[Mapping[str, Any]], code: str) -> str:
    """An item's label in the active language, quoted, for a message."""
    language = (translation.get_language() or "fr")[:2]
    for item in items:
        if str(item.get("code", "")) == code:
            return f"“{item_label(item, language)}”"
    return f"“{code}”"


def check_items(field: str, items: Any) -> None:
    """Each option (or column) has a code of letters, digits, "-" or "_", used once, and a
    label; ``field`` names the list in the error."""
    if not isinstance(items, list | tuple) or not all(isinstance(i, Mapping) for i in items):
        raise DefinitionError(field, _("List items of the form {“code”, “label_fr”, "
                                       "“label_en”}."))
    columns = field == "columns"
    for position, item in enumerate(items, start=1):
        code = str(item.get("code", ""))
        values = {"n": position, "code": code}
        if not code or not code.replace("-", "").replace("_", "").isalnum():
            raise DefinitionError(field, (
                _("Column %(n)d: the code “%(code)s” must be letters, digits, “-” or “_”.")
                if columns else
                _("Option %(n)d: the code “%(code)s” must be letters, digits, “-” or “_”."))
                % values)
        if not (item.get("label_fr") or item.get("label_en")):
            raise DefinitionError(field, (_("Column %(n)d (“%(code)s”) has no label.") if columns
                                          else _("Option %(n)d (“%(code)s”) has no label."))
                                  % values)
    codes = [str(item.get("code", "")) for item in items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DefinitionError(field, (_("Column codes appear twice: %s.") if columns
                                      else _("Option codes appear twice: %s."))
                              % ", ".join(duplicates))


# --- numbers --------------------------------------------------------------------------------

def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value) and abs(value) < LIMIT


def _setting_number(settings: Mapping[str, Any], name: str, *, required: bool = False
                    ) -> float | int | None:
    value = settings.get(name)
    if value is None and not required:
        return None
    if not _is_number(value):
        raise DefinitionError(f"settings.{name}", _("Give a number.") if value is None
                              else _("“%s” is not a number.") % value)
    return value


def _decimals(settings: Mapping[str, Any], default: int = 0) -> int:
    value = settings.get("decimals", default)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DECIMALS:
        raise DefinitionError("settings.decimals", _("Decimals: a whole number from 0 to %d.")
                              % MAX_DECIMALS)
    return value


def _places(number: Any) -> int:
    """The decimals ``number`` is written with (3.25 → 2, 4 → 0)."""
    exponent = Decimal(str(number)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _bounds(settings: Mapping[str, Any], *, required: bool = False
            ) -> tuple[float | int | None, float | int | None]:
    low = _setting_number(settings, "min", required=required)
    high = _setting_number(settings, "max", required=required)
    if low is not None and high is not None and not low < high:
        raise DefinitionError("settings.max", _("The highest value must be above the lowest."))
    return low, high


def _fmt(number: float | int) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number}"


def read_number(value: Any) -> float | int | None:
    """A number from JSON or a form ("3,5" and "3.5" alike); ``None`` if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if _is_number(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= LIMIT:
        return None
    return int(number) if number == number.to_integral_value() and "." not in text \
        else float(number)


def _clean_number(value: Any, *, low: float | int | None, high: float | int | None,
                  decimals: int, where: str = "") -> float | int:
    """The number, or :class:`ValueError` saying what is expected (``where``: a row, a cell)."""
    number = read_number(value)
    prefix = f"{where}: " if where else ""
    if number is None:
        raise ValueError(prefix + (_("Give a whole number.") if decimals == 0
                                   else _("Give a number.")))
    if _places(number) > decimals:
        raise ValueError(prefix + (_("Give a whole number.") if decimals == 0 else
                                   ngettext("At most %d decimal.", "At most %d decimals.",
                                            decimals) % decimals))
    if low is not None and number < low:
        raise ValueError(prefix + (_("Give a number from %(low)s to %(high)s.")
                                   % {"low": _fmt(low), "high": _fmt(high)} if high is not None
                                   else _("Give a number of at least %s.") % _fmt(low)))
    if high is not None and number > high:
        raise ValueError(prefix + (_("Give a number from %(low)s to %(high)s.")
                                   % {"low": _fmt(low), "high": _fmt(high)} if low is not None
                                   else _("Give a number of at most %s.") % _fmt(high)))
    rounded = round(float(number), decimals)
    # 30.0 is stored (and exported) as 30: the decimals are what the person typed.
    return int(rounded) if decimals == 0 or rounded.is_integer() else rounded


def number_rule(question: Any) -> dict[str, Any]:
    """``low``, ``high``, ``decimals`` and ``step`` of a question's numbers (for inputs)."""
    settings = settings_of(question)
    if question.type == "slider":
        step = settings.get("step") or 1
        decimals = settings.get("decimals")
        if decimals is None:
            decimals = _places(step)
        return {"low": settings.get("min"), "high": settings.get("max"), "decimals": decimals,
                "step": step}
    decimals = settings.get("decimals") or 0
    low = 0 if question.type == "constsum" else settings.get("min")
    high = settings.get("total") if question.type == "constsum" else settings.get("max")
    return {"low": low, "high": high, "decimals": decimals,
            "step": _fmt(10 ** -decimals) if decimals else 1}


# --- dates ----------------------------------------------------------------------------------

def read_date(value: Any, *, time: bool) -> str | None:
    """``"YYYY-MM-DD"`` (or ``"YYYY-MM-DDTHH:MM"`` when ``time``), or ``None``.

    A date and time with seconds or a time zone keeps its wall-clock minutes; a date alone is
    midnight when a time is expected."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "T", 1)
    try:
        if time:
            moment = dt.datetime.fromisoformat(text) if "T" in text else \
                dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
            return moment.strftime("%Y-%m-%dT%H:%M")
        if "T" in text:
            return dt.datetime.fromisoformat(text).date().isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _shown_date(text: str) -> str:
    return text.replace("T", " ")


# --- definitions ----------------------------------------------------------------------------

def check_kind(question: Any) -> None:
    """Raise :class:`DefinitionError` unless a question of :data:`KINDS` can be asked."""
    kind = question.type
    settings = settings_of(question)
    if getattr(question, "settings", None) not in (None, {}) and \
            not isinstance(question.settings, dict):
        raise DefinitionError("settings", _("Settings are a JSON object."))
    if kind in ROW_KINDS:
        if not _codes(question.options):
            raise DefinitionError("options", _("List at least one option.") if kind == "ranking"
                                  else _("List at least one row."))
        check_items("options", question.options)
        if len(question.options) > MAX_ROWS:
            raise DefinitionError("options", _("At most %d rows.") % MAX_ROWS)
    if kind in ARRAY_KINDS:
        if not _codes(question.columns):
            raise DefinitionError("columns", _("List at least one column."))
        check_items("columns", question.columns)
        if len(question.columns) > MAX_COLUMNS:
            raise DefinitionError("columns", _("At most %d columns.") % MAX_COLUMNS)
    if kind in NUMBER_KINDS:
        _bounds(settings)
        _decimals(settings)
    if kind == "multinum":
        total = _setting_number(settings, "total")
        if total is not None and total <= 0:
            raise DefinitionError("settings.total", _("The total must be above 0."))
    if kind == "constsum":
        total = _setting_number(settings, "total", required=True)
        if total is None or total <= 0:
            raise DefinitionError("settings.total", _("The total must be above 0."))
        decimals = _decimals(settings)
        if _places(total) > decimals:
            raise DefinitionError("settings.total", _("The total has more decimals than the "
                                                      "answers may have."))
    if kind == "slider":
        _check_slider(settings)
    if kind == "date":
        _check_date(settings)
    if kind == "ranking":
        top = settings.get("top")
        if top is not None and (not isinstance(top, int) or isinstance(top, bool)
                                or not 1 <= top <= len(question.options)):
            raise DefinitionError("settings.top", _("Rank from 1 to %d options (the number of "
                                                    "options).") % len(question.options))
    if kind == "dualscale":
        _check_scales(settings.get("scales"))


def _check_slider(settings: Mapping[str, Any]) -> None:
    low, high = _bounds(settings, required=True)
    step = settings.get("step", 1)
    if step is None:
        step = 1
    if not _is_number(step) or step <= 0:
        raise DefinitionError("settings.step", _("The step must be a number above 0."))
    decimals = _decimals(settings, default=_places(step))
    if _places(step) > decimals:
        raise DefinitionError("settings.step", _("The step has more decimals than the answers "
                                                 "may have."))
    assert low is not None and high is not None  # required above
    if (high - low) / step > 1000:
        raise DefinitionError("settings.step", _("A slider has at most 1,000 steps."))


def _check_date(settings: Mapping[str, Any]) -> None:
    time = settings.get("time", False)
    if not isinstance(time, bool):
        raise DefinitionError("settings.time", _("Say whether a time is asked (true or false)."))
    bounds = {}
    for name in ("min", "max"):
        raw = settings.get(name)
        if raw in (None, ""):
            continue
        value = read_date(raw, time=time)
        if value is None:
            raise DefinitionError(f"settings.{name}", _("“%s” is not a date (YYYY-MM-DD).") % raw
                                  if not time else
                                  _("“%s” is not a date and time (YYYY-MM-DDTHH:MM).") % raw)
        bounds[name] = value
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        raise DefinitionError("settings.max", _("The latest date must not be before the "
                                                "earliest."))


def _check_scales(scales: Any) -> None:
    if not isinstance(scales, list) or not scales:
        raise DefinitionError("settings.scales", _("List the scales each row is rated on."))
    if len(scales) > MAX_SCALES:
        raise DefinitionError("settings.scales", _("At most %d scales.") % MAX_SCALES)
    check_items("settings.scales", scales)
    for number, scale in enumerate(scales, start=1):
        choices = scale.get("choices")
        if not isinstance(choices, list) or not choices:
            raise DefinitionError("settings.scales", _("Scale %d has no choices.") % number)
        try:
            check_items("options", choices)
        except DefinitionError as exc:
            raise DefinitionError("settings.scales", _("Scale %(n)d: %(reason)s")
                                  % {"n": number, "reason": exc.reason}) from None


# --- answers --------------------------------------------------------------------------------

def _rows_mapping(value: Any, question: Any, message: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(message)
    rows = _codes(question.options)
    unknown = [key for key in value if key not in rows]
    if unknown:
        raise ValueError(_("Unknown line: %s.") % ", ".join(map(str, unknown)))
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def clean_kind(question: Any, value: Any, *, partial: bool) -> Any:
    """The answer to a question of :data:`KINDS` in its stored form, or :class:`ValueError`."""
    cleaner: Callable[[Any, Any, Mapping[str, Any], bool], Any] = CLEANERS[question.type]
    return cleaner(question, value, settings_of(question), partial)


def _numeric(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    return _clean_number(value, low=settings.get("min"), high=settings.get("max"),
                         decimals=settings.get("decimals") or 0)


def _slider(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    rule = number_rule(question)
    low, high, step = rule["low"], rule["high"], rule["step"]
    number = _clean_number(value, low=low, high=high, decimals=rule["decimals"])
    steps = Decimal(str(number)) - Decimal(str(low))
    if steps % Decimal(str(step)) != 0:
        raise ValueError(_("Choose a value from %(low)s to %(high)s in steps of %(step)s.")
                         % {"low": _fmt(low), "high": _fmt(high), "step": _fmt(step)})
    return number


def _row_numbers(question: Any, value: Any, *, low: Any, high: Any, decimals: int
                 ) -> dict[str, float | int]:
    cells = _rows_mapping(value, question, _("Give a number per line."))
    cleaned = {}
    for row in _codes(question.options):
        if row in cells and not _empty(cells[row]):
            cleaned[row] = _clean_number(cells[row], low=low, high=high, decimals=decimals,
                                         where=_named(question.options, row))
    return cleaned


def _total(numbers: Mapping[str, float | int], decimals: int) -> float | int:
    total = sum((Decimal(str(n)) for n in numbers.values()), Decimal(0))
    return int(total) if decimals == 0 else float(round(total, decimals))


def _multinum(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    decimals = settings.get("decimals") or 0
    cleaned = _row_numbers(question, value, low=settings.get("min"), high=settings.get("max"),
                           decimals=decimals)
    if partial or not cleaned:
        return cleaned
    if question.required:
        _require_rows(question, cleaned)
    total = settings.get("total")
    if total is not None and _total(cleaned, decimals) != total:
        raise ValueError(_("The numbers add up to %(sum)s; they must add up to %(total)s.")
                         % {"sum": _fmt(_total(cleaned, decimals)), "total": _fmt(total)})
    return cleaned


def _constsum(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    decimals = settings.get("decimals") or 0
    total = settings["total"]
    cleaned = _row_numbers(question, value, low=0, high=total, decimals=decimals)
    spent = _total(cleaned, decimals)
    if spent > total or (not partial and cleaned and spent != total):
        raise ValueError(_("The numbers add up to %(sum)s; they must add up to %(total)s.")
                         % {"sum": _fmt(spent), "total": _fmt(total)})
    return cleaned


def _require_rows(question: Any, cleaned: Mapping[str, Any]) -> None:
    missing = [row for row in _codes(question.options) if _empty(cleaned.get(row))]
    if missing:
        raise ValueError(_("Answer every line (missing: %s).")
                         % ", ".join(_named(question.options, row) for row in missing))


def _date(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    time = bool(settings.get("time"))
    text = read_date(value, time=time)
    if text is None:
        raise ValueError(_("Give a date and a time.") if time else _("Give a date."))
    low = read_date(settings.get("min"), time=time) if settings.get("min") else None
    high = read_date(settings.get("max"), time=time) if settings.get("max") else None
    if (low and text < low) or (high and text > high):
        if low and high:
            message = _("Give a date from %(low)s to %(high)s.") % {
                "low": _shown_date(low), "high": _shown_date(high)}
        elif low:
            message = _("Give a date from %s on.") % _shown_date(low)
        else:
            message = _("Give a date up to %s.") % _shown_date(high or "")
        raise ValueError(message)
    return text


def ranking_size(question: Any) -> int:
    """How many options are ranked: all, or the settings' ``top``."""
    return settings_of(question).get("top") or len(question.options or [])


def _ranking(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    """A list best first; a ``{option: rank}`` mapping (a form's selects) is read as one."""
    codes = _codes(question.options)
    size = ranking_size(question)
    if isinstance(value, Mapping):
        ranks: dict[int, str] = {}
        for option, rank in value.items():
            if option not in codes:
                raise ValueError(_("Unknown option: %s.") % option)
            if _empty(rank):
                continue
            number = read_number(rank)
            if not isinstance(number, int) or not 1 <= number <= size:
                raise ValueError(_("%(option)s: choose a rank from 1 to %(k)d.")
                                 % {"option": _named(question.options, option), "k": size})
            if number in ranks:
                raise ValueError(_("Rank %(rank)d is given twice (%(a)s and %(b)s): give each "
                                   "rank once.") % {"rank": number,
                                                    "a": _named(question.options, ranks[number]),
                                                    "b": _named(question.options, option)})
            ranks[number] = option
        gaps = [n for n in range(1, max(ranks, default=0) + 1) if n not in ranks]
        if gaps:
            raise ValueError(_("Ranks go 1, 2, 3… without a gap: rank %s is missing.")
                             % ", ".join(map(str, gaps)))
        value = [ranks[n] for n in sorted(ranks)]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("Rank the options."))
    unknown = [v for v in value if v not in codes]
    if unknown:
        raise ValueError(_("Unknown option: %s.") % ", ".join(unknown))
    if len(set(value)) != len(value):
        raise ValueError(_("Each option is ranked once."))
    if len(value) > size:
        raise ValueError(_("Rank at most %d options.") % size)
    if question.required and not partial and value and len(value) < size:
        raise ValueError(_("Rank %(k)d options (%(n)d ranked).") % {"k": size, "n": len(value)})
    return value


def _array(question: Any, value: Any, cell: Callable[[Any, str], Any], partial: bool
           ) -> dict[str, dict[str, Any]]:
    rows = _rows_mapping(value, question, _("Fill in the table."))
    columns = _codes(question.columns)
    cleaned: dict[str, dict[str, Any]] = {}
    for row in _codes(question.options):
        cells = rows.get(row)
        if _empty(cells):
            continue
        if not isinstance(cells, Mapping):
            raise ValueError(_("%s: give a value per column.") % _named(question.options, row))
        unknown = [key for key in cells if key not in columns]
        if unknown:
            raise ValueError(_("Unknown column: %s.") % ", ".join(map(str, unknown)))
        kept = {}
        for column in columns:
            if column in cells and not _empty(cells[column]):
                where = f"{_named(question.options, row)}, {_named(question.columns, column)}"
                kept[column] = cell(cells[column], where)
        if kept:
            cleaned[row] = kept
    if question.required and not partial and cleaned:
        _require_rows(question, cleaned)
    return cleaned


def _numarray(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    def cell(raw: Any, where: str) -> Any:
        return _clean_number(raw, low=settings.get("min"), high=settings.get("max"),
                             decimals=settings.get("decimals") or 0, where=where)
    return _array(question, value, cell, partial)


def _textarray(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    def cell(raw: Any, where: str) -> str:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise ValueError(_("%s: write text.") % where)
        text = str(raw).strip()
        if len(text) > MAX_CELL_TEXT:
            raise ValueError(_("%(where)s: at most %(n)d characters.")
                             % {"where": where, "n": MAX_CELL_TEXT})
        return text
    return _array(question, value, cell, partial)


def _dualscale(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    rows = _rows_mapping(value, question, _("Rate each line."))
    scales = settings.get("scales") or []
    cleaned: dict[str, dict[str, str]] = {}
    for row in _codes(question.options):
        ratings = rows.get(row)
        if _empty(ratings):
            continue
        if not isinstance(ratings, Mapping):
            raise ValueError(_("%s: choose on each scale.") % _named(question.options, row))
        unknown = [key for key in ratings if key not in _codes(scales)]
        if unknown:
            raise ValueError(_("Unknown scale: %s.") % ", ".join(map(str, unknown)))
        kept = {}
        for scale in scales:
            chosen = ratings.get(scale["code"])
            if _empty(chosen):
                continue
            if str(chosen) not in _codes(scale["choices"]):
                raise ValueError(_("%(row)s, %(scale)s: choose one of the answers.") % {
                    "row": _named(question.options, row), "scale": _named(scales, scale["code"])})
            kept[scale["code"]] = str(chosen)
        if kept:
            cleaned[row] = kept
    if question.required and not partial and cleaned:
        missing = [row for row in _codes(question.options)
                   if len(cleaned.get(row, {})) < len(scales)]
        if missing:
            raise ValueError(_("Answer every line on every scale (missing: %s).")
                             % ", ".join(_named(question.options, row) for row in missing))
    return cleaned


def _upload(question: Any, value: Any, settings: Mapping[str, Any], partial: bool) -> Any:
    number = read_number(value)
    if not isinstance(number, int) or number < 0:
        raise ValueError(_("A file upload keeps only the number of files given."))
    return number


CLEANERS: dict[str, Callable[[Any, Any, Mapping[str, Any], bool], Any]] = {
    "numeric": _numeric, "slider": _slider, "multinum": _multinum, "constsum": _constsum,
    "date": _date, "ranking": _ranking, "numarray": _numarray, "textarray": _textarray,
    "dualscale": _dualscale, "upload": _upload,
}
