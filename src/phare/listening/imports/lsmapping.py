"""LimeSurvey question types in Phare's terms, and how each reads its response columns.

=============================================  =================================================
LimeSurvey                                     Phare
=============================================  =================================================
L, ! (list), O (list with comment)             single (+ "other"); O adds ``<code>_comment``
M, P (multiple choice, with comments)          multiple (+ "other"); P adds a comment per option
T, S, U (free texts)                           text
Q (multiple short text)                        one text per subquestion
5 (5 point choice)                             scale 1–5
A, B (arrays of 5 / 10 points)                 one scale per subquestion (1–5, 1–10)
C, E (arrays yes/no/uncertain, increase…)      one single choice per subquestion
F, H (arrays, by column)                       one single choice per subquestion
G (gender), Y (yes/no)                         single
N, K (numerical inputs)                        scale when whole numbers within bounds (≤ 100
                                               apart), else numeric / multinum (bounds, total)
D (date/time)                                  date (with a time when its format has one)
R (ranking)                                    ranking of its answer options
:, ; (arrays of numbers, of texts)             numarray, textarray (rows × columns)
| (file upload)                                upload: the number of files, not the files
1 (array dual scale)                           dualscale: each row rated on both scales, their
                                               headers as the scales' names
X (text display), * (equation), I              skipped: nothing is answered
=============================================  =================================================

Question attributes that change what respondents see or may answer (array filters, random
order, hidden questions, validation, minimum/maximum answers…) are not carried over: the report
lists them by question, as it lists answer options that have no text (an image only).

Codes are the LimeSurvey titles as slugs (``G01Q03`` → ``g01q03``; subquestions
``g01q03_sq001``), answer codes likewise (``AO03`` → ``ao03``). Relevance equations are not
translated: a question shown under a condition is imported without it, and the report says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    number,
    skipped,
    unsupported,
    whole_number,
)
from phare.listening.questions import OTHER, other_key

if TYPE_CHECKING:
    from phare.listening.imports.limesurvey import Structure

TYPE_NAMES = {
    "1": gettext_lazy("Array dual scale"), "5": gettext_lazy("5 point choice"),
    "A": gettext_lazy("Array (5 point choice)"), "B": gettext_lazy("Array (10 point choice)"),
    "C": gettext_lazy("Array (Yes/No/Uncertain)"), "D": gettext_lazy("Date/Time"),
    "E": gettext_lazy("Array (Increase/Same/Decrease)"), "F": gettext_lazy("Array"),
    "G": gettext_lazy("Gender"), "H": gettext_lazy("Array by column"),
    "I": gettext_lazy("Language switch"), "K": gettext_lazy("Multiple numerical input"),
    "L": gettext_lazy("List (radio)"), "M": gettext_lazy("Multiple choice"),
    "N": gettext_lazy("Numerical input"), "O": gettext_lazy("List with comment"),
    "P": gettext_lazy("Multiple choice with comments"), "Q": gettext_lazy("Multiple short text"),
    "R": gettext_lazy("Ranking"), "S": gettext_lazy("Short free text"),
    "T": gettext_lazy("Long free text"), "U": gettext_lazy("Huge free text"),
    "X": gettext_lazy("Text display"), "Y": gettext_lazy("Yes/No"),
    "!": gettext_lazy("List (dropdown)"), ":": gettext_lazy("Array (numbers)"),
    ";": gettext_lazy("Array (texts)"), "|": gettext_lazy("File upload"),
    "*": gettext_lazy("Equation"), "^": gettext_lazy("Slider"),
}
#: Attributes that change what a respondent sees or may answer, which Phare does not keep.
BEHAVIOUR_ATTRIBUTES = (
    "array_filter", "array_filter_exclude", "array_filter_style", "random_order",
    "random_group", "exclude_all_others", "exclude_all_others_auto", "min_answers",
    "max_answers", "hidden", "em_validation_q", "em_validation_sq", "equals_num_value",
    "min_num_value", "max_num_value", "time_limit", "prefix", "suffix", "assessment_value",
    "other_numbers_only", "numbers_only", "max_subquestions", "multiflexible_min",
    "multiflexible_max", "slider_min", "slider_max", "answer_order",
    "alphasort")
#: Types that collect nothing a respondent answers.
NO_ANSWER = {"X", "*", "I"}

# LimeSurvey's fixed answer codes, with both labels (data, not interface text).
YES_NO = [("Y", "y", "Oui", "Yes"), ("N", "n", "Non", "No")]
GENDER = [("F", "f", "Femme", "Female"), ("M", "m", "Homme", "Male")]
YES_NO_UNCERTAIN = [("Y", "y", "Oui", "Yes"), ("U", "u", "Incertain", "Uncertain"),
                    ("N", "n", "Non", "No")]
INCREASE_SAME_DECREASE = [("I", "i", "Augmentation", "Increase"), ("S", "s", "Identique", "Same"),
                          ("D", "d", "Diminution", "Decrease")]
COMMENT = ("Commentaire", "Comment")
#: Decimals kept of a numerical input that is not "whole numbers only" (LimeSurvey keeps 10).
DECIMALS = 6


# --- readers: one question's answer from a response row -----------------------------------------

def text_reader(code: str, column: str) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = row.get(column) or ""
        return {code: value} if value.strip() else {}
    return read


def number_reader(code: str, column: str) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = (row.get(column) or "").strip()
        return {code: whole_number(value, column)} if value else {}
    return read


def choice_reader(code: str, column: str, mapping: Mapping[str, str], *,
                  other_column: str | None = None, blank: tuple[str, ...] = ()) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = (row.get(column) or "").strip()
        if not value or value in blank:
            return {}
        if other_column and value == "-oth-":
            answer: dict[str, Any] = {code: OTHER}
            text = (row.get(other_column) or "").strip()
            if text:
                answer[other_key(code)] = text
            return answer
        if value not in mapping:
            raise ValueProblem(column, _("“%(value)s” is not one of the answer options "
                                         "(%(options)s)")
                               % {"value": value, "options": ", ".join(mapping)})
        return {code: mapping[value]}
    return read


def multiple_reader(code: str, columns: list[tuple[str, str]], *,
                    other_column: str | None = None) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        chosen = []
        for column, option in columns:
            value = (row.get(column) or "").strip().upper()
            if value == "Y":
                chosen.append(option)
            elif value not in ("", "N"):
                raise ValueProblem(column, _("“%(value)s” is neither Y (chosen) nor empty")
                                   % {"value": row.get(column)})
        answer: dict[str, Any] = {}
        text = (row.get(other_column) or "").strip() if other_column else ""
        if text:
            chosen.append(OTHER)
            answer[other_key(code)] = text
        if chosen:
            answer[code] = chosen
        return answer
    return read


def numeric_reader(code: str, column: str) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = (row.get(column) or "").strip()
        return {code: number(value, column)} if value else {}
    return read


def rows_reader(code: str, columns: list[tuple[str, str]], *, numbers: bool) -> Reader:
    """``{row: value}`` of one column per row (multiple numerical input)."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found = {}
        for column, key in columns:
            value = (row.get(column) or "").strip()
            if value:
                found[key] = number(value, column) if numbers else value
        return {code: found} if found else {}
    return read


