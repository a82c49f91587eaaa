"""Writes of a survey's sections and questions: add, change, move, delete.

Each goes to :func:`~phare.listening.services.surveys.editable_version` (a new version once the
current one has answers) and checks the whole questionnaire as it would stand, so that a display
condition always refers to an earlier question. An edit that changes nothing is not made: on an
answered survey it would make a needless new version.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phare.listening import languages as survey_languages
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import Question, Section, Survey, SurveyVersion
from phare.listening.queries import version_questions
from phare.listening.services.surveys import editable_version

QUESTION_FIELDS = ("type", "text_fr", "text_en", "help_fr", "help_en", "required", "scale_min",
                   "scale_max", "label_min_fr", "label_min_en", "label_max_fr", "label_max_en",
                   "options", "columns", "allow_other", "condition", "settings", "translations")


# --- sections ---------------------------------------------------------------------------------

def _section_in(version: SurveyVersion, section_position: int | None) -> Section:
    sections = version.sections.order_by("position", "id")
    if section_position is None:
        section = sections.last()
    else:
        section = sections.filter(position=section_position).first()
    if section is None:
        raise ListeningError(_("This survey has no section %s.") % section_position,
                             field="section")
    return section


@transaction.atomic
def section_add(survey: Survey, *, title_fr: str = "", title_en: str = "",
                translations: dict[str, Any] | None = None) -> Section:
    """Add a section at the end (``translations``: its title in the survey's other languages)."""
    try:
        translations = survey_languages.check_translations(
            translations, survey_languages.languages_of(survey), _("section"))
    except survey_languages.LanguageError as exc:
        raise ListeningError(exc.message, field="translations") from exc
    version = editable_version(survey)
    last = version.sections.order_by("-position").first()
    return Section.objects.create(version=version, position=(last.position + 1) if last else 1,
                                  title_fr=title_fr, title_en=title_en,
                                  translations=translations)


@transaction.atomic
def section_update(survey: Survey, position: int, *, title_fr: str = "",
                   title_en: str = "") -> Section:
    """Rename a section (in a new version if the current one has answers)."""
    current = _section_in(survey.current_version(), position)
    if (current.title_fr, current.title_en) == (title_fr, title_en):
        return current
    section = _section_in(editable_version(survey), position)
    section.title_fr, section.title_en = title_fr, title_en
    section.full_clean(exclude=["version"])
    section.save(update_fields=["title_fr", "title_en"])
    return section


@transaction.atomic
def section_delete(survey: Survey, position: int) -> None:
    """Remove an empty section (never the last one); the others are renumbered 1, 2, …"""
    current = _section_in(survey.current_version(), position)
    if current.questions.exists():
        raise ListeningError(_("Move or delete its questions before deleting a section."),
                             field="section")
    if current.version.sections.count() == 1:
        raise ListeningError(_("A survey keeps at least one section."), field="section")
    section = _section_in(editable_version(survey), position)
    version = section.version
    section.delete()
    for number, item in enumerate(version.sections.order_by("position", "id"), start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])


# --- questions --------------------------------------------------------------------------------

def _check_questions(version: SurveyVersion, changed: Question) -> None:
    ordered = version_questions(version)
    ordered = [changed if q.pk == changed.pk else q for q in ordered]
    if changed.pk is None:
        ordered.append(changed)
        ordered.sort(key=lambda q: (q.section.position, q.section_id, q.position, q.pk or 10**9))
    for index, question in enumerate(ordered):
        qtypes.check_definition(question, ordered[:index])


def _define(version: SurveyVersion, question: Question) -> None:
    try:
        question.translations = survey_languages.check_translations(
            question.translations, survey_languages.languages_of(version.survey),
            _("question %(code)s") % {"code": question.code})
    except survey_languages.LanguageError as exc:
        raise ListeningError(exc.message, field="translations") from exc
    try:
        _check_questions(version, question)
        # Lengths, nulls and choices, as the database will insist on them.
        question.full_clean(exclude=["version", "section"], validate_unique=False,
                            validate_constraints=False)
    except qtypes.DefinitionError as exc:
        raise ListeningError(exc.reason, field=exc.field) from exc
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ListeningError(" ".join(messages), field=field) from exc
    question.save()


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")


