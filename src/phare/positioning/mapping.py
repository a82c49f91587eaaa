"""An imported survey mapped onto a study: which of its questions answer which part.

The mapping (``Study.mapping``) is::

    {"ratings": {"<alt>": {"<attr>": "<scale question code>", ...}, ...},
     "importance": {"<attr>": "<scale question code>"},                          # optional
     "preference": {"question": "<single code>", "options": {"<option>": "<alt>"}},  # optional
     "used": {"question": "<multiple code>", "options": {"<option>": "<alt>"}},      # optional
     "tools": "<text or multiple code>", "used_why": "<text code>", "comment": "<text code>",
     "profile": {"<profile name>": "<single question code>"}}

:func:`check_mapping` refuses, with :class:`MappingError` naming the path
(``ratings.saas.speed``), unknown alternatives, attributes, questions and options, questions of
the wrong type, rating questions on different scales, and fewer than 3 alternatives × 3
attributes rated. :func:`suggest_mapping` guesses one from the labels, for the lead to edit.

A rating question is a numeric one (scale, CSAT, CES, NPS) or a single choice whose option
codes are consecutive whole numbers — how a Likert matrix statement arrives from Qualtrics
(choices 1–4): the option code is then the rating.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from phare.listening import questions as qtypes
from phare.listening.models import Question, Survey
from phare.listening.queries import version_questions
from phare.positioning.models import Alternative, Study

PARTS = ("ratings", "importance", "preference", "used", "tools", "used_why", "comment",
         "profile")
#: The question types a part may be mapped to.
RATING_TYPES = qtypes.NUMERIC
TEXT_PARTS = {"used_why": {"text"}, "comment": {"text"}, "tools": {"text", "multiple"}}
MIN_MAPPED = 3
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$")


class MappingError(ValueError):
    """A mapping that cannot be used: ``path`` says where (``ratings.saas.speed``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def numbered_scale(question: Question) -> tuple[int, int] | None:
    """A single choice whose option codes are consecutive whole numbers (a Likert matrix's
    statement as imported: 1, 2, 3, 4) is a rating on that range; ``None`` otherwise."""
    if question.type != "single":
        return None
    codes = qtypes.option_codes(question)
    if not codes or not all(re.fullmatch(r"-?\d+", code) for code in codes):
        return None
    values = sorted(int(code) for code in codes)
    if len(values) < 2 or values != list(range(values[0], values[-1] + 1)):
        return None
    return values[0], values[-1]


def scale_of(question: Question) -> tuple[int, int]:
    """The range of a rating question: a numeric question's, or a numbered single choice's."""
    return numbered_scale(question) or qtypes.scale_of(question)


def _rating(questions: Mapping[str, Question], code: Any, path: str) -> Question:
    """A question that can hold a rating: numeric, or a single choice numbered 1..n."""
    if isinstance(code, str) and code in questions and numbered_scale(questions[code]):
        return questions[code]
    return _question(questions, code, path, RATING_TYPES, _("a rating scale"))


def survey_questions(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in version_questions(survey.current_version())}


def _dict(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MappingError(path, _("Expected an object of codes."))
    return value


def _question(questions: Mapping[str, Question], code: Any, path: str,
              types: set[str], what: str) -> Question:
    if not isinstance(code, str) or code not in questions:
        raise MappingError(path, _("The survey has no question “%s”.") % code)
    question = questions[code]
    if question.type not in types:
        raise MappingError(path, _("“%(code)s” is a %(type)s question, not %(what)s.")
                           % {"code": code, "type": question.type, "what": what})
    return question


def _choices(questions: Mapping[str, Question], value: Any, path: str, kind: str,
             allowed: set[str]) -> dict[str, Any]:
    spec = _dict(value, path)
    unknown = sorted(set(spec) - {"question", "options"})
    if unknown:
        raise MappingError(f"{path}.{unknown[0]}", _("Unknown key: use question and options."))
    what = _("a single choice") if kind == "single" else _("a multiple choice")
    question = _question(questions, spec.get("question"), f"{path}.question", {kind}, what)
    options = _dict(spec.get("options", {}), f"{path}.options")
    codes = set(qtypes.option_codes(question))
    for option, alternative in options.items():
        if option not in codes:
            raise MappingError(f"{path}.options.{option}",
                               _("“%(q)s” has no option “%(o)s”.")
                               % {"q": question.code, "o": option})
        if alternative not in allowed:
            raise MappingError(f"{path}.options.{option}",
                               _("The study has no alternative “%s” here.") % alternative)
    if not options:
        raise MappingError(f"{path}.options", _("Map at least one option to an alternative."))
    return {"question": question.code, "options": dict(options)}


def check_mapping(study: Study, mapping: Any) -> dict[str, Any]:
    """The mapping checked against the study and its survey, in its stored shape."""
    if study.survey is None:
        raise MappingError("", _("The study has no imported survey."))
    spec = _dict(mapping, "")
    unknown = sorted(set(spec) - set(PARTS))
    if unknown:
        raise MappingError(unknown[0], _("Unknown part of the mapping."))
    questions = survey_questions(study.survey)
    alternatives = {a.code: a for a in study.alternatives.all()}
    attributes = set(study.attributes.values_list("code", flat=True))
    cleaned: dict[str, Any] = {}
    ratings: dict[str, dict[str, str]] = {}
    scale: tuple[tuple[int, int], str] | None = None
    if "ratings" not in spec:
        raise MappingError("ratings", _("Map the ratings of the alternatives."))
    for alternative, row in _dict(spec["ratings"], "ratings").items():
        if alternative not in alternatives:
            raise MappingError(f"ratings.{alternative}",
                               _("The study has no alternative “%s”.") % alternative)
        ratings[alternative] = {}
        for attribute, code in _dict(row, f"ratings.{alternative}").items():
            path = f"ratings.{alternative}.{attribute}"
            if attribute not in attributes:
                raise MappingError(path, _("The study has no attribute “%s”.") % attribute)
            question = _rating(questions, code, path)
            points = scale_of(question)
            if scale is None:
                scale = (points, path)
            elif points != scale[0]:
                raise MappingError(path, _(
                    "“%(code)s” is rated %(a)d–%(b)d, while %(other)s is rated %(c)d–%(d)d: "
                    "every rating must be on the same scale.") % {
                    "code": code, "a": points[0], "b": points[1], "other": scale[1],
                    "c": scale[0][0], "d": scale[0][1]})
            ratings[alternative][attribute] = code
    rated_attributes = {a for row in ratings.values() for a in row}
    rated = [a for a, row in ratings.items() if row]
    if len(rated) < MIN_MAPPED or len(rated_attributes) < MIN_MAPPED:
        raise MappingError("ratings", _(
            "Map at least 3 alternatives on at least 3 attributes (here %(a)d alternatives, "
            "%(b)d attributes).") % {"a": len(rated), "b": len(rated_attributes)})
    internal = next((c for c, a in alternatives.items() if a.kind == Alternative.Kind.INTERNAL),
                    None)
    if internal not in rated:
        raise MappingError("ratings", _("Map the ratings of the IT department (“%s”).")
                           % internal)
    cleaned["ratings"] = ratings
    if "importance" in spec:
        importance = {}
        for attribute, code in _dict(spec["importance"], "importance").items():
            path = f"importance.{attribute}"
            if attribute not in attributes:
                raise MappingError(path, _("The study has no attribute “%s”.") % attribute)
            _rating(questions, code, path)
            importance[attribute] = code
        cleaned["importance"] = importance
    if "preference" in spec:
        cleaned["preference"] = _choices(questions, spec["preference"], "preference", "single",
                                         set(alternatives))
    if "used" in spec:
        cleaned["used"] = _choices(questions, spec["used"], "used", "multiple",
                                   set(alternatives) - {internal})
    for part, types in TEXT_PARTS.items():
        if part in spec:
            what = _("a free text") if types == {"text"} else _("a free text or multiple choice")
            cleaned[part] = _question(questions, spec[part], part, types, what).code
    if "profile" in spec:
        profile = {}
        for name, code in _dict(spec["profile"], "profile").items():
            path = f"profile.{name}"
            if not _SLUG.match(name) or name in ("unit", "site", "job_family", "top_unit"):
                raise MappingError(path, _("A profile name is lowercase letters, digits, “-” "
                                           "or “_”, and not a directory attribute."))
            profile[name] = _question(questions, code, path, {"single"},
                                      _("a single choice")).code
        cleaned["profile"] = profile
    return cleaned


def rating_scale(survey: Survey, mapping: Mapping[str, Any]) -> tuple[int, int]:
    """The scale of the mapped rating questions (checked to be one by :func:`check_mapping`)."""
    questions = survey_questions(survey)
    for row in mapping.get("ratings", {}).values():
        for code in row.values():
            return scale_of(questions[code])
    raise MappingError("ratings", _("Map the ratings of the alternatives."))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _found(label: str, text: str) -> bool:
    label = _plain(label)
    return bool(label) and f" {label} " in f" {text} "


def _texts(question: Question) -> str:
    return _plain(f"{question.text_fr} {question.text_en}")


def _labels(item: Any) -> list[str]:
    return [label for label in (item.label_fr, item.label_en) if label]


def _option_map(question: Question, alternatives: list[Alternative]) -> dict[str, str]:
    found = {}
    for option in question.options or []:
        text = _plain(f"{option.get('label_fr', '')} {option.get('label_en', '')}")
        for alternative in alternatives:
            if any(_found(label, text) for label in _labels(alternative)):
                found[option["code"]] = alternative.code
                break
    return found


def suggest_mapping(study: Study, survey: Survey) -> dict[str, Any]:
    """A first guess: rating questions whose text names an alternative and an attribute (by
    their labels), choice questions whose options name alternatives; the lead edits it."""
    questions = list(survey_questions(survey).values())
    alternatives = list(study.alternatives.all())
    attributes = list(study.attributes.all())
    ratings: dict[str, dict[str, str]] = {}
    importance: dict[str, str] = {}
    for question in questions:
        if question.type not in RATING_TYPES and not numbered_scale(question):
            continue
        text = _texts(question)
        attribute = next((a for a in attributes
                          if any(_found(label, text) for label in _labels(a))), None)
        if attribute is None:
            continue
        alternative = next((a for a in alternatives
                            if any(_found(label, text) for label in _labels(a))), None)
        if alternative is not None:
            ratings.setdefault(alternative.code, {}).setdefault(attribute.code, question.code)
        elif "importan" in text:
            importance.setdefault(attribute.code, question.code)
    suggestion: dict[str, Any] = {"ratings": ratings}
    if importance:
        suggestion["importance"] = importance
    others = [a for a in alternatives if a.kind != Alternative.Kind.INTERNAL]
    for question in questions:
        if question.type == "single" and "preference" not in suggestion \
                and not numbered_scale(question):
            options = _option_map(question, alternatives)
            if len(options) >= 2:
                suggestion["preference"] = {"question": question.code, "options": options}
        elif question.type == "multiple" and "used" not in suggestion:
            options = _option_map(question, others)
            if len(options) >= 2:
                suggestion["used"] = {"question": question.code, "options": options}
    return suggestion
