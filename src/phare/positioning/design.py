"""The rules a study's design must follow before its questionnaire is generated (pure checks
over the study and its rows; the writes are in :mod:`phare.positioning.services.studies`).

Errors stop the generation; warnings (an English label missing) are shown on the design page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from phare.positioning.models import Alternative, Attribute, Study
from phare.positioning.questionnaire import PROFILE_QUESTIONS

MIN_ALTERNATIVES, MAX_ALTERNATIVES = 3, 8
MIN_ATTRIBUTES, MAX_ATTRIBUTES = 3, 15
MIN_POINTS, MAX_POINTS = 2, 11

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """What is wrong with the design: the field it concerns, why, and whether it blocks."""

    field: str
    message: str
    level: str = ERROR

    @property
    def blocking(self) -> bool:
        return self.level == ERROR


def check_scale(scale_min: int, scale_max: int) -> str:
    """Why the rating scale cannot be used, or ``""``."""
    points = scale_max - scale_min + 1
    if not MIN_POINTS <= points <= MAX_POINTS:
        return _("A rating scale has 2 to 11 points (this one has %d).") % points
    return ""


def _labels(field: str, items: Sequence[Alternative | Attribute]) -> list[Problem]:
    problems = []
    for item in items:
        if not item.label_fr.strip():
            problems.append(Problem(f"{field}.{item.code}", _("“%s” needs a French label.")
                                    % item.code))
        elif not item.label_en.strip():
            problems.append(Problem(f"{field}.{item.code}",
                                    _("“%s” has no English label: English speakers will read "
                                      "the French one.") % item.code, WARNING))
    return problems


def check_design(study: Study, *, alternatives: Sequence[Alternative] | None = None,
                 attributes: Sequence[Attribute] | None = None) -> list[Problem]:
    """Every problem of the design, errors first."""
    alternatives = list(study.alternatives.all() if alternatives is None else alternatives)
    attributes = list(study.attributes.all() if attributes is None else attributes)
    problems: list[Problem] = []
    internal = [a for a in alternatives if a.kind == Alternative.Kind.INTERNAL]
    if len(internal) != 1:
        problems.append(Problem("alternatives", _(
            "A study compares exactly one internal alternative (the IT department) with the "
            "others; this one has %d.") % len(internal)))
    elif alternatives[0].kind != Alternative.Kind.INTERNAL:
        problems.append(Problem("alternatives", _("The IT department must come first among "
                                                  "the alternatives.")))
    if not MIN_ALTERNATIVES <= len(alternatives) <= MAX_ALTERNATIVES:
        problems.append(Problem("alternatives", _(
            "A study compares 3 to 8 alternatives (this one has %d).") % len(alternatives)))
    if not MIN_ATTRIBUTES <= len(attributes) <= MAX_ATTRIBUTES:
        problems.append(Problem("attributes", _(
            "A study rates 3 to 15 attributes (this one has %d).") % len(attributes)))
    scale = check_scale(study.scale_min, study.scale_max)
    if scale:
        problems.append(Problem("scale_max", scale))
    unknown = [code for code in study.profile_questions or [] if code not in PROFILE_QUESTIONS]
    if unknown:
        problems.append(Problem("profile_questions", _("Unknown profile questions: %s.")
                                % ", ".join(unknown)))
    if not study.title_en.strip():
        problems.append(Problem("title_en", _("The study has no English title."), WARNING))
    problems += _labels("alternatives", alternatives) + _labels("attributes", attributes)
    return sorted(problems, key=lambda p: p.level != ERROR)


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]