@transaction.atomic
def question_add(survey: Survey, *, code: str, section: int | None = None,
                 **fields: Any) -> Question:
    """Add a question at the end of a section (by position; default the last section)."""
    _check_fields(fields)
    version = editable_version(survey)
    if version.questions.filter(code=code).exists():
        raise ListeningError(_("Another question already has the code “%s”.") % code,
                             field="code")
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        raise ListeningError(_("A code is made of letters, digits, “-” and “_”."), field="code")
    target = _section_in(version, section)
    last = target.questions.order_by("-position").first()
    question = Question(version=version, section=target, code=code,
                        position=(last.position + 1) if last else 1, **fields)
    _define(version, question)
    return question


@transaction.atomic
def question_update(survey: Survey, code: str, **fields: Any) -> Question:
    """Change a question's definition (its code never changes); nothing when every field
    already has the value given, so that an answered survey gets no needless version."""
    _check_fields(fields)
    current = survey.current_version().questions.filter(code=code).first()
    if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
        return current
    version = editable_version(survey)
    question = version.questions.filter(code=code).first()
    if question is None:
        raise ListeningError(_("This survey has no question “%s”.") % code, field="code")
    for name, value in fields.items():
        setattr(question, name, value)
    _define(version, question)
    return question


@transaction.atomic
def question_delete(survey: Survey, code: str) -> None:
    """Delete a question, unless another's display condition depends on it."""
    version = editable_version(survey)
    question = version.questions.filter(code=code).first()
    if question is None:
        raise ListeningError(_("This survey has no question “%s”.") % code, field="code")
    dependents = [q.code for q in version.questions.all()
                  if q.condition and q.condition.get("question") == code]
    if dependents:
        raise ListeningError(_("The display conditions of %s depend on this question.")
                             % ", ".join(dependents), field="code")
    question.delete()


@transaction.atomic
def question_move(survey: Survey, code: str, *, position: int,
                  section: int | None = None) -> Question:
    """Move a question to ``position`` (1-based) within a section (default its own)."""
    version = editable_version(survey)
    question = version.questions.select_related("section").filter(code=code).first()
    if question is None:
        raise ListeningError(_("This survey has no question “%s”.") % code, field="code")
    target = question.section if section is None else _section_in(version, section)
    siblings = [q for q in target.questions.order_by("position", "id") if q.pk != question.pk]
    position = max(1, min(position, len(siblings) + 1))
    siblings.insert(position - 1, question)
    question.section = target
    for index, item in enumerate(siblings, start=1):
        item.position = index
        item.section = target
    ordered = version_questions(version)
    # Check the new order: a condition may only refer to an earlier question.
    by_pk = {q.pk: q for q in siblings}
    ordered = [by_pk.get(q.pk, q) for q in ordered]
    ordered.sort(key=lambda q: (q.section.position, q.section_id, q.position))
    for index, item in enumerate(ordered):
        if item.condition:
            try:
                qtypes.check_condition(item.condition, ordered[:index])
            except qtypes.DefinitionError as exc:
                raise ListeningError(_("“%(code)s” would come before the question its display "
                                       "condition depends on.") % {"code": item.code},
                                     field="position") from exc
    for item in siblings:
        item.save(update_fields=["position", "section"])
    return question


def question_step(survey: Survey, code: str, direction: str) -> Question:
    """Move a question one place up or down, across into the next section at its ends."""
    if direction not in ("up", "down"):
        raise ListeningError(_("Move a question up or down."), field="direction")
    version = survey.current_version()
    question = version.questions.select_related("section").filter(code=code).first()
    if question is None:
        raise ListeningError(_("This survey has no question “%s”.") % code, field="code")
    sections = list(version.sections.order_by("position", "id"))
    here = [s.pk for s in sections].index(question.section_id)
    siblings = list(question.section.questions.order_by("position", "id")
                    .values_list("pk", flat=True))
    index = siblings.index(question.pk)
    if direction == "up" and index > 0:
        return question_move(survey, code, position=index)
    if direction == "down" and index < len(siblings) - 1:
        return question_move(survey, code, position=index + 2)
    if direction == "up" and here > 0:
        previous = sections[here - 1]
        return question_move(survey, code, section=previous.position,
                             position=previous.questions.count() + 1)
    if direction == "down" and here < len(sections) - 1:
        return question_move(survey, code, section=sections[here + 1].position, position=1)
    return question  # already first or last: nothing to move
