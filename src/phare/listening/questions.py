"""Question types: what a question's definition must hold, what an answer may be, and when a
question is shown.

Answers are plain JSON, keyed by question code:

========== ===============================================================================
type       value
========== ===============================================================================
nps        an integer 0–10
csat       an integer 1–5
ces        an integer 1–7 (agreement that "it was easy")
scale      an integer between the question's ``scale_min`` and ``scale_max``
grid       ``{attribute code: {"importance": int, "satisfaction": int}}`` on the question's scale
matrix     ``{column code: {row code: int}}`` on the question's scale (default 1–5): rows are
           the ``options`` (e.g. attributes), columns the ``columns`` (e.g. alternatives); an
           empty cell ("I don't know", "not concerned") is absent, and so is a column left
           without any rating. Required: every row rated in at least one column
single     an option code; ``"other"`` (when allowed) with the text under ``"<code>.other"``
multiple   a list of option codes; ``"other"`` as for single
text       a string
========== ===============================================================================

The kinds that surveys from other tools use (numbers, dates, rankings, arrays, sliders,
constant sums, file uploads) are defined in :mod:`phare.listening.question_kinds`, with their
``settings``.

A display condition is ``{"question": code, "op": "in", "values": [...]}`` (the earlier answer is,
or for a multiple choice contains, one of the values), ``{"question": code, "op": "between",
"min": a, "max": b}`` (a number within the bounds, inclusive) or ``{"question": code,
"op": "answered"}``. It may only refer to an earlier question; on a grid, a matrix or the
other kinds' compound answers only ``answered`` (``between`` and ``in`` take numbers on a
numeric question or a slider). A hidden question's answer is
dropped, and a required question is required only when shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from django.utils import translation
from django.utils.translation import gettext as _

from phare.listening import question_kinds as kinds
from phare.listening.question_kinds import DefinitionError, check_items

NUMERIC = {"nps", "csat", "ces", "scale"}
CHOICE = {"single", "multiple"}
#: The fixed ranges of the standard indices.
FIXED_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
GRID_DIMENSIONS = ("importance", "satisfaction")
GRID_DEFAULT_SCALE = (1, 5)
#: Types whose answer is a table of ratings (one value per row and column or dimension).
COMPOUND = {"grid", "matrix"}
#: A rating matrix's limits: enough for a positioning study, still answerable on a phone.
MATRIX_MAX_COLUMNS = 12
MATRIX_MAX_ROWS = 20
MATRIX_MAX_POINTS = 11
OTHER = "other"
MAX_TEXT = 5000
CONDITION_OPS = {"in", "between", "answered"}
#: Every type, and those respondents answer in Phare (a file upload is only ever imported).
TYPES = NUMERIC | CHOICE | COMPOUND | {"text"} | kinds.KINDS
NOT_ANSWERABLE = {"upload"}


class QuestionLike(Protocol):
    code: str
    type: str
    required: bool
    scale_min: int | None
    scale_max: int | None
    options: list[dict[str, str]]
    columns: list[dict[str, str]]
    allow_other: bool
    condition: dict[str, Any] | None


class AnswerErrors(ValueError):
    """Answers that cannot be accepted: ``errors`` maps each question code to its reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{code}: {reason}" for code, reason in errors.items()))
        self.errors = errors


def scale_of(question: QuestionLike) -> tuple[int, int]:
    """The inclusive range of a numeric, grid or matrix question."""
    if question.type in FIXED_SCALES:
        return FIXED_SCALES[question.type]
    if question.type in COMPOUND:
        low, high = GRID_DEFAULT_SCALE
        return (question.scale_min if question.scale_min is not None else low,
                question.scale_max if question.scale_max is not None else high)
    return int(question.scale_min or 0), int(question.scale_max or 0)


def option_codes(question: QuestionLike) -> list[str]:
    return [str(option.get("code", "")) for option in question.options or []]


def column_codes(question: QuestionLike) -> list[str]:
    """The column codes of a rating matrix (none for other types)."""
    if question.type != "matrix":
        return []
    return [str(column.get("code", "")) for column in question.columns or []]


def option_label(option: Mapping[str, str], language: str) -> str:
    other = "en" if language == "fr" else "fr"
    return option.get(f"label_{language}") or option.get(f"label_{other}") or option["code"]


