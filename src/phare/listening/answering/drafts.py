"""Drafts: where the answers given so far are kept (on the invitation, or in the session for an
open link) and how they are sent; an invitation's submission, exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from django.db import transaction

from phare.listening import questions as qtypes
from phare.listening import services
from phare.listening.answering.links import open_link_target
from phare.listening.answering.pages import merge_draft
from phare.listening.models import Invitation, Question, Response, Survey


class InvitationDraft:
    """Answers kept on the invitation (``Invitation.draft``): resumed from any device."""

    channel = Response.Channel.INVITATION

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation
        self.survey = invitation.survey
        self.version = invitation.version

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.invitation.draft or {})

    def keep(self, questions: Sequence[Question], submitted: Mapping[str, Any]) -> dict[str, str]:
        """Keep a page's answers (through :func:`services.draft_save`); those refused, by code."""
        kept, refused = merge_draft(questions, self.answers, submitted)
        services.draft_save(self.invitation, kept)
        return refused

    def submit(self, answers: Mapping[str, Any], *, language: str,
               submission_id: str | None = None) -> Response:
        return services.response_submit(survey=self.survey, invitation=self.invitation,
                                        answers=answers, channel=self.channel, language=language)


class SessionDraft:
    """An open link's answers, kept in the respondent's session (no invitation to keep them).

    Emptied once submitted, so that nothing tied to the browser's session (which may be a
    signed-in person's) keeps the submission id of an anonymous response.
    """

    channel = Response.Channel.OPEN_LINK

    def __init__(self, session: MutableMapping[str, Any], survey: Survey) -> None:
        self.session = session
        self.survey = survey
        self.key = f"answer:open:{survey.pk}"
        self.version, self.wave = open_link_target(survey)
        stored = session.get(self.key) or {}
        if stored.get("version") != self.version.pk:
            # A new version (or a first visit): start over, with a fresh submission id.
            stored = {"version": self.version.pk, "answers": {},
                      "submission_id": str(uuid.uuid4())}
            session[self.key] = stored
        self.stored = stored

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.stored["answers"])

    @property
    def submission_id(self) -> str:
        return self.stored["submission_id"]

    def keep(self, questions: Sequence[Question], submitted: Mapping[str, Any]) -> dict[str, str]:
        """Keep a page's answers in the session; those refused, by code."""
        kept, refused = merge_draft(questions, self.answers, submitted)
        cleaned = qtypes.clean_answers(questions, {**self.answers, **kept}, partial=True)
        self.stored = {**self.stored, "answers": cleaned}
        self.session[self.key] = self.stored
        return refused

    def submit(self, answers: Mapping[str, Any], *, language: str,
               submission_id: str | None = None) -> Response:
        response = services.response_submit(
            survey=self.survey, version=self.version, wave=self.wave, answers=answers,
            channel=self.channel, language=language,
            submission_id=submission_id or self.submission_id)
        self.session.pop(self.key, None)
        return response


def submit_invitation(invitation: Invitation, answers: Mapping[str, Any], *,
                      submission_id: str | None, language: str) -> tuple[Any, bool]:
    """Submit through an invitation, once: ``(response id or None, created)``.

    The invitation's row is locked while deciding, so of simultaneous twins exactly one is told
    it created the response. An anonymous survey's response id is never given: it would let
    the link's holder find the answers again.
    """
    with transaction.atomic():
        survey = invitation.survey
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded:
            if survey.is_anonymous:
                return None, False
            return Response.objects.filter(invitation=invitation).values_list(
                "pk", flat=True).first(), False
        try:
            response, created = services.response_record(
                survey=survey, invitation=invitation, answers=answers,
                channel=Response.Channel.INVITATION, submission_id=submission_id,
                language=language)
        except services.AlreadyAnswered:
            return None, False
    return (None if survey.is_anonymous else response.pk), created
