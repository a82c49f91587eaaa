"""Writes of the listening domain: surveys and their versions, questions, responses.

Every change to the questions goes through :func:`editable_version`: once a version has answers
(or saved drafts), changing the questions makes a new version, so that each response keeps the
exact questions it answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.directory.models import Person
from phare.lib.i18n import in_language
from phare.listening import questions as qtypes
from phare.listening.models import (
    Invitation,
    Question,
    Response,
    Section,
    Survey,
    SurveyVersion,
    Wave,
)


class ListeningError(ValueError):
    """A refused change, with the field it concerns (for forms and the API)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyAnswered(ListeningError):
    """The invitation's survey was already answered: the earlier response stands."""


# --- surveys and versions ---------------------------------------------------------------------

SURVEY_FIELDS = ("title_fr", "title_en", "intro_fr", "intro_en", "thanks_fr", "thanks_en",
                 "anonymity", "service", "min_group_size", "min_verbatim_group_size",
                 "open_link", "sample_percent", "send_delay_minutes", "fatigue_days", "source")


def _check_survey(survey: Survey) -> None:
    if survey.kind == Survey.Kind.TRANSACTIONAL and survey.is_anonymous:
        raise ListeningError(_("Ticket feedback is tied to a ticket, hence to its requester: "
                               "choose confidential or named."), field="anonymity")
    if survey.kind == Survey.Kind.SERVICE and survey.service_id is None:
        raise ListeningError(_("A service survey names its catalogue service."), field="service")
    if not 0 <= survey.sample_percent <= 100:
        raise ListeningError(_("A percentage is between 0 and 100."), field="sample_percent")
    try:
        survey.full_clean(exclude=["created_by", "service"])
    except Exception as exc:  # ValidationError: report the first field it names
        errors = getattr(exc, "message_dict", {})
        field, messages = next(iter(errors.items()), ("", [str(exc)]))
        raise ListeningError(" ".join(messages), field=field) from exc


@transaction.atomic
def survey_create(*, slug: str, kind: str, title_fr: str, created_by: Any = None,
                  **fields: Any) -> Survey:
    """A new draft survey with its first version and an empty first section."""
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown survey fields: {sorted(unknown)}")
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
    for name, value in fields.items():
        setattr(survey, name, value)
    _check_survey(survey)
    survey.save()
    return survey


def survey_set_status(survey: Survey, status: str) -> Survey:
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
            title_en=section.title_en)
    for question in source.questions.all():
        question.pk = None
        question.version = version
        question.section = sections[question.section_id]
        question.save()
    return version


def version_questions(version: SurveyVersion) -> list[Question]:
    return list(version.questions.select_related("section").order_by(
        "section__position", "section_id", "position", "id"))


QUESTION_FIELDS = ("type", "text_fr", "text_en", "help_fr", "help_en", "required", "scale_min",
                   "scale_max", "label_min_fr", "label_min_en", "label_max_fr", "label_max_en",
                   "options", "allow_other", "condition")


def _check_questions(version: SurveyVersion, changed: Question) -> None:
    ordered = version_questions(version)
    ordered = [changed if q.pk == changed.pk else q for q in ordered]
    if changed.pk is None:
        ordered.append(changed)
        ordered.sort(key=lambda q: (q.section.position, q.section_id, q.position, q.pk or 10**9))
    for index, question in enumerate(ordered):
        qtypes.check_definition(question, ordered[:index])


@transaction.atomic
def section_add(survey: Survey, *, title_fr: str = "", title_en: str = "") -> Section:
    version = editable_version(survey)
    last = version.sections.order_by("-position").first()
    return Section.objects.create(version=version, position=(last.position + 1) if last else 1,
                                  title_fr=title_fr, title_en=title_en)


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
def question_add(survey: Survey, *, code: str, section: int | None = None,
                 **fields: Any) -> Question:
    """Add a question at the end of a section (by position; default the last section)."""
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
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


def _define(version: SurveyVersion, question: Question) -> None:
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


@transaction.atomic
def question_update(survey: Survey, code: str, **fields: Any) -> Question:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
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


# --- answers ----------------------------------------------------------------------------------

def segment_of(person: Person | None) -> dict[str, str]:
    """The segment labels an invitation copies: all an anonymous response will know."""
    if person is None:
        return {"unit_code": "", "site_code": "", "job_family_code": ""}
    return {
        "unit_code": person.business_unit.code if person.business_unit_id else "",
        "site_code": person.site.code if person.site_id else "",
        "job_family_code": person.job_family.code if person.job_family_id else "",
    }