def cells_reader(code: str, cells: list[tuple[str, str, str]], *, numbers: bool) -> Reader:
    """``{row: {column: value}}`` of an array's cells."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, dict[str, Any]] = {}
        for column, key, sub in cells:
            value = (row.get(column) or "").strip()
            if value:
                found.setdefault(key, {})[sub] = number(value, column) if numbers else value
        return {code: found} if found else {}
    return read


def ranking_reader(code: str, columns: list[str], mapping: Mapping[str, str]) -> Reader:
    """The options best first, from one column per rank holding an answer code."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        ranked = []
        for column in columns:
            value = (row.get(column) or "").strip()
            if not value:
                continue
            if value not in mapping:
                raise ValueProblem(column, _("“%(value)s” is not one of the answer options "
                                             "(%(options)s)")
                                   % {"value": value, "options": ", ".join(mapping)})
            ranked.append(mapping[value])
        return {code: ranked} if ranked else {}
    return read


def dual_reader(code: str, cells: list[tuple[str, str, str, Mapping[str, str]]]) -> Reader:
    """``{row: {scale: choice}}`` of a dual scale: one column per row and scale."""
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, dict[str, str]] = {}
        for column, key, scale, mapping in cells:
            value = (row.get(column) or "").strip()
            if not value:
                continue
            if value not in mapping:
                raise ValueProblem(column, _("“%(value)s” is not one of the answer options "
                                             "(%(options)s)")
                                   % {"value": value, "options": ", ".join(mapping)})
            found.setdefault(key, {})[scale] = mapping[value]
        return {code: found} if found else {}
    return read


