"""Writes of surveys and their versions: creating (never with a fixed page's identifier),
settings, status, and the version questions may be changed in.

Every change to the questions goes through :func:`editable_version`: once a version has answers
(or saved drafts), changing the questions makes a new version, so that each response keeps the
exact questions it answered.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import acting_user, record
from phare.listening import languages as survey_languages
from phare.listening.builder import RESERVED_SLUGS
from phare.listening.errors import ListeningError
from phare.listening.models import Section, Survey, SurveyVersion

SURVEY_FIELDS = ("title_fr", "title_en", "intro_fr", "intro_en", "thanks_fr", "thanks_en",
                 "anonymity", "service", "min_group_size", "min_verbatim_group_size",
                 "open_link", "sample_percent", "send_delay_minutes", "fatigue_days", "source",
                 "languages", "translations")
#: The settings that decide what may be disclosed of those who answer: changing one is audited.
DISCLOSURE_FIELDS = ("anonymity", "min_group_size", "min_verbatim_group_size")


def _check_survey(survey: Survey) -> None:
    if survey.kind == Survey.Kind.TRANSACTIONAL and survey.is_anonymous:
        raise ListeningError(_("Ticket feedback is tied to a ticket, hence to its requester: "
                               "choose confidential or named."), field="anonymity")
    if survey.kind == Survey.Kind.SERVICE and survey.service_id is None:
        raise ListeningError(_("A service survey names its catalogue service."), field="service")
    if not 0 <= survey.sample_percent <= 100:
        raise ListeningError(_("A percentage is between 0 and 100."), field="sample_percent")
    if not survey.languages:
        survey.languages = survey_languages.filled_columns(
            survey.title_en, survey.intro_en, survey.thanks_en)
    elif isinstance(survey.languages, list) and "en" not in survey.languages and any(
            (survey.title_en, survey.intro_en, survey.thanks_en)):
        survey.languages = [*survey.languages, "en"]  # English texts make it an English survey
    try:
        survey.languages = survey_languages.check_languages(survey.languages)
    except survey_languages.LanguageError as exc:
        raise ListeningError(exc.message, field="languages") from exc
    try:
        survey.translations = survey_languages.check_translations(
            survey.translations, survey.languages, _("survey"))
    except survey_languages.LanguageError as exc:
        raise ListeningError(exc.message, field="translations") from exc
    try:
        survey.full_clean(exclude=["created_by", "service"])
    except Exception as exc:  # ValidationError: report the first field it names
        errors = getattr(exc, "message_dict", {})
        field, messages = next(iter(errors.items()), ("", [str(exc)]))
        raise ListeningError(" ".join(messages), field=field) from exc


@transaction.atomic
def survey_create(*, slug: str, kind: str, title_fr: str, created_by: Any = None,
                  **fields: Any) -> Survey:
    """A new draft survey with its first version and an empty first section.

    The identifiers of fixed pages (:data:`~phare.listening.builder.RESERVED_SLUGS`) are
    refused here, so that the page, the API and every other caller obey the same rule.
    """
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
    if slug.strip().lower() in RESERVED_SLUGS:
        raise ListeningError(_("“%s” is used by a page of Phare: choose another identifier.")
                             % slug, field="slug")
    if Survey.objects.filter(slug=slug).exists():
        raise ListeningError(_("A survey with the identifier “%s” already exists.") % slug,
                             field="slug")
    if kind == Survey.Kind.TRANSACTIONAL and "anonymity" not in fields:
        fields["anonymity"] = Survey.Anonymity.CONFIDENTIAL
    survey = Survey(slug=slug, kind=kind, title_fr=title_fr, created_by=created_by, **fields)
    _check_survey(survey)
    survey.save()
    version = SurveyVersion.objects.create(survey=survey, number=1)
    Section.objects.create(version=version, position=1)
    return survey


@transaction.atomic
def survey_update(survey: Survey, **fields: Any) -> Survey:
    """Change settings; the anonymity is fixed once answered, thresholds can then only rise."""
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if "anonymity" in fields and fields["anonymity"] != survey.anonymity \
            and survey.responses.exists():
        raise ListeningError(_("The anonymity of a survey with answers cannot change: it was "
                               "promised to those who answered."), field="anonymity")
    for name in ("min_group_size", "min_verbatim_group_size"):
        if name in fields and not isinstance(fields[name], int):
            raise ListeningError(_("Give a whole number."), field=name)
        if name in fields and survey.responses.exists() and fields[name] < getattr(survey, name):
            raise ListeningError(_("Thresholds can only be raised once answers exist."),
                                 field=name)
    disclosure = {name: {"from": getattr(survey, name), "to": fields[name]}
                  for name in DISCLOSURE_FIELDS
                  if name in fields and fields[name] != getattr(survey, name)}
    for name, value in fields.items():
        setattr(survey, name, value)
    _check_survey(survey)
    survey.save()
    if disclosure:
        record(action=Action.THRESHOLD_CHANGED, actor=acting_user(), target=survey,
               details=disclosure)
    return survey


def survey_set_status(survey: Survey, status: str) -> Survey:
    """Draft, open (only with questions) or closed."""
    if status not in Survey.Status.values:
        raise ListeningError(_("Unknown status “%s”.") % status, field="status")
    if status == Survey.Status.OPEN:
        version = survey.current_version()
        if not version.questions.exists():
            raise ListeningError(_("A survey without questions cannot be opened."),
                                 field="status")
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    return survey


@transaction.atomic
def editable_version(survey: Survey) -> SurveyVersion:
    """The version questions may be changed in: the current one, or a new copy if it is used."""
    Survey.objects.select_for_update().get(pk=survey.pk)
    current = survey.current_version()
    if not current.frozen:
        return current
    return _copy_version(current)


def _copy_version(source: SurveyVersion) -> SurveyVersion:
    version = SurveyVersion.objects.create(survey=source.survey, number=source.number + 1)
    sections = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            version=version, position=section.position, title_fr=section.title_fr,
            title_en=section.title_en, translations=section.translations)
    for question in source.questions.all():
        question.pk = None
        question.version = version
        question.section = sections[question.section_id]
        question.save()
    return version
