"""Answering a survey, page by page: which section comes next, the progress, reading a page's
answers from a form, keeping a draft (on the invitation, or in the session for an open link),
the JSON submission body, and the open link's rate limit.

The pages themselves (``views/respond.py``) only parse the request, call these and render.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from phare.lib import jsontext
from phare.lib.i18n import in_language
from phare.lib.pseudonyms import pseudonym
from phare.listening import queries, services
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

LANGUAGES = ("fr", "en")

# --- is the survey taking answers? -------------------------------------------------------------

OPEN, CLOSED, NOT_OPEN = "open", "closed", "not_open"


def availability(survey: Survey, wave: Wave | None = None) -> str:
    """``open``, ``closed`` (it was, and is no more) or ``not_open`` (not yet)."""
    if survey.status == Survey.Status.CLOSED or (wave is not None
                                                 and wave.status == Wave.Status.CLOSED):
        return CLOSED
    if survey.status != Survey.Status.OPEN or (wave is not None
                                               and wave.status != Wave.Status.OPEN):
        return NOT_OPEN
    return OPEN


def open_link_target(survey: Survey) -> tuple[SurveyVersion, Wave | None]:
    """The version an open link collects with, and its wave when exactly one wave is open."""
    waves = list(survey.waves.filter(status=Wave.Status.OPEN).select_related("version")[:2])
    if len(waves) == 1:
        return waves[0].version, waves[0]
    return survey.current_version(), None


# --- sections as pages ---------------------------------------------------------------------------

def base_code(key: str) -> str:
    """``tools.other`` → ``tools``: the question an answer key belongs to."""
    return key.split(".", 1)[0]


@dataclass(frozen=True)
class Page:
    """One section as the respondent sees it: its place among the pages shown."""

    section: Section
    number: int
    total: int
    questions: list[Question]
    shown: list[str]

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def last(self) -> bool:
        return self.number == self.total


class Questionnaire:
    """A version's questions grouped by section; a section is a page when it shows a question."""

    def __init__(self, version: SurveyVersion) -> None:
        self.version = version
        self.questions = queries.version_questions(version)
        self.sections: list[Section] = []
        self.by_section: dict[int, list[Question]] = {}
        for question in self.questions:
            if question.section_id not in self.by_section:
                self.sections.append(question.section)
                self.by_section[question.section_id] = []
            self.by_section[question.section_id].append(question)

    def shown(self, answers: Mapping[str, Any]) -> set[str]:
        return set(qtypes.visible_codes(self.questions, answers))

    def pages(self, answers: Mapping[str, Any]) -> list[Page]:
        shown = self.shown(answers)
        visible = [(s, [q.code for q in self.by_section[s.pk] if q.code in shown])
                   for s in self.sections]
        visible = [(s, codes) for s, codes in visible if codes]
        return [Page(section=s, number=n, total=len(visible), questions=self.by_section[s.pk],
                     shown=codes) for n, (s, codes) in enumerate(visible, start=1)]

    def section_at(self, position: Any) -> Section | None:
        wanted = _as_int(position)
        return next((s for s in self.sections if s.position == wanted), None)

    def page(self, answers: Mapping[str, Any], position: Any = None) -> Page | None:
        """The page at a section position; a hidden section gives the next page shown."""
        pages = self.pages(answers)
        if not pages:
            return None
        wanted = _as_int(position)
        if wanted is None:
            return self.resume(answers)
        for page in pages:
            if page.section.position >= wanted:
                return page
        return pages[-1]

    def resume(self, answers: Mapping[str, Any]) -> Page | None:
        """The first page not answered yet (a required question left, or nothing answered)."""
        pages = self.pages(answers)
        by_code = {q.code: q for q in self.questions}
        for page in pages:
            answered = [code for code in page.shown if code in answers]
            missing = [code for code in page.shown
                       if by_code[code].required and code not in answers]
            if missing or not answered:
                return page
        return pages[-1] if pages else None

    def neighbour(self, answers: Mapping[str, Any], section: Section, step: int) -> Page | None:
        """The page shown after (``step`` 1) or before (-1) a section, if any."""
        pages = self.pages(answers)
        if step > 0:
            return next((p for p in pages if p.section.position > section.position), None)
        return next((p for p in reversed(pages) if p.section.position < section.position), None)

    def page_with(self, answers: Mapping[str, Any], keys: Sequence[str]) -> Page | None:
        """The first page holding one of the questions named by answer keys (errors)."""
        codes = {base_code(key) for key in keys}
        return next((p for p in self.pages(answers) if codes & {q.code for q in p.questions}),
                    None)

    def errors(self, raw: Mapping[str, Any], codes: Sequence[str] | set[str]) -> dict[str, str]:
        """Every reason the answers would be refused, kept for the questions named."""
        try:
            qtypes.clean_answers(self.questions, raw)
        except qtypes.AnswerErrors as exc:
            return {key: reason for key, reason in exc.errors.items()
                    if base_code(key) in codes}
        return {}


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- a page's answers from a form ---------------------------------------------------------------