def date_reader(code: str, column: str, *, time: bool) -> Reader:
    def read(row: Mapping[str, Any]) -> dict[str, Any]:
        value = (row.get(column) or "").strip()
        if not value:
            return {}
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueProblem(column, _("“%(value)s” is not a date") % {
                "value": value}) from None
        return {code: moment.strftime("%Y-%m-%dT%H:%M" if time else "%Y-%m-%d")}
    return read


def number_settings(attributes: Mapping[str, str], low: str = "min_num_value_n",
                    high: str = "max_num_value_n") -> dict[str, Any]:
    """min, max and decimals of a numerical input, from its attributes."""
    found: dict[str, Any] = {"decimals": 0 if attributes.get("num_value_int_only") == "1"
                             else DECIMALS}
    for name, attribute in (("min", low), ("max", high)):
        try:
            found[name] = number(attributes.get(attribute, ""), attribute)
        except ValueProblem:
            continue
    return found


# --- the mapping ------------------------------------------------------------------------------

@dataclass
class Source:
    """One LimeSurvey question, as the mapping needs it."""

    qid: str
    type: str
    title: str
    column: str
    text: tuple[str, str]
    help: tuple[str, str]
    required: bool
    other: bool
    section: int
    attributes: dict[str, str]


def whole_bounds(attributes: Mapping[str, str]) -> tuple[int, int] | None:
    """The scale of a numerical input that only takes whole numbers between two bounds."""
    if attributes.get("num_value_int_only") != "1":
        return None
    try:
        low = int(attributes.get("min_num_value_n", ""))
        high = int(attributes.get("max_num_value_n", ""))
    except ValueError:
        return None
    return (low, high) if low < high and high - low <= 100 else None