def check_definition(question: QuestionLike, earlier: Sequence[QuestionLike]) -> None:
    """Raise :class:`DefinitionError` unless the question can be asked as defined."""
    kind = question.type
    if kind not in TYPES:
        raise DefinitionError("type", _("Unknown question type “%s”.") % kind)
    if kind in kinds.KINDS:
        kinds.check_kind(question)
        if question.condition:
            check_condition(question.condition, earlier)
        return
    if kind == "scale":
        if question.scale_min is None or question.scale_max is None:
            raise DefinitionError("scale_min", _("A rating scale needs its lowest and highest "
                                                 "values."))
        if not question.scale_min < question.scale_max:
            raise DefinitionError("scale_max", _("The highest value must be above the lowest."))
        if question.scale_max - question.scale_min > 100:
            raise DefinitionError("scale_max", _("A scale has at most 101 points."))
    if kind in COMPOUND:
        low, high = scale_of(question)
        if not low < high:
            raise DefinitionError("scale_max", _("The highest value must be above the lowest."))
    if kind in CHOICE or kind in COMPOUND:
        codes = option_codes(question)
        if not codes:
            raise DefinitionError("options", _("List at least one option.") if kind in CHOICE
                                  else _("List at least one row.") if kind == "matrix"
                                  else _("List at least one attribute."))
        check_items("options", question.options)
        if question.allow_other and OTHER in codes:
            raise DefinitionError("options", _("The code “other” is kept for the “other” "
                                               "answer."))
    if kind == "matrix":
        _check_matrix(question)
    if question.condition:
        check_condition(question.condition, earlier)


def _check_matrix(question: QuestionLike) -> None:
    """A matrix's columns and size (its rows are checked as options)."""
    columns = question.columns or []
    if not columns:
        raise DefinitionError("columns", _("List at least one column."))
    check_items("columns", columns)
    if len(columns) > MATRIX_MAX_COLUMNS:
        raise DefinitionError("columns", _("A rating matrix has at most %d columns.")
                              % MATRIX_MAX_COLUMNS)
    if len(question.options) > MATRIX_MAX_ROWS:
        raise DefinitionError("options", _("A rating matrix has at most %d rows.")
                              % MATRIX_MAX_ROWS)
    low, high = scale_of(question)
    if high - low + 1 > MATRIX_MAX_POINTS:
        raise DefinitionError("scale_max", _("A rating matrix's scale has at most %d points.")
                              % MATRIX_MAX_POINTS)


def check_condition(condition: Mapping[str, Any], earlier: Sequence[QuestionLike]) -> None:
    by_code = {q.code: q for q in earlier}
    target = by_code.get(condition.get("question", ""))
    if target is None:
        raise DefinitionError("condition", _("A display condition must refer to an earlier "
                                             "question (“%s” is not one).")
                              % condition.get("question", ""))
    op = condition.get("op")
    if op not in CONDITION_OPS:
        raise DefinitionError("condition", _("Unknown condition “%s”: use in, between or "
                                             "answered.") % op)
    if target.type == "grid" and op != "answered":
        raise DefinitionError("condition", _("A condition on a grid can only be “answered”."))
    if target.type == "matrix" and op != "answered":
        raise DefinitionError("condition", _("A condition on a rating matrix can only be "
                                             "“answered”."))
    if target.type in kinds.KINDS - kinds.SINGLE_NUMBER and op != "answered":
        raise DefinitionError("condition", _("A condition on “%s” can only be “answered”.")
                              % target.code)
    if op == "in":
        values = condition.get("values")
        if not isinstance(values, list) or not values:
            raise DefinitionError("condition", _("List the values that show the question."))
        if target.type in CHOICE:
            unknown = [v for v in values
                       if v not in option_codes(target) and not (target.allow_other and v == OTHER)]
            if unknown:
                raise DefinitionError("condition", _("“%(q)s” has no option %(v)s.")
                                      % {"q": target.code, "v": ", ".join(map(str, unknown))})
    if op == "in" and target.type in kinds.SINGLE_NUMBER and not all(
            kinds.read_number(v) is not None for v in condition.get("values") or []):
        raise DefinitionError("condition", _("List numbers."))
    if op == "between":
        if target.type not in NUMERIC | kinds.SINGLE_NUMBER:
            raise DefinitionError("condition", _("“between” needs a numeric question."))
        low, high = condition.get("min"), condition.get("max")
        if not isinstance(low, int | float) or not isinstance(high, int | float) or low > high:
            raise DefinitionError("condition", _("“between” needs numbers min ≤ max."))


