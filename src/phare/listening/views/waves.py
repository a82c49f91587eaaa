"""Waves pages: plan a wave (audience, sample, reminders), launch it, follow the response rate;
and the public opt-out page an email's link leads to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from phare.accounts.policy import allow, public
from phare.accounts.roles import SURVEY_MANAGERS
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.jobs.queries import jobs_visible_to
from phare.listening import pressure, waves
from phare.listening.models import Invitation, OptOut, Survey, Wave
from phare.listening.services import ListeningError

STRATIFY_CHOICES = [("", gettext_lazy("No stratification")),
                    ("business_unit", gettext_lazy("Business unit")),
                    ("site", gettext_lazy("Site")), ("job_family", gettext_lazy("Job family"))]


class WaveForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120,
                           help_text=gettext_lazy("For instance “Spring 2025”."))
    opens_on = forms.DateField(label=gettext_lazy("Opens on"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=gettext_lazy("Closes on"),
                                widget=forms.DateInput(attrs={"type": "date"},
                                                       format="%Y-%m-%d"))
    units = forms.MultipleChoiceField(
        label=gettext_lazy("Business units"), required=False,
        help_text=gettext_lazy("Sub-units are included. None selected: every unit."))
    sites = forms.MultipleChoiceField(label=gettext_lazy("Sites"), required=False,
                                      help_text=gettext_lazy("None selected: every site."))
    job_families = forms.MultipleChoiceField(
        label=gettext_lazy("Job families"), required=False,
        help_text=gettext_lazy("None selected: every job family."))
    sample = forms.IntegerField(
        label=gettext_lazy("Sample size"), required=False, min_value=1,
        help_text=gettext_lazy("Empty: everyone in the audience is invited."))
    stratify_by = forms.ChoiceField(label=gettext_lazy("Stratify the sample by"),
                                    choices=STRATIFY_CHOICES, required=False)
    seed = forms.IntegerField(
        label=gettext_lazy("Random seed"), required=False, min_value=0,
        help_text=gettext_lazy("The same seed draws the same sample; empty: drawn at random."))
    reminder_days = forms.CharField(
        label=gettext_lazy("Reminders (days after the invitation)"), required=False,
        max_length=60, help_text=gettext_lazy("Separated by commas, for instance “7, 14”. "
                                              "Only those who have not answered are reminded."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("units", BusinessUnit), ("sites", Site),
                            ("job_families", JobFamily)):
            self.fields[name].choices = list(model.objects.order_by("name")
                                             .values_list("code", "name"))
            self.fields[name].widget.attrs["size"] = 6

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"].replace(";", ",")
        days = []
        for part in (p.strip() for p in text.split(",")):
            if part:
                if not part.isdigit():
                    raise forms.ValidationError(_("“%s” is not a number of days.") % part)
                days.append(int(part))
        return days

    def audience(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"units": data.get("units") or [], "sites": data.get("sites") or [],
                "job_families": data.get("job_families") or [], "sample": data.get("sample"),
                "stratify_by": data.get("stratify_by") or None, "seed": data.get("seed")}

    def add_service_error(self, exc: ListeningError) -> None:
        field = exc.field.removeprefix("audience.")
        self.add_error(field if field in self.fields else None, exc.message)


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey, slug=slug)


def _wave(slug: str, number: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("survey", "version"),
                             survey__slug=slug, number=number)


@allow(SURVEY_MANAGERS)
def wave_list(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    rates = waves.survey_wave_rates(survey)
    found = list(survey.waves.order_by("-number"))
    for wave in found:
        wave.rates = rates[wave.pk]
    return render(request, "listening/waves/list.html", {"survey": survey, "waves": found})


@allow(SURVEY_MANAGERS)
def wave_new(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    today = timezone.localdate()
    form = WaveForm(request.POST or None, initial={
        "name": "", "opens_on": today, "closes_on": today + dt.timedelta(days=21),
        "reminder_days": "7, 14"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = waves.wave_create(survey, name=data["name"], opens_on=data["opens_on"],
                                     closes_on=data["closes_on"], audience=form.audience(),
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
        return {"preview": waves.audience_preview({}), "error": ""}
    form.is_valid()
    if any(name in form.errors for name in ("units", "sites", "job_families", "sample", "seed")):
        return {"preview": None, "error": ""}  # the fields say what is wrong
    try:
        return {"preview": waves.audience_preview(waves.clean_audience(form.audience())),
                "error": ""}
    except ListeningError as exc:
        return {"preview": None, "error": exc.message}


@allow(SURVEY_MANAGERS)
def wave_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The audience's size, refreshed by htmx as the form changes."""
    _survey(slug)
    return render(request, "listening/waves/_preview.html", _preview(WaveForm(request.GET)))


def _detail_context(request: HttpRequest, wave: Wave) -> dict[str, Any]:
    job = waves.sending_job(wave)
    reminder_job = waves.sending_job(wave, waves.SEND_REMINDERS)
    visible = jobs_visible_to(request.user)
    rates = waves.response_rates(wave)
    unsent = (wave.invitations.filter(sent_at__isnull=True).count()
              if wave.status == Wave.Status.OPEN else 0)
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
        "preview": waves.audience_preview(wave.audience) if wave.status == Wave.Status.PLANNED
        else None,
    }


@allow(SURVEY_MANAGERS)
def wave_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    context = _detail_context(request, wave)
    if request.htmx:  # the live part, polled every few seconds while the wave is open
        return render(request, "listening/waves/_live.html", context)
    return render(request, "listening/waves/detail.html", context)


@allow(SURVEY_MANAGERS)
@require_POST
def wave_launch(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    try:
        if wave.status == Wave.Status.OPEN:
            waves.wave_send(wave, user=request.user)
            messages.success(request, _("The invitations not sent yet are being sent."))
        else:
            done = waves.wave_launch(wave, user=request.user)
            messages.success(request, _(
                "Wave launched: %(invited)s people invited (%(opted_out)s left out because "
                "they opted out, %(contact_cap)s because they were asked too often lately). "
                "The emails are being sent.") % done)
    except ListeningError as exc:
        messages.error(request, exc.message)
    return redirect("listening:wave", slug=slug, number=number)


@allow(SURVEY_MANAGERS)
@require_POST
def wave_remind(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    wave = _wave(slug, number)
    try:
        waves.wave_remind(wave, user=request.user)
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
        invitation = _opt_out_invitation(token)
        pressure.opt_out(invitation.person_id)
        return _opt_out_page(request, invitation, "done")
    return _opt_out_form(request, token)


def _opt_out_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("person", "survey").filter(token=token).first()
    if invitation is None or invitation.person_id is None:
        raise Http404
    return invitation


@csrf_protect
def _opt_out_form(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _opt_out_invitation(token)
    state = "ask"
    if request.method == "POST":
        if request.POST.get("action") == "undo":
            OptOut.objects.filter(person_id=invitation.person_id).delete()
            state = "undone"
        else:
            pressure.opt_out(invitation.person_id)
            state = "done"
    elif OptOut.objects.filter(person_id=invitation.person_id).exists():
        state = "done"
    return _opt_out_page(request, invitation, state)


def _opt_out_page(request: HttpRequest, invitation: Invitation, state: str) -> HttpResponse:
    # The email was in the invitation's language: so is the page, unless the person chose.
    language = (translation.get_language()
                if settings.LANGUAGE_COOKIE_NAME in request.COOKIES else invitation.language)
    with translation.override(language):
        return render(request, "listening/waves/opt_out.html",
                      {"invitation": invitation, "state": state})
