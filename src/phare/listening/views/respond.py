"""Answering a survey (``/s/``): through a personal invitation or a survey's open link, as pages
for people and as JSON for scripts.

These pages are public: the token in the link is the authority, and no sign-in is used. What
comes next, what is kept and what is refused is decided in :mod:`phare.listening.answering`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_htmx.http import HttpResponseClientRefresh

from phare.accounts.policy import public
from phare.lib import i18n
from phare.lib.api import error_response
from phare.lib.clients import client_address
from phare.lib.http import HtmxRequest
from phare.listening import languages as survey_languages
from phare.listening.answering import display, drafts, links, pages, ratelimit, submission
from phare.listening.errors import AlreadyAnswered, ListeningError
from phare.listening.models import Invitation, Response, Survey
from phare.listening.questions import AnswerErrors
from phare.listening.services import response_record

ANSWERED_COOKIE = "phare_answered_{pk}"
ANSWERED_SALT = "phare.listening.answered"
ANSWERED_AGE = 365 * 24 * 3600


@dataclass
class _Respondent:
    """Who is answering what: the survey, where the answers are kept, and the page's links."""

    survey: Survey
    draft: drafts.InvitationDraft | drafts.SessionDraft
    language: str
    url: str
    thanks_url: str
    channel: str  # "invitation" or "open"
    #: The survey language its texts are shown in (any of the survey's), and where a text
    #: missing in it is looked for; ``language`` is the interface's (FR/EN).
    content: str = ""
    order: tuple[str, ...] = ()

    @property
    def promise(self) -> str:
        if self.channel == "open" and not self.survey.is_anonymous:
            return "open"  # no invitation, no name: whatever the survey's anonymity
        return self.survey.anonymity


# --- pages ---------------------------------------------------------------------------------------

def _invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("survey", "version", "wave").filter(
        token=token).first()


def _open_survey(open_token: str) -> Survey | None:
    return Survey.objects.filter(open_token=open_token, open_link=True).first()


def _language(request: HttpRequest, key: str, default: str) -> str:
    """The page's language: the FR/EN switch (kept in the session), else ``default``."""
    chosen = request.GET.get("lang")
    if chosen in links.LANGUAGES:
        request.session[key] = chosen
    language = request.session.get(key) or default
    return language if language in links.LANGUAGES else settings.LANGUAGE_CODE


#: Where the survey language a respondent chose is kept (one choice per survey and session).
CONTENT_KEY = "answer:text:{pk}"


def _content(request: HttpRequest, survey: Survey, language: str) -> tuple[str, tuple[str, ...]]:
    """The survey language the texts are shown in, and where a missing text is looked for.

    A survey written in French and English only follows the interface's switch. One with other
    languages offers them all (``?survey_lang=de``, kept in the session); by default the
    interface's language when the survey has it, else the survey's first language."""
    available = survey_languages.languages_of(survey)
    if all(code in survey_languages.COLUMNS for code in available):
        content = language
    else:
        key = CONTENT_KEY.format(pk=survey.pk)
        chosen = request.GET.get("survey_lang")
        if chosen in available:
            request.session[key] = chosen
        content = request.session.get(key) or ""
        if content not in available:
            content = language if language in available else available[0]
    return content, tuple(survey_languages.fallback_order(content, available))


def _content_links(request: HttpRequest, survey: Survey, current: str) -> list[dict[str, Any]]:
    """The survey's languages to choose from (none when it is in French and English only)."""
    available = survey_languages.languages_of(survey)
    if all(code in survey_languages.COLUMNS for code in available):
        return []
    section = request.GET.get("section")
    params = {"section": section} if section is not None else {}
    return [{"code": code, "name": survey_languages.language_name(code),
             "current": code == current, "url": "?" + urlencode({**params, "survey_lang": code})}
            for code in available]


