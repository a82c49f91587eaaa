"""The study's questionnaire as plain question definitions, generated from its design.

:func:`build` is pure: it reads the study's alternatives, attributes, suggested tools and chosen
profile questions and returns the questions (with the section each goes to) that
:func:`phare.positioning.services.studies.questionnaire_generate` writes through listening's
services. The question codes are fixed (``docs``: the positioning contract): ``ratings``,
``importance``, ``used``, ``used_why``, ``tools``, ``preference``, ``comment`` and the profile
questions' codes; :mod:`phare.positioning.answers` reads them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from phare.positioning.models import Alternative, Attribute, Study, Tool

#: The option of ``used`` for people who used none of the alternatives.
NONE = "none"
#: The single column of the ``importance`` matrix.
IMPORTANCE = "importance"
#: The fixed codes of the generated questions (profile questions come after).
CODES = ("ratings", "importance", "used", "used_why", "tools", "preference", "comment")


def _both(text: str) -> dict[str, str]:
    """``text`` (an English source string) in French and in English."""
    with translation.override("fr"):
        french = _(text)
    with translation.override("en"):
        english = _(text)
    return {"fr": french, "en": english}


def _option(code: str, text: str) -> dict[str, str]:
    labels = _both(text)
    return {"code": code, "label_fr": labels["fr"], "label_en": labels["en"]}


#: Profile questions the lead may add (single choices), by code: the question and its options
#: as English source strings (translated when the questionnaire is built).
PROFILE_QUESTIONS: dict[str, dict[str, Any]] = {
    "profile_tenure": {
        "text": gettext_noop("How long have you worked here?"),
        "options": [("lt1", gettext_noop("Less than a year")),
                    ("y1_5", gettext_noop("1 to 5 years")),
                    ("y5_15", gettext_noop("5 to 15 years")),
                    ("gt15", gettext_noop("More than 15 years"))]},
    "profile_remote": {
        "text": gettext_noop("How often do you work remotely?"),
        "options": [("never", gettext_noop("Never or almost never")),
                    ("some", gettext_noop("One or two days a week")),
                    ("most", gettext_noop("Three days a week or more"))]},
    "profile_digital": {
        "text": gettext_noop("How at ease are you with digital tools?"),
        "options": [("expert", gettext_noop("Very much at ease: others ask me for help")),
                    ("ease", gettext_noop("At ease")),
                    ("some", gettext_noop("Somewhat at ease")),
                    ("uneasy", gettext_noop("Not at ease"))]},
    "profile_role": {
        "text": gettext_noop("Do you manage a team?"),
        "options": [("manager", gettext_noop("Yes, I manage a team")),
                    ("staff", gettext_noop("No"))]},
}

#: The sections of the questionnaire: (position, English title).
SECTIONS = ((1, gettext_noop("How they compare")),
            (2, gettext_noop("What you use")),
            (3, gettext_noop("About you")))


def profile_label(code: str) -> str:
    """A profile question in the current language (its code when unknown)."""
    spec = PROFILE_QUESTIONS.get(code)
    return _(spec["text"]) if spec else code


def profile_choices() -> list[tuple[str, str]]:
    return [(code, _(spec["text"])) for code, spec in PROFILE_QUESTIONS.items()]


def domain(study: Study) -> dict[str, str]:
    """The study's domain in French and English: its family's name, or IT in general."""
    if study.family is not None:
        return {"fr": study.family.name_fr, "en": study.family.name_en or study.family.name_fr}
    return _both(gettext_noop("IT in general"))


def _labelled(items: Sequence[Alternative | Attribute]) -> list[dict[str, str]]:
    return [{"code": item.code, "label_fr": item.label_fr,
             "label_en": item.label_en or item.label_fr} for item in items]


def _texts(source: str, **values: str | dict[str, str]) -> dict[str, str]:
    """``text_fr``/``text_en`` of an English source string with ``%(name)s`` placeholders;
    a value given as ``{"fr", "en"}`` is taken in each language."""
    out = {}
    for language, text in _both(source).items():
        filled = {k: v[language] if isinstance(v, dict) else v for k, v in values.items()}
        out[f"text_{language}"] = text % filled if filled else text
    return out


def build(study: Study, *, alternatives: Sequence[Alternative] | None = None,
          attributes: Sequence[Attribute] | None = None,
          tools: Sequence[Tool] | None = None) -> list[dict[str, Any]]:
    """The question definitions of the study's questionnaire, in order, each with its
    ``section`` (1–3) and the fields listening's ``question_add`` takes."""
    alternatives = list(study.alternatives.all() if alternatives is None else alternatives)
    attributes = list(study.attributes.all() if attributes is None else attributes)
    tools = list(study.tools.filter(suggested=True) if tools is None else tools)
    where = domain(study)
    rows = _labelled(attributes)
    others = [a for a in alternatives if a.kind != Alternative.Kind.INTERNAL]
    scale = {"scale_min": study.scale_min, "scale_max": study.scale_max}
    low, high = _both(gettext_noop("Very poor")), _both(gettext_noop("Excellent"))
    ends = {"label_min_fr": low["fr"], "label_min_en": low["en"],
            "label_max_fr": high["fr"], "label_max_en": high["en"]}
    questions: list[dict[str, Any]] = [
        {"code": "ratings", "section": 1, "type": "matrix", "options": rows,
         "columns": _labelled(alternatives), **scale, **ends,
         **_texts(gettext_noop("For %(domain)s, how would you rate each of these on the "
                               "following? Leave a cell empty if you do not know it."),
                  domain=where)},
        {"code": "importance", "section": 1, "type": "matrix", "options": rows,
         "columns": [_option(IMPORTANCE, gettext_noop("Importance"))], **scale,
         "label_min_fr": _both(gettext_noop("Not important"))["fr"],
         "label_min_en": _both(gettext_noop("Not important"))["en"],
         "label_max_fr": _both(gettext_noop("Essential"))["fr"],
         "label_max_en": _both(gettext_noop("Essential"))["en"],
         **_texts(gettext_noop("For %(domain)s, how important is each of these to you?"),
                  domain=where)},
        {"code": "used", "section": 2, "type": "multiple",
         "options": [*_labelled(others), _option(NONE, gettext_noop("None of these"))],
         **_texts(gettext_noop("Which of these have you used in the last 6 months for "
                               "%(domain)s?"), domain=where)},
        {"code": "used_why", "section": 2, "type": "text",
         "condition": {"question": "used", "op": "answered"},
         **_texts(gettext_noop("Why did you use them?"))},
    ]
    tool_text = _texts(gettext_noop("Which tools not provided by the IT department do you use "
                                    "for your work?"))
    if tools:
        questions.append({"code": "tools", "section": 2, "type": "multiple", "allow_other": True,
                          "options": [{"code": f"t{tool.pk}", "label_fr": tool.name,
                                       "label_en": tool.name} for tool in tools],
                          **tool_text})
    else:
        # No suggestion to offer: the tools are named in free text (answers.py splits it).
        questions.append({"code": "tools", "section": 2, "type": "text", **tool_text})
    questions += [
        {"code": "preference", "section": 2, "type": "single",
         "options": _labelled(alternatives),
         **_texts(gettext_noop("For %(domain)s, which would you turn to first?"),
                  domain=where)},
        {"code": "comment", "section": 2, "type": "text",
         **_texts(gettext_noop("What would make the IT department your first choice?"))},
    ]
    for code in study.profile_questions or []:
        spec = PROFILE_QUESTIONS.get(code)
        if spec is None:
            continue  # check_design reports it
        questions.append({"code": code, "section": 3, "type": "single",
                          "options": [_option(c, label) for c, label in spec["options"]],
                          **_texts(spec["text"])})
    return questions


def section_titles() -> list[dict[str, str]]:
    """The sections' titles in French and English, in order."""
    return [{"title_fr": t["fr"], "title_en": t["en"]}
            for t in (_both(title) for _position, title in SECTIONS)]