def draft_save(invitation: Invitation, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the answers given so far (checked, not required) so the respondent can resume."""
    if invitation.responded:
        raise AlreadyAnswered(_("This survey was already answered with this link."))
    questions = version_questions(invitation.version)
    merged = {**invitation.draft, **answers}
    cleaned = qtypes.clean_answers(questions, merged, partial=True)
    Invitation.objects.filter(pk=invitation.pk, responded_on__isnull=True).update(draft=cleaned)
    invitation.draft = cleaned
    return cleaned


def response_submit(
    *, survey: Survey, answers: Mapping[str, Any], channel: str,
    version: SurveyVersion | None = None, invitation: Invitation | None = None,
    wave: Wave | None = None, submission_id: uuid.UUID | str | None = None,
    language: str | None = None, respondent: Person | None = None,
    segment: Mapping[str, str] | None = None,
    source_id: str = "", submitted_at: Any = None,
) -> Response:
    """Record one response, exactly once; nothing is written unless everything is.

    The same ``submission_id``, or a second submission through the same invitation, returns
    the response already recorded (raising :class:`AlreadyAnswered` for an invitation whose
    response cannot be returned because the survey is anonymous).
    """
    return response_record(
        survey=survey, answers=answers, channel=channel, version=version, invitation=invitation,
        wave=wave, submission_id=submission_id, language=language, respondent=respondent,
        segment=segment, source_id=source_id, submitted_at=submitted_at)[0]


def response_record(
    *, survey: Survey, answers: Mapping[str, Any], channel: str,
    version: SurveyVersion | None = None, invitation: Invitation | None = None,
    wave: Wave | None = None, submission_id: uuid.UUID | str | None = None,
    language: str | None = None, respondent: Person | None = None,
    segment: Mapping[str, str] | None = None,
    source_id: str = "", submitted_at: Any = None,
) -> tuple[Response, bool]:
    """:func:`response_submit`, also saying whether this call wrote the response: of twins
    racing with one ``submission_id`` or one invitation, exactly one gets ``True`` (the one
    whose insert committed; the others hit the unique key or the invitation's lock)."""
    if submission_id is not None:
        submission_id = uuid.UUID(str(submission_id))
        existing = Response.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            if existing.survey_id != survey.pk or (
                    invitation is not None and existing.invitation_id not in (None,
                                                                              invitation.pk)):
                raise ListeningError(_("This submission id belongs to another response."),
                                     field="submission_id")
            return existing, False
    try:
        with transaction.atomic():
            return _submit(survey=survey, answers=answers, channel=channel, version=version,
                           invitation=invitation, wave=wave, submission_id=submission_id,
                           language=language, respondent=respondent, segment=segment,
                           source_id=source_id, submitted_at=submitted_at)
    except IntegrityError:
        # A concurrent twin won the race: answer with what it recorded.
        if submission_id is not None:
            existing = Response.objects.filter(submission_id=submission_id).first()
            if existing is not None:
                return existing, False
        raise


def _submit(*, survey, answers, channel, version, invitation, wave, submission_id, language,
            respondent, segment, source_id, submitted_at) -> tuple[Response, bool]:
    if invitation is not None:
        # The row lock serialises twin submissions through the same link.
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
            "person__business_unit", "person__site", "person__job_family").get(pk=invitation.pk)
        if invitation.survey_id != survey.pk:
            raise ListeningError(_("This link is for another survey."), field="token")
        if invitation.responded:
            existing = Response.objects.filter(invitation=invitation).first()
            if existing is not None:
                return existing, False
            raise AlreadyAnswered(_("This survey was already answered with this link."))
        version = invitation.version
        wave = invitation.wave
        respondent = invitation.person
        segment = {"unit_code": invitation.unit_code, "site_code": invitation.site_code,
                   "job_family_code": invitation.job_family_code}
        # The language the person answered in (they may have switched), else the invitation's.
        language = language or invitation.language
    version = version or survey.current_version()
    if version.survey_id != survey.pk:
        raise ListeningError(_("This version belongs to another survey."), field="version")
    cleaned = qtypes.clean_answers(version_questions(version), answers)
    now = submitted_at or timezone.now()
    anonymous = survey.is_anonymous
    if segment is None:
        segment = segment_of(respondent)
    if anonymous and invitation is not None:
        # The invitation's lock already makes the submission unique; a stored client key
        # could be matched against the invitation's page and would link the answer to a person.
        submission_id = None
    response = Response(
        survey=survey, version=version, wave=wave, channel=channel,
        submission_id=submission_id, language=(language or "fr")[:2],
        submitted_on=timezone.localdate(now) if timezone.is_aware(now) else now.date(),
        submitted_at=None if anonymous else now,
        respondent=None if anonymous else respondent,
        invitation=None if anonymous else invitation,
        ticket=None if anonymous or invitation is None else invitation.ticket,
        source_id="" if anonymous else source_id,
        answers=cleaned,
        **{key: segment.get(key, "") for key in ("unit_code", "site_code", "job_family_code")},
    )
    response.save()
    if invitation is not None:
        invitation.responded_on = response.submitted_on
        invitation.draft = {}
        invitation.save(update_fields=["responded_on", "draft"])
    return response, True


def responses_count(survey: Survey, *, wave: Wave | None = None) -> int:
    qs = survey.responses.all()
    return qs.filter(wave=wave).count() if wave is not None else qs.count()


def questions_payload(version: SurveyVersion, *, language: str) -> list[dict[str, Any]]:
    """The questions as plain data (for the API and the answering page)."""
    out = []
    for q in version_questions(version):
        low, high = qtypes.scale_of(q) if q.type in qtypes.NUMERIC | {"grid"} else (None, None)
        out.append({
            "code": q.code, "type": q.type, "section": q.section.position,
            "text": in_language(q, "text", language), "help": in_language(q, "help", language),
            "required": q.required,
            "scale_min": low, "scale_max": high,
            "options": [{"code": o["code"], "label": qtypes.option_label(o, language)}
                        for o in q.options],
            "allow_other": q.allow_other, "condition": q.condition,
        })
    return out


def sections_of(version: SurveyVersion) -> Sequence[Section]:
    return list(version.sections.order_by("position", "id").prefetch_related("questions"))
