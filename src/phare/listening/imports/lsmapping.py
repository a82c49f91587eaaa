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
N, K (numerical inputs)                        scale when whole numbers within bounds, else
                                               unsupported
X (text display), * (equation), I              skipped: nothing is answered
D, R, :, ;, 1, | (date, ranking, number and    unsupported, listed by name
text arrays, dual scale, file upload)
=============================================  =================================================

Codes are the LimeSurvey titles as slugs (``G01Q03`` → ``g01q03``; subquestions
``g01q03_sq001``), answer codes likewise (``AO03`` → ``ao03``). Relevance equations are not
translated: a question shown under a condition is imported without it, and the report says so.
"""

from __future__ import annotations

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
    "*": gettext_lazy("Equation"),
}
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
            return _("no whole-number bounds")
        question = self.add(source, source.title, "scale", source.text, scale_min=bounds[0],
                            scale_max=bounds[1])
        question.read = number_reader(question.code, source.column)
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
    "A": "scales", "B": "scales", "K": "scales", "C": "array", "E": "array", "F": "array",
    "H": "array", "G": "fixed", "Y": "fixed",
}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
