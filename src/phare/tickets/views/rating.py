"""The one-click ticket rating (``/s/t/<token>/<score>/``): the page a score of the ticket
survey email opens, then the follow-up questions and the thanks.

Email security scanners open every link of an email, so opening a link never records anything
(GET and HEAD only show the page, with the clicked score chosen): the rating is recorded by the
confirming POST — the button, or a script posting ``score`` — exactly once. The token in the
link is the authority; nobody signs in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from phare.accounts.policy import public
from phare.lib.i18n import in_language
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import Invitation, Question, Response, Survey
from phare.listening.queries import version_questions
from phare.listening.questions import AnswerErrors
from phare.tickets import queries, services
from phare.tickets.questionnaire import RATING, band_of

T = "tickets/"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
SCORES = range(11)


def _invitation(token: str) -> Invitation:
    found = queries.ticket_invitation(token)
    if found is None:
        raise Http404
    return found


def _language(request: HttpRequest, invitation: Invitation) -> str:
    """The FR/EN switch of the page (kept in the session), else the invitation's language."""
    chosen = request.GET.get("lang")
    if chosen in LANGUAGES:
        request.session["phare_ticket_language"] = chosen
    language = request.session.get("phare_ticket_language") or invitation.language
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _page(request: HttpRequest, invitation: Invitation, template: str,
          context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    language = _language(request, invitation)
    names = dict(settings.LANGUAGES)
    with translation.override(language):
        ticket = invitation.ticket
        context.update({
            "invitation": invitation, "survey": invitation.survey, "ticket": ticket,
            "service": ticket.service.name if ticket.service is not None else "",
            "language_links": [{"code": code, "name": names[code], "current": code == language,
                                "url": "?" + urlencode({"lang": code})} for code in LANGUAGES],
        })
        response = render(request, T + template, context, status=status)
    response["Content-Language"] = language
    # The link's token must not leak to other sites, nor the page to search engines.
    # ("no-referrer" would also blank the Origin of the page's own form: CSRF refuses it.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _scale(question: Question | None, chosen: int | None, name: str) -> dict[str, Any]:
    points = [{"value": n, "band": band_of(n), "checked": n == chosen,
               "id": f"{name}-{n}"} for n in SCORES]
    return {"name": name, "points": points, "chosen": chosen,
            "text": question.text if question else "",
            "low": in_language(question, "label_min") if question else "",
            "high": in_language(question, "label_max") if question else ""}


def _score(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and int(text) in SCORES else None


def _gone(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return _page(request, invitation, "gone.html", {}, status=410)


def _rating_page(request: HttpRequest, invitation: Invitation, chosen: int | None, *,
                 error: str = "", status: int = 200) -> HttpResponse:
    language = _language(request, invitation)
    with translation.override(language):
        scale = _scale(queries.rating_question(invitation.version), chosen, "score")
    return _page(request, invitation, "rate.html", {"scale": scale, "error": error},
                 status=status)


def _record(request: HttpRequest, invitation: Invitation, score: Any) -> HttpResponse:
    chosen = _score(score)
    if chosen is None:
        with translation.override(_language(request, invitation)):
            error = translation.gettext("Choose a score from 0 to 10.")
        return _rating_page(request, invitation, None, error=error, status=400)
    try:
        services.ticket_rate(invitation, chosen)
    except ListeningError:
        return _gone(request, invitation)
    except AnswerErrors as exc:
        return _rating_page(request, invitation, chosen, status=400,
                            error=" ".join(exc.errors.values()))
    return redirect("tickets:followups", invitation.token)


@public
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ticket_rate(request: HttpRequest, token: str, score: int) -> HttpResponse:
    """The score's link: shows it chosen (GET) and records it when confirmed (POST)."""
    if score not in SCORES:
        raise Http404
    invitation = _invitation(token)
    if invitation.survey.status != Survey.Status.OPEN:
        return _gone(request, invitation)
    if request.method == "POST":
        # A replay returns the rating already recorded: the first one stands.
        return _record(request, invitation, request.POST.get("score", score))
    response = queries.ticket_response(invitation)
    if response is not None:
        return _followups_page(request, invitation, response)
    return _rating_page(request, invitation, score)


# --- follow-ups -------------------------------------------------------------------------------

def _shown_for(question: Question) -> str:
    """The ratings that show a question whose condition is on the rating ("" otherwise)."""
    condition = question.condition or {}
    if condition.get("question") != RATING:
        return ""
    return " ".join(str(n) for n in SCORES if qtypes.is_shown(question, {RATING: n}))


def _question(question: Question, answers: dict[str, Any], errors: dict[str, str],
              language: str) -> dict[str, Any]:
    value = answers.get(question.code)
    chosen = {str(v) for v in (value if isinstance(value, list) else [value] if value else [])}
    shown_for = _shown_for(question)
    item = {"code": question.code, "type": question.type, "text": question.text,
            "help": question.help, "required": question.required, "shown_for": shown_for,
            "hidden": not qtypes.is_shown(question, answers),
            "error": errors.get(question.code, ""),
            "other_error": errors.get(qtypes.other_key(question.code), "")}
    if question.type in qtypes.CHOICE:
        item["choices"] = [{"value": o["code"], "label": qtypes.option_label(o, language),
                            "id": f"q-{question.code}-{o['code']}",
                            "checked": o["code"] in chosen} for o in question.options]
        if question.allow_other:
            item["other"] = {"id": f"q-{question.code}-other", "checked": "other" in chosen,
                             "text": answers.get(qtypes.other_key(question.code), "")}
    elif question.type in qtypes.NUMERIC:
        low, high = qtypes.scale_of(question)
        item["points"] = [{"value": n, "id": f"q-{question.code}-{n}",
                           "checked": str(n) in chosen} for n in range(low, high + 1)]
    else:
        item["value"] = value or ""
    return item


def _followup_questions(version) -> list[Question]:
    # A grid has no place on this short page; the standard ticket survey has none.
    return [q for q in version_questions(version)
            if q.code != RATING and q.type not in qtypes.COMPOUND]


def _followups_page(request: HttpRequest, invitation: Invitation, response: Response, *,
                    answers: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                    error: str = "", status: int = 200) -> HttpResponse:
    language = _language(request, invitation)
    answers = response.answers if answers is None else answers
    with translation.override(language):
        rating = _score(answers.get(RATING))
        context = {
            "response": response, "error": error,
            "scale": _scale(queries.rating_question(response.version), rating, RATING),
            "questions": [_question(q, answers, errors or {}, language)
                          for q in _followup_questions(response.version)],
            "amendable": queries.ticket_response_amendable(response),
            "deadline": formats.date_format(timezone.localtime(
                queries.amend_deadline(response)), "DATE_FORMAT"),
        }
    return _page(request, invitation, "followups.html", context, status=status)


def _posted(request: HttpRequest, version) -> dict[str, Any]:
    """The answers the follow-up form (or a script) sent; a question asked on the form and left
    blank is sent as blank, which clears an earlier answer."""
    asked = set(request.POST.getlist("asked")) | set(request.POST)
    answers: dict[str, Any] = {}
    for question in version_questions(version):
        code = question.code
        if code not in asked or question.type in qtypes.COMPOUND:
            continue
        answers[code] = (request.POST.getlist(code) if question.type == "multiple"
                         else request.POST.get(code, ""))
        if question.allow_other:
            answers[qtypes.other_key(code)] = request.POST.get(qtypes.other_key(code), "")
    if RATING in answers and answers[RATING] == "":
        del answers[RATING]  # the rating, once given, is changed but never removed
    return answers


@public
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ticket_followups(request: HttpRequest, token: str) -> HttpResponse:
    """After the rating: why, how much time was lost, a comment; editable for a few days."""
    invitation = _invitation(token)
    if invitation.survey.status != Survey.Status.OPEN:
        return _gone(request, invitation)
    response = queries.ticket_response(invitation)
    if response is None:
        if request.method == "POST":
            return _record(request, invitation, request.POST.get(
                "score", request.POST.get(RATING, "")))
        return _rating_page(request, invitation, None)
    if request.method != "POST":
        return _followups_page(request, invitation, response)
    answers = _posted(request, response.version)
    try:
        services.ticket_response_amend(response, answers)
    except AnswerErrors as exc:
        return _followups_page(request, invitation, response, status=400,
                               answers={**response.answers, **answers}, errors=exc.errors)
    except ListeningError as exc:
        return _followups_page(request, invitation, response, status=409, error=exc.message)
    return redirect("tickets:thanks", invitation.token)


@public
@never_cache
@require_http_methods(["GET", "HEAD"])
def ticket_thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    response = queries.ticket_response(invitation)
    if response is None:
        return redirect("tickets:followups", token)
    return _page(request, invitation, "thanks.html", {
        "response": response, "amendable": queries.ticket_response_amendable(response)})
