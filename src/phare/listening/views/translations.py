"""The builder's page for one of a survey's languages other than French and English: every
text of the survey and of its current questions in that language, beside the survey's first
language, saved at once (:func:`phare.listening.services.translations_save`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib import i18n
from phare.listening import languages as langs
from phare.listening import queries, services
from phare.listening.errors import ListeningError
from phare.listening.models import Survey


@dataclass
class TextField:
    """One text to write: its form name, what it is, the reference text, the value."""

    name: str
    label: str
    reference: str
    value: str
    path: tuple[str, ...]
    multiline: bool = False


@dataclass
class TextGroup:
    legend: str
    fields: list[TextField]


def _stored(obj: Any, language: str, path: tuple[str, ...]) -> str:
    found: Any = (obj.translations or {}).get(language) or {}
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    return str(found or "")


def _reference_language(survey: Survey, language: str) -> str:
    """The language shown beside: the survey's first other than ``language`` (else French)."""
    return next((code for code in langs.languages_of(survey) if code != language), "fr")


def _groups(survey: Survey, language: str) -> list[TextGroup]:
    """The texts of the survey and of its current version, in the builder's order."""
    available = langs.languages_of(survey)
    first = _reference_language(survey, language)
    # The reference is never the language being written.
    order = [code for code in langs.fallback_order(first, available) if code != language]

    def reference(obj: Any, field: str) -> str:
        return langs.text_in(obj, field, order[0], order).text

    def item_reference(question: Any, path: tuple[str, ...], item: dict[str, Any]) -> str:
        for code in order:
            found = str(item.get(f"label_{code}") or "") if code in langs.COLUMNS else \
                _stored(question, code, path)
            if found:
                return found
        return str(item.get("code", ""))

    names = {"title": _("Title"), "intro": _("Introduction"), "thanks": _("Thank-you message"),
             "text": _("Question"), "help": _("Help"), "label_min": _("Lowest label"),
             "label_max": _("Highest label")}
    groups = [TextGroup(_("Survey"), [
        TextField(f"survey.{field}", str(names[field]), reference(survey, field),
                  _stored(survey, language, (field,)), ("survey", field),
                  multiline=field != "title") for field in langs.SURVEY_TEXTS])]
    rows = queries.builder_sections(survey.current_version())
    for row in rows:
        section = row.section
        fields = [TextField(f"section.{section.position}.title", _("Section title"),
                            reference(section, "title"), _stored(section, language, ("title",)),
                            ("section", str(section.position), "title"))]
        for item in row.questions:
            question = item["question"]
            base = ("q", question.code)
            for field in langs.QUESTION_TEXTS:
                if field == "text" or reference(question, field):
                    fields.append(TextField(
                        f"q.{question.code}.{field}", f"{question.code} — {names[field]}",
                        reference(question, field), _stored(question, language, (field,)),
                        (*base, field), multiline=field == "text"))
            scales = [s for s in (question.settings or {}).get("scales") or []
                      if isinstance(s, dict)]
            lists = [("options", _("Option"), question.options or []),
                     ("columns", _("Column"), question.columns or []),
                     ("scales", _("Scale"), scales)]
            for key, what, items in lists:
                for option in items:
                    if isinstance(option, dict):
                        code = str(option.get("code", ""))
                        fields.append(TextField(
                            f"q.{question.code}.{key}.{code}",
                            f"{question.code} — {what} {code}",
                            item_reference(question, (key, code), option),
                            _stored(question, language, (key, code)), (*base, key, code)))
            for scale in scales:
                for choice in scale.get("choices") or []:
                    if isinstance(choice, dict):
                        scale_code, code = str(scale.get("code", "")), str(choice.get("code", ""))
                        fields.append(TextField(
                            f"q.{question.code}.choices.{scale_code}.{code}",
                            f"{question.code} — {_('Scale')} {scale_code}, {code}",
                            item_reference(question, ("choices", scale_code, code), choice),
                            _stored(question, language, ("choices", scale_code, code)),
                            (*base, "choices", scale_code, code)))
        groups.append(TextGroup(str(section) if section.title else _("Section %(n)d") % {
            "n": section.position}, fields))
    return groups


def _parsed(groups: list[TextGroup], data: Any) -> dict[str, Any]:
    """The posted texts as :func:`services.translations_save` takes them."""
    out: dict[str, Any] = {"survey_texts": {}, "sections": {}, "questions": {}}
    for group in groups:
        for field in group.fields:
            value = str(data.get(field.name, ""))
            field.value = value
            kind, *rest = field.path
            if kind == "survey":
                out["survey_texts"][rest[0]] = value
            elif kind == "section":
                out["sections"].setdefault(int(rest[0]), {})[rest[1]] = value
            else:
                texts = out["questions"].setdefault(rest[0], {})
                if len(rest) == 2:
                    texts[rest[1]] = value
                elif len(rest) == 3:
                    texts.setdefault(rest[1], {})[rest[2]] = value
                else:
                    texts.setdefault(rest[1], {}).setdefault(rest[2], {})[rest[3]] = value
    return out


@allow(SURVEY_MANAGERS)
def survey_translation(request: SignedInRequest, slug: str, language: str) -> HttpResponse:
    """One language's texts: shown beside the survey's first language's, saved at once."""
    survey = get_object_or_404(Survey, slug=slug)
    if language in langs.COLUMNS or language not in langs.languages_of(survey):
        raise Http404(_("This survey is not written in that language."))
    groups = _groups(survey, language)
    error = None
    if request.method == "POST":
        try:
            services.translations_save(survey, language, **_parsed(groups, request.POST))
        except ListeningError as exc:
            error = exc
        else:
            messages.success(request, _("The texts in %(language)s are saved.")
                             % {"language": i18n.language_label(language)})
            return redirect("listening:survey_translation", survey.slug, language)
    first = _reference_language(survey, language)
    return render(request, "listening/builder/translation.html", {
        "survey": survey, "language": language, "groups": groups, "error": error,
        "language_name": langs.language_name(language),
        "language_label": i18n.language_label(language),
        "reference_label": i18n.language_label(first), "reference_code": first,
    }, status=422 if error else 200)
