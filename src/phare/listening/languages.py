"""The languages a survey is written in, beyond the interface's French and English.

A survey lists its languages in ``Survey.languages`` (ISO 639-1 codes, in its own order, e.g.
``["de", "it"]``). French and English texts live in the ``*_fr``/``*_en`` columns as they always
did; any other language's texts live in the ``translations`` JSON of the survey, its sections
and its questions::

    survey.translations   = {"de": {"title": …, "intro": …, "thanks": …}}
    section.translations  = {"de": {"title": …}}
    question.translations = {"de": {"text": …, "help": …, "label_min": …, "label_max": …,
                                    "options": {code: label}, "columns": {code: label},
                                    "scales": {code: label},
                                    "choices": {scale code: {code: label}}}}

A text asked for in one language falls back, in this order, on the survey's first language,
then French, then English (:func:`fallback_order`); the :class:`~phare.lib.i18n.Shown` it gives
says which language stood in, so that pages mark it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _

from phare.lib.i18n import Shown

#: The languages kept in columns of their own (``*_fr``, ``*_en``): the interface's.
COLUMNS = ("fr", "en")
#: Texts of a survey, a section and a question kept per language.
SURVEY_TEXTS = ("title", "intro", "thanks")
SECTION_TEXTS = ("title",)
QUESTION_TEXTS = ("text", "help", "label_min", "label_max")
#: Lists of labelled items a question's translation may hold, by code.
ITEM_LISTS = ("options", "columns", "scales", "choices")
#: A survey may be written in at most this many languages.
MAX_LANGUAGES = 20


class LanguageError(ValueError):
    """A list of languages or a translation that cannot be kept; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_language(code: Any) -> bool:
    """A two-letter ISO 639-1 code Django knows (``"de"``; not ``"DE"``, ``"deu"``, ``"de-at"``)."""
    return isinstance(code, str) and len(code) == 2 and code.isalpha() and code.islower() \
        and code in LANG_INFO and "name" in LANG_INFO[code]


def check_languages(value: Any) -> list[str]:
    """``value`` as a list of language codes, or :class:`LanguageError` saying what is wrong."""
    if not isinstance(value, list) or not value:
        raise LanguageError(_("The languages are a non-empty list of two-letter codes, such as "
                              "[\"fr\", \"de\"]."))
    if len(value) > MAX_LANGUAGES:
        raise LanguageError(_("A survey has at most %(count)d languages.")
                            % {"count": MAX_LANGUAGES})
    for position, code in enumerate(value, start=1):
        if not is_language(code):
            raise LanguageError(_("Language %(position)d (“%(code)s”) is not a known two-letter "
                                  "ISO 639-1 code.") % {"position": position, "code": code})
    if len(set(value)) != len(value):
        raise LanguageError(_("Each language is listed once."))
    return list(value)


def language_name(code: str) -> str:
    """The language's own name (“Deutsch”, “italiano”), for a language selector."""
    info = LANG_INFO.get(code) or {}
    return str(info.get("name_local") or info.get("name") or code)


def languages_of(survey: Any) -> list[str]:
    """The survey's languages: its list, else those of its French and English columns."""
    listed = [code for code in (getattr(survey, "languages", None) or []) if is_language(code)]
    if listed:
        return listed
    return filled_columns(getattr(survey, "title_en", ""), getattr(survey, "intro_en", ""),
                          getattr(survey, "thanks_en", ""))


def filled_columns(*english: str) -> list[str]:
    """``["fr", "en"]`` when an English text is given, else ``["fr"]`` (French is required)."""
    return ["fr", "en"] if any(text for text in english) else ["fr"]


def fallback_order(language: str, languages: Sequence[str]) -> list[str]:
    """Where a text is looked for: the language asked for, the survey's first, French, English."""
    order: list[str] = []
    for code in (language, *languages[:1], *COLUMNS):
        if code and code not in order:
            order.append(code)
    return order


