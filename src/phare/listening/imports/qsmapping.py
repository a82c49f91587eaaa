"""Qualtrics question types in Phare's terms, and how each reads its legacy XML columns.

==========================================  =====================================================
Qualtrics (QuestionType / Selector)         Phare
==========================================  =====================================================
MC / NPS                                    nps
MC / SAVR, SAHR, SACOL, DL, SB              single
MC / MAVR, MAHR, MACOL, MSB                 multiple
Matrix / Likert, one answer per row         one single choice per statement, or one scale when
                                            the scale points are consecutive whole numbers
Matrix / Likert, several answers per row    one multiple choice per statement
Matrix / TE (text entry)                    textarray (statements × fields); numarray when the
                                            fields must be numbers
Matrix / CS (constant sum)                  multinum of the statements, with the total when the
                                            question forces one (one per column if several)
Matrix / RO (rank order)                    ranking of the statements (one per column if several)
SBS (side by side)                          dualscale of its single-choice columns (one scale
                                            each, at most 6); each text column a textarray
                                            (numarray with numeric validation); columns of
                                            several answers per statement are reported
FileUpload                                  upload: whether a file was given (1), not the file
TE / SL, ML, ESTB                           text; numeric when validated as a number (SL)
TE / FORM                                   one text per field
Slider (whole numbers between two bounds)   one scale per slider; with decimals, a slider
RO (rank order)                             ranking (the rank of each choice, per column)
CS (constant sum)                           constsum when a total is required, else multinum
DB, Timing, Meta                            skipped: nothing is answered
PGR, MaxDiff, bipolar and profile matrices, unsupported, listed by name
heat maps, signatures…
==========================================  =====================================================

A choice with a text box ("Other: ___") stays an option, and its text becomes a text question
``<code>_<choice>_text``. Codes are the export tags as slugs (``Q15`` → ``q15``); option codes
are the choices' recode values when the survey sets them (so exports carry the codes analysts
know), else Qualtrics' choice ids. A response gives a choice by its label, its variable name,
its recode value or its id: all are recognised.

Response columns, as Qualtrics names them: a side by side's ``QID5#1_2`` (column 1, statement
2) and ``QID5#3_2_1`` (a text column's field 1); a text-entry matrix's ``QID2_<statement>_<field>``;
a constant-sum or rank-order matrix's ``QID4_<statement>`` (``_<column>`` added when it has
several columns); a file upload's ``QID6_FILE_ID``, ``_FILE_NAME``… (legacy CSV ``Q6_Id``,
``Q6_Name``…), of which only whether a file was given is read.

Left behind, and said so by question: display logic (of the question or of one choice), choice
randomisation, options shown as an image only (imported under their code).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.listening.imports.plan import (
    Codes,
    QuestionPlan,
    Reader,
    SurveyPlan,
    ValueProblem,
    alias_of,
    bilingual,
    clip,
    joined,
    language_of,
    note,
    number,
    plain_text,
    skipped,
    unsupported,
    whole_number,
)
from phare.listening.question_kinds import MAX_SCALES

TYPE_NAMES = {
    "MC": gettext_lazy("multiple choice"), "Matrix": gettext_lazy("matrix table"),
    "TE": gettext_lazy("text entry"), "Slider": gettext_lazy("slider"),
    "RO": gettext_lazy("rank order"), "CS": gettext_lazy("constant sum"),
    "DB": gettext_lazy("descriptive text"), "Timing": gettext_lazy("timing"),
    "Meta": gettext_lazy("meta info"), "PGR": gettext_lazy("pick, group and rank"),
    "SBS": gettext_lazy("side by side"), "HeatMap": gettext_lazy("heat map"),
    "HotSpot": gettext_lazy("hot spot"), "DD": gettext_lazy("drill down"),
    "FileUpload": gettext_lazy("file upload"), "Draw": gettext_lazy("signature"),
    "GAP": gettext_lazy("gap analysis"), "Captcha": gettext_lazy("captcha verification"),
    "SS": gettext_lazy("graphic slider"), "HL": gettext_lazy("highlight"),
    "Highlight": gettext_lazy("highlight"),
}
MATRIX_NAMES = {"MaxDiff": gettext_lazy("MaxDiff"),
                "Bipolar": gettext_lazy("matrix table (bipolar)"),
                "TE": gettext_lazy("matrix table (text entry)"),
                "CS": gettext_lazy("matrix table (constant sum)"),
                "RO": gettext_lazy("matrix table (rank order)"),
                "Profile": gettext_lazy("matrix table (profile)")}
NO_ANSWER = {"DB", "Timing", "Meta"}
SINGLE = {"SAVR", "SAHR", "SACOL", "DL", "SB"}
MULTIPLE = {"MAVR", "MAHR", "MACOL", "MSB"}
TEXT = {"SL", "ML", "ESTB"}
#: Decimals a constant sum's numbers may have (Qualtrics does not say).
MAX_DECIMALS = 6
#: What the legacy export writes for a choice seen and left unticked.
UNTICKED = {"", "-99", "0"}


@dataclass
class Choice:
    """A choice (or a matrix's scale point): its id, Phare code, labels and identifiers."""

    id: str
    code: str
    label: tuple[str, str]
    text_entry: bool
    #: Every string a response may give for it: id, recode value, label, variable name.
    names: tuple[str, ...]


# --- readers ----------------------------------------------------------------------------------

def _value(row: Mapping[str, Any], column: str) -> str:
    value = (row.get(column) or "").strip()
    return "" if value == "-99" else value  # -99: seen, not answered


def text_reader(code: str, column: str, fallback: str = "") -> Reader:
    """A text; ``fallback`` is the column's name in exports that differ (legacy CSV)."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column if column in row or not fallback else fallback)
        return {code: value} if value else {}
    return read


def number_reader(code: str, column: str) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column)
        return {code: whole_number(value, column)} if value else {}
    return read


def lookup_of(choices: list[Choice]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    # Later names win: a label or variable name outranks an id that happens to look like it.
    for rank in range(4):
        for choice in choices:
            if rank < len(choice.names) and choice.names[rank]:
                lookup[choice.names[rank]] = choice.code
    return lookup


def single_reader(code: str, column: str, choices: list[Choice]) -> Reader:
    lookup = lookup_of(choices)

    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column)
        if not value:
            return {}
        if value not in lookup:
            raise ValueProblem(column, _("“%(value)s” is none of the choices (%(choices)s)")
                               % {"value": value, "choices": ", ".join(
                                   c.label[0] for c in choices)})
        return {code: lookup[value]}
    return read


def scale_reader(code: str, column: str, points: list[Choice]) -> Reader:
    lookup = lookup_of(points)
    numbers = {p.code: int(p.label[0]) for p in points}

    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column)
        if not value:
            return {}
        if value in lookup:
            return {code: numbers[lookup[value]]}
        return {code: whole_number(value, column)}
    return read


def decimal_reader(code: str, column: str, fallback: str = "") -> Reader:
    """A number; ``fallback`` is the column's name in exports that differ (legacy CSV)."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column if column in row or not fallback else fallback)
        return {code: number(value, column)} if value else {}
    return read


def rank_reader(code: str, columns: list[tuple[str, str]]) -> Reader:
    """The choices best first, from one column per choice holding its rank."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        ranks = []
        for column, option in columns:
            value = _value(row, column)
            if value:
                ranks.append((whole_number(value, column), option))
        return {code: [option for _rank, option in sorted(ranks)]} if ranks else {}
    return read


def sum_reader(code: str, columns: list[tuple[str, str]]) -> Reader:
    """``{row: number}`` of one column per choice."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found = {option: number(_value(row, column), column) for column, option in columns
                 if _value(row, column)}
        return {code: found} if found else {}
    return read


