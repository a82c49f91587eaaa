"""The survey builder's pages: the list, a new survey, the builder itself, version previews.

Every action is a plain form (POST, then redirect to the builder) and, with htmx, answers the
builder's fragment instead (``#builder``: the version notice, sections and questions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.lib.http import HtmxRequest
from phare.listening import builder, links, queries, services
from phare.listening.errors import ListeningError
from phare.listening.forms import (
    ANONYMITY_HELP,
    MoveForm,
    QuestionForm,
    SectionForm,
    StatusForm,
    SurveyCreateForm,
    SurveyFilterForm,
    SurveySettingsForm,
)
from phare.listening.models import Question, Survey, SurveyVersion

PAGE_SIZE = 50
T = "listening/builder/"


def _survey(slug: str) -> Survey:
    found = queries.survey(slug)
    if found is None:
        raise Http404(_("No survey has the identifier “%s”.") % slug)
    return found


def _refuse(form: forms.Form, exc: ListeningError) -> None:
    """Put a service's refusal next to the field it names, each options (or columns) line on
    its own."""
    if isinstance(exc, builder.OptionLinesError):
        for number, reason in exc.lines:
            form.add_error(exc.field, _("Line %(n)d: %(reason)s") % {"n": number,
                                                                      "reason": reason})
        return
    field = {"condition": "condition_question"}.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _anonymity_choices() -> list[tuple[str, str | Promise, str | Promise]]:
    return [(value, label, ANONYMITY_HELP[Survey.Anonymity(value)])
            for value, label in Survey.Anonymity.choices]


def _open_url(request: HttpRequest, survey: Survey) -> str | None:
    return links.shown(request, "answer:open", survey.open_token) if survey.open_link else None


# --- list and creation ------------------------------------------------------------------------

@allow(SURVEY_MANAGERS)
def survey_list(request: SignedInRequest) -> HttpResponse:
    form = SurveyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    surveys = queries.survey_list(kind=data.get("kind", ""), status=data.get("status", ""))
    context = {"form": form, "page": Paginator(surveys, PAGE_SIZE).get_page(
        request.GET.get("page"))}
    return render(request, T + ("_list_results.html" if request.htmx else "list.html"), context)


@allow(SURVEY_MANAGERS)
def survey_new(request: SignedInRequest) -> HttpResponse:
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["service"] = queries.service_by_slug(data.pop("service"))
            survey = services.survey_create(created_by=request.user, **data)
        except ListeningError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Survey created as a draft: add its questions."))
            return redirect("listening:survey", slug=survey.slug)
    return render(request, T + "new.html", {"form": form, "anonymity": _anonymity_choices()})


# --- the builder page -------------------------------------------------------------------------

def _question_form(version: SurveyVersion, data: Any = None, **kwargs: Any) -> QuestionForm:
    return QuestionForm(data, sections=list(version.sections.order_by("position", "id")),
                        earlier=queries.question_choices(version), auto_id="new-%s", **kwargs)


def _section_form(data: Any = None) -> SectionForm:
    """The builder's new-section form (its fields' ids ``new-section-title_fr``, …)."""
    form = SectionForm(data, auto_id="new-section-%s")
    form.fields["title_fr"].label = _("New section title (French)")
    form.fields["title_en"].label = _("New section title (English)")
    return form


def _fragment_context(survey: Survey, **extra: Any) -> dict[str, Any]:
    version = survey.current_version()
    return {"survey": survey, "version": version, "frozen": version.frozen,
            "sections": queries.builder_sections(version), "section_form": _section_form(),
            **extra}


def _render_builder(request: HttpRequest, survey: Survey,
                    settings_form: SurveySettingsForm | None = None,
                    section_form: SectionForm | None = None) -> HttpResponse:
    context = _fragment_context(survey)
    if section_form is not None:  # sent back with its errors
        context["section_form"] = section_form
    versions = queries.versions(survey)
    context.update({
        "versions": versions, "answered": any(v.responses_count for v in versions),
        "settings_form": settings_form or SurveySettingsForm(
            initial=SurveySettingsForm.initial_for(survey), auto_id="settings-%s"),
        "question_form": _question_form(context["version"]),
        "anonymity": _anonymity_choices(), "open_url": _open_url(request, survey),
        "results_url": links.results(survey),
        "survey_languages": queries.survey_languages(survey, context["sections"]),
    })
    return render(request, T + "survey.html", context)


@allow(SURVEY_MANAGERS)
def survey_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    return _render_builder(request, _survey(slug))


@allow(SURVEY_MANAGERS)
@require_POST
def survey_settings(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    form = SurveySettingsForm(request.POST, auto_id="settings-%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["service"] = queries.service_by_slug(data.pop("service"))
            services.survey_update(survey, **data)
        except ListeningError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("listening:survey", slug=slug)
    return _render_builder(request, survey, settings_form=form)


@allow(SURVEY_MANAGERS)
@require_POST
def survey_status(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ListeningError(_("Choose draft, open or closed."), field="status")
        services.survey_set_status(survey, form.cleaned_data["status"])
    except ListeningError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The survey is now: %s.") % survey.get_status_display())
    return redirect("listening:survey", slug=slug)


# --- actions on the questions -----------------------------------------------------------------

def _after(request: HtmxRequest, survey: Survey, before: int, *, success: str = "",
           error: str = "", anchor: str = "", focus: str = "") -> HttpResponse:
    """Answer an action: the builder fragment (htmx) or a redirect to the builder page."""
    number = survey.current_version().number
    if number > before and not error:
        success = " ".join(filter(None, [success, _(
            "The questions are now version %(n)d; answers already given keep the questions "
            "they answered.") % {"n": number}]))
    if request.htmx:
        # The add form (its sections and earlier questions) and the versions change too.
        context = _fragment_context(survey, notice=success, error=error, oob=True, focus=focus,
                                    versions=queries.versions(survey))
        context["question_form"] = _question_form(context["version"])
        return render(request, T + "_builder.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(reverse("listening:survey", args=[survey.slug]) + anchor)


def _form_page(request: HtmxRequest, survey: Survey, form: QuestionForm,
               question: Question | None = None) -> HttpResponse:
    """The question form: alone on its page, or (htmx) in place of the add or edit area."""
    context = {"survey": survey, "form": form, "question": question,
               "level": "4" if question else "2"}  # in place: under its section's heading
    if not request.htmx:
        return render(request, T + "question_form.html", context)
    response = render(request, T + "_question_form.html", context)
    return reswap(retarget(response, f"#q-{question.code}" if question else "#add-question"),
                  "innerHTML")


def _catalogue_filled(request: HttpRequest,
                      make_form: Callable[..., QuestionForm]) -> QuestionForm | None:
    """“Use catalogue services”: the same form, unsaved, with the services added as lines."""
    if request.POST.get("action") != "catalogue":
        return None
    values: dict[str, Any] = {key: request.POST.get(key) for key in request.POST}
    for name in ("required", "allow_other", "with_time"):  # unticked boxes are absent
        values[name] = name in request.POST
    values["options"] = queries.add_catalogue_lines(values.get("options") or "")
    return make_form(None, initial=values)


@allow(SURVEY_MANAGERS)
def question_new(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    version = survey.current_version()
    form = _question_form(version, request.POST or None)
    filled = _catalogue_filled(request, lambda data, **kw: _question_form(version, data, **kw))
    if filled is not None:
        form = filled
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fields = builder.question_fields(data, queries.question_choices(version))
            services.question_add(survey, code=data["code"], section=data["section"],
                                  **fields)
        except ListeningError as exc:
            _refuse(form, exc)
        else:
            return _after(request, survey, version.number, anchor=f"#q-{data['code']}",
                          success=_("Question “%s” added.") % data["code"])
    return _form_page(request, survey, form)


@allow(SURVEY_MANAGERS)
def question_edit(request: SignedInRequest, slug: str, code: str) -> HttpResponse:
    survey = _survey(slug)
    version = survey.current_version()
    question = get_object_or_404(version.questions, code=code)
    earlier = queries.question_choices(version, before=question)

    def make(data: Any, initial: Any = None) -> QuestionForm:
        return QuestionForm(data, initial={**_initial(question), **(initial or {})},
                            earlier=earlier, editing=True, auto_id=f"edit-{code}-%s")

    form = _catalogue_filled(request, make) or make(request.POST or None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.question_update(survey, code,
                                     **builder.question_fields(form.cleaned_data, earlier))
        except ListeningError as exc:
            _refuse(form, exc)
        else:
            return _after(request, survey, version.number, anchor=f"#q-{code}",
                          success=_("Question “%s” saved.") % code)
    return _form_page(request, survey, form, question)


def _initial(question: Question) -> dict[str, Any]:
    names = [n for n in QuestionForm.base_fields if not n.startswith("condition_")]
    values = {n: getattr(question, n) for n in names if hasattr(question, n)}
    return {**values, "options": builder.format_options(question.options),
            "columns": builder.format_options(question.columns),
            **builder.settings_to_form(question),
            **builder.condition_to_form(question.condition)}


@allow(SURVEY_MANAGERS)
def question_delete(request: SignedInRequest, slug: str, code: str) -> HttpResponse:
    survey = _survey(slug)
    version = survey.current_version()
    question = get_object_or_404(version.questions, code=code)
    if request.method != "POST":
        return render(request, T + "question_delete.html",
                      {"survey": survey, "question": question, "frozen": version.frozen})
    try:
        services.question_delete(survey, code)
    except ListeningError as exc:
        return _after(request, survey, version.number, error=exc.message, anchor=f"#q-{code}")
    return _after(request, survey, version.number, success=_("Question “%s” deleted.") % code)


@allow(SURVEY_MANAGERS)
@require_POST
def question_move(request: SignedInRequest, slug: str, code: str) -> HttpResponse:
    survey = _survey(slug)
    before = survey.current_version().number
    form = MoveForm(request.POST)
    direction = form.cleaned_data["direction"] if form.is_valid() else ""
    try:
        services.question_step(survey, code, direction)
    except ListeningError as exc:
        return _after(request, survey, before, error=exc.message)
    return _after(request, survey, before, anchor=f"#q-{code}", focus=f"{code}-{direction}")


# --- sections ---------------------------------------------------------------------------------

def _section_titles(request: HttpRequest) -> dict[str, str]:
    form = SectionForm(request.POST)
    if not form.is_valid():
        # str(): the stubs say an error list holds ValidationErrors too; iterating gives text.
        raise ListeningError(" ".join(str(e) for errors in form.errors.values() for e in errors),
                             field="section")
    return {k: v.strip() for k, v in form.cleaned_data.items()}


@allow(SURVEY_MANAGERS)
@require_POST
def section_new(request: SignedInRequest, slug: str) -> HttpResponse:
    """Add a section; a refused one is sent back in the builder (its fragment, for htmx) with
    the form's error summary and each field's error."""
    survey = _survey(slug)
    before = survey.current_version().number
    form = _section_form(request.POST)
    if form.is_valid():
        try:
            section = services.section_add(
                survey, **{k: v.strip() for k, v in form.cleaned_data.items()})
        except ListeningError as exc:
            _refuse(form, exc)
        else:
            return _after(request, survey, before, anchor=f"#section-{section.position}",
                          success=_("Section %d added.") % section.position)
    if request.htmx:
        return render(request, T + "_builder.html",
                      _fragment_context(survey, section_form=form))
    return _render_builder(request, survey, section_form=form)


@allow(SURVEY_MANAGERS)
@require_POST
def section_edit(request: SignedInRequest, slug: str, position: int) -> HttpResponse:
    survey = _survey(slug)
    before = survey.current_version().number
    try:
        services.section_update(survey, position, **_section_titles(request))
    except ListeningError as exc:
        return _after(request, survey, before, error=exc.message)
    return _after(request, survey, before, anchor=f"#section-{position}",
                  success=_("Section %d renamed.") % position)


@allow(SURVEY_MANAGERS)
@require_POST
def section_delete(request: SignedInRequest, slug: str, position: int) -> HttpResponse:
    survey = _survey(slug)
    before = survey.current_version().number
    try:
        services.section_delete(survey, position)
    except ListeningError as exc:
        return _after(request, survey, before, error=exc.message)
    return _after(request, survey, before, success=_("Section %d deleted.") % position)


# --- versions ---------------------------------------------------------------------------------

@allow(SURVEY_MANAGERS)
def version_detail(request: SignedInRequest, slug: str, number: int) -> HttpResponse:
    survey = _survey(slug)
    version = get_object_or_404(survey.versions, number=number)
    language = request.GET.get("lang") or get_language() or "fr"
    language = language if language in dict(settings.LANGUAGES) else "fr"
    versions = queries.versions(survey)
    return render(request, T + "version.html", {
        "survey": survey, "version": version, "versions": versions, "language": language,
        "current": versions[0].number == version.number,
        "responses": next(v.responses_count for v in versions if v.pk == version.pk),
        "sections": queries.version_preview(version, language=language),
        "languages": settings.LANGUAGES,
    })
