"""LimeSurvey's tab-separated survey format (``.txt``), read into a structure.

LimeSurvey exports a survey "as tab-separated values" (and imports one written in a
spreadsheet) with one header row — ``id``, ``related_id`` (newer versions), ``class``,
``type/scale``, ``name``, ``relevance``, ``text``, ``help``, ``language``, ``validation``,
``mandatory``, ``other``, ``default``, ``same_default``, then one column per question
attribute — and one row per thing, by its ``class``:

====  =======================================================================================
S     a survey setting: ``name`` (``sid``, ``language``, ``anonymized``…) = ``text``
SL    a setting in one language (``surveyls_title``, ``surveyls_welcometext``…)
G     a question group: ``name`` is its title, ``relevance`` its condition, ``text`` its
      description
Q     a question: ``type/scale`` its type letter, ``name`` its code
SQ    a subquestion of the question above: ``type/scale`` its axis (0, 1), ``name`` its code
A     an answer option of the question above: ``type/scale`` its scale, ``name`` its code
====  =======================================================================================

The base language comes first, then each other language repeats the same rows. Rows belong
to the group or question above them: no ids are needed. Those rows become the tables of an
XML structure (inline texts, one row per language), and the structure maps as any other.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from phare.listening.imports.limesurvey import Structure, plan_of
from phare.listening.imports.plan import ImportProblem, SurveyImportError, SurveyPlan, fail

#: The columns every row has; any other column is a question attribute.
STANDARD = ("id", "related_id", "class", "type/scale", "name", "relevance", "text", "help",
            "language", "validation", "mandatory", "other", "default", "same_default")
REQUIRED = ("class", "type/scale", "name", "text", "language")
CLASSES = ("S", "SL", "G", "Q", "SQ", "A")
#: An arbitrary DBVersion in the inline-texts range: the format does not carry one.
VERSION = 399


def _table(data: bytes, name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(name, _("not UTF-8 text (byte %(position)d): LimeSurvey writes this format "
                           "in UTF-8") % {"position": exc.start}) from None
    if "\x00" in text:
        raise fail(name, _("the file holds NUL characters: it is not a text file"))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=True))
    except csv.Error as exc:
        raise fail(name, _("not readable as tab-separated values (%(error)s)")
                   % {"error": exc}) from None


class _Reader:
    """Rows in file order → the tables of an inline-texts structure."""

    def __init__(self, name: str, header: list[str]) -> None:
        self.name = name
        self.header = header
        self.settings: dict[str, str] = {}
        self.language_settings: dict[str, dict[str, str]] = defaultdict(dict)
        self.tables: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.problems: list[ImportProblem] = []
        self.base = ""
        # Ids given in the base language; other languages find them by position and code.
        self.groups: list[str] = []
        self.questions: dict[str, str] = {}
        self.subquestions: dict[tuple[str, str, str], str] = {}
        self.next_id = 0
        self.group_of: dict[str, str] = {}
        # Where each language is: its current group and question.
        self.position: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"group": -1, "question": "", "order": 0, "answers": 0})

    def problem(self, line: int, reason: str, where: str = "") -> None:
        self.problems.append(ImportProblem(self.name, where or _("line %(line)d")
                                           % {"line": line}, reason, line))

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def row(self, line: int, cells: dict[str, str]) -> None:
        kind = cells.get("class", "").strip().upper()
        if not kind:
            return
        if kind not in CLASSES:
            self.problem(line, _("unknown class “%(class)s” (expected one of %(classes)s)")
                         % {"class": kind, "classes": ", ".join(CLASSES)}, _(
                "line %(line)d, column class") % {"line": line})
            return
        if kind == "S":
            self.settings.setdefault(cells.get("name", "").strip(), cells.get("text", ""))
            return
        language = cells.get("language", "").strip() or self.settings.get("language", "")
        if not self.base:
            self.base = self.settings.get("language", "").strip() or language
        if kind == "SL":
            self.language_settings[language][cells.get("name", "").strip()] = \
                cells.get("text", "")
            return
        getattr(self, f"row_{kind.lower()}")(line, cells, language, language == self.base)

    def row_g(self, line: int, cells: dict[str, str], language: str, base: bool) -> None:
        place = self.position[language]
        place["group"] += 1
        place["question"] = ""
        if base:
            self.groups.append(self.new_id())
        if place["group"] >= len(self.groups):
            self.problem(line, _("this group has no counterpart in the base language "
                                 "(%(base)s)") % {"base": self.base})
            return
        self.tables["groups"].append({
            "gid": self.groups[place["group"]], "group_order": str(place["group"]),
            "group_name": cells.get("name", ""), "description": cells.get("text", ""),
            "grelevance": cells.get("relevance", ""), "language": language})

    def row_q(self, line: int, cells: dict[str, str], language: str, base: bool) -> None:
        place = self.position[language]
        title = cells.get("name", "").strip()
        if place["group"] < 0:
            self.problem(line, _("a question before any group (class G)"))
            return
        if not title:
            self.problem(line, _("a question without a code"), _(
                "line %(line)d, column name") % {"line": line})
            return
        if base:
            if title in self.questions:
                self.problem(line, _("the question code %(code)s is used twice")
                             % {"code": title}, _("line %(line)d, column name") % {"line": line})
                return
            self.questions[title] = self.new_id()
            self.group_of[title] = self.groups[place["group"]]
        elif title not in self.questions:
            self.problem(line, _("question %(code)s has no counterpart in the base language "
                                 "(%(base)s)") % {"code": title, "base": self.base})
            return
        place["question"], place["order"] = title, place["order"] + 1
        qid = self.questions[title]
        self.tables["questions"].append({
            "qid": qid, "parent_qid": "0", "gid": self.group_of[title],
            "type": cells.get("type/scale", "").strip(), "title": title,
            "question": cells.get("text", ""), "help": cells.get("help", ""),
            "language": language, "mandatory": cells.get("mandatory", ""),
            "other": cells.get("other", ""), "relevance": cells.get("relevance", ""),
            "question_order": str(place["order"])})
        if base:
            for attribute in self.header:
                value = cells.get(attribute, "").strip()
                if attribute not in STANDARD and value:
                    self.tables["question_attributes"].append(
                        {"qid": qid, "attribute": attribute, "value": value, "language": ""})

    def _parent(self, line: int, language: str) -> str | None:
        title = self.position[language]["question"]
        if not title:
            self.problem(line, _("a subquestion or answer before any question (class Q)"))
            return None
        return title

    def row_sq(self, line: int, cells: dict[str, str], language: str, base: bool) -> None:
        parent = self._parent(line, language)
        if parent is None:
            return
        scale, title = cells.get("type/scale", "").strip() or "0", cells.get("name", "").strip()
        key = (parent, scale, title)
        if base:
            self.subquestions.setdefault(key, self.new_id())
        elif key not in self.subquestions:
            self.problem(line, _("subquestion %(code)s of %(question)s has no counterpart in "
                                 "the base language (%(base)s)") % {
                "code": title, "question": parent, "base": self.base})
            return
        self.position[language]["answers"] += 1
        self.tables["subquestions"].append({
            "qid": self.subquestions[key], "parent_qid": self.questions[parent],
            "gid": self.group_of[parent], "type": "T", "title": title,
            "question": cells.get("text", ""), "help": cells.get("help", ""),
            "language": language, "scale_id": scale,
            "question_order": str(self.position[language]["answers"]),
            "relevance": cells.get("relevance", "")})

    def row_a(self, line: int, cells: dict[str, str], language: str, base: bool) -> None:
        parent = self._parent(line, language)
        if parent is None:
            return
        self.position[language]["answers"] += 1
        self.tables["answers"].append({
            "qid": self.questions[parent], "code": cells.get("name", "").strip(),
            "answer": cells.get("text", ""), "language": language,
            "sortorder": str(self.position[language]["answers"]),
            "scale_id": cells.get("type/scale", "").strip() or "0"})


def read_tsv(data: bytes, name: str) -> SurveyPlan:
    """A survey in LimeSurvey's tab-separated format: its questions, no responses."""
    table = _table(data, name)
    if not table:
        raise fail(name, _("the file is empty"))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise fail(name, _("not a LimeSurvey tab-separated survey: no column %(columns)s in the "
                           "first row") % {"columns": ", ".join(missing)}, where=_("line 1"),
                   line=1)
    reader = _Reader(name, header)
    for line, cells in enumerate(table[1:], start=2):
        reader.row(line, dict(zip(header, cells, strict=False)))
    if reader.problems:
        raise SurveyImportError(reader.problems)
    settings = dict(reader.settings)
    settings["language"] = reader.base or settings.get("language", "") or "en"
    sid = settings.get("sid", "").strip()
    if not sid.isdigit():
        # No survey id: the file's own content names it (the same file gives the same id).
        sid = "tsv-" + hashlib.sha256(data).hexdigest()[:12]
    settings["sid"] = sid
    tables = dict(reader.tables)
    tables["surveys"] = [settings]
    tables["surveys_languagesettings"] = [
        {"surveyls_language": language, **values}
        for language, values in reader.language_settings.items()]
    return plan_of(Structure(name, VERSION, tables, l10ns=False, sid=sid))
