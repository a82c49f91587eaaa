"""The JSON submission body of scripts: read, checked, and refused with what is wrong and
where."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from phare.lib import jsontext
from phare.listening.answering.links import LANGUAGES


def parse_uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


class BadSubmission(ValueError):
    """A JSON body that cannot be used: ``status`` 400 (not JSON), 413 (over the size limit)
    or 422 (wrong shape)."""

    def __init__(self, status: int, message: str, details: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def submission_body(request: Any) -> bytes:
    """The request's body, or :class:`BadSubmission` (413) past ``PHARE_MAX_REQUEST_BYTES``."""
    try:
        return request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise BadSubmission(413, _("The body is larger than the limit of %d bytes.") % limit,
                            [{"field": "body", "reason": _("more than %d bytes") % limit}]
                            ) from None


@dataclass
class Submission:
    """A scripted response: ``{"submission_id", "answers", "language"}``."""

    answers: dict[str, Any]
    submission_id: str | None = None
    language: str = ""


def parse_submission(body: bytes, *, need_submission_id: bool,
                     languages: Sequence[str] = ()) -> Submission:
    """Read and check a JSON body; :class:`BadSubmission` names what is wrong and where.
    ``language`` is French, English or one of the survey's ``languages``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSubmission(400, _("The body is not UTF-8 text (byte %d).") % exc.start,
                            [{"field": "body", "reason": _("not UTF-8")}]) from None
    try:
        data = jsontext.loads(text)
    except jsontext.JSONTooDeep as exc:
        raise BadSubmission(400, str(exc), [{"field": "body", "reason": str(exc)}]) from None
    except jsontext.NulCharacter as exc:
        raise BadSubmission(400, str(exc), [{"field": exc.path or "body",
                                             "reason": _("NUL character")}]) from None
    except json.JSONDecodeError as exc:
        reason = _("%(msg)s at line %(line)d, column %(column)d") % {
            "msg": exc.msg, "line": exc.lineno, "column": exc.colno}
        raise BadSubmission(400, _("The body is not valid JSON: %s.") % reason,
                            [{"field": "body", "reason": reason}]) from None
    if not isinstance(data, dict):
        raise BadSubmission(422, _("The body must be a JSON object."),
                            [{"field": "body", "reason": _("expected an object")}])
    problems = []
    unknown = sorted(set(data) - {"submission_id", "answers", "language"})
    for name in unknown:
        problems.append({"field": name, "reason": _("unknown field")})
    answers = data.get("answers")
    if not isinstance(answers, dict):
        problems.append({"field": "answers", "reason": _("expected an object of answers "
                                                         "keyed by question code")})
    submission_id = data.get("submission_id")
    if submission_id is None:
        if need_submission_id:
            problems.append({"field": "submission_id", "reason": _(
                "required for an open link: a UUID the client makes once per response")})
    elif parse_uuid(submission_id) is None:
        problems.append({"field": "submission_id", "reason": _("expected a UUID")})
    language = data.get("language", "")
    accepted = list(dict.fromkeys([*LANGUAGES, *languages]))
    if language not in ("", *accepted):
        problems.append({"field": "language", "reason": _("expected fr or en")
                         if accepted == list(LANGUAGES) else
                         _("expected one of the survey's languages: %(codes)s")
                         % {"codes": ", ".join(accepted)}})
    if problems or not isinstance(answers, dict):  # answers not an object is one of the problems
        raise BadSubmission(422, _("The request is not valid."), problems)
    return Submission(answers=answers, language=language,
                      submission_id=parse_uuid(submission_id) if submission_id else None)
