"""A survey's responses as one table — a row per response, a column per variable — of released
answers, with the disclosure rules of :mod:`.rules` applied (the files are :mod:`.formats`').

Variables
    One per scalar answer, named for SPSS (letters, digits and "_", starting with a letter, at
    most 64 characters, unique ignoring case; :attr:`Variable.question` keeps the question code):
    nps, csat, ces and scale questions give their number; a grid gives
    ``<code>_<attribute>_imp`` and ``<code>_<attribute>_sat``; a rating matrix gives
    ``<code>_<column>_<row>`` for each column × row (labelled "<question> — <column> —
    <row>", value labels at the ends of the scale when the question names them; an empty cell,
    "don't know", is system missing); a single choice gives ``<code>``
    coded 1..k in the options' order ("other" is k+1) and ``<code>_other_text``; a multiple
    choice gives a 0/1 ``<code>_<option>`` per option, and ``<code>_other`` with
    ``<code>_other_text`` when "other" is allowed; a text question gives a string; the kinds
    of :mod:`phare.listening.question_kinds` (numbers, dates, ranks, arrays…) give the columns
    :mod:`.kinds` says. Variable and
    value labels are in the export's language (fr or en). The variables are the union of the
    question codes of the exported responses' versions, in the newest version's order (codes
    only older versions had come after); a choice's options are the newest version's, followed
    by those only older versions had (a matrix's columns likewise). A code whose type changed
    between versions keeps the newest type; answers given to the older type are left out (and
    noted).

Missing values
    - a question shown but not answered: system missing (empty in CSV and Excel, NaN in pandas);
      a multiple choice shown but not answered is system missing on every option, not 0;
    - a question NOT shown because of its display condition: :data:`NOT_ASKED` (-99), labelled
      "not asked" and declared user-missing in the .sav, so that pyreadstat reads it back as
      -99 with ``user_missing=True`` and as NaN without. Only variables whose question has a
      condition in an exported version carry it (a scale reaching down to -99 uses the value
      just below its lowest point instead);
    - a question absent from the version a response answered: system missing;
    - strings (texts, "other" texts) have no missing values in SPSS: empty in every case above.

Meta columns
    ``response`` (the row's number in this export, never the stored id), ``wave``, ``version``,
    ``day`` (the date only), ``language``, ``channel``, ``unit``, ``site``, ``job_family``
    (codes). Confidential and named surveys add ``response_id`` (the response's UUID) and named
    ones ``employee_id``; a confidential export never names the person. ``day`` is the first
    of the month except in named surveys. Rows come by that date, then by a hash of the
    response id (:func:`.rules.row_order`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from phare.lib.i18n import in_language
from phare.listening import question_kinds
from phare.listening import questions as qtypes
from phare.listening.exports.kinds import kind_columns
from phare.listening.exports.rules import (
    COLUMN_LABELS,
    QUASI_IDENTIFIERS,
    SEGMENT_LABELS,
    SEGMENTS,
    ExportRefused,
    check_group_size,
    keeps_verbatims,
    protect_rows,
    protect_segments,
    row_order,
)
from phare.listening.models import Question, Response, Survey, SurveyVersion, Wave
from phare.listening.queries import released, version_questions

#: The user-missing code of a question not shown because of its display condition.
NOT_ASKED = -99
LANGUAGES = ("fr", "en")
MAX_NAME = 64
#: SPSS keywords that cannot name a variable.
SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO",
                 "WITH"}
GRID_SUFFIXES = {"importance": "imp", "satisfaction": "sat"}
#: Labels of the standard scales; a question's own lowest/highest labels replace the ends.
SCALE_LABELS = {
    "nps": {0: gettext_lazy("Not at all likely"), 10: gettext_lazy("Extremely likely")},
    "csat": {1: gettext_lazy("Very dissatisfied"), 2: gettext_lazy("Dissatisfied"),
             3: gettext_lazy("Neither satisfied nor dissatisfied"),
             4: gettext_lazy("Satisfied"), 5: gettext_lazy("Very satisfied")},
    "ces": {1: gettext_lazy("Strongly disagree"), 2: gettext_lazy("Disagree"),
            3: gettext_lazy("Somewhat disagree"), 4: gettext_lazy("Neither agree nor disagree"),
            5: gettext_lazy("Somewhat agree"), 6: gettext_lazy("Agree"),
            7: gettext_lazy("Strongly agree")},
}


@dataclass(frozen=True)
class Variable:
    """One column of the export, with what SPSS needs to know about it."""

    name: str
    label: str
    type: str  # "numeric", "string", "date" or "datetime"
    measure: str  # "nominal", "ordinal" or "scale"
    value_labels: Mapping[int, str] = field(default_factory=dict)
    #: User-missing codes (declared as such in the .sav).
    missing: tuple[int, ...] = ()
    #: Text written by respondents: kept only above the verbatim threshold.
    verbatim: bool = False
    #: The question code the variable comes from ("" for meta columns).
    question: str = ""
    #: Decimals a number is written with (SPSS format ``F<w>.<decimals>``).
    decimals: int = 0


@dataclass
class ExportTable:
    """The rows of an export, after the thresholds were applied."""

    survey: Survey
    language: str
    variables: list[Variable]
    rows: list[list[Any]]
    #: Column → number of rows where it was blanked to protect a small group.
    blanked: dict[str, int]
    #: Free-text variables left out below the verbatim threshold.
    dropped: list[str]
    #: Question codes whose type changed: answers given to an older type are left out.
    retyped: list[str] = field(default_factory=list)
    wave: Wave | None = None
    version: SurveyVersion | None = None

    @property
    def names(self) -> list[str]:
        return [variable.name for variable in self.variables]

    def column(self, name: str) -> list[Any]:
        index = self.names.index(name)
        return [row[index] for row in self.rows]

    def labelled_rows(self) -> list[list[Any]]:
        """The rows with each labelled value replaced by its label."""
        labels = [variable.value_labels for variable in self.variables]
        return [[labels[i].get(value, value) if value is not None else None
                 for i, value in enumerate(row)] for row in self.rows]

    def notes(self) -> list[str]:
        """What the thresholds changed, in the active language."""
        notes = []
        k = self.survey.min_group_size
        for name in QUASI_IDENTIFIERS:
            if count := self.blanked.get(name, 0):
                notes.append(ngettext(
                    "%(segment)s left blank in %(n)d response: its group had fewer than %(k)d "
                    "responses.",
                    "%(segment)s left blank in %(n)d responses: their groups had fewer than "
                    "%(k)d responses.", count) % {"segment": COLUMN_LABELS[name], "n": count,
                                                  "k": k})
        if self.dropped:
            notes.append(_("Free-text answers left out (%(columns)s): they are shown from "
                           "%(k)d responses.") % {"columns": ", ".join(self.dropped),
                                                  "k": self.survey.min_verbatim_group_size})
        if self.retyped:
            notes.append(_("The type of %(codes)s changed between versions: only answers to "
                           "the newest type are exported.") % {"codes": ", ".join(self.retyped)})
        return notes


# --- variable names and codes ------------------------------------------------------------------

def spss_name(raw: str, taken: set[str]) -> str:
    """A valid SPSS variable name for ``raw``, unique within ``taken`` (case-folded, updated)."""
    ascii_name = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9_]", "_", ascii_name).rstrip("_")
    if not name or not name[0].isalpha():
        name = f"v_{name.lstrip('_')}".rstrip("_")
    if name.upper() in SPSS_RESERVED:
        name = f"v_{name}"
    name = name[:MAX_NAME]
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f"_{number}"
        candidate = name[:MAX_NAME - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def not_asked_code(low: int) -> int:
    """The "not asked" code of a scale: -99, unless the scale reaches it."""
    return NOT_ASKED if low > NOT_ASKED else low - 1


# --- building the table ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Column:
    variable: Variable
    get: Callable[[Mapping[str, Any]], Any]


@dataclass
class _Definition:
    question: Question
    options: list[dict[str, str]]
    allow_other: bool
    conditional: bool
    columns: list[dict[str, str]] = field(default_factory=list)


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _resolve(survey: Survey, wave: Wave | int | None,
             version: SurveyVersion | int | None) -> tuple[Wave | None, SurveyVersion | None]:
    if wave is not None and not isinstance(wave, Wave):
        found_wave = survey.waves.filter(number=wave).first()
        if found_wave is None:
            raise ExportRefused(_("This survey has no wave %s.") % wave, field="wave")
        wave = found_wave
    if version is not None and not isinstance(version, SurveyVersion):
        found_version = survey.versions.filter(number=version).first()
        if found_version is None:
            raise ExportRefused(_("This survey has no version %s.") % version, field="version")
        version = found_version
    return wave, version


def build_table(survey: Survey, *, language: str = "fr", wave: Wave | int | None = None,
                version: SurveyVersion | int | None = None) -> ExportTable:
    """The export of ``survey`` (optionally one wave, one version), thresholds applied, of
    released answers only (:func:`phare.listening.queries.released`: closed waves, and for
    surveys without waves, months that are over).

    Raises :class:`~.rules.ExportRefused` below the minimum group size or for an unknown
    wave/version.
    """
    if language not in LANGUAGES:
        raise ExportRefused(_("Choose the language of the labels: fr or en."), field="language")
    wave, version = _resolve(survey, wave, version)
    if wave is not None and wave.status != Wave.Status.CLOSED and \
            wave.closes_on >= timezone.localdate():
        raise ExportRefused(_("This wave is still open: its answers can be exported once it "
                              "closes (%(day)s), so that no two exports differ by one "
                              "person's answers.") % {"day": date_format(wave.closes_on)},
                            field="wave")
    responses = released(survey.responses.all(), without_small_months=True).select_related(
        "version", "wave", "respondent")
    if wave is not None:
        responses = responses.filter(wave=wave)
    if version is not None:
        responses = responses.filter(version=version)
    # Rows by the date the export gives (the month unless named), then by a hash: their
    # order says nothing finer than that date.
    named = survey.anonymity == Survey.Anonymity.NAMED
    ordered = sorted(responses, key=lambda r: row_order(
        r.submitted_on if named else r.submitted_on.replace(day=1), r.pk))
    check_group_size(len(ordered), survey.min_group_size)
    with translation.override(language):
        table = _table(survey, ordered, language)
    table.wave, table.version = wave, version
    return table


def _table(survey: Survey, responses: list[Response], language: str) -> ExportTable:
    versions = sorted({r.version_id: r.version for r in responses}.values(),
                      key=lambda v: -v.number)
    by_version = {v.pk: version_questions(v) for v in versions}
    definitions: dict[str, _Definition] = {}
    for v in versions:
        for question in by_version[v.pk]:
            known = definitions.get(question.code)
            if known is None:
                definitions[question.code] = _Definition(
                    question, list(question.options or []), question.allow_other,
                    bool(question.condition), list(question.columns or []))
                continue
            codes = {option["code"] for option in known.options}
            known.options += [o for o in question.options or [] if o["code"] not in codes]
            known_columns = {column["code"] for column in known.columns}
            known.columns += [c for c in question.columns or []
                              if c["code"] not in known_columns]
            known.allow_other |= question.allow_other
            known.conditional |= bool(question.condition)
    # A code is exported for a version only when it has the definition's type there.
    present = {v.pk: {q.code for q in by_version[v.pk]
                      if q.type == definitions[q.code].question.type} for v in versions}
    retyped = sorted({q.code for v in versions for q in by_version[v.pk]
                      if q.type != definitions[q.code].question.type})

    taken: set[str] = set()
    meta = _meta_variables(survey, responses, language, taken)
    columns = [column for definition in definitions.values()
               for column in _columns(definition, language, taken)]
    rows = []
    for number, response in enumerate(responses, start=1):
        answers = response.answers or {}
        shown = set(qtypes.visible_codes(by_version[response.version_id], answers))
        row = _meta_values(survey, response, number)
        for column in columns:
            variable = column.variable
            value: Any
            if variable.question not in present[response.version_id]:
                value = "" if variable.type == "string" else None
            elif variable.question not in shown:
                value = "" if variable.type == "string" else (
                    variable.missing[0] if variable.missing else None)
            else:
                value = column.get(answers)
            row.append(value)
        rows.append(row)

    variables = meta + [column.variable for column in columns]
    names = [variable.name for variable in variables]
    if survey.anonymity == Survey.Anonymity.NAMED:
        # Named answers carry the person: their segments are only kept k-anonymous.
        first = names.index(SEGMENTS[0])
        protected, segment_counts = protect_segments(
            [(row[first], row[first + 1], row[first + 2]) for row in rows],
            survey.min_group_size)
        for row, segment in zip(rows, protected, strict=True):
            row[first:first + 3] = segment
        blanked = {name: n for name, n in segment_counts.items() if n}
    else:
        blanked = protect_rows(rows, names, survey.min_group_size)
    dropped = []
    if not keeps_verbatims(len(rows), survey.min_verbatim_group_size):
        keep = [i for i, variable in enumerate(variables) if not variable.verbatim]
        dropped = [variable.name for variable in variables if variable.verbatim]
        variables = [variables[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    return ExportTable(survey=survey, language=language, variables=variables, rows=rows,
                       blanked=blanked, dropped=dropped, retyped=retyped)


def _meta_variables(survey: Survey, responses: list[Response], language: str,
                    taken: set[str]) -> list[Variable]:
    def var(name: str, label: str, kind: str, measure: str, **extra: Any) -> Variable:
        return Variable(name=spss_name(name, taken), label=label, type=kind, measure=measure,
                        **extra)

    waves = {r.wave.number: r.wave.name for r in responses if r.wave}
    out = [var("response", _("Response number (in this export)"), "numeric", "nominal")]
    if not survey.is_anonymous:
        out.append(var("response_id", _("Response identifier"), "string", "nominal"))
    if survey.anonymity == Survey.Anonymity.NAMED:
        out.append(var("employee_id", _("Respondent's employee id"), "string", "nominal"))
    out += [
        var("wave", _("Wave"), "numeric", "ordinal", value_labels=dict(sorted(waves.items()))),
        var("version", _("Questionnaire version"), "numeric", "ordinal"),
        var("day", _("Answered on") if survey.anonymity == Survey.Anonymity.NAMED
            else _("Month answered (its first day)"), "date", "scale"),
        var("language", _("Language of the answers"), "string", "nominal"),
        var("channel", _("Channel (invitation, open_link, ticket, import)"), "string",
            "nominal"),
    ]
    out += [var(segment, str(SEGMENT_LABELS[segment]), "string", "nominal")
            for segment in SEGMENTS]
    return out


def _meta_values(survey: Survey, response: Response, number: int) -> list[Any]:
    row: list[Any] = [number]
    if not survey.is_anonymous:
        row.append(str(response.pk))
    if survey.anonymity == Survey.Anonymity.NAMED:
        row.append(response.respondent.employee_id if response.respondent else "")
    # Anonymous and confidential answers are dated by their month only (its first day).
    day = response.submitted_on
    if survey.anonymity != Survey.Anonymity.NAMED:
        day = day.replace(day=1)
    row += [response.wave.number if response.wave else None, response.version.number,
            day, response.language, response.channel,
            response.unit_code, response.site_code, response.job_family_code]
    return row


def _scale_labels(question: Question, low: int, high: int, language: str) -> dict[int, str]:
    labels = {value: str(label) for value, label in SCALE_LABELS.get(question.type, {}).items()}
    if lowest := in_language(question, "label_min", language):
        labels[low] = lowest
    if highest := in_language(question, "label_max", language):
        labels[high] = highest
    return dict(sorted(labels.items()))


def _columns(definition: _Definition, language: str, taken: set[str]) -> list[_Column]:
    question = definition.question
    code, kind = question.code, question.type
    text = in_language(question, "text", language)

    def numeric(name: str, label: str, measure: str, labels: Mapping[int, str],
                get: Callable[[Mapping[str, Any]], Any], low: int = 0, *,
                decimals: int = 0, kind: str = "numeric") -> _Column:
        value_labels = dict(labels)
        missing: tuple[int, ...] = ()
        if definition.conditional and kind == "numeric":  # a date cannot hold -99
            missing = (not_asked_code(low),)
            value_labels[missing[0]] = _("Not asked")
        return _Column(Variable(name=spss_name(name, taken), label=label, type=kind,
                                measure=measure, value_labels=value_labels, missing=missing,
                                question=code, decimals=decimals), get)

    def string(name: str, label: str, get: Callable[[Mapping[str, Any]], Any]) -> _Column:
        return _Column(Variable(name=spss_name(name, taken), label=label, type="string",
                                measure="nominal", verbatim=True, question=code), get)

    if kind in question_kinds.KINDS:
        return kind_columns(question, text, definition.options, definition.columns, language,
                            numeric=numeric, string=string)
    if kind in qtypes.NUMERIC:
        low, high = qtypes.scale_of(question)
        measure = "ordinal" if kind in {"csat", "ces"} else "scale"
        return [numeric(code, text, measure, _scale_labels(question, low, high, language),
                        lambda a: _number(a.get(code)), low)]
    if kind == "text":
        return [string(code, text, lambda a: a.get(code) if isinstance(a.get(code), str) else "")]
    other_label = _("Other")
    other_text = string(f"{code}_other_text", f"{text} — {other_label} ({_('text')})",
                        lambda a: a.get(qtypes.other_key(code)) or "")
    if kind == "single":
        codes = [option["code"] for option in definition.options]
        labels = {i: qtypes.option_label(o, language)
                  for i, o in enumerate(definition.options, start=1)}
        if definition.allow_other:
            codes.append(qtypes.OTHER)
            labels[len(codes)] = other_label
        position = {option: i for i, option in enumerate(codes, start=1)}
        out = [numeric(code, text, "nominal", labels,
                       lambda a: _position(a.get(code), position))]
        return out + ([other_text] if definition.allow_other else [])
    if kind == "multiple":
        chosen = {0: _("Not chosen"), 1: _("Chosen")}
        options = [(o["code"], qtypes.option_label(o, language)) for o in definition.options]
        if definition.allow_other:
            options.append((qtypes.OTHER, other_label))
        out = [numeric(f"{code}_{option}", f"{text} — {label}", "nominal", chosen,
                       partial(_flag, code=code, option=option))
               for option, label in options]
        return out + ([other_text] if definition.allow_other else [])
    if kind == "grid":
        low, high = qtypes.scale_of(question)
        labels = _scale_labels(question, low, high, language)
        dimensions = {"importance": _("importance"), "satisfaction": _("satisfaction")}
        return [numeric(f"{code}_{o['code']}_{GRID_SUFFIXES[dimension]}",
                        f"{text} — {qtypes.option_label(o, language)} — {dimensions[dimension]}",
                        "ordinal", labels,
                        partial(_rating, code=code, attribute=o["code"], dimension=dimension),
                        low)
                for o in definition.options for dimension in qtypes.GRID_DIMENSIONS]
    if kind == "matrix":
        low, high = qtypes.scale_of(question)
        labels = _scale_labels(question, low, high, language)
        return [numeric(f"{code}_{c['code']}_{o['code']}",
                        f"{text} — {qtypes.option_label(c, language)} — "
                        f"{qtypes.option_label(o, language)}",
                        "ordinal", labels,
                        partial(_cell, code=code, column=c["code"], row=o["code"]), low)
                for c in definition.columns for o in definition.options]
    return []


def _position(value: Any, positions: Mapping[str, int]) -> int | None:
    return positions.get(value) if isinstance(value, str) else None


def _flag(answers: Mapping[str, Any], *, code: str, option: str) -> int | None:
    value = answers.get(code)
    if not isinstance(value, list) or not value:
        return None
    return int(option in value)


def _cell(answers: Mapping[str, Any], *, code: str, column: str, row: str) -> int | None:
    value = answers.get(code)
    if not isinstance(value, Mapping):
        return None
    cells = value.get(column)
    return _number(cells.get(row)) if isinstance(cells, Mapping) else None


def _rating(answers: Mapping[str, Any], *, code: str, attribute: str,
            dimension: str) -> int | None:
    value = answers.get(code)
    if not isinstance(value, Mapping):
        return None
    ratings = value.get(attribute)
    return _number(ratings.get(dimension)) if isinstance(ratings, Mapping) else None
