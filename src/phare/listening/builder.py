"""The survey builder's pure helpers: the options editor (options, a matrix's columns), the
display condition form, the question fields a form gives, and the identifiers a survey may not
take.

Nothing here reads or writes the database: the writes are in :mod:`phare.listening.services`
(which also refuses the reserved identifiers and skips edits that change nothing), the reads in
:mod:`phare.listening.queries`. What is here turns what a person typed into what those services
take, with errors that name the field (and line) to correct.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.listening import question_kinds as kinds
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import Question

#: Identifiers that fixed pages under ``/surveys/`` (and ``/api/v1/surveys/imports``) use: a
#: survey may not take them (:func:`phare.listening.services.survey_create` refuses them).
RESERVED_SLUGS = frozenset({"new", "import", "imports", "tickets"})

#: The question fields each type uses; the others are cleared so nothing stale is kept.
SCALE_TYPES = {"scale"} | qtypes.COMPOUND
LABEL_TYPES = qtypes.NUMERIC | qtypes.COMPOUND
OPTION_TYPES = qtypes.CHOICE | qtypes.COMPOUND | kinds.ROW_KINDS
COLUMN_TYPES = {"matrix"} | kinds.ARRAY_KINDS
#: The builder's settings fields (see :func:`settings_from_form`), by the types that use them.
SETTINGS_FIELDS = {
    "number_min": {"numeric", "multinum", "numarray", "slider"},
    "number_max": {"numeric", "multinum", "numarray", "slider"},
    "decimals": {"numeric", "multinum", "numarray", "slider", "constsum"},
    "step": {"slider"},
    "total": {"multinum", "constsum"},
    "with_time": {"date"},
    "date_min": {"date"},
    "date_max": {"date"},
    "top": {"ranking"},
    "scales": {"dualscale"},
}
#: A settings key's form field (a date's bounds have their own fields).
SETTING_FIELD = {"min": "number_min", "max": "number_max", "decimals": "decimals",
                 "step": "step", "total": "total", "time": "with_time", "top": "top",
                 "scales": "scales"}


class SurveySlugConverter:
    """``<survey:slug>`` in URLs: a slug that is not a reserved identifier, so that fixed pages
    declared after the survey's routes (``/surveys/tickets/``) still reach their views."""

    regex = r"(?!(?:{})/)[-a-zA-Z0-9_]+".format("|".join(sorted(RESERVED_SLUGS)))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# --- the options editor -----------------------------------------------------------------------

class OptionLinesError(ListeningError):
    """Lines of the options (or columns) editor that cannot be read: ``lines`` lists (line,
    reason); ``field`` is the editor's, ``options`` or ``columns``."""

    def __init__(self, lines: list[tuple[int, str]], field: str = "options") -> None:
        self.lines = lines
        super().__init__(" ".join(_("Line %(n)d: %(reason)s") % {"n": n, "reason": reason}
                                  for n, reason in lines), field=field)


def _valid_code(code: str) -> bool:
    return bool(code) and code.replace("-", "").replace("_", "").isalnum()


def parse_options(text: str, *, allow_other: bool = False,
                  field: str = "options") -> list[dict[str, str]]:
    """Read the options editor: one line per option, ``code | label FR | label EN``.

    A line with a label alone (no ``|``) gets a code made from it. Blank lines are skipped;
    line numbers in errors count every line, as the editor shows them. A matrix's columns are
    written the same way (``field="columns"``, named by the errors).
    """
    options: list[dict[str, str]] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        if len(parts) > 3:
            errors.append((number, _("write at most “code | label FR | label EN”.")))
            continue
        if len(parts) == 1:
            parts = [slugify(parts[0]).replace("-", "_"), parts[0]]
            if not parts[0]:
                errors.append((number, _("give a code: “code | label FR | label EN”.")))
                continue
        code, label_fr, label_en = (parts + ["", ""])[:3]
        if not _valid_code(code):
            errors.append((number, _("the code “%s” must be letters, digits, “-” or “_”.")
                           % code))
            continue
        if not (label_fr or label_en):
            errors.append((number, _("give a label (French or English).")))
            continue
        if code in seen:
            errors.append((number, _("the code “%(code)s” is already on line %(first)d.")
                           % {"code": code, "first": seen[code]}))
            continue
        if allow_other and code == qtypes.OTHER:
            errors.append((number, _("the code “other” is kept for the “other” answer.")))
            continue
        seen[code] = number
        options.append({"code": code, "label_fr": label_fr, "label_en": label_en})
    if errors:
        raise OptionLinesError(errors, field=field)
    return options


def format_options(options: Sequence[Mapping[str, str]]) -> str:
    """The options as the editor shows them (the inverse of :func:`parse_options`)."""
    lines = []
    for option in options or []:
        parts = [option.get("code", ""), option.get("label_fr", ""), option.get("label_en", "")]
        while len(parts) > 2 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


# --- display conditions -----------------------------------------------------------------------

CONDITION_FIELDS = ("condition_question", "condition_op", "condition_values", "condition_min",
                    "condition_max")


