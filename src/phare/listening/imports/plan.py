"""What a reader makes of another tool's file before anything is written: a :class:`SurveyPlan`.

Each reader (:mod:`.limesurvey`, :mod:`.qualtrics`) turns its files into one plan — the survey's
texts, its sections, its questions in Phare's types, the responses as raw answers keyed by
question code — plus the report of what it could not carry over. :mod:`.writing` then checks
the plan whole and writes it in one transaction, or raises :class:`SurveyImportError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.lib.imports import ImportFailed
from phare.listening import languages as langs

#: Phare's question codes and option codes are slugs of at most this many characters.
MAX_CODE = 64


# --- errors and report ------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportProblem:
    """One reason the files cannot be imported: in which file, where in it, and why."""

    file: str
    where: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.file, self.where) if part)
        return f"{place}: {self.reason}" if place else self.reason

    def as_row(self) -> dict[str, Any]:
        """The shape the job page lists errors in (table, line, column, reason)."""
        return {"table": self.file, "line": self.line, "column": self.where,
                "reason": self.reason}


class SurveyImportError(ImportFailed):
    """The survey files have problems; nothing was written. ``errors`` lists each one."""

    order = staticmethod(lambda problem: (problem.file, problem.line or 0))

    def __init__(self, errors: Iterable[ImportProblem]) -> None:
        super().__init__(errors)

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return _("%(problem)s. Nothing was imported.") % {
                "problem": str(self.errors[0]).rstrip(".")}
        return super().__str__()


def fail(file: str, reason: str, *, where: str = "", line: int | None = None) -> SurveyImportError:
    """A one-problem :class:`SurveyImportError` (for files that cannot be read at all)."""
    return SurveyImportError([ImportProblem(file, where, reason, line)])


@dataclass(frozen=True)
class ReportItem:
    """Something of the source survey that was not carried over, or carried over differently.

    ``kind`` is ``unsupported`` (a question type Phare has no equivalent for), ``skipped``
    (nothing to import: text displays, equations, the trash) or ``note`` (imported, with a
    caveat such as display conditions left behind).
    """

    kind: str
    reason: str
    code: str = ""
    title: str = ""
    #: The source tool's own type identifier ("D", "RO"…), for those who know it.
    source_type: str = ""
    type_name: str = ""

    @property
    def message(self) -> str:
        params = {"type": self.type_name, "code": self.code, "title": self.title,
                  "reason": self.reason}
        if self.kind == "unsupported":
            return _("unsupported: %(type)s (%(code)s): %(title)s") % params
        if self.kind == "skipped":
            return _("skipped (%(reason)s): %(type)s (%(code)s): %(title)s") % params
        if self.code:
            return _("%(reason)s (%(code)s): %(title)s") % params
        return str(self.reason)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "code": self.code,
                "title": self.title, "source_type": self.source_type,
                "type_name": str(self.type_name), "reason": str(self.reason)}


def unsupported(type_name: Any, code: str, title: str, source_type: str = "") -> ReportItem:
    return ReportItem("unsupported", str(type_name), code, title, source_type, str(type_name))


def skipped(reason: Any, type_name: Any, code: str, title: str,
            source_type: str = "") -> ReportItem:
    return ReportItem("skipped", str(reason), code, title, source_type, str(type_name))


def note(reason: Any, code: str = "", title: str = "") -> ReportItem:
    return ReportItem("note", str(reason), code, title)


# --- the plan ---------------------------------------------------------------------------------

class ValueProblem(ValueError):
    """A response value that cannot become an answer: ``column`` names the source column."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


