"""A questionnaire as pages: which section comes next and what is left to answer, and a page's
answers read from its form (a draft keeps every acceptable answer)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from phare.listening import queries
from phare.listening import question_kinds as kinds
from phare.listening import questions as qtypes
from phare.listening.answering.widgets import read_kind
from phare.listening.models import Question, Section, SurveyVersion


def base_code(key: str) -> str:
    """``tools.other`` → ``tools``: the question an answer key belongs to."""
    return key.split(".", 1)[0]


@dataclass(frozen=True)
class Page:
    """One section as the respondent sees it: its place among the pages shown."""

    section: Section
    number: int
    total: int
    questions: list[Question]
    shown: list[str]

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def last(self) -> bool:
        return self.number == self.total


class Questionnaire:
    """A version's questions grouped by section; a section is a page when it shows a question."""

    def __init__(self, version: SurveyVersion) -> None:
        self.version = version
        self.questions = queries.version_questions(version)
        self.sections: list[Section] = []
        self.by_section: dict[int, list[Question]] = {}
        for question in self.questions:
            if question.section_id not in self.by_section:
                self.sections.append(question.section)
                self.by_section[question.section_id] = []
            self.by_section[question.section_id].append(question)

    def shown(self, answers: Mapping[str, Any]) -> set[str]:
        """The questions shown for these answers (a file upload, only ever imported, never)."""
        asked = {q.code for q in self.questions if q.type not in qtypes.NOT_ANSWERABLE}
        return set(qtypes.visible_codes(self.questions, answers)) & asked

    def pages(self, answers: Mapping[str, Any]) -> list[Page]:
        shown = self.shown(answers)
        visible = [(s, [q.code for q in self.by_section[s.pk] if q.code in shown])
                   for s in self.sections]
        visible = [(s, codes) for s, codes in visible if codes]
        return [Page(section=s, number=n, total=len(visible), questions=self.by_section[s.pk],
                     shown=codes) for n, (s, codes) in enumerate(visible, start=1)]

    def section_at(self, position: Any) -> Section | None:
        wanted = _as_int(position)
        return next((s for s in self.sections if s.position == wanted), None)

    def page(self, answers: Mapping[str, Any], position: Any = None) -> Page | None:
        """The page at a section position; a hidden section gives the next page shown."""
        pages = self.pages(answers)
        if not pages:
            return None
        wanted = _as_int(position)
        if wanted is None:
            return self.resume(answers)
        for page in pages:
            if page.section.position >= wanted:
                return page
        return pages[-1]

    def resume(self, answers: Mapping[str, Any]) -> Page | None:
        """The first page not answered yet (a required question left, or nothing answered)."""
        pages = self.pages(answers)
        by_code = {q.code: q for q in self.questions}
        for page in pages:
            answered = [code for code in page.shown if code in answers]
            missing = [code for code in page.shown
                       if by_code[code].required and code not in answers]
            if missing or not answered:
                return page
        return pages[-1] if pages else None

    def neighbour(self, answers: Mapping[str, Any], section: Section, step: int) -> Page | None:
        """The page shown after (``step`` 1) or before (-1) a section, if any."""
        pages = self.pages(answers)
        if step > 0:
            return next((p for p in pages if p.section.position > section.position), None)
        return next((p for p in reversed(pages) if p.section.position < section.position), None)

    def page_with(self, answers: Mapping[str, Any], keys: Sequence[str]) -> Page | None:
        """The first page holding one of the questions named by answer keys (errors)."""
        codes = {base_code(key) for key in keys}
        return next((p for p in self.pages(answers) if codes & {q.code for q in p.questions}),
                    None)

    def errors(self, raw: Mapping[str, Any], codes: Sequence[str] | set[str]) -> dict[str, str]:
        """Every reason the answers would be refused, kept for the questions named."""
        try:
            qtypes.clean_answers(self.questions, raw)
        except qtypes.AnswerErrors as exc:
            return {key: reason for key, reason in exc.errors.items()
                    if base_code(key) in codes}
        return {}


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- a page's answers from a form ---------------------------------------------------------------

def field_name(question: Question, *parts: str) -> str:
    return ".".join([question.code, *parts])


def read_page(data: Any, questions: Sequence[Question]) -> dict[str, Any]:
    """The answers a submitted page gives, every question of the section named (an empty value
    clears an earlier answer). ``data`` is a ``QueryDict``."""
    answers: dict[str, Any] = {}
    for question in questions:
        code = question.code
        if question.type == "multiple":
            answers[code] = [value for value in data.getlist(code) if value]
        elif question.type == "grid":
            grid = {}
            for attribute in qtypes.option_codes(question):
                row = {dimension: data.get(field_name(question, attribute, dimension), "")
                       for dimension in qtypes.GRID_DIMENSIONS}
                row = {dimension: value for dimension, value in row.items() if value != ""}
                if row:
                    grid[attribute] = row
            answers[code] = grid
        elif question.type in kinds.KINDS:
            if question.type in qtypes.NOT_ANSWERABLE:
                continue
            answers[code] = read_kind(data, question)
        elif question.type == "matrix":
            # ``<code>.<column>.<row>``: one radio group per cell, "" for "don't know".
            matrix = {}
            for column in qtypes.column_codes(question):
                cells = {row: data.get(field_name(question, column, row), "")
                         for row in qtypes.option_codes(question)}
                cells = {row: value for row, value in cells.items() if value != ""}
                if cells:
                    matrix[column] = cells
            answers[code] = matrix
        else:
            # Blank text is no answer (and would otherwise count as one).
            answers[code] = data.get(code, "").strip()
        if question.allow_other and question.type in qtypes.CHOICE:
            key = qtypes.other_key(code)
            answers[key] = data.get(key, "").strip()
    return answers


def merge_draft(questions: Sequence[Question], draft: Mapping[str, Any],
                submitted: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted answers that can be kept, and those refused with their reasons.

    A draft keeps every acceptable answer: one bad value never loses the others. A required
    grid or matrix rated only in part is left out without being called wrong, so it is kept
    once complete.
    """
    by_code = {q.code: q for q in questions}
    refused: dict[str, str] = {}
    pending = dict(submitted)
    for _attempt in range(len(submitted) + 1):
        try:
            qtypes.clean_answers(questions, {**draft, **pending}, partial=True)
        except qtypes.AnswerErrors as exc:
            bad = {key: reason for key, reason in exc.errors.items() if key in pending}
            if not bad:
                raise
            for key, reason in bad.items():
                if not _incomplete_grid(by_code.get(key), pending[key]):
                    refused[key] = reason
                pending.pop(key)
        else:
            break
    return pending, refused


def _incomplete_grid(question: Question | None, value: Any) -> bool:
    if question is None or question.type not in qtypes.COMPOUND or not question.required:
        return False
    optional = copy.copy(question)
    optional.required = False
    try:
        qtypes.clean_answer(optional, value, {})
    except ValueError:
        return False
    return True
