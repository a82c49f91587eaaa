"""What a page shows: each question ready for the template (scales, choices, grids, rating
matrices, errors), its place on the page, and the error summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.lib import i18n
from phare.lib.i18n import in_language
from phare.listening import languages as langs
from phare.listening import question_kinds as kinds
from phare.listening import questions as qtypes
from phare.listening.answering.pages import Page, field_name
from phare.listening.answering.widgets import Widget, widget_for
from phare.listening.models import Question

#: End labels of the standard scales (the lowest, the highest value).
END_LABELS = {
    "nps": (gettext_lazy("Not at all likely"), gettext_lazy("Extremely likely")),
    "csat": (gettext_lazy("Very dissatisfied"), gettext_lazy("Very satisfied")),
    "ces": (gettext_lazy("Strongly disagree"), gettext_lazy("Strongly agree")),
    "importance": (gettext_lazy("Not important"), gettext_lazy("Very important")),
    "satisfaction": (gettext_lazy("Very dissatisfied"), gettext_lazy("Very satisfied")),
}
DIMENSION_NAMES = {"importance": gettext_lazy("Importance"),
                   "satisfaction": gettext_lazy("Satisfaction")}


@dataclass
class Choice:
    """One radio button or checkbox: ``extra`` completes its accessible name (an end label)."""

    value: str
    label: str
    input_id: str
    checked: bool
    extra: str = ""


@dataclass
class Scale:
    """A row of numbered radio buttons with its end labels (and, in a matrix, the "don't
    know" choice that leaves the cell unanswered)."""

    name: str
    legend: str
    choices: list[Choice]
    low: str
    high: str
    none: Choice | None = None

    @property
    def columns(self) -> int:
        """Buttons per line: a whole NPS row fits a phone; longer scales wrap."""
        return min(len(self.choices), 11)


@dataclass
class MatrixCard:
    """One column of a rating matrix: a radio group per row."""

    legend: str
    rows: list[Scale]


@dataclass
class Shown:
    """A question ready for the template."""

    code: str
    type: str
    text: str
    help: str
    required: bool
    conditional: bool
    error: str = ""
    other_error: str = ""
    scale: Scale | None = None
    choices: list[Choice] = field(default_factory=list)
    other: Choice | None = None
    other_text: str = ""
    rows: list[tuple[str, list[Scale]]] = field(default_factory=list)
    cards: list[MatrixCard] = field(default_factory=list)
    #: How a matrix's scale reads, said once above its cards.
    key: str = ""
    text_value: str = ""
    max_length: int = qtypes.MAX_TEXT
    #: The inputs of the kinds of :mod:`phare.listening.question_kinds`.
    widget: Widget | None = None
    #: The text and help as HTML: a stand-in for a text missing in the survey language
    #: asked for carries its own ``lang`` and a marker naming its language.
    text_html: SafeString = SafeString("")
    help_html: SafeString = SafeString("")

    @property
    def input_id(self) -> str:
        """Where the error summary's link lands: the question's first input."""
        if self.scale:
            return self.scale.choices[0].input_id
        if self.choices:
            return self.choices[0].input_id
        if self.rows:
            return self.rows[0][1][0].choices[0].input_id
        if self.cards:
            return self.cards[0].rows[0].choices[0].input_id
        if self.widget and self.widget.first_id:
            return self.widget.first_id
        return f"q-{self.code}"

    @property
    def described_by(self) -> str:
        ids = [f"help-{self.code}"] if self.help else []
        if self.widget and self.widget.key:
            ids.append(f"key-{self.code}")
        return " ".join(ids + ([f"error-{self.code}"] if self.error else []))

    @property
    def other_id(self) -> str:
        return f"q-{self.code}-other-text"

    @property
    def invalid(self) -> bool:
        return bool(self.error or self.other_error)


def _scale(name: str, low: int, high: int, value: Any, labels: tuple[Any, Any],
           legend: str = "", ident: str = "") -> Scale:
    ident = ident or "q-" + name.replace(".", "-")
    low_label, high_label = (str(label) if label else "" for label in labels)
    choices = [Choice(value=str(n), label=str(n), input_id=f"{ident}-{n}",
                      checked=value is not None and str(value) == str(n),
                      extra=low_label if n == low else high_label if n == high else "")
               for n in range(low, high + 1)]
    return Scale(name=name, legend=legend, choices=choices, low=low_label, high=high_label)


def shown_question(question: Question, value: Any, errors: Mapping[str, str], *,
                   language: str, other_text: Any = "",
                   order: Sequence[str] | None = None) -> Shown:
    """What the template needs to draw one question with its value and errors, its texts in
    the survey language ``language`` (else the first of ``order`` that has them)."""
    question, texts = langs.localized(question, language,
                                      order or langs.fallback_order(language, ()))
    shown = Shown(code=question.code, type=question.type, text=texts["text"].text,
                  help=texts["help"].text, required=question.required,
                  conditional=bool(question.condition), error=errors.get(question.code, ""),
                  other_error=errors.get(qtypes.other_key(question.code), ""),
                  text_html=i18n.marked(texts["text"]), help_html=i18n.marked(texts["help"]))
    kind = question.type
    if kind in qtypes.NUMERIC:
        low, high = qtypes.scale_of(question)
        labels = END_LABELS.get(kind) or (
            in_language(question, "label_min", language),
            in_language(question, "label_max", language))
        shown.scale = _scale(question.code, low, high, value, labels)
    elif kind in qtypes.CHOICE:
        given = value if isinstance(value, list) else [value] if value else []
        chosen = {str(v) for v in given}
        shown.choices = [
            Choice(value=code, label=qtypes.option_label(option, language),
                   input_id=f"q-{question.code}-{code}", checked=code in chosen)
            for option in question.options for code in [str(option["code"])]]
        if question.allow_other:
            shown.other = Choice(value=qtypes.OTHER, label=_("Other"),
                                 input_id=f"q-{question.code}-other",
                                 checked=qtypes.OTHER in chosen)
            shown.other_text = str(other_text or "")
    elif kind == "grid":
        low, high = qtypes.scale_of(question)
        ratings = value if isinstance(value, Mapping) else {}
        for option in question.options:
            attribute = str(option["code"])
            row = ratings.get(attribute)
            if not isinstance(row, Mapping):
                row = {}
            shown.rows.append((qtypes.option_label(option, language), [
                _scale(field_name(question, attribute, dimension), low, high,
                       row.get(dimension), END_LABELS[dimension],
                       legend=str(DIMENSION_NAMES[dimension]))
                for dimension in qtypes.GRID_DIMENSIONS]))
    elif kind == "matrix":
        _matrix(shown, question, value, language)
    elif kind in kinds.KINDS:
        shown.widget = widget_for(question, value, language)
    else:
        shown.text_value = "" if value is None else str(value)
    return shown


def _matrix(shown: Shown, question: Question, value: Any, language: str) -> None:
    """A card per column, a radio group per row with "don't know" (checked while the cell is
    unanswered: an empty cell is that answer). Input ids go by position, so that codes
    holding "-" cannot collide."""
    low, high = qtypes.scale_of(question)
    labels = (in_language(question, "label_min", language),
              in_language(question, "label_max", language))
    ratings = value if isinstance(value, Mapping) else {}
    for i, column in enumerate(question.columns):
        cells = ratings.get(str(column["code"]))
        if not isinstance(cells, Mapping):
            cells = {}
        rows = []
        for j, option in enumerate(question.options):
            row = str(option["code"])
            ident = f"q-{question.code}-c{i}-r{j}"
            scale = _scale(field_name(question, str(column["code"]), row), low, high,
                           cells.get(row), labels, legend=qtypes.option_label(option, language),
                           ident=ident)
            scale.none = Choice(value="", label=_("Don't know"), input_id=f"{ident}-none",
                                checked=not any(choice.checked for choice in scale.choices))
            rows.append(scale)
        shown.cards.append(MatrixCard(legend=qtypes.option_label(column, language), rows=rows))
    low_label, high_label = labels
    if low_label and high_label:
        shown.key = _("From %(low)d (%(low_label)s) to %(high)d (%(high_label)s). “Don't know” "
                      "leaves a line unanswered.") % {
            "low": low, "high": high, "low_label": low_label, "high_label": high_label}
    else:
        shown.key = _("From %(low)d (lowest) to %(high)d (highest). “Don't know” leaves a "
                      "line unanswered.") % {"low": low, "high": high}


@dataclass
class Slot:
    """A place for one question of a page: empty while its display condition hides it."""

    code: str
    conditional: bool
    question: Shown | None


def page_slots(page: Page, values: Mapping[str, Any], errors: Mapping[str, str], *,
               language: str, order: Sequence[str] | None = None) -> list[Slot]:
    """The page's questions in order; those hidden by a condition keep an empty slot, so that
    htmx can fill it when an answer shows them."""
    shown = set(page.shown)
    return [Slot(code=q.code, conditional=bool(q.condition),
                 question=shown_question(q, values.get(q.code), errors, language=language,
                                         other_text=values.get(qtypes.other_key(q.code)),
                                         order=order)
                 if q.code in shown else None)
            for q in page.questions]


def error_summary(slots: Sequence[Slot]) -> list[dict[str, str]]:
    """The errors of a page in question order, each with the input its link leads to."""
    items = []
    for slot in slots:
        question = slot.question
        if question is None:
            continue
        if question.error:
            items.append({"anchor": question.input_id, "text": question.text,
                          "reason": question.error})
        if question.other_error:
            items.append({"anchor": question.other_id, "text": question.text,
                          "reason": question.other_error})
    return items