def is_shown(question: QuestionLike, answers: Mapping[str, Any]) -> bool:
    """Whether the question is shown, given the (cleaned) answers to earlier questions."""
    condition = question.condition
    if not condition:
        return True
    value = answers.get(condition.get("question", ""))
    if _empty(value):
        return False
    op = condition.get("op")
    if op == "answered":
        return True
    if op == "between":
        return isinstance(value, int | float) and condition["min"] <= value <= condition["max"]
    values = condition.get("values") or []
    chosen = value if isinstance(value, list) else [value]
    return any(v in values or str(v) in map(str, values) for v in chosen)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_answer(question: QuestionLike, value: Any, answers: Mapping[str, Any], *,
                 partial: bool = False) -> Any:
    """The answer in its stored form, or :class:`ValueError` with the reason (``partial``:
    a draft, where a required grid may still be half filled)."""
    kind = question.type
    if kind in NUMERIC:
        number = _as_int(value)
        low, high = scale_of(question)
        if number is None or not low <= number <= high:
            raise ValueError(_("Choose a whole number from %(low)d to %(high)d.")
                             % {"low": low, "high": high})
        return number
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(_("Write text."))
        text = value.strip()
        if len(text) > MAX_TEXT:
            raise ValueError(_("At most %d characters.") % MAX_TEXT)
        return text
    if kind == "single":
        if not isinstance(value, str) or not (value in option_codes(question)
                                              or (question.allow_other and value == OTHER)):
            raise ValueError(_("Choose one of the options."))
        return value
    if kind == "multiple":
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
            raise ValueError(_("Choose among the options."))
        allowed = option_codes(question) + ([OTHER] if question.allow_other else [])
        unknown = [v for v in chosen if v not in allowed]
        if unknown:
            raise ValueError(_("Unknown option: %s.") % ", ".join(unknown))
        # Keep the questionnaire's order, once each.
        return [code for code in allowed if code in chosen]
    if kind == "grid":
        if not isinstance(value, Mapping):
            raise ValueError(_("Rate each attribute."))
        low, high = scale_of(question)
        cleaned: dict[str, dict[str, int]] = {}
        codes = option_codes(question)
        for attribute, ratings in value.items():
            if attribute not in codes:
                raise ValueError(_("Unknown attribute: %s.") % attribute)
            if not isinstance(ratings, Mapping):
                raise ValueError(_("Rate “%s” for importance and satisfaction.") % attribute)
            row = {}
            for dimension, rating in ratings.items():
                number = _as_int(rating)
                if dimension not in GRID_DIMENSIONS:
                    raise ValueError(_("Unknown dimension: %s.") % dimension)
                if _empty(rating):
                    continue
                if number is None or not low <= number <= high:
                    raise ValueError(_("“%(a)s”: choose a whole number from %(low)d to %(high)d.")
                                     % {"a": attribute, "low": low, "high": high})
                row[dimension] = number
            if row:
                cleaned[attribute] = row
        if question.required and not partial:
            missing = [code for code in codes
                       if len(cleaned.get(code, {})) < len(GRID_DIMENSIONS)]
            if missing:
                raise ValueError(_("Rate every line for importance and satisfaction (missing: "
                                   "%s).") % ", ".join(missing))
        return {code: cleaned[code] for code in codes if code in cleaned}
    if kind == "matrix":
        return _clean_matrix(question, value, partial=partial)
    if kind in kinds.KINDS:
        return kinds.clean_kind(question, value, partial=partial)
    raise ValueError(_("Unknown question type “%s”.") % kind)


def _labels(items: Sequence[Mapping[str, str]], codes: Iterable[str]) -> str:
    """The labels of the items with these codes, in the active language, for a message."""
    language = (translation.get_language() or "fr")[:2]
    by_code = {str(item.get("code", "")): item for item in items}
    return ", ".join(f"“{option_label(by_code[code], language)}”" if code in by_code
                     else f"“{code}”" for code in codes)


