"""Writes of a survey's texts in its languages other than French and English (the builder's
page per language): the survey's title, introduction and thanks, and its current version's
section titles and question texts and labels, all at once or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phare.listening import languages as langs
from phare.listening.errors import ListeningError
from phare.listening.models import Survey, SurveyVersion
from phare.listening.services.surveys import editable_version

#: The longest text each field takes (as its French and English columns); labels 200.
LIMITS = {"title": 200, "help": 300, "label_min": 80, "label_max": 80}
LABEL_LIMIT = 200


def _check(where: str, field: str, text: str) -> None:
    limit = LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise ListeningError(_("%(where)s: at most %(limit)d characters (%(length)d given).")
                             % {"where": where, "limit": limit, "length": len(text)},
                             field=where)


def _labels(where: str, labels: Mapping[str, Any]) -> dict[str, str]:
    kept = {}
    for code, label in labels.items():
        label = str(label or "").strip()
        if len(label) > LABEL_LIMIT:
            raise ListeningError(_("%(where)s: at most %(limit)d characters (%(length)d given).")
                                 % {"where": f"{where}.{code}", "limit": LABEL_LIMIT,
                                    "length": len(label)}, field=f"{where}.{code}")
        if label:
            kept[str(code)] = label
    return kept


def _entry(where: str, texts: Mapping[str, Any]) -> dict[str, Any]:
    """One object's texts in one language, checked; empty ones left out."""
    entry: dict[str, Any] = {}
    for field, value in texts.items():
        if field in langs.ITEM_LISTS:
            if field == "choices":
                nested = {str(scale): _labels(f"{where}.choices.{scale}", labels)
                          for scale, labels in (value or {}).items()}
                nested = {scale: labels for scale, labels in nested.items() if labels}
                if nested:
                    entry[field] = nested
            elif kept := _labels(f"{where}.{field}", value or {}):
                entry[field] = kept
            continue
        text = str(value or "").strip()
        _check(f"{where}.{field}", field, text)
        if text:
            entry[field] = text
    return entry


def _with(translations: Any, language: str, entry: dict[str, Any]) -> dict[str, Any]:
    kept = {code: texts for code, texts in (translations or {}).items() if code != language}
    if entry:
        kept[language] = entry
    return kept


@transaction.atomic
def translations_save(survey: Survey, language: str, *, survey_texts: Mapping[str, Any],
                      sections: Mapping[int, Mapping[str, Any]],
                      questions: Mapping[str, Mapping[str, Any]]) -> SurveyVersion:
    """Write ``language``'s texts: the survey's, each section's (by position) and each
    question's (by code) of the current version — in a new version if that one is answered
    and its texts change. Empty texts are removed; anything too long refuses it all."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if language in langs.COLUMNS or language not in langs.languages_of(survey):
        raise ListeningError(_("“%(code)s” is not one of the survey's languages other than "
                               "French and English.") % {"code": language}, field="language")
    survey_entry = _entry("survey", {f: survey_texts.get(f, "") for f in langs.SURVEY_TEXTS})
    section_entries = {int(position): _entry(f"section.{position}", texts)
                       for position, texts in sections.items()}
    question_entries = {str(code): _entry(f"q.{code}", texts)
                        for code, texts in questions.items()}
    survey.translations = _with(survey.translations, language, survey_entry)
    survey.save(update_fields=["translations", "updated_at"])
    current = survey.current_version()

    def changes(version: SurveyVersion) -> tuple[list[Any], list[Any]]:
        changed_sections = []
        for section in version.sections.all():
            if section.position in section_entries:
                new = _with(section.translations, language, section_entries[section.position])
                if new != (section.translations or {}):
                    section.translations = new
                    changed_sections.append(section)
        changed_questions = []
        for question in version.questions.all():
            if question.code in question_entries:
                new = _with(question.translations, language, question_entries[question.code])
                if new != (question.translations or {}):
                    question.translations = new
                    changed_questions.append(question)
        return changed_sections, changed_questions

    changed_sections, changed_questions = changes(current)
    if not (changed_sections or changed_questions):
        return current
    version = editable_version(survey)
    if version.pk != current.pk:  # answered: the new copy takes the texts
        changed_sections, changed_questions = changes(version)
    for section in changed_sections:
        section.save(update_fields=["translations"])
    for question in changed_questions:
        question.save(update_fields=["translations"])
    return version