def _read(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def _in(obj: Any, field: str, code: str) -> str:
    if code in COLUMNS:
        return str(_read(obj, f"{field}_{code}") or "")
    translations = _read(obj, "translations") or {}
    texts = translations.get(code) if isinstance(translations, Mapping) else None
    return str(texts.get(field) or "") if isinstance(texts, Mapping) else ""


def text_in(obj: Any, field: str, language: str, order: Sequence[str] | None = None) -> Shown:
    """``obj``'s ``field`` in ``language``, else the first language of ``order`` that has it
    (:func:`fallback_order` of the survey's languages), marked as a stand-in."""
    for code in order or fallback_order(language, ()):
        text = _in(obj, field, code)
        if text:
            return Shown(text, code, code != language)
    return Shown("", language, False)


def _item_in(item: Mapping[str, Any], order: Sequence[str], translations: Mapping[str, Any],
             path: tuple[str, ...]) -> str:
    """An item's label: the first language of ``order`` that has it, else its code."""
    code = str(item.get("code", ""))
    for language in order:
        if language in COLUMNS:
            text = item.get(f"label_{language}")
        else:
            found: Any = translations.get(language) or {}
            for key in path:
                found = found.get(key) if isinstance(found, Mapping) else None
            text = found.get(code) if isinstance(found, Mapping) else None
        if text:
            return str(text)
    return code


def localized(question: Any, language: str, order: Sequence[str]) -> tuple[Any, dict[str, Shown]]:
    """A copy of ``question`` whose French and English texts and labels all hold its texts in
    ``language`` (or their stand-ins), so that any code reading ``text``/``label_fr`` shows
    them; and the :class:`Shown` of each of :data:`QUESTION_TEXTS` (to mark stand-ins)."""
    texts = {field: text_in(question, field, language, order) for field in QUESTION_TEXTS}
    copied = copy.copy(question)
    for field, value in texts.items():
        setattr(copied, f"{field}_fr", value.text)
        setattr(copied, f"{field}_en", value.text)
    translations = question.translations if isinstance(question.translations, Mapping) else {}

    def relabel(items: Iterable[Any], path: tuple[str, ...]) -> list[Any]:
        out = []
        for item in items or []:
            if not isinstance(item, Mapping):
                out.append(item)
                continue
            label = _item_in(item, order, translations, path)
            out.append({**item, "label_fr": label, "label_en": label})
        return out

    copied.options = relabel(question.options, ("options",))
    copied.columns = relabel(question.columns, ("columns",))
    settings = question.settings if isinstance(question.settings, Mapping) else {}
    if isinstance(settings.get("scales"), list):
        scales = []
        for scale in relabel(settings["scales"], ("scales",)):
            if isinstance(scale, Mapping) and isinstance(scale.get("choices"), list):
                scale = {**scale, "choices": relabel(
                    scale["choices"], ("choices", str(scale.get("code", ""))))}
            scales.append(scale)
        copied.settings = {**settings, "scales": scales}
    return copied, texts


def question_translation(texts: Mapping[str, str], *, options: Mapping[str, str] | None = None,
                         columns: Mapping[str, str] | None = None,
                         scales: Mapping[str, str] | None = None,
                         choices: Mapping[str, Mapping[str, str]] | None = None
                         ) -> dict[str, Any]:
    """One language's entry of ``Question.translations``, empty texts and lists left out."""
    entry: dict[str, Any] = {field: text for field, text in texts.items()
                             if field in QUESTION_TEXTS and text}
    for name, labels in (("options", options), ("columns", columns), ("scales", scales)):
        kept = {code: label for code, label in (labels or {}).items() if label}
        if kept:
            entry[name] = kept
    nested = {scale: {code: label for code, label in labels.items() if label}
              for scale, labels in (choices or {}).items()}
    nested = {scale: labels for scale, labels in nested.items() if labels}
    if nested:
        entry["choices"] = nested
    return entry


def count_texts(entry: Any) -> int:
    """How many texts one language's entry of ``translations`` holds (labels included)."""
    if not isinstance(entry, Mapping):
        return 0
    total = 0
    for value in entry.values():
        if isinstance(value, Mapping):
            total += count_texts(value)
        elif value:
            total += 1
    return total


def check_translations(value: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    """``value`` as a ``translations`` object: languages other than French and English, each a
    mapping of texts (strings) or of labels by code; :class:`LanguageError` otherwise."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise LanguageError(_("%(where)s: the translations are an object keyed by language.")
                            % {"where": where})
    allowed = set(allowed)
    for code, entry in value.items():
        if code in COLUMNS or not is_language(code):
            raise LanguageError(_("%(where)s: “%(code)s” is not a language kept in translations "
                                  "(French and English have their own fields).")
                                % {"where": where, "code": code})
        if allowed and code not in allowed:
            raise LanguageError(_("%(where)s: “%(code)s” is not one of the survey's languages.")
                                % {"where": where, "code": code})
        if not isinstance(entry, Mapping) or not _texts_only(entry):
            raise LanguageError(_("%(where)s: the texts in “%(code)s” are an object of texts.")
                                % {"where": where, "code": code})
    return dict(value)


def _texts_only(entry: Mapping[str, Any], depth: int = 0) -> bool:
    for key, value in entry.items():
        if not isinstance(key, str):
            return False
        if isinstance(value, Mapping):
            if depth >= 2 or not _texts_only(value, depth + 1):
                return False
        elif not isinstance(value, str):
            return False
    return True