#: Reads one question's answer from a response row: ``{answer key: value}`` (the question's
#: code, and ``<code>.other`` for an "other" text); raises :class:`ValueProblem`.
Reader = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass
class QuestionPlan:
    """A Phare question to create, with where it comes from and how to read its answers."""

    code: str
    type: str
    text_fr: str
    text_en: str = ""
    section: int = 0
    #: The source's name for it ("G01Q03 SQ001", "QID5 row 2"), for error messages.
    source: str = ""
    help_fr: str = ""
    help_en: str = ""
    required: bool = False
    scale_min: int | None = None
    scale_max: int | None = None
    label_min_fr: str = ""
    label_min_en: str = ""
    label_max_fr: str = ""
    label_max_en: str = ""
    options: list[dict[str, str]] = field(default_factory=list)
    allow_other: bool = False
    #: An array's columns, and the parameters of the kinds in ``question_kinds``.
    columns: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    read: Reader | None = None
    #: Its texts in languages other than French and English (see :mod:`..languages`).
    translations: dict[str, Any] = field(default_factory=dict)

    FIELDS = ("type", "text_fr", "text_en", "help_fr", "help_en", "required", "scale_min",
              "scale_max", "label_min_fr", "label_min_en", "label_max_fr", "label_max_en",
              "options", "allow_other", "columns", "settings", "translations")

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass
class ResponsePlan:
    """One complete response of the source, as raw answers keyed by Phare question code."""

    file: str
    label: str
    answers: dict[str, Any]
    submitted_on: dt.date
    submitted_at: dt.datetime | None = None
    source_id: str = ""
    language: str = "fr"


@dataclass
class SurveyPlan:
    """Everything to write for one imported survey, and what was left behind."""

    file: str
    source: str
    title_fr: str
    title_en: str = ""
    intro_fr: str = ""
    intro_en: str = ""
    thanks_fr: str = ""
    thanks_en: str = ""
    anonymous: bool = True
    sections: list[tuple[str, str]] = field(default_factory=list)
    questions: list[QuestionPlan] = field(default_factory=list)
    responses: list[ResponsePlan] = field(default_factory=list)
    items: list[ReportItem] = field(default_factory=list)
    incomplete: int = 0
    participants: int = 0
    #: Values the readers could not take; checked with the rest before anything is written.
    problems: list[ImportProblem] = field(default_factory=list)
    #: The source's languages, its base first (ISO 639-1 codes); empty: French (and English).
    languages: list[str] = field(default_factory=list)
    #: The survey's texts in languages other than French and English, and each section's.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    section_translations: dict[int, dict[str, dict[str, str]]] = field(default_factory=dict)

    def read_answers(self, row: Mapping[str, Any], file: str, label: str) -> dict[str, Any]:
        """A response row's answers to every question; unreadable values go to ``problems``."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            if question.read is None:
                continue
            try:
                answers.update(question.read(row))
            except ValueProblem as exc:
                self.problems.append(ImportProblem(
                    file, f"{label}, {exc.column} ({question.code})", exc.reason))
        return answers


# --- languages other than French and English ----------------------------------------------------

def source_languages(codes: Iterable[Any]) -> list[str]:
    """The languages of a source (``"de-informal"``, ``"IT"``…) as ISO 639-1 codes, in order,
    each once; those Phare does not know are left out."""
    found: list[str] = []
    for code in codes:
        language = language_of(code)
        if langs.is_language(language) and language not in found:
            found.append(language)
    return found


#: Where an alias run (:func:`alias_of`) puts the real English texts, out of the way.
ASIDE = "x-en"


def alias_of(language: str) -> Callable[[str], str]:
    """A renaming of source languages under which ``language`` reads as English: a reader run
    with it puts ``language``'s texts in every ``*_en`` field (English ones set aside)."""
    def rename(code: str) -> str:
        found = language_of(code)
        if found == language:
            return "en"
        return ASIDE if found == "en" else code
    return rename


def add_translation(plan: SurveyPlan, other: SurveyPlan, language: str) -> None:
    """Keep ``language``'s texts, read by an alias run into ``other``'s English fields, as the
    translations of ``plan``'s survey, sections and questions (matched by position and code)."""
    survey = {"title": clip(other.title_en, 200), "intro": other.intro_en,
              "thanks": other.thanks_en}
    survey = {name: text for name, text in survey.items() if text}
    if survey:
        plan.translations[language] = survey
    for index, (_french, english) in enumerate(other.sections[:len(plan.sections)]):
        if english:
            plan.section_translations.setdefault(index, {})[language] = {
                "title": clip(english, 200)}
    by_code = {question.code: question for question in other.questions}
    for question in plan.questions:
        found = by_code.get(question.code)
        if found is None or found.type != question.type:
            continue
        scales = found.settings.get("scales") if isinstance(found.settings, dict) else None
        scales = [s for s in scales or [] if isinstance(s, dict)]
        entry = langs.question_translation(
            {"text": found.text_en, "help": clip(found.help_en, 300),
             "label_min": clip(found.label_min_en, 80), "label_max": clip(found.label_max_en, 80)},
            options=_labels(found.options), columns=_labels(found.columns),
            scales=_labels(scales),
            choices={str(s.get("code", "")): _labels(s.get("choices") or []) for s in scales})
        if entry:
            question.translations[language] = entry