def _survey_texts(survey: Survey, fields: tuple[str, ...], content: str,
                  order: tuple[str, ...], language: str) -> dict[str, Any]:
    """The survey's texts in its language ``content`` for a page: ``<field>`` as HTML (a
    stand-in marked), ``<field>_text`` plain; ``content_lang`` when it is not the page's."""
    texts: dict[str, Any] = {"content_lang": content if content != language else "",
                             "ui_lang": language}
    for field in fields:
        value = survey_languages.text_in(survey, field, content, order)
        texts[f"{field}_text"] = value.text
        if field == "title":
            texts[field] = i18n.marked(value)
        else:
            texts[field] = i18n.marked_block(value, linebreaks(value.text)) \
                if value.text else ""
    return texts


def _language_links(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    names = dict(settings.LANGUAGES)
    section = request.GET.get("section")
    params = {"section": section} if section is not None else {}
    return [{"code": code, "name": names[code], "current": code == current,
             "url": "?" + urlencode({**params, "lang": code})} for code in links.LANGUAGES]


def _render(request: HttpRequest, template: str, context: dict[str, Any], *,
            language: str, status: int = 200) -> HttpResponse:
    context.setdefault("language_links", _language_links(request, language))
    response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


MESSAGES = {
    "not_found": (404, gettext_lazy("This link does not work"), [
        gettext_lazy("Check that the whole link from your email was opened, or ask the person who "
              "sent it for a new one.")]),
    "closed": (410, gettext_lazy("This survey is closed"), [
        gettext_lazy("It no longer takes answers. Thank you for your interest.")]),
    "not_open": (403, gettext_lazy("This survey is not open yet"), [
        gettext_lazy("Come back with the same link once it opens.")]),
    "answered": (200, gettext_lazy("You have already answered, thank you"), [
        gettext_lazy("Your answers were recorded once; they cannot be sent again.")]),
    "thanks": (200, gettext_lazy("Thank you, your answers are recorded"), [
        gettext_lazy("You can close this page.")]),
    "rate_limited": (429, gettext_lazy("Too many answers sent from your network"), [
        gettext_lazy("To protect this survey, answers from one network are limited for a while. "
              "Please try again in a few minutes.")]),
}


def _message(request: HtmxRequest, kind: str, *, language: str,
             survey: Survey | None = None) -> HttpResponse:
    status, heading, paragraphs = MESSAGES[kind]
    context: dict[str, Any] = {"kind": kind, "heading": heading, "paragraphs": paragraphs,
                               "survey": survey if kind != "not_found" else None}
    if survey is not None and kind != "not_found":
        content, order = _content(request, survey, language)
        context.update(_survey_texts(survey, ("title", "thanks"), content, order, language))
        if kind not in ("thanks", "answered"):
            context["thanks"] = ""
        context["survey_language_links"] = _content_links(request, survey, content)
    if request.htmx:
        # A page changed under the respondent's feet (sent from another tab, closed): reload it.
        return HttpResponseClientRefresh()
    return _render(request, "listening/respond/message.html", context, language=language,
                   status=status)


def _not_found(request: HtmxRequest) -> HttpResponse:
    """A link that leads nowhere, in the language its FR/EN switch asked for, else the browser's."""
    chosen = request.GET.get("lang")
    language = chosen if chosen in links.LANGUAGES else request.LANGUAGE_CODE
    with translation.override(language):
        return _message(request, "not_found", language=language)


def _page_url(who: _Respondent, page: pages.Page | None) -> str:
    return who.url if page is None else f"{who.url}?{urlencode({'section': page.section.position})}"


def _show_page(request: HttpRequest, who: _Respondent, page: pages.Page,
               values: dict[str, Any], errors: dict[str, str], *, notice: bool = False,
               form_error: str = "") -> HttpResponse:
    slots = display.page_slots(page, values, errors, language=who.content, order=who.order)
    context = {
        "survey": who.survey, "page": page, "slots": slots, "channel": who.channel,
        "summary": display.error_summary(slots), "form_error": form_error, "notice": notice,
        "promise": who.promise, "form_url": who.url,
        "submission_id": getattr(who.draft, "submission_id", ""),
        "section_title": i18n.marked(survey_languages.text_in(
            page.section, "title", who.content, who.order)),
        "survey_language_links": _content_links(request, who.survey, who.content),
        **_survey_texts(who.survey, ("title", "intro"), who.content, who.order, who.language),
    }
    return _render(request, "listening/respond/page.html", context, language=who.language)


def _refresh(request: HttpRequest, who: _Respondent, questionnaire: pages.Questionnaire,
             section: Any, values: dict[str, Any], refused: dict[str, str]) -> HttpResponse:
    """An answer changed (htmx): the draft is saved; fill or empty the slots of the questions
    whose display condition changed, and say so in the status line."""
    answers = who.draft.answers
    page = next((p for p in questionnaire.pages(answers) if p.section.pk == section.pk), None)
    shown = set(page.shown) if page else set()
    displayed = set(request.POST.getlist("_shown"))
    changed = [q for q in questionnaire.by_section[section.pk]
               if q.condition and (q.code in shown) != (q.code in displayed)]
    slots = [display.Slot(code=q.code, conditional=True, question=display.shown_question(
        q, values.get(q.code), {}, language=who.content, order=who.order,
        other_text=values.get(f"{q.code}.other"))
        if q.code in shown else None) for q in changed]
    appeared = [slot.question.text for slot in slots if slot.question]
    if refused:
        status = _("Not saved: %s") % " ".join(refused.values())
    elif appeared:
        status = _("Saved. A new question is shown below: %s") % " / ".join(appeared)
    else:
        status = _("Saved.")
    return _render(request, "listening/respond/_refresh.html",
                   {"slots": slots, "status": status,
                    "content_lang": who.content if who.content != who.language else "",
                    "ui_lang": who.language},
                   language=who.language)


def _answer(request: HtmxRequest, who: _Respondent) -> HttpResponse:
    """One page of the questionnaire: show it, keep its answers, move on, or send them all."""
    questionnaire = pages.Questionnaire(who.draft.version)
    if request.method != "POST":
        answers = who.draft.answers
        page = questionnaire.page(answers, request.GET.get("section"))
        if page is None:  # a survey with no question shown cannot be answered
            return _message(request, "not_open", language=who.language, survey=who.survey)
        return _show_page(request, who, page, answers, {})
    section = questionnaire.section_at(request.POST.get("section"))
    if section is None:  # a form from an older version of the questions
        return redirect(who.url)
    submitted = pages.read_page(request.POST, questionnaire.by_section[section.pk])
    try:
        refused = who.draft.keep(questionnaire.questions, submitted)
    except AlreadyAnswered:
        return _message(request, "answered", language=who.language, survey=who.survey)
    answers = who.draft.answers
    values = {**answers, **submitted}
    if request.htmx:
        return _refresh(request, who, questionnaire, section, values, refused)
    action = request.POST.get("action", "next")
    if action == "previous":
        return redirect(_page_url(who, questionnaire.neighbour(answers, section, -1)))
    page = next((p for p in questionnaire.pages(answers) if p.section.pk == section.pk), None)
    if page is None:  # every question of this section is now hidden
        return redirect(_page_url(who, questionnaire.page(answers, section.position)))
    displayed = set(request.POST.getlist("_shown"))
    # Without JavaScript, questions an answer just showed are shown before moving on.
    newly = {code for code in page.shown if code not in displayed}
    errors = {key: reason for key, reason in questionnaire.errors(values, page.shown).items()
              if pages.base_code(key) not in newly}
    if newly or errors:
        return _show_page(request, who, page, values, errors, notice=bool(newly))
    if action != "submit":
        following = questionnaire.neighbour(answers, section, 1)
        if following is None:
            return _show_page(request, who, page, values, {})
        return redirect(_page_url(who, following))
    return _submit(request, who, questionnaire, page, values)


def _submit(request: HtmxRequest, who: _Respondent, questionnaire: pages.Questionnaire,
            page: pages.Page, values: dict[str, Any]) -> HttpResponse:
    try:
        who.draft.submit(values, language=who.content,
                         submission_id=submission.parse_uuid(request.POST.get("submission_id")))
    except AnswerErrors as exc:
        # An earlier page may hold the problem: show the first one that does.
        target = questionnaire.page_with(who.draft.answers, list(exc.errors)) or page
        codes = {q.code for q in target.questions}
        return _show_page(request, who, target, values,
                          {k: v for k, v in exc.errors.items() if pages.base_code(k) in codes})
    except AlreadyAnswered:
        return _message(request, "answered", language=who.language, survey=who.survey)
    except ListeningError as exc:
        return _show_page(request, who, page, values, {}, form_error=exc.message)
    response = redirect(who.thanks_url)
    if isinstance(who.draft, drafts.SessionDraft):  # the open link's (channel "open")
        response.set_signed_cookie(
            ANSWERED_COOKIE.format(pk=who.survey.pk), _wave_mark(who.draft), salt=ANSWERED_SALT,
            max_age=ANSWERED_AGE, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE, path=reverse("answer:open",
                                                                 args=[who.survey.open_token]))
    return response


def _wave_mark(draft: drafts.SessionDraft) -> str:
    """What the answered cookie holds: the wave answered (a new wave may be answered again)."""
    return str(draft.wave.pk) if draft.wave is not None else "survey"


def _answered_here(request: HttpRequest, survey: Survey) -> bool:
    _version, wave = links.open_link_target(survey)
    mark = request.get_signed_cookie(ANSWERED_COOKIE.format(pk=survey.pk), default=None,
                                     salt=ANSWERED_SALT)
    return mark is not None and mark == (str(wave.pk) if wave is not None else "survey")


@public
@never_cache
def respond(request: HtmxRequest, token: str) -> HttpResponse:
    """A personal invitation's questionnaire: resumed where it was left."""
    invitation = _invitation(token)
    if invitation is None:
        return _not_found(request)
    language = _language(request, f"answer:lang:{invitation.pk}", invitation.language)
    survey = invitation.survey
    with translation.override(language):
        if invitation.responded:
            return _message(request, "answered", language=language, survey=survey)
        state = links.availability(survey, invitation.wave)
        if state != links.OPEN:
            return _message(request, state, language=language, survey=survey)
        content, order = _content(request, survey, language)
        who = _Respondent(survey=survey, draft=drafts.InvitationDraft(invitation),
                          language=language, channel="invitation", content=content, order=order,
                          url=reverse("answer:respond", args=[token]),
                          thanks_url=reverse("answer:thanks", args=[token]))
        return _answer(request, who)


@public
@never_cache
def thanks(request: HtmxRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    if invitation is None:
        return _not_found(request)
    if not invitation.responded:
        return redirect("answer:respond", token)
    language = _language(request, f"answer:lang:{invitation.pk}", invitation.language)
    with translation.override(language):
        return _message(request, "thanks", language=language, survey=invitation.survey)




def _rate_limited(request: HtmxRequest, wait: int, language: str, survey: Survey) -> HttpResponse:
    response = _message(request, "rate_limited", language=language, survey=survey)
    response["Retry-After"] = str(wait)
    return response


@public
@never_cache
def open_answer(request: HtmxRequest, open_token: str) -> HttpResponse:
    """A survey's shared link: progress kept in the session, one response per browser."""
    survey = _open_survey(open_token)
    if survey is None:
        return _not_found(request)
    language = _language(request, f"answer:lang:open:{survey.pk}", request.LANGUAGE_CODE)
    with translation.override(language):
        if _answered_here(request, survey):
            return _message(request, "answered", language=language, survey=survey)
        state = links.availability(survey)
        if state != links.OPEN:
            return _message(request, state, language=language, survey=survey)
        if (request.method == "POST" and not request.htmx
                and request.POST.get("action") == "submit"):
            wait = ratelimit.rate_limit_wait(open_token, client_address(request))
            if wait:
                return _rate_limited(request, wait, language, survey)
        content, order = _content(request, survey, language)
        who = _Respondent(survey=survey, draft=drafts.SessionDraft(request.session, survey),
                          language=language, channel="open", content=content, order=order,
                          url=reverse("answer:open", args=[open_token]),
                          thanks_url=reverse("answer:open_thanks", args=[open_token]))
        return _answer(request, who)


@public
@never_cache
def open_thanks(request: HtmxRequest, open_token: str) -> HttpResponse:
    survey = _open_survey(open_token)
    if survey is None:
        return _not_found(request)
    language = _language(request, f"answer:lang:open:{survey.pk}", request.LANGUAGE_CODE)
    with translation.override(language):
        return _message(request, "thanks", language=language, survey=survey)


# --- JSON, for scripts ---------------------------------------------------------------------------

def _json_error(request: HttpRequest, status: int, code: str, message: str,
                details: list[dict[str, str]] | None = None) -> HttpResponse:
    return error_response(request, status, code, message, details)


def _json_gate(request: HttpRequest, state: str) -> HttpResponse | None:
    if state == links.CLOSED:
        return _json_error(request, 410, "closed", _("This survey is closed."))
    if state == links.NOT_OPEN:
        return _json_error(request, 403, "not_open", _("This survey is not open yet."))
    return None


def _json_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, AnswerErrors):
        details = [{"field": key, "reason": reason} for key, reason in exc.errors.items()]
        return _json_error(request, 422, "validation_error",
                           _("Some answers cannot be accepted."), details)
    if isinstance(exc, submission.BadSubmission):
        code = {400: "bad_request", 413: "too_large"}.get(exc.status, "validation_error")
        return _json_error(request, exc.status, code, exc.message, exc.details)
    assert isinstance(exc, ListeningError)
    return _json_error(request, 422, "validation_error", exc.message,
                       [{"field": exc.field or "body", "reason": exc.message}])


def _json_done(response_id: Any, created: bool) -> JsonResponse:
    return JsonResponse({"id": None if response_id is None else str(response_id),
                         "created": created}, status=201 if created else 200)


@public
@csrf_exempt
@never_cache
def respond_json(request: HttpRequest, token: str) -> HttpResponse:
    """``POST {"answers", "submission_id"?, "language"?}`` through an invitation."""
    if request.method != "POST":
        return _json_error(request, 405, "method_not_allowed", _("Send the answers with POST."))
    invitation = _invitation(token)
    if invitation is None:
        return _json_error(request, 404, "not_found", _("No survey answers to this link."))
    survey = invitation.survey
    with translation.override(invitation.language if invitation.language
                              in links.LANGUAGES else settings.LANGUAGE_CODE):
        refused = _json_gate(request, links.availability(survey, invitation.wave))
        if refused is not None and not invitation.responded:
            return refused
        try:
            body = submission.parse_submission(
                submission.submission_body(request), need_submission_id=False,
                languages=survey_languages.languages_of(survey))
        except submission.BadSubmission as exc:
            return _json_refused(request, exc)
        try:
            response_id, created = drafts.submit_invitation(
                invitation, body.answers, submission_id=body.submission_id,
                language=body.language or invitation.language)
        except (AnswerErrors, ListeningError) as exc:
            return _json_refused(request, exc)
        return _json_done(response_id, created)


@public
@csrf_exempt
@never_cache
def open_json(request: HttpRequest, open_token: str) -> HttpResponse:
    """``POST {"submission_id", "answers", "language"?}`` through a survey's open link."""
    if request.method != "POST":
        return _json_error(request, 405, "method_not_allowed", _("Send the answers with POST."))
    link = links.open_link(open_token)
    if link is None:
        return _json_error(request, 404, "not_found", _("No survey answers to this link."))
    refused = _json_gate(request, links.availability(link.survey))
    if refused is not None:
        return refused
    wait = ratelimit.rate_limit_wait(open_token, client_address(request))
    if wait:
        limited = _json_error(request, 429, "rate_limited", _(
            "Too many answers from this address: try again in %d seconds.") % wait)
        limited["Retry-After"] = str(wait)
        return limited
    try:
        body = submission.parse_submission(
            submission.submission_body(request), need_submission_id=True,
            languages=survey_languages.languages_of(link.survey))
    except submission.BadSubmission as exc:
        return _json_refused(request, exc)
    language = body.language or settings.LANGUAGE_CODE
    # Messages stay in the interface's languages, whatever the survey language answered in.
    with translation.override(language if language in links.LANGUAGES
                              else settings.LANGUAGE_CODE):
        try:
            response, created = response_record(
                survey=link.survey, version=link.version, wave=link.wave, answers=body.answers,
                channel=Response.Channel.OPEN_LINK, submission_id=body.submission_id,
                language=language)
        except (AnswerErrors, ListeningError) as exc:
            return _json_refused(request, exc)
        return _json_done(response.pk, created)