def _number(text: str, field: str) -> int | float:
    cleaned = (text or "").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ListeningError(_("“%s” is not a number.") % text if cleaned
                             else _("Give a number."), field=field) from None
    return int(value) if value.is_integer() else value


def condition_from_form(data: Mapping[str, Any],
                        earlier: Sequence[Question]) -> dict[str, Any] | None:
    """The condition JSON from the form's ``condition_*`` fields (``None``: always shown).

    ``earlier`` are the questions it may refer to; values of a numeric question become
    numbers within its scale.
    """
    code = (data.get("condition_question") or "").strip()
    if not code:
        return None
    target = next((q for q in earlier if q.code == code), None)
    if target is None:
        raise ListeningError(_("A display condition must refer to an earlier question (“%s” "
                               "is not one).") % code, field="condition_question")
    op = data.get("condition_op") or ""
    if op == "answered":
        return {"question": code, "op": "answered"}
    if target.type == "grid":
        raise ListeningError(_("A condition on a grid can only be “answered”."),
                             field="condition_op")
    if target.type == "matrix":
        raise ListeningError(_("A condition on a rating matrix can only be “answered”."),
                             field="condition_op")
    if target.type in kinds.KINDS - kinds.SINGLE_NUMBER:
        raise ListeningError(_("A condition on “%s” can only be “answered”.") % code,
                             field="condition_op")
    if op == "between":
        if target.type not in qtypes.NUMERIC | kinds.SINGLE_NUMBER:
            raise ListeningError(_("“between” needs a numeric question."), field="condition_op")
        low = _number(data.get("condition_min") or "", "condition_min")
        high = _number(data.get("condition_max") or "", "condition_max")
        if low > high:
            raise ListeningError(_("The lowest value must not be above the highest."),
                                 field="condition_max")
        return {"question": code, "op": "between", "min": low, "max": high}
    if op != "in":
        raise ListeningError(_("Choose how the answer is compared."), field="condition_op")
    raw = [v.strip() for v in str(data.get("condition_values") or "").replace("\n", ",")
           .split(",") if v.strip()]
    if not raw:
        raise ListeningError(_("List the answers that show the question, separated by commas."),
                             field="condition_values")
    values: list[Any] = raw
    if target.type in kinds.SINGLE_NUMBER:
        values = [_number(item, "condition_values") for item in raw]
    elif target.type in qtypes.NUMERIC:
        low, high = qtypes.scale_of(target)
        values = []
        for item in raw:
            if not item.lstrip("-").isdigit() or not low <= int(item) <= high:
                raise ListeningError(_("“%(v)s” is not a whole number from %(low)d to %(high)d.")
                                     % {"v": item, "low": low, "high": high},
                                     field="condition_values")
            values.append(int(item))
    elif target.type in qtypes.CHOICE:
        allowed = qtypes.option_codes(target) + ([qtypes.OTHER] if target.allow_other else [])
        unknown = [v for v in raw if v not in allowed]
        if unknown:
            raise ListeningError(_("“%(q)s” has no option %(v)s (its options: %(all)s).")
                                 % {"q": code, "v": ", ".join(unknown),
                                    "all": ", ".join(allowed)}, field="condition_values")
    return {"question": code, "op": "in", "values": values}


def condition_to_form(condition: Mapping[str, Any] | None) -> dict[str, str]:
    """The form's ``condition_*`` initial values for a stored condition."""
    if not condition:
        return dict.fromkeys(CONDITION_FIELDS, "")
    return {
        "condition_question": condition.get("question", ""),
        "condition_op": condition.get("op", ""),
        "condition_values": ", ".join(str(v) for v in condition.get("values") or []),
        "condition_min": "" if condition.get("min") is None else str(condition["min"]),
        "condition_max": "" if condition.get("max") is None else str(condition["max"]),
    }


def condition_summary(condition: Mapping[str, Any] | None) -> str:
    """The condition in words: “Shown when nps is between 0 and 6.”"""
    if not condition:
        return ""
    code = condition.get("question", "")
    op = condition.get("op")
    if op == "answered":
        return _("Shown when “%s” is answered.") % code
    if op == "between":
        return _("Shown when “%(q)s” is between %(min)s and %(max)s.") % {
            "q": code, "min": condition.get("min"), "max": condition.get("max")}
    return _("Shown when “%(q)s” is one of: %(values)s.") % {
        "q": code, "values": ", ".join(str(v) for v in condition.get("values") or [])}


# --- questions --------------------------------------------------------------------------------