def cells_reader(code: str, cells: list[tuple[str, str, str]], *, numbers: bool) -> Reader:
    """``{row: {column: value}}`` of a matrix's cells."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, dict[str, Any]] = {}
        for column, key, sub in cells:
            value = _value(row, column)
            if value:
                found.setdefault(key, {})[sub] = number(value, column) if numbers else value
        return {code: found} if found else {}
    return read


def dual_reader(code: str, cells: list[tuple[str, str, str, list[Choice]]]) -> Reader:
    """``{row: {scale: choice}}`` of a side by side's single-choice columns."""
    lookups = {id(choices): lookup_of(choices) for _c, _k, _s, choices in cells}

    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, dict[str, str]] = {}
        for column, key, scale, choices in cells:
            value = _value(row, column)
            if not value:
                continue
            lookup = lookups[id(choices)]
            if value not in lookup:
                raise ValueProblem(column, _(
                    "“%(value)s” is none of the choices (%(choices)s)") % {
                    "value": value, "choices": ", ".join(c.label[0] for c in choices)})
            found.setdefault(key, {})[scale] = lookup[value]
        return {code: found} if found else {}
    return read


def file_reader(code: str, qid: str) -> Reader:
    """1 when the respondent gave a file (its id or name is in the export), else nothing."""
    columns = [f"{qid}_{part}" for part in ("FILE_ID", "FILE_NAME", "Id", "Name")]

    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        return {code: 1} if any(_value(row, column) for column in columns) else {}
    return read


