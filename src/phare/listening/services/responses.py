"""Writes of answers: a respondent's draft, and a response recorded exactly once.

An anonymous survey's response keeps nothing that leads back to a person (no respondent,
invitation, exact time or client submission key): only the segment codes the
invitation copied (:func:`segment_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.directory.models import Person
from phare.lib import rows
from phare.listening import questions as qtypes
from phare.listening.errors import AlreadyAnswered, ListeningError
from phare.listening.models import (
    Invitation,
    Question,
    Response,
    Survey,
    SurveyVersion,
    Wave,
)
from phare.listening.queries import version_questions


def segment_of(person: Person | None) -> dict[str, str]:
    """The segment labels an invitation copies: all an anonymous response will know."""
    if person is None:
        return {"unit_code": "", "site_code": "", "job_family_code": ""}
    return {
        # No query for a missing one: Django answers None without asking the database.
        "unit_code": person.business_unit.code if person.business_unit else "",
        "site_code": person.site.code if person.site else "",
        "job_family_code": person.job_family.code if person.job_family else "",
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
    whose insert committed; the others hit the unique key or the invitation's lock).

    A new submission is one insert: the unique ``submission_id`` tells a replay, which is then
    answered with the response recorded first, whatever answers it carries now.
    """
    key = None if submission_id is None else uuid.UUID(str(submission_id))
    if key is not None and invitation is not None:
        # Through an invitation, a key already used is answered before the invitation's lock
        # is taken, as it always was.
        existing = _by_key(key)
        if existing is not None:
            return _replayed(existing, survey, invitation), False
    # Twice at most: when the row that took the key cannot be read (gone, or not yet visible
    # to the look-up), the insert is tried once more, and meets it again or writes.
    for attempt in range(2):
        try:
            with _transaction_for(invitation):
                return _submit(survey=survey, answers=answers, channel=channel,
                               version=version, invitation=invitation, wave=wave,
                               submission_id=key, language=language,
                               respondent=respondent, segment=segment, source_id=source_id,
                               submitted_at=submitted_at)
        except IntegrityError:
            # A twin (a replay, or a concurrent one that won the race) recorded this key.
            existing = _by_key(key)
            if existing is None and (key is None or attempt):
                raise
        except (qtypes.AnswerErrors, ListeningError):
            # A replay is answered with its first response even if it now sends other answers.
            existing = _by_key(key)
            if existing is None:
                raise
        if existing is not None:
            return _replayed(existing, survey, invitation), False
    raise AssertionError("the second attempt returns or raises")


def _transaction_for(invitation: Invitation | None) -> AbstractContextManager[Any]:
    """Through an invitation several rows change (its lock, the response, the invitation): one
    transaction. Otherwise the response's INSERT is the only write, atomic by itself: outside a
    transaction an explicit one would only add BEGIN and COMMIT, two round trips to the
    database for every open-link submission; inside one, a savepoint keeps a refused insert
    (a replay) from breaking the caller's transaction."""
    if invitation is None and not transaction.get_connection().in_atomic_block:
        return nullcontext()
    return transaction.atomic()


def _by_key(submission_id: uuid.UUID | None) -> Response | None:
    if submission_id is None:
        return None
    return Response.objects.filter(submission_id=submission_id).first()


def _replayed(existing: Response, survey: Survey, invitation: Invitation | None) -> Response:
    """The response a replayed ``submission_id`` recorded, if it is this survey's (and this
    invitation's) own; else :class:`ListeningError`."""
    if existing.survey_id != survey.pk or (
            invitation is not None and existing.invitation_id not in (None, invitation.pk)):
        raise ListeningError(_("This submission id belongs to another response."),
                             field="submission_id")
    return existing


#: The questions of versions already answered, per process. A version with a response is frozen:
#: its questions change only through a new version (``services.surveys.editable_version``), and
#: responses are never deleted alone. The key holds the version's creation time too, since
#: SQLite gives the id of a version rolled back to the next one made.
_ANSWERED_QUESTIONS: dict[tuple[int, Any], list[Question]] = {}
_ANSWERED_QUESTIONS_MAX = 256


def _version_questions(version: SurveyVersion) -> tuple[tuple[int, Any], list[Question]]:
    key = (version.pk, version.created_at)
    questions = _ANSWERED_QUESTIONS.get(key)
    return key, version_questions(version) if questions is None else questions


def _remember_answered(key: tuple[int, Any], questions: list[Question]) -> None:
    """Keep a version's questions once a response to it is committed (the version is frozen)."""
    if len(_ANSWERED_QUESTIONS) >= _ANSWERED_QUESTIONS_MAX:
        _ANSWERED_QUESTIONS.clear()  # a process that met that many versions starts over
    _ANSWERED_QUESTIONS[key] = questions


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
    known, questions = _version_questions(version)
    cleaned = qtypes.clean_answers(questions, answers)
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
        source_id="" if anonymous else source_id,
        answers=cleaned,
        **{key: segment.get(key, "") for key in ("unit_code", "site_code", "job_family_code")},
    )
    # The ORM's INSERT, built and compiled once per process (lib/rows.py): an open link's
    # answer is the application's most frequent write.
    rows.insert(response)
    if known not in _ANSWERED_QUESTIONS:
        transaction.on_commit(partial(_remember_answered, known, questions))
    if invitation is not None:
        invitation.responded_on = response.submitted_on
        invitation.draft = {}
        invitation.save(update_fields=["responded_on", "draft"])
    return response, True