def question_fields(data: Mapping[str, Any], earlier: Sequence[Question]) -> dict[str, Any]:
    """The service fields of a question from the builder form's cleaned data.

    Fields the type does not use are cleared; the options editor and the condition fields
    are parsed (raising :class:`ListeningError` naming the form field).
    """
    kind = data.get("type") or ""
    fields: dict[str, Any] = {"type": kind}
    for name in ("text_fr", "text_en", "help_fr", "help_en"):
        fields[name] = (data.get(name) or "").strip()
    fields["required"] = bool(data.get("required"))
    uses_scale = kind in SCALE_TYPES
    fields["scale_min"] = data.get("scale_min") if uses_scale else None
    fields["scale_max"] = data.get("scale_max") if uses_scale else None
    for name in ("label_min_fr", "label_min_en", "label_max_fr", "label_max_en"):
        fields[name] = (data.get(name) or "").strip() if kind in LABEL_TYPES else ""
    fields["allow_other"] = bool(data.get("allow_other")) and kind in qtypes.CHOICE
    fields["options"] = (parse_options(data.get("options") or "",
                                       allow_other=fields["allow_other"])
                         if kind in OPTION_TYPES else [])
    fields["columns"] = (parse_options(data.get("columns") or "", field="columns")
                         if kind in COLUMN_TYPES else [])
    fields["settings"] = settings_from_form(data, kind)
    fields["condition"] = condition_from_form(data, earlier)
    return fields


# --- the settings of the other kinds ------------------------------------------------------------

def _optional_number(data: Mapping[str, Any], name: str) -> int | float | None:
    text = str(data.get(name) or "").strip()
    return _number(text, name) if text else None


def settings_from_form(data: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """A question's ``settings`` from the builder's fields (only those its type uses);
    :func:`phare.listening.question_kinds.check_kind` checks them whole when it is saved."""
    used = {name for name, types in SETTINGS_FIELDS.items() if kind in types}
    settings: dict[str, Any] = {}
    if "number_min" in used:
        settings["min"] = _optional_number(data, "number_min")
        settings["max"] = _optional_number(data, "number_max")
    if "decimals" in used and data.get("decimals") not in (None, ""):
        settings["decimals"] = int(data["decimals"])
    if "step" in used:
        step = _optional_number(data, "step")
        if step is not None:
            settings["step"] = step
    if "total" in used:
        settings["total"] = _optional_number(data, "total")
    if kind == "date":
        settings["time"] = bool(data.get("with_time"))
        for bound in ("min", "max"):
            text = str(data.get(f"date_{bound}") or "").strip()
            if text:
                value = kinds.read_date(text, time=settings["time"])
                if value is None:
                    raise ListeningError(_("“%s” is not a date (YYYY-MM-DD).") % text,
                                         field=f"date_{bound}")
                settings[bound] = value
    if kind == "ranking" and data.get("top") not in (None, ""):
        settings["top"] = int(data["top"])
    if kind == "dualscale":
        settings["scales"] = parse_scales(data.get("scales") or "")
    return {key: value for key, value in settings.items() if value is not None}


def settings_to_form(question: Question) -> dict[str, Any]:
    """The builder's settings fields for a stored question."""
    settings = kinds.settings_of(question)
    values: dict[str, Any] = dict.fromkeys(SETTINGS_FIELDS, "")
    if question.type == "date":
        values.update(with_time=bool(settings.get("time")), date_min=settings.get("min") or "",
                      date_max=settings.get("max") or "")
        return values
    for key, name in SETTING_FIELD.items():
        if key in settings and key not in {"scales", "time"}:
            values[name] = settings[key]
    values["scales"] = format_scales(settings.get("scales") or [])
    return values


def parse_scales(text: str) -> list[dict[str, Any]]:
    """The scales of a dual-scale question: a line ``# code | label FR | label EN`` opens each
    scale, the lines under it are its choices (``code | label FR | label EN``). Errors give
    the line as the editor numbers it."""
    lines = (text or "").splitlines()
    heads = [i for i, line in enumerate(lines) if line.strip().startswith("#")]
    before = [i + 1 for i, line in enumerate(lines[:heads[0] if heads else len(lines)])
              if line.strip()]
    if before:
        raise OptionLinesError([(before[0], _("start a scale with “# code | label FR | "
                                              "label EN”."))], field="scales")
    scales: list[dict[str, Any]] = []
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        try:
            header = parse_options(lines[head].strip()[1:], field="scales")
        except OptionLinesError as exc:
            raise OptionLinesError([(head + 1, reason) for _n, reason in exc.lines],
                                   field="scales") from None
        try:
            choices = parse_options("\n".join(lines[head + 1:end]), field="scales")
        except OptionLinesError as exc:
            raise OptionLinesError([(head + 1 + line, reason) for line, reason in exc.lines],
                                   field="scales") from None
        if not header:
            raise OptionLinesError([(head + 1, _("give the scale a code and a label."))],
                                   field="scales")
        if not choices:
            raise OptionLinesError([(head + 1, _("list the answers of this scale under it."))],
                                   field="scales")
        scales.append({**header[0], "choices": choices})
    return scales


def format_scales(scales: Sequence[Mapping[str, Any]]) -> str:
    """The scales as the editor shows them (the inverse of :func:`parse_scales`)."""
    blocks = []
    for scale in scales:
        blocks.append("# " + format_options([scale]) + "\n" +
                      format_options(scale.get("choices") or []))
    return "\n".join(blocks)
