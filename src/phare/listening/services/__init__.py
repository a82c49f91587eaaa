"""Writes of the listening domain, one module per aggregate: surveys and their versions
(:mod:`.surveys`), sections and questions (:mod:`.questions`), waves, invitations and opt-outs
(:mod:`.waves`), drafts and responses (:mod:`.responses`).

Pages, the API, jobs, imports and demo data call them as ``services.<name>``, whichever module
holds it; the refusals (:mod:`phare.listening.errors`) are here too.
"""

from __future__ import annotations

from phare.listening.errors import AlreadyAnswered, ListeningError, WaveConflict
from phare.listening.services.questions import (
    QUESTION_FIELDS,
    question_add,
    question_delete,
    question_move,
    question_step,
    question_update,
    section_add,
    section_delete,
    section_update,
)
from phare.listening.services.responses import (
    draft_save,
    response_record,
    response_submit,
    segment_of,
)
from phare.listening.services.surveys import (
    RESERVED_SLUGS,
    SURVEY_FIELDS,
    editable_version,
    survey_create,
    survey_set_status,
    survey_update,
)
from phare.listening.services.translations import translations_save
from phare.listening.services.waves import (
    SEND_INVITATIONS,
    SEND_REMINDERS,
    clean_audience,
    close_past_waves,
    opt_out_record,
    opt_out_withdraw,
    wave_create,
    wave_launch,
    wave_remind,
    wave_send,
)

__all__ = [
    "QUESTION_FIELDS", "RESERVED_SLUGS", "SEND_INVITATIONS", "SEND_REMINDERS", "SURVEY_FIELDS",
    "AlreadyAnswered", "ListeningError", "WaveConflict", "clean_audience", "close_past_waves",
    "draft_save", "editable_version", "opt_out_record", "opt_out_withdraw", "question_add",
    "question_delete", "question_move", "question_step", "question_update", "response_record",
    "response_submit", "section_add", "section_delete", "section_update", "segment_of",
    "survey_create", "survey_set_status", "survey_update", "translations_save", "wave_create",
    "wave_launch", "wave_remind", "wave_send",
]