def multiple_reader(code: str, columns: list[tuple[str, str]], *, joined_column: str = "",
                    choices: list[Choice] | None = None) -> Reader:
    """Ticked options, one column per choice; or, unsplit (CSV), one column of values."""
    lookup = lookup_of(choices or [])

    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        if joined_column and joined_column in row and not any(c in row for c, _o in columns):
            value = _value(row, joined_column)
            chosen = []
            for part in (p.strip() for p in value.split(",") if p.strip()):
                if part not in lookup:
                    raise ValueProblem(joined_column, _(
                        "“%(value)s” is none of the choices (%(choices)s)") % {
                        "value": part, "choices": ", ".join(
                            c.label[0] for c in choices or [])})
                chosen.append(lookup[part])
            return {code: chosen} if chosen else {}
        chosen = [option for column, option in columns
                  if (row.get(column) or "").strip() not in UNTICKED]
        return {code: chosen} if chosen else {}
    return read


# --- the mapping ------------------------------------------------------------------------------

def _ordered(items: Any, order: Any) -> list[tuple[str, dict[str, Any]]]:
    """Qualtrics' choices (an object, or a list indexed from 0) in their display order."""
    if isinstance(items, list):
        pairs = [(str(index), item) for index, item in enumerate(items)]
    elif isinstance(items, dict):
        pairs = [(str(key), item) for key, item in items.items()]
    else:
        return []
    by_id = {key: item for key, item in pairs if isinstance(item, dict)}
    ids = [str(key) for key in order] if isinstance(order, list) else []
    ids = [key for key in ids if key in by_id]
    ids += [key for key in by_id if key not in ids]
    return [(key, by_id[key]) for key in ids]


