"""Waves pages: plan a wave (audience, sample, reminders), launch it, follow the response rate;
and the public opt-out page an email's link leads to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow, public
from phare.accounts.roles import SURVEY_MANAGERS
from phare.jobs.queries import jobs_visible_to
from phare.listening import pressure, queries, services
from phare.listening.errors import ListeningError
from phare.listening.forms import STRATIFY_CHOICES, WaveForm
from phare.listening.models import Invitation, Survey, Wave


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey, slug=slug)


def _wave(slug: str, number: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("survey", "version"),
                             survey__slug=slug, number=number)


@allow(SURVEY_MANAGERS)
def wave_list(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    return render(request, "listening/waves/list.html",
                  {"survey": survey, "waves": queries.survey_waves(survey)})


@allow(SURVEY_MANAGERS)
def wave_new(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    today = timezone.localdate()
    form = WaveForm(request.POST or None, initial={
        "name": "", "name_en": "", "opens_on": today, "closes_on": today + dt.timedelta(days=21),
        "reminder_days": [7, 14]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = services.wave_create(survey, name=data["name"], name_en=data["name_en"],
                                        opens_on=data["opens_on"], closes_on=data["closes_on"],
                                        audience=form.audience(),
                                        reminder_days=data["reminder_days"])
        except ListeningError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Wave planned: check it, then launch it."))
            return redirect("listening:wave", slug=survey.slug, number=wave.number)
    return render(request, "listening/waves/new.html",
                  {"survey": survey, "form": form, **_preview(form)})


def _preview(form: WaveForm) -> dict[str, Any]:
    """The audience's size as the form stands; dates and name play no part in it."""
    if not form.is_bound:
        return {"preview": queries.audience_preview({}), "error": ""}
    form.is_valid()
    if any(name in form.errors for name in ("units", "sites", "job_families", "sample", "seed")):
        return {"preview": None, "error": ""}  # the fields say what is wrong
    try:
        return {"preview": queries.audience_preview(services.clean_audience(form.audience())),
                "error": ""}
    except ListeningError as exc:
        return {"preview": None, "error": exc.message}


@allow(SURVEY_MANAGERS)
def wave_preview(request: SignedInRequest, slug: str) -> HttpResponse:
    """The audience's size, refreshed by htmx as the form changes."""
    _survey(slug)
    return render(request, "listening/waves/_preview.html", _preview(WaveForm(request.GET)))


def _detail_context(request: HttpRequest, wave: Wave) -> dict[str, Any]:
    job = queries.sending_job(wave, services.SEND_INVITATIONS)
    reminder_job = queries.sending_job(wave, services.SEND_REMINDERS)
    visible = jobs_visible_to(request.user)
    rates = queries.response_rates(wave)
    unsent = queries.unsent_count(wave)
    return {
        "survey": wave.survey, "wave": wave, "rates": rates, "unsent": unsent,
        "job": job if job and visible.filter(pk=job.pk).exists() else None,
        "reminder_job": (reminder_job if reminder_job and visible.filter(pk=reminder_job.pk)
                         .exists() else None),
        "sending": bool(job and not job.is_finished),
        "segments": [(label, rates["segments"][key]) for key, label in (
            ("business_unit", _("By business unit")), ("site", _("By site")),
            ("job_family", _("By job family")))],
        "can_launch": wave.status == Wave.Status.PLANNED,
        "stratify_label": dict(STRATIFY_CHOICES[1:]).get(wave.audience.get("stratify_by") or ""),
        "preview": queries.audience_preview(wave.audience) if wave.status == Wave.Status.PLANNED
        else None,
    }


@allow(SURVEY_MANAGERS)
def wave_detail(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    context = _detail_context(request, wave)
    if request.htmx:  # the live part, polled every few seconds while the wave is open
        return render(request, "listening/waves/_live.html", context)
    return render(request, "listening/waves/detail.html", context)


@allow(SURVEY_MANAGERS)
@require_POST
def wave_launch(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    try:
        if wave.status == Wave.Status.OPEN:
            services.wave_send(wave, user=request.user)
            messages.success(request, _("The invitations not sent yet are being sent."))
        else:
            done = services.wave_launch(wave, user=request.user)
            left_out = pressure.left_out(done)
            if left_out:
                messages.success(request, _(
                    "Wave launched: %(invited)s people invited; left out by contact pressure: "
                    "%(left_out)s. The emails are being sent.")
                    % {"invited": done["invited"], "left_out": left_out})
            else:
                messages.success(request, _(
                    "Wave launched: %(invited)s people invited. The emails are being sent.")
                    % {"invited": done["invited"]})
    except ListeningError as exc:
        messages.error(request, exc.message)
    return redirect("listening:wave", slug=slug, number=number)


@allow(SURVEY_MANAGERS)
@require_POST
def wave_remind(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    try:
        services.wave_remind(wave, user=request.user)
    except ListeningError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reminders are being sent to those who have not answered."))
    return redirect("listening:wave", slug=slug, number=number)


#: The body a mail program POSTs to the List-Unsubscribe link (RFC 8058).
ONE_CLICK = ("List-Unsubscribe", "One-Click")


@public
@csrf_exempt
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """Opting out of future surveys: a GET only asks (mail scanners open links); a POST does.

    Only the mail program's one-click POST (RFC 8058) goes without a CSRF token: it carries no
    cookie, and the unguessable token in the URL is the authority. The page's form keeps it.
    """
    if request.method == "POST" and request.POST.get(ONE_CLICK[0]) == ONE_CLICK[1]:
        invitation, person_id = _opt_out_target(token)
        services.opt_out_record(person_id=person_id)
        return _opt_out_page(request, invitation, "done")
    return _opt_out_form(request, token)


def _opt_out_target(token: str) -> tuple[Invitation, int]:
    """The invitation an opt-out link names, and the person who opts out."""
    invitation = queries.opt_out_invitation(token)
    # The query already refuses a link that is nobody's: the second test only tells mypy.
    if invitation is None or invitation.person_id is None:
        raise Http404
    return invitation, invitation.person_id


@csrf_protect
def _opt_out_form(request: HttpRequest, token: str) -> HttpResponse:
    invitation, person_id = _opt_out_target(token)
    state = "ask"
    if request.method == "POST":
        if request.POST.get("action") == "undo":
            services.opt_out_withdraw(person_id=person_id)
            state = "undone"
        else:
            services.opt_out_record(person_id=person_id)
            state = "done"
    elif queries.opted_out(person_id):
        state = "done"
    return _opt_out_page(request, invitation, state)


def _opt_out_page(request: HttpRequest, invitation: Invitation, state: str) -> HttpResponse:
    # The email was in the invitation's language: so is the page, unless the person chose.
    language = (translation.get_language()
                if settings.LANGUAGE_COOKIE_NAME in request.COOKIES else invitation.language)
    with translation.override(language):
        return render(request, "listening/waves/opt_out.html",
                      {"invitation": invitation, "state": state})