def _labels(items: Iterable[Any]) -> dict[str, str]:
    return {str(item.get("code", "")): str(item.get("label_en") or "")
            for item in items if isinstance(item, Mapping)}


# --- helpers shared by the readers ------------------------------------------------------------

class Codes:
    """Unique slug codes: ``take("G01Q03")`` gives ``g01q03``, then ``g01q03-2``…"""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set(reserved)

    def take(self, raw: str, fallback: str = "q") -> str:
        base = slugify(str(raw)).strip("-_")[:MAX_CODE] or fallback
        code, number = base, 1
        while code in self.used:
            number += 1
            suffix = f"-{number}"
            code = base[:MAX_CODE - len(suffix)] + suffix
        self.used.add(code)
        return code


_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table",
           "ul", "ol", "blockquote"}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(value: Any) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, blank runs collapsed."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text or "&" in text:
        parser = _TextOf()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def language_of(code: Any) -> str:
    """``"fr"`` of ``"FR"``, ``"fr-CA"``, ``"de-informal"``…"""
    return re.split(r"[-_]", str(code or "").strip().lower())[0][:2]


def bilingual(texts: Mapping[str, str], base: str) -> tuple[str, str]:
    """The French and English texts of a text given per language.

    Phare keeps both languages and needs the French one: a survey without French gets its
    base language's text there (shown to French speakers, as they would have seen it).
    """
    by_language: dict[str, str] = {}
    for language, text in texts.items():
        if text and language_of(language) not in by_language:
            by_language[language_of(language)] = text
    english = by_language.get("en", "")
    french = by_language.get("fr") or by_language.get(language_of(base)) or english \
        or next(iter(by_language.values()), "")
    return french, english


def joined(parent: tuple[str, str], child: tuple[str, str]) -> tuple[str, str]:
    """The text of a subquestion: "question — subquestion", in each language."""
    def join(first: str, second: str) -> str:
        return f"{first} — {second}" if first and second else first or second

    french = join(parent[0], child[0])
    english = join(parent[1] or parent[0], child[1] or child[0]) \
        if parent[1] or child[1] else ""
    return french, english


def clip(text: str, length: int) -> str:
    """The text cut to ``length`` characters (a field's limit), marked with an ellipsis."""
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def whole_number(value: Any, column: str) -> int:
    """A number as an integer ("4.0000000000" → 4); anything else is a :class:`ValueProblem`."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueProblem(column, _("“%(value)s” is not a number") % {"value": value}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueProblem(column, _("“%(value)s” is not a whole number") % {"value": value})
    return int(number)


def number(value: Any, column: str) -> int | float:
    """A number as LimeSurvey or Qualtrics write it ("34.0000000000" → 34, "1.50" → 1.5)."""
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueProblem(column, _("“%(value)s” is not a number") % {"value": value}) from None
    if not found.is_finite():
        raise ValueProblem(column, _("“%(value)s” is not a number") % {"value": value})
    if found == found.to_integral_value():
        return int(found)
    return float(found.normalize())


def parse_xml(data: bytes, file: str) -> Element:
    """An XML document, read safely (defusedxml: no entity expansion, no external resources)."""
    try:
        return SafeET.fromstring(data)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise fail(file, _("not well-formed XML (%(error)s)") % {"error": exc},
                   where=_("line %(line)s, column %(column)s") % {"line": line,
                                                                   "column": column},
                   line=line) from None
    except DefusedXmlException as exc:
        raise fail(file, _("the XML uses a construct refused for safety (%(error)s)")
                   % {"error": type(exc).__name__}) from None
