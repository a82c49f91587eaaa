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
TE / SL, ML, ESTB                           text; TE / FORM: one text per field
Slider (whole numbers between two bounds)   one scale per slider
DB, Timing, Meta                            skipped: nothing is answered
RO, CS, PGR, MaxDiff, side by side…         unsupported, listed by name
==========================================  =====================================================

A choice with a text box ("Other: ___") stays an option, and its text becomes a text question
``<code>_<choice>_text``. Codes are the export tags as slugs (``Q15`` → ``q15``); option codes
are Qualtrics' choice ids. A response gives a choice by its label, its variable name, its recode
value or its id: all are recognised.
"""

from __future__ import annotations

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
    bilingual,
    clip,
    joined,
    language_of,
    note,
    plain_text,
    skipped,
    unsupported,
    whole_number,
)

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


def text_reader(code: str, column: str) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = _value(row, column)
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


def multiple_reader(code: str, columns: list[tuple[str, str]]) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
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

    def __init__(self, plan: SurveyPlan, base: str) -> None:
        self.plan = plan
        self.base = base
        self.codes = Codes()

    def texts(self, payload: Mapping[str, Any], get: Any) -> tuple[str, str]:
        """A text in French and English: the base language's, and a translation's if any."""
        texts = {self.base: plain_text(get(payload))}
        translations = payload.get("Language")
        if isinstance(translations, dict):
            for language, translated in translations.items():
                if isinstance(translated, dict) and language_of(language) in ("fr", "en"):
                    texts.setdefault(language_of(language), plain_text(get(translated)))
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
        for choice_id, item in _ordered(payload.get(key), payload.get(order_key)):
            label = self.texts(payload, lambda p, i=choice_id: _display(p, key, i))
            text_entry = str(item.get("TextEntry", "")).lower() in ("true", "1", "on")
            out.append(Choice(
                id=choice_id, code=codes.take(choice_id, "choice"),
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
            "MC", "Matrix", "TE", "Slider") else None
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
                                                              for c in choices]))
        for choice in choices:
            self.text_box(context, choice, f"{context.tag}_{choice.id}")
        return None

    def map_matrix(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        sub = str(payload.get("SubSelector", ""))
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
            question = self.add(context.tag, "text", context.text, context.section, column,
                                required=context.required)
            question.read = text_reader(question.code, column)
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

    def map_slider(self, context: Context, payload: Mapping[str, Any], selector: str) -> Any:
        config = payload.get("Configuration") or {}
        try:
            low, high = int(config.get("CSSliderMin", "")), int(config.get("CSSliderMax", ""))
            decimals = int(config.get("NumDecimals", 0) or 0)
        except (TypeError, ValueError):
            return _("%(type)s without whole-number bounds") % {"type": TYPE_NAMES["Slider"]}
        if decimals or not low < high or high - low > 100:
            return _("%(type)s without whole-number bounds") % {"type": TYPE_NAMES["Slider"]}
        sliders = self.choices(payload)
        if not sliders:
            return _carried(payload)
        for slider in sliders:
            column = f"{context.qid}_{slider.id}"
            question = self.add(f"{context.tag}_{slider.id}", "scale",
                                joined(context.text, slider.label), context.section, column,
                                required=context.required, scale_min=low, scale_max=high)
            question.read = number_reader(question.code, column)
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