class Mapper:
    """Add Qualtrics questions to a plan, reporting those Phare cannot take."""

    def __init__(self, plan: SurveyPlan, base: str, alias: str = "") -> None:
        self.plan = plan
        #: An alias run reads the language ``alias`` as English (:func:`.plan.alias_of`).
        self.rename = alias_of(alias) if alias else language_of
        self.base = self.rename(base)
        self.codes = Codes()

    def texts(self, payload: Mapping[str, Any], get: Any) -> tuple[str, str]:
        """A text in French and English: the base language's, and a translation's if any."""
        texts = {self.base: plain_text(get(payload))}
        translations = payload.get("Language")
        if isinstance(translations, dict):
            for language, translated in translations.items():
                language = self.rename(language_of(language))
                if isinstance(translated, dict) and language in ("fr", "en"):
                    texts.setdefault(language, plain_text(get(translated)))
        return bilingual(texts, self.base)

    def choices(self, payload: Mapping[str, Any], key: str = "Choices",
                order_key: str = "ChoiceOrder") -> list[Choice]:
        codes = Codes()
        # Recode values and variable names belong to a matrix's scale points, else to choices.
        applies = (key == "Answers") == (payload.get("QuestionType") == "Matrix")
        recodes = payload.get("RecodeValues") if applies else None
        naming = payload.get("VariableNaming") if applies else None
        recodes = recodes if isinstance(recodes, dict) else {}
        naming = naming if isinstance(naming, dict) else {}
        out = []
        recoded = len({str(v) for v in recodes.values()}) == len(recodes)
        for choice_id, item in _ordered(payload.get(key), payload.get(order_key)):
            label = self.texts(payload, lambda p, i=choice_id: _display(p, key, i))
            text_entry = str(item.get("TextEntry", "")).lower() in ("true", "1", "on")
            raw_code = str(recodes.get(choice_id, "")) if recoded else ""
            out.append(Choice(
                id=choice_id, code=codes.take(raw_code or choice_id, "choice"),
                label=(label[0] or choice_id, label[1]), text_entry=text_entry,
                names=(choice_id, str(recodes.get(choice_id, "")),
                       plain_text(item.get("Display")), str(naming.get(choice_id, "")))))
        return out

    def add(self, raw_code: str, kind: str, text: tuple[str, str], section: int, source: str,
            **fields: Any) -> QuestionPlan:
        question = QuestionPlan(code=self.codes.take(raw_code), type=kind, text_fr=text[0],
                                text_en=text[1], section=section, source=source, **fields)
        self.plan.questions.append(question)
        return question

    def map(self, qid: str, payload: Mapping[str, Any], section: int, *,
            looped: bool = False) -> None:
        qtype = str(payload.get("QuestionType", ""))
        selector = str(payload.get("Selector", ""))
        tag = str(payload.get("DataExportTag") or qid)
        text = self.texts(payload, lambda p: p.get("QuestionText")
                          or p.get("QuestionDescription"))
        if not text[0]:
            text = (tag, text[1])
        shown = clip(text[0].split("\n")[0], 120)
        name = TYPE_NAMES.get(qtype) or _("type “%(type)s”") % {"type": qtype}
        if qtype in NO_ANSWER:
            self.plan.items.append(skipped(gettext_lazy("no answer"), name, tag, shown, qtype))
            return
        if looped:
            self.plan.items.append(unsupported(gettext_lazy("question in a loop and merge "
                                                            "block"), tag, shown, qtype))
            return
        handler = getattr(self, f"map_{qtype.lower()}", None) if qtype in (
            "MC", "Matrix", "TE", "Slider", "RO", "CS", "SBS", "FileUpload") else None
        settings = (payload.get("Validation") or {}).get("Settings") or {}
        context = Context(qid=qid, tag=tag, text=text, section=section,
                          required=settings.get("ForceResponse") == "ON")
        reason = handler(context, payload, selector) if handler else name
        if reason is not None:
            self.plan.items.append(unsupported(reason, tag, shown, f"{qtype}/{selector}"))
            return
        if payload.get("DisplayLogic") or payload.get("SkipLogic"):
            self.plan.items.append(note(gettext_lazy("display conditions not imported"),
                                        code=tag, title=shown))
        self.report_choices(payload, tag, shown)

    def report_choices(self, payload: Mapping[str, Any], tag: str, shown: str) -> None:
        """What an imported question's choices had that Phare does not keep."""
        for key in ("Choices", "Answers"):
            for choice_id, item in _ordered(payload.get(key), None):
                display = str(item.get("Display") or "")
                if item.get("DisplayLogic"):
                    self.plan.items.append(note(_(
                        "display condition of choice “%(choice)s” not imported") % {
                        "choice": plain_text(display) or choice_id}, code=tag, title=shown))
                if "<img" in display.lower() and not plain_text(display):
                    self.plan.items.append(note(_(
                        "choice %(choice)s is an image only: imported as “%(choice)s”") % {
                        "choice": choice_id}, code=tag, title=shown))
        randomization = payload.get("Randomization")
        if isinstance(randomization, dict) and str(randomization.get("Type", "None")) not in (
                "None", ""):
            self.plan.items.append(note(gettext_lazy("random order of the choices not "
                                                     "imported"), code=tag, title=shown))

    def text_box(self, context: Context, choice: Choice, raw_code: str) -> None:
        """The text question of a choice that has a text box ("Other: ___")."""
        if choice.text_entry:
            column = f"{context.qid}_{choice.id}_TEXT"
            question = self.add(f"{raw_code}_text", "text", joined(context.text, choice.label),
                                context.section, column)
            question.read = text_reader(question.code, column)

    # -- one method per question type; a returned text makes the question unsupported --

    def map_mc(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        if selector == "NPS":
            labels = [self.texts({"Display": item.get("Display")}, lambda p: p["Display"])
                      for item in payload.get("ColumnLabels") or [] if isinstance(item, dict)]
            ends = labels if len(labels) == 2 else [("", ""), ("", "")]
            question = self.add(context.tag, "nps", context.text, context.section, context.qid,
                                required=context.required, label_min_fr=ends[0][0],
                                label_min_en=ends[0][1], label_max_fr=ends[1][0],
                                label_max_en=ends[1][1])
            question.read = number_reader(question.code, context.qid)
            return None
        if selector not in SINGLE | MULTIPLE:
            return _("%(type)s (%(selector)s)") % {"type": TYPE_NAMES["MC"],
                                                    "selector": selector}
        choices = self.choices(payload)
        if not choices:
            return _carried(payload)
        options = [{"code": c.code, "label_fr": c.label[0], "label_en": c.label[1]}
                   for c in choices]
        kind = "single" if selector in SINGLE else "multiple"
        question = self.add(context.tag, kind, context.text, context.section, context.qid,
                            required=context.required, options=options)
        question.read = (single_reader(question.code, context.qid, choices) if kind == "single"
                         else multiple_reader(question.code, [(f"{context.qid}_{c.id}", c.code)
                                                              for c in choices],
                                              joined_column=context.qid, choices=choices))
        for choice in choices:
            self.text_box(context, choice, f"{context.tag}_{choice.id}")
        return None

    def map_matrix(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        sub = str(payload.get("SubSelector", ""))
        if selector in ("TE", "CS", "RO"):
            return self.matrix_cells(context, payload, selector)
        if selector != "Likert" or sub not in ("SingleAnswer", "DL", "MultipleAnswer"):
            return MATRIX_NAMES.get(selector) or _("%(type)s (%(selector)s)") % {
                "type": TYPE_NAMES["Matrix"], "selector": f"{selector} {sub}".strip()}
        statements = self.choices(payload)
        points = self.choices(payload, "Answers", "AnswerOrder")
        if not statements or not points:
            return _carried(payload)
        numbers = [p.label[0] for p in points]
        # Scale points "1", "2"… "7" make a rating scale (of at most 101 points, as Phare's).
        consecutive = 1 < len(numbers) <= 101 and all(
            n.lstrip("-").isdigit() for n in numbers) and [int(n) for n in numbers] == list(
            range(int(numbers[0]), int(numbers[0]) + len(numbers)))
        tags = payload.get("ChoiceDataExportTags")
        tags = tags if isinstance(tags, dict) else {}
        options = [{"code": p.code, "label_fr": p.label[0], "label_en": p.label[1]}
                   for p in points]
        for statement in statements:
            raw = f"{context.tag}_{tags.get(statement.id) or statement.id}"
            text = joined(context.text, statement.label)
            column = f"{context.qid}_{statement.id}"
            if sub == "MultipleAnswer":
                question = self.add(raw, "multiple", text, context.section, column,
                                    required=context.required, options=[dict(o) for o in options])
                question.read = multiple_reader(question.code, [
                    (f"{column}_{p.id}", p.code) for p in points])
            elif consecutive:
                question = self.add(raw, "scale", text, context.section, column,
                                    required=context.required, scale_min=int(numbers[0]),
                                    scale_max=int(numbers[-1]))
                question.read = scale_reader(question.code, column, points)
            else:
                question = self.add(raw, "single", text, context.section, column,
                                    required=context.required, options=[dict(o) for o in options])
                question.read = single_reader(question.code, column, points)
            self.text_box(context, statement, raw)
        return None

    def map_te(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        if selector in TEXT:
            column = f"{context.qid}_TEXT"
            settings = _valid_number(payload) if selector == "SL" else None
            if settings is not None:  # "content type: valid number": a number input
                question = self.add(context.tag, "numeric", context.text, context.section,
                                    column, required=context.required, settings=settings)
                question.read = decimal_reader(question.code, column, context.qid)
                return None
            question = self.add(context.tag, "text", context.text, context.section, column,
                                required=context.required)
            question.read = text_reader(question.code, column, context.qid)
            return None
        if selector == "FORM":
            fields = self.choices(payload)
            if not fields:
                return _carried(payload)
            for field in fields:
                column = f"{context.qid}_{field.id}"
                question = self.add(f"{context.tag}_{field.id}", "text",
                                    joined(context.text, field.label), context.section, column,
                                    required=context.required)
                question.read = text_reader(question.code, column)
            return None
        return _("%(type)s (%(selector)s)") % {"type": TYPE_NAMES["TE"], "selector": selector}

    def rows(self, choices: list[Choice]) -> list[dict[str, str]]:
        return [{"code": c.code, "label_fr": c.label[0], "label_en": c.label[1]}
                for c in choices]

    def map_ro(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        choices = self.choices(payload)
        if not choices:
            return _carried(payload)
        question = self.add(context.tag, "ranking", context.text, context.section, context.qid,
                            required=context.required, options=self.rows(choices))
        question.read = rank_reader(question.code, [(f"{context.qid}_{c.id}", c.code)
                                                    for c in choices])
        for choice in choices:
            self.text_box(context, choice, f"{context.tag}_{choice.id}")
        return None

    def map_cs(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        choices = self.choices(payload)
        if not choices:
            return _carried(payload)
        settings = (payload.get("Validation") or {}).get("Settings") or {}
        total = None
        if settings.get("Type") == "ChoicesTotal":
            with contextlib.suppress(ValueProblem):
                total = number(settings.get("ChoiceTotal", ""), "ChoiceTotal")
        kind = "constsum" if total else "multinum"
        question = self.add(context.tag, kind, context.text, context.section, context.qid,
                            required=context.required, options=self.rows(choices),
                            settings={"total": total, "decimals": MAX_DECIMALS} if total
                            else {"decimals": MAX_DECIMALS})
        question.read = sum_reader(question.code, [(f"{context.qid}_{c.id}", c.code)
                                                   for c in choices])
        return None

    def map_slider(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        config = payload.get("Configuration") or {}
        try:
            low = number(config.get("CSSliderMin", ""), "CSSliderMin")
            high = number(config.get("CSSliderMax", ""), "CSSliderMax")
            decimals = int(config.get("NumDecimals", 0) or 0)
        except (TypeError, ValueError):
            return _("%(type)s without bounds") % {"type": TYPE_NAMES["Slider"]}
        if not low < high or not 0 <= decimals <= MAX_DECIMALS:
            return _("%(type)s without bounds") % {"type": TYPE_NAMES["Slider"]}
        sliders = self.choices(payload)
        if not sliders:
            return _carried(payload)
        if decimals or not isinstance(low, int) or not isinstance(high, int) \
                or high - low > 100:
            step = 10 ** -decimals if decimals else 1
            for slider in sliders:
                column = f"{context.qid}_{slider.id}"
                question = self.add(f"{context.tag}_{slider.id}", "slider",
                                    joined(context.text, slider.label), context.section, column,
                                    required=context.required, settings={
                                        "min": low, "max": high, "step": step,
                                        "decimals": decimals})
                question.read = decimal_reader(question.code, column)
            return None
        for slider in sliders:
            column = f"{context.qid}_{slider.id}"
            question = self.add(f"{context.tag}_{slider.id}", "scale",
                                joined(context.text, slider.label), context.section, column,
                                required=context.required, scale_min=low, scale_max=high)
            question.read = number_reader(question.code, column)
        return None


    def matrix_cells(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        """A text-entry, constant-sum or rank-order matrix: statements × answer columns."""
        statements = self.choices(payload)
        answers = self.choices(payload, "Answers", "AnswerOrder")
        if not statements:
            return _carried(payload)
        rows = self.rows(statements)
        if selector == "TE":
            if not answers:
                return _carried(payload)
            self.cells(context, payload, context.tag, context.text, context.qid, statements,
                       answers)
            return None
        # One column (or none): the statements' cells are QID_<row>; else QID_<row>_<answer>.
        columns: list[Choice | None] = list(answers) if len(answers) > 1 else [None]
        total = _total(payload)
        for column in columns:
            raw = f"{context.tag}_{column.id}" if column else context.tag
            text = joined(context.text, column.label) if column else context.text
            cells = [(f"{context.qid}_{s.id}" + (f"_{column.id}" if column else ""), s.code)
                     for s in statements]
            if selector == "RO":
                question = self.add(raw, "ranking", text, context.section, context.qid,
                                    required=context.required, options=[dict(r) for r in rows])
                question.read = rank_reader(question.code, cells)
            else:
                question = self.add(raw, "multinum", text, context.section, context.qid,
                                    required=context.required, options=[dict(r) for r in rows],
                                    settings={"decimals": MAX_DECIMALS} | (
                                        {"total": total} if total else {}))
                question.read = sum_reader(question.code, cells)
        return None

    def cells(self, context: Context, payload: Mapping[str, Any], raw: str,
              text: tuple[str, str], prefix: str, statements: list[Choice],
              answers: list[Choice]) -> None:
        """A textarray (numarray when numbers are required) of ``prefix_<row>_<answer>``."""
        found = _valid_number(payload)
        numeric = found is not None
        settings = found or {}
        question = self.add(raw, "numarray" if numeric else "textarray", text,
                            context.section, prefix, required=context.required,
                            options=self.rows(statements), columns=self.rows(answers),
                            settings=settings)
        question.read = cells_reader(question.code, [
            (f"{prefix}_{s.id}_{a.id}", s.code, a.code) for s in statements for a in answers],
            numbers=numeric)

    def map_sbs(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        statements = self.choices(payload)
        if not statements:
            return _carried(payload)
        columns = _ordered(payload.get("AdditionalQuestions"), None)
        if not columns:
            return _("%(type)s (no columns)") % {"type": TYPE_NAMES["SBS"]}
        scales: list[dict[str, Any]] = []
        readers: list[tuple[str, str, list[Choice]]] = []
        left: list[str] = []
        texts: list[tuple[Mapping[str, Any], str, tuple[str, str], str, list[Choice]]] = []
        shown = clip(context.text[0].split("\n")[0], 120)
        for number_, column in columns:
            label = self.texts(column, lambda p: p.get("QuestionText")
                               or p.get("QuestionDescription"))
            label = (label[0] or f"{number_}", label[1])
            prefix = f"{context.qid}#{number_}"
            kind = str(column.get("Selector", ""))
            sub = str(column.get("SubSelector", ""))
            answers = self.choices({**column, "QuestionType": "Matrix"}, "Answers",
                                   "AnswerOrder")
            if kind == "TE" and answers:
                texts.append((column, f"{context.tag}_{number_}", joined(context.text, label),
                              prefix, answers))
            elif kind in ("Likert", "") and sub in ("SingleAnswer", "DL", "") and answers \
                    and len(scales) < MAX_SCALES:
                code = f"s{number_}"
                scales.append({"code": Codes().take(code, "scale"), "label_fr": label[0],
                               "label_en": label[1], "choices": self.rows(answers)})
                readers.append((prefix, scales[-1]["code"], answers))
            else:
                left.append(label[0])
        if scales:
            question = self.add(context.tag, "dualscale", context.text, context.section,
                                context.qid, required=context.required,
                                options=self.rows(statements), settings={"scales": scales})
            question.read = dual_reader(question.code, [
                (f"{prefix}_{s.id}", s.code, scale, answers)
                for prefix, scale, answers in readers for s in statements])
        for entry, raw, text, prefix, answers in texts:  # after the scales, as shown
            self.cells(context, entry, raw, text, prefix, statements, answers)
        if len(left) == len(columns):
            return _("%(type)s (no column Phare can take)") % {"type": TYPE_NAMES["SBS"]}
        if left:
            self.plan.items.append(note(_("columns not imported (several answers per "
                                          "statement, or no choices): %(columns)s") % {
                "columns": ", ".join(left)}, code=context.tag, title=shown))
        return None

    def map_fileupload(self, context: Context, payload: Mapping[str, Any],
                       selector: str) -> Any:
        question = self.add(context.tag, "upload", context.text, context.section, context.qid)
        question.read = file_reader(question.code, context.qid)
        self.plan.items.append(note(gettext_lazy(
            "uploaded files not imported: only how many each respondent gave"),
            code=context.tag, title=clip(context.text[0].split("\n")[0], 120)))
        return None


def _valid_number(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """min, max and decimals of a text entry validated as a number; None if it is not."""
    validation = (payload.get("Validation") or {}).get("Settings") or {}
    if validation.get("ContentType") != "ValidNumber" and validation.get(
            "Type") != "ValidNumber":
        return None
    bounds = validation.get("ValidNumber")
    bounds = bounds if isinstance(bounds, dict) else {}
    settings: dict[str, Any] = {"decimals": MAX_DECIMALS}
    with contextlib.suppress(TypeError, ValueError):
        settings["decimals"] = max(0, min(MAX_DECIMALS, int(bounds.get("NumDecimals", ""))))
    for name, key in (("min", "Min"), ("max", "Max")):
        with contextlib.suppress(ValueProblem):
            settings[name] = number(bounds.get(key, ""), key)
    return settings


def _total(payload: Mapping[str, Any]) -> int | float | None:
    """The sum a constant-sum question forces, if it forces one."""
    settings = (payload.get("Validation") or {}).get("Settings") or {}
    if settings.get("Type") != "ChoicesTotal":
        return None
    with contextlib.suppress(ValueProblem):
        return number(settings.get("ChoiceTotal", ""), "ChoiceTotal") or None
    return None


@dataclass
class Context:
    """What every question type's mapping needs to know of the question."""

    qid: str
    tag: str
    text: tuple[str, str]
    section: int
    required: bool


def _display(payload: Mapping[str, Any], key: str, choice_id: str) -> Any:
    items = payload.get(key)
    if isinstance(items, list):
        index = int(choice_id) if choice_id.isdigit() else -1
        item = items[index] if 0 <= index < len(items) else None
    elif isinstance(items, dict):
        item = items.get(choice_id)
    else:
        item = None
    return item.get("Display") if isinstance(item, dict) else None


def _carried(payload: Mapping[str, Any]) -> str:
    """Why a question without static choices cannot be imported, after its type's name."""
    name = TYPE_NAMES.get(str(payload.get("QuestionType", "")), "")
    why = (_("choices carried forward from another question")
           if payload.get("DynamicChoices") else _("no choices"))
    return f"{name} ({why})"