def field_name(question: Question, *parts: str) -> str:
    return ".".join([question.code, *parts])


def read_page(data: Any, questions: Sequence[Question]) -> dict[str, Any]:
    """The answers a submitted page gives, every question of the section named (an empty value
    clears an earlier answer). ``data`` is a ``QueryDict``."""
    answers: dict[str, Any] = {}
    for question in questions:
        code = question.code
        if question.type == "multiple":
            answers[code] = [value for value in data.getlist(code) if value]
        elif question.type == "grid":
            grid = {}
            for attribute in qtypes.option_codes(question):
                row = {dimension: data.get(field_name(question, attribute, dimension), "")
                       for dimension in qtypes.GRID_DIMENSIONS}
                row = {dimension: value for dimension, value in row.items() if value != ""}
                if row:
                    grid[attribute] = row
            answers[code] = grid
        else:
            # Blank text is no answer (and would otherwise count as one).
            answers[code] = data.get(code, "").strip()
        if question.allow_other and question.type in qtypes.CHOICE:
            key = qtypes.other_key(code)
            answers[key] = data.get(key, "").strip()
    return answers


def merge_draft(questions: Sequence[Question], draft: Mapping[str, Any],
                submitted: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted answers that can be kept, and those refused with their reasons.

    A draft keeps every acceptable answer: one bad value never loses the others. A required
    grid rated only in part is left out without being called wrong (the question types check
    a required grid's completeness even for drafts), so it is kept once complete.
    """
    by_code = {q.code: q for q in questions}
    refused: dict[str, str] = {}
    pending = dict(submitted)
    for _attempt in range(len(submitted) + 1):
        try:
            qtypes.clean_answers(questions, {**draft, **pending}, partial=True)
        except qtypes.AnswerErrors as exc:
            bad = {key: reason for key, reason in exc.errors.items() if key in pending}
            if not bad:
                raise
            for key, reason in bad.items():
                if not _incomplete_grid(by_code.get(key), pending[key]):
                    refused[key] = reason
                pending.pop(key)
        else:
            break
    return pending, refused


def _incomplete_grid(question: Question | None, value: Any) -> bool:
    if question is None or question.type != "grid" or not question.required:
        return False
    optional = copy.copy(question)
    optional.required = False
    try:
        qtypes.clean_answer(optional, value, {})
    except ValueError:
        return False
    return True


# --- drafts: where the answers given so far are kept -------------------------------------------

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


def parse_uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


# --- what a page shows ---------------------------------------------------------------------------

#: End labels of the standard scales (the lowest, the highest value).
END_LABELS = {
    "nps": (_l("Not at all likely"), _l("Extremely likely")),
    "csat": (_l("Very dissatisfied"), _l("Very satisfied")),
    "ces": (_l("Strongly disagree"), _l("Strongly agree")),
    "importance": (_l("Not important"), _l("Very important")),
    "satisfaction": (_l("Very dissatisfied"), _l("Very satisfied")),
}
DIMENSION_NAMES = {"importance": _l("Importance"), "satisfaction": _l("Satisfaction")}


@dataclass
class Choice:
    """One radio button or checkbox: ``extra`` completes its accessible name (an end label)."""

    value: str
    label: str
    input_id: str
    checked: bool
    extra: str = ""


@dataclass
class Scale:
    """A row of numbered radio buttons with its end labels."""

    name: str
    legend: str
    choices: list[Choice]
    low: str
    high: str

    @property
    def columns(self) -> int:
        """Buttons per line: a whole NPS row fits a phone; longer scales wrap."""
        return min(len(self.choices), 11)


@dataclass
class Shown:
    """A question ready for the template."""

    code: str
    type: str
    text: str
    help: str
    required: bool
    conditional: bool
    error: str = ""
    other_error: str = ""
    scale: Scale | None = None
    choices: list[Choice] = field(default_factory=list)
    other: Choice | None = None
    other_text: str = ""
    rows: list[tuple[str, list[Scale]]] = field(default_factory=list)
    text_value: str = ""
    max_length: int = qtypes.MAX_TEXT

    @property
    def input_id(self) -> str:
        """Where the error summary's link lands: the question's first input."""
        if self.scale:
            return self.scale.choices[0].input_id
        if self.choices:
            return self.choices[0].input_id
        if self.rows:
            return self.rows[0][1][0].choices[0].input_id
        return f"q-{self.code}"

    @property
    def described_by(self) -> str:
        ids = [f"help-{self.code}"] if self.help else []
        return " ".join(ids + ([f"error-{self.code}"] if self.error else []))

    @property
    def other_id(self) -> str:
        return f"q-{self.code}-other-text"

    @property
    def invalid(self) -> bool:
        return bool(self.error or self.other_error)


def _scale(name: str, low: int, high: int, value: Any, labels: tuple[Any, Any],
           legend: str = "") -> Scale:
    ident = "q-" + name.replace(".", "-")
    low_label, high_label = (str(label) if label else "" for label in labels)
    choices = [Choice(value=str(n), label=str(n), input_id=f"{ident}-{n}",
                      checked=value is not None and str(value) == str(n),
                      extra=low_label if n == low else high_label if n == high else "")
               for n in range(low, high + 1)]
    return Scale(name=name, legend=legend, choices=choices, low=low_label, high=high_label)


def shown_question(question: Question, value: Any, errors: Mapping[str, str], *,
                   language: str, other_text: Any = "") -> Shown:
    """What the template needs to draw one question with its value and errors."""
    shown = Shown(code=question.code, type=question.type, text=question.text,
                  help=question.help, required=question.required,
                  conditional=bool(question.condition), error=errors.get(question.code, ""),
                  other_error=errors.get(qtypes.other_key(question.code), ""))
    kind = question.type
    if kind in qtypes.NUMERIC:
        low, high = qtypes.scale_of(question)
        labels = END_LABELS.get(kind) or (
            in_language(question, "label_min", language),
            in_language(question, "label_max", language))
        shown.scale = _scale(question.code, low, high, value, labels)
    elif kind in qtypes.CHOICE:
        given = value if isinstance(value, list) else [value] if value else []
        chosen = {str(v) for v in given}
        shown.choices = [
            Choice(value=code, label=qtypes.option_label(option, language),
                   input_id=f"q-{question.code}-{code}", checked=code in chosen)
            for option in question.options for code in [str(option["code"])]]
        if question.allow_other:
            shown.other = Choice(value=qtypes.OTHER, label=_("Other"),
                                 input_id=f"q-{question.code}-other",
                                 checked=qtypes.OTHER in chosen)
            shown.other_text = str(other_text or "")
    elif kind == "grid":
        low, high = qtypes.scale_of(question)
        ratings = value if isinstance(value, Mapping) else {}
        for option in question.options:
            attribute = str(option["code"])
            row = ratings.get(attribute)
            if not isinstance(row, Mapping):
                row = {}
            shown.rows.append((qtypes.option_label(option, language), [
                _scale(field_name(question, attribute, dimension), low, high,
                       row.get(dimension), END_LABELS[dimension],
                       legend=str(DIMENSION_NAMES[dimension]))
                for dimension in qtypes.GRID_DIMENSIONS]))
    else:
        shown.text_value = "" if value is None else str(value)
    return shown


@dataclass
class Slot:
    """A place for one question of a page: empty while its display condition hides it."""

    code: str
    conditional: bool
    question: Shown | None


def page_slots(page: Page, values: Mapping[str, Any], errors: Mapping[str, str], *,
               language: str) -> list[Slot]:
    """The page's questions in order; those hidden by a condition keep an empty slot, so that
    htmx can fill it when an answer shows them."""
    shown = set(page.shown)
    return [Slot(code=q.code, conditional=bool(q.condition),
                 question=shown_question(q, values.get(q.code), errors, language=language,
                                         other_text=values.get(qtypes.other_key(q.code)))
                 if q.code in shown else None)
            for q in page.questions]


def error_summary(slots: Sequence[Slot]) -> list[dict[str, str]]:
    """The errors of a page in question order, each with the input its link leads to."""
    items = []
    for slot in slots:
        question = slot.question
        if question is None:
            continue
        if question.error:
            items.append({"anchor": question.input_id, "text": question.text,
                          "reason": question.error})
        if question.other_error:
            items.append({"anchor": question.other_id, "text": question.text,
                          "reason": question.other_error})
    return items


# --- the JSON submission body ------------------------------------------------------------------

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


def parse_submission(body: bytes, *, need_submission_id: bool) -> Submission:
    """Read and check a JSON body; :class:`BadSubmission` names what is wrong and where."""
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
    if language not in ("", *LANGUAGES):
        problems.append({"field": "language", "reason": _("expected fr or en")})
    if problems or not isinstance(answers, dict):  # answers not an object is one of the problems
        raise BadSubmission(422, _("The request is not valid."), problems)
    return Submission(answers=answers, language=language,
                      submission_id=parse_uuid(submission_id) if submission_id else None)


# --- the open link's rate limit ------------------------------------------------------------------

def rate() -> tuple[int, int]:
    """``PHARE_OPEN_SURVEY_RATE`` ("20/600"): submissions allowed, per that many seconds."""
    count, seconds = str(settings.PHARE_OPEN_SURVEY_RATE).split("/", 1)
    return int(count), int(seconds)


def rate_limit_wait(link: str, client: str, *, now: float | None = None) -> int:
    """Count one submission through an open link (its token) from a client address; the
    seconds to wait when it is over the limit, else 0.

    Each link has its own budget per address, so one survey's answers never block another's.
    The count lives in the shared cache (``CACHES``), so every worker process sees it. Neither
    the address nor the link is stored: the cache key holds a keyed hash of both, for one
    window only, and nothing of it reaches the database.
    """
    limit, window = rate()
    now = time.time() if now is None else now
    slot = int(now // window)
    digest = pseudonym(link, client)
    key = f"phare:answer-rate:{digest}:{slot}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        return max(1, int((slot + 1) * window - now))
    return 0