def _clean_matrix(question: QuestionLike, value: Any, *, partial: bool) -> dict[str, Any]:
    """``{column: {row: int}}`` in the questionnaire's order, empty cells and columns left
    out; a required matrix has every row rated in at least one column (unless ``partial``)."""
    if not isinstance(value, Mapping):
        raise ValueError(_("Rate the lines of the table."))
    low, high = scale_of(question)
    rows, columns = option_codes(question), column_codes(question)
    cleaned: dict[str, dict[str, int]] = {}
    for column, cells in value.items():
        if column not in columns:
            raise ValueError(_("Unknown column: %s.") % column)
        if not isinstance(cells, Mapping):
            raise ValueError(_("%s: give a rating per line.") % _labels(question.columns,
                                                                        [column]))
        kept: dict[str, int] = {}
        for row, rating in cells.items():
            if row not in rows:
                raise ValueError(_("Unknown line: %s.") % row)
            if _empty(rating):
                continue  # "I don't know": no answer
            number = _as_int(rating)
            if number is None or not low <= number <= high:
                raise ValueError(_("%(column)s, %(row)s: choose a whole number from %(low)d to "
                                   "%(high)d.") % {"column": _labels(question.columns, [column]),
                                                   "row": _labels(question.options, [row]),
                                                   "low": low, "high": high})
            kept[row] = number
        if kept:
            cleaned[column] = {row: kept[row] for row in rows if row in kept}
    if question.required and not partial:
        missing = [row for row in rows if not any(row in cells for cells in cleaned.values())]
        if missing:
            raise ValueError(_("Rate every line in at least one column (missing: %s).")
                             % _labels(question.options, missing))
    return {column: cleaned[column] for column in columns if column in cleaned}


def other_key(code: str) -> str:
    return f"{code}.{OTHER}"


def clean_answers(
    questions: Iterable[QuestionLike], raw: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Check every shown question's answer, drop hidden ones; raise :class:`AnswerErrors`.

    ``partial`` (a draft being saved) skips the "required" checks but still refuses bad values.
    Keys that are no question of this version are refused: answers always match their questions.
    """
    questions = list(questions)
    known = {q.code for q in questions} | {other_key(q.code) for q in questions if q.allow_other}
    errors: dict[str, str] = {}
    for key in raw:
        if key not in known:
            errors[key] = _("This survey has no question “%s”.") % key
    cleaned: dict[str, Any] = {}
    for question in questions:
        if not is_shown(question, cleaned):
            continue
        value = raw.get(question.code)
        if _empty(value):
            if question.required and not partial and question.type not in NOT_ANSWERABLE:
                errors[question.code] = _("This question needs an answer.")
            continue
        try:
            cleaned[question.code] = clean_answer(question, value, cleaned, partial=partial)
        except ValueError as exc:
            errors[question.code] = str(exc)
            continue
        if question.type in {"matrix"} | kinds.KINDS and _empty(cleaned[question.code]):
            # Only empty cells ("I don't know" everywhere): no answer.
            del cleaned[question.code]
            if question.required and not partial:
                errors[question.code] = _("This question needs an answer.")
            continue
        if question.type in CHOICE and question.allow_other:
            chosen = cleaned[question.code]
            chosen = chosen if isinstance(chosen, list) else [chosen]
            text = raw.get(other_key(question.code))
            text = text.strip() if isinstance(text, str) else ""
            if OTHER in chosen:
                if not text and not partial:
                    errors[other_key(question.code)] = _("Say what “other” is.")
                elif text:
                    cleaned[other_key(question.code)] = text[:MAX_TEXT]
    if errors:
        raise AnswerErrors(errors)
    return cleaned


def visible_codes(questions: Iterable[QuestionLike], answers: Mapping[str, Any]) -> list[str]:
    """The codes of the questions shown for these answers, in order."""
    shown: list[str] = []
    seen: dict[str, Any] = {}
    for question in questions:
        if is_shown(question, seen):
            shown.append(question.code)
            if question.code in answers:
                seen[question.code] = answers[question.code]
    return shown