class Mapper:
    """Add a LimeSurvey structure's sections and questions to a plan, reporting the rest."""

    def __init__(self, structure: Structure, plan: SurveyPlan) -> None:
        self.structure = structure
        self.plan = plan
        self.codes = Codes()
        self.sections: dict[str, int] = {}
        # Without French texts, the French fields hold the base language: so do added words.
        languages = {language_of(lang) for lang in structure.texts} | {
            language_of(structure.base)}
        self.french = "fr" in languages

    def word(self, pair: tuple[str, str]) -> tuple[str, str]:
        """A fixed word ("Comment") in the languages the survey's texts are in."""
        return pair if self.french else (pair[1], pair[1])

    def section(self, gid: str) -> int:
        if gid not in self.sections:
            self.sections[gid] = len(self.plan.sections)
            names = self.structure.group_names.get(gid, {})
            self.plan.sections.append(bilingual(names, self.structure.base))
            if self.structure.group_relevance.get(gid, "") not in ("", "1"):
                self.plan.items.append(note(gettext_lazy(
                    "display conditions of a question group not imported"), code=gid,
                    title=self.plan.sections[-1][0]))
        return self.sections[gid]

    def map_all(self) -> None:
        for gid in self.structure.groups:
            self.section(gid)
        order = {gid: position for position, gid in enumerate(self.structure.groups)}
        questions = sorted(self.structure.questions, key=lambda row: (
            order.get(row.get("gid", "").strip(), len(order)), _int(row.get("question_order")),
            _int(row.get("qid"))))
        for row in questions:
            self.map(row)

    def map(self, row: dict[str, str]) -> None:
        structure = self.structure
        qid, gid = row.get("qid", "").strip(), row.get("gid", "").strip()
        kind = row.get("type", "").strip()
        title = row.get("title", "").strip() or qid
        text, help_text = structure.text(qid)
        if not text[0]:
            text = (title, text[1])
        name = TYPE_NAMES.get(kind) or _("type “%(type)s”") % {"type": kind}
        shown = clip(text[0].split("\n")[0], 120)
        if kind in NO_ANSWER:
            self.plan.items.append(skipped(gettext_lazy("no answer"), name, title, shown, kind))
            return
        handler = getattr(self, f"map_{HANDLERS.get(kind, 'none')}", None)
        if handler is None:
            self.plan.items.append(unsupported(name, title, shown, kind))
            return
        source = Source(
            qid=qid, type=kind, title=title,
            column=f"{structure.sid}X{gid}X{qid}", text=text, help=help_text,
            required=row.get("mandatory", "").strip().upper() == "Y",
            other=row.get("other", "").strip().upper() == "Y", section=self.section(gid),
            attributes=structure.attributes.get(qid, {}))
        before = len(self.plan.questions)
        reason = handler(source)
        if reason:
            self.plan.items.append(unsupported(f"{name} ({reason})", title, shown, kind))
            return
        ignored = sorted(name for name in BEHAVIOUR_ATTRIBUTES
                         if source.attributes.get(name, "").strip() not in ("", "0", "N"))
        if ignored:
            self.plan.items.append(note(_("attributes not imported: %(names)s") % {
                "names": ", ".join(ignored)}, code=title, title=shown))
        if row.get("relevance", "").strip() not in ("", "1"):
            self.plan.items.append(note(gettext_lazy("display conditions not imported"),
                                        code=title, title=shown))
        if row.get("encrypted", "").strip().upper() == "Y":
            # Encrypted with the LimeSurvey server's key: the archive holds ciphertext.
            for question in self.plan.questions[before:]:
                question.read = None
            self.plan.items.append(note(gettext_lazy("encrypted answers not imported"),
                                        code=title, title=shown))

    # -- helpers --

    def add(self, source: Source, raw_code: str, kind: str, text: tuple[str, str], *,
            origin: str = "", required: bool | None = None, **fields: Any) -> QuestionPlan:
        question = QuestionPlan(
            code=self.codes.take(raw_code), type=kind, text_fr=text[0], text_en=text[1],
            section=source.section, source=origin or source.column,
            help_fr=source.help[0], help_en=source.help[1],
            required=source.required if required is None else required, **fields)
        self.plan.questions.append(question)
        return question

    def answer_options(self, source: Source) -> tuple[list[dict[str, str]], dict[str, str]]:
        codes = Codes([OTHER] if source.other else [])
        options, mapping = [], {}
        for code, texts in self.structure.answers.get((source.qid, 0), []):
            french, english = bilingual(texts, self.structure.base)
            if not french and not english:
                self.plan.items.append(note(_(
                    "answer option %(option)s has no text (an image only?): imported as "
                    "“%(option)s”") % {"option": code}, code=source.title,
                    title=clip(source.text[0].split("\n")[0], 120)))
            mapping[code] = codes.take(code, "option")
            options.append({"code": mapping[code], "label_fr": french or code,
                            "label_en": english})
        return options, mapping

    def subquestions(self, source: Source) -> list[tuple[str, tuple[str, str]]]:
        """(title, text) of the subquestions on the first axis, in order."""
        subs = []
        for row in self.structure.subquestions.get(source.qid, []):
            if _int(row.get("scale_id")) == 0:
                sub_title = row.get("title", "").strip()
                texts = self.structure.text(row.get("qid", "").strip())[0]
                subs.append((sub_title, (texts[0] or sub_title, texts[1])))
        return subs

    @staticmethod
    def fixed(choices: list[tuple[str, str, str, str]]) -> tuple[list[dict[str, str]],
                                                                 dict[str, str]]:
        return ([{"code": code, "label_fr": fr, "label_en": en} for _v, code, fr, en in choices],
                {value: code for value, code, _fr, _en in choices})

    def comment(self, source: Source, raw_code: str, about: tuple[str, str],
                column: str) -> None:
        question = self.add(source, raw_code, "text", joined(about, self.word(COMMENT)),
                            origin=column, required=False)
        question.read = text_reader(question.code, column)

    # -- one method per family of types; a returned string makes the question unsupported --

    def map_list(self, source: Source) -> str | None:
        options, mapping = self.answer_options(source)
        if not options:
            return _("no answer options")
        question = self.add(source, source.title, "single", source.text, options=options,
                            allow_other=source.other)
        question.read = choice_reader(
            question.code, source.column, mapping,
            other_column=source.column + "other" if source.other else None)
        if source.type == "O":
            self.comment(source, f"{source.title}_comment", source.text,
                         source.column + "comment")
        return None

    def map_multiple(self, source: Source) -> str | None:
        subs = self.subquestions(source)
        if not subs:
            return _("no options")
        codes = Codes([OTHER] if source.other else [])
        options, columns = [], []
        for sub_title, (french, english) in subs:
            code = codes.take(sub_title, "option")
            options.append({"code": code, "label_fr": french, "label_en": english})
            columns.append((source.column + sub_title, code))
        question = self.add(source, source.title, "multiple", source.text, options=options,
                            allow_other=source.other)
        question.read = multiple_reader(
            question.code, columns,
            other_column=source.column + "other" if source.other else None)
        if source.type == "P":
            for sub_title, texts in subs:
                self.comment(source, f"{source.title}_{sub_title}_comment",
                             joined(source.text, texts), source.column + sub_title + "comment")
            if source.other:
                self.comment(source, f"{source.title}_other_comment",
                             joined(source.text, self.word(("Autre", "Other"))),
                             source.column + "othercomment")
        return None

    def map_text(self, source: Source) -> str | None:
        question = self.add(source, source.title, "text", source.text)
        question.read = text_reader(question.code, source.column)
        return None

    def map_texts(self, source: Source) -> str | None:
        subs = self.subquestions(source)
        if not subs:
            return _("no subquestions")
        for sub_title, texts in subs:
            column = source.column + sub_title
            question = self.add(source, f"{source.title}_{sub_title}", "text",
                                joined(source.text, texts), origin=column)
            question.read = text_reader(question.code, column)
        return None

    def map_five(self, source: Source) -> str | None:
        question = self.add(source, source.title, "scale", source.text, scale_min=1,
                            scale_max=5)
        question.read = number_reader(question.code, source.column)
        return None

    def map_numeric(self, source: Source) -> str | None:
        bounds = whole_bounds(source.attributes)
        if bounds is None:
            question = self.add(source, source.title, "numeric", source.text,
                                settings=number_settings(source.attributes))
            question.read = numeric_reader(question.code, source.column)
            return None
        question = self.add(source, source.title, "scale", source.text, scale_min=bounds[0],
                            scale_max=bounds[1])
        question.read = number_reader(question.code, source.column)
        return None

    def rows(self, source: Source, scale: int = 0) -> list[tuple[str, dict[str, str]]]:
        """(title, row) of the subquestions on one axis, rows as Phare items."""
        codes = Codes()
        found = []
        for row in self.structure.subquestions.get(source.qid, []):
            if _int(row.get("scale_id")) == scale:
                title = row.get("title", "").strip()
                french, english = self.structure.text(row.get("qid", "").strip())[0]
                found.append((title, {"code": codes.take(title, "row"),
                                      "label_fr": french or title, "label_en": english}))
        return found

    def map_multinum(self, source: Source) -> str | None:
        if whole_bounds(source.attributes) is not None:
            return self.map_scales(source)
        rows = self.rows(source)
        if not rows:
            return _("no subquestions")
        settings = number_settings(source.attributes)
        with contextlib.suppress(ValueProblem):  # an equation, not a number: no total
            settings["total"] = number(source.attributes.get("equals_num_value", ""), "")
        question = self.add(source, source.title, "multinum", source.text,
                            options=[item for _title, item in rows], settings=settings)
        question.read = rows_reader(question.code, [
            (source.column + title, item["code"]) for title, item in rows], numbers=True)
        return None

    def map_date(self, source: Source) -> str | None:
        # LimeSurvey's date_format ("dd.mm.yyyy HH:MM"); without one, a date alone.
        time = "HH" in source.attributes.get("date_format", "")
        question = self.add(source, source.title, "date", source.text, settings={"time": time})
        question.read = date_reader(question.code, source.column, time=time)
        return None

    def map_ranking(self, source: Source) -> str | None:
        options, mapping = self.answer_options(source)
        if not options:
            return _("no answer options")
        question = self.add(source, source.title, "ranking", source.text, options=options)
        question.read = ranking_reader(
            question.code, [f"{source.column}{rank}" for rank in range(1, len(options) + 1)],
            mapping)
        return None

    def map_arrays(self, source: Source) -> str | None:
        rows, columns = self.rows(source, 0), self.rows(source, 1)
        if not rows or not columns:
            return _("no subquestions")
        numbers = source.type == ":"
        settings: dict[str, Any] = {}
        if numbers:
            settings = number_settings(source.attributes, "multiflexible_min",
                                       "multiflexible_max")
            step = source.attributes.get("multiflexible_step", "")
            settings["decimals"] = len(step.split(".")[1].rstrip("0")) if "." in step else 0
            if source.attributes.get("multiflexible_checkbox") == "1":
                settings.update({"min": 0, "max": 1, "decimals": 0})
        question = self.add(source, source.title, "numarray" if numbers else "textarray",
                            source.text, options=[item for _t, item in rows],
                            columns=[item for _t, item in columns], settings=settings)
        question.read = cells_reader(question.code, [
            (f"{source.column}{row}_{column}", row_item["code"], column_item["code"])
            for row, row_item in rows for column, column_item in columns], numbers=numbers)
        return None

    def map_upload(self, source: Source) -> str | None:
        question = self.add(source, source.title, "upload", source.text, required=False)
        question.read = numeric_reader(question.code, source.column + "_filecount")
        self.plan.items.append(note(gettext_lazy(
            "uploaded files not imported: only how many each respondent gave"),
            code=source.title, title=clip(source.text[0].split("\n")[0], 120)))
        return None

    def map_dualscale(self, source: Source) -> str | None:
        rows = self.rows(source)
        if not rows:
            return _("no subquestions")
        scales, readers = [], []
        for scale_id, header in ((0, "dualscale_headerA"), (1, "dualscale_headerB")):
            choices, mapping = [], {}
            codes = Codes()
            for code, texts in self.structure.answers.get((source.qid, scale_id), []):
                french, english = bilingual(texts, self.structure.base)
                mapping[code] = codes.take(code, "choice")
                choices.append({"code": mapping[code], "label_fr": french or code,
                                "label_en": english})
            if not choices:
                return _("no answer options on scale %(number)d") % {"number": scale_id + 1}
            fallback = self.word((f"Échelle {scale_id + 1}", f"Scale {scale_id + 1}"))
            names = self.structure.attribute_texts.get(source.qid, {}).get(header, {})
            french, english = bilingual(names, self.structure.base)
            if not french and not english and source.attributes.get(header):
                french = source.attributes[header]  # before DBVersion 156: no language
            code = f"s{scale_id + 1}"
            scales.append({"code": code, "label_fr": french or fallback[0],
                           "label_en": english or (fallback[1] if not french else ""),
                           "choices": choices})
            readers.append((scale_id, code, mapping))
        question = self.add(source, source.title, "dualscale", source.text,
                            options=[item for _title, item in rows],
                            settings={"scales": scales})
        question.read = dual_reader(question.code, [
            (f"{source.column}{title}#{scale_id}", item["code"], code, mapping)
            for title, item in rows for scale_id, code, mapping in readers])
        return None

    def map_scales(self, source: Source) -> str | None:
        if source.type == "K":
            bounds = whole_bounds(source.attributes)
            if bounds is None:
                return _("no whole-number bounds")
        else:
            bounds = (1, 5) if source.type == "A" else (1, 10)
        subs = self.subquestions(source)
        if not subs:
            return _("no subquestions")
        for sub_title, texts in subs:
            column = source.column + sub_title
            question = self.add(source, f"{source.title}_{sub_title}", "scale",
                                joined(source.text, texts), origin=column,
                                scale_min=bounds[0], scale_max=bounds[1])
            question.read = number_reader(question.code, column)
        return None

    def map_array(self, source: Source) -> str | None:
        if source.type == "C":
            options, mapping = self.fixed(YES_NO_UNCERTAIN)
        elif source.type == "E":
            options, mapping = self.fixed(INCREASE_SAME_DECREASE)
        else:
            options, mapping = self.answer_options(source)
        subs = self.subquestions(source)
        if not options or not subs:
            return _("no answer options") if not options else _("no subquestions")
        for sub_title, texts in subs:
            column = source.column + sub_title
            question = self.add(source, f"{source.title}_{sub_title}", "single",
                                joined(source.text, texts), origin=column,
                                options=[dict(o) for o in options])
            question.read = choice_reader(question.code, column, mapping)
        return None

    def map_fixed(self, source: Source) -> str | None:
        options, mapping = self.fixed(GENDER if source.type == "G" else YES_NO)
        question = self.add(source, source.title, "single", source.text, options=options)
        # LimeSurvey stores "-" for a gender left as "no answer".
        question.read = choice_reader(question.code, source.column, mapping, blank=("-",))
        return None


HANDLERS = {
    "L": "list", "!": "list", "O": "list", "M": "multiple", "P": "multiple",
    "T": "text", "S": "text", "U": "text", "Q": "texts", "5": "five", "N": "numeric",
    "A": "scales", "B": "scales", "K": "multinum", "C": "array", "E": "array", "F": "array",
    "H": "array", "G": "fixed", "Y": "fixed", "D": "date", "R": "ranking", ":": "arrays",
    ";": "arrays", "|": "upload", "1": "dualscale",
}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
