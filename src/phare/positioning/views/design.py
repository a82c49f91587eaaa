"""The study's design and fieldwork pages: the list of studies, a new study, the design
(alternatives, attributes, scale, profile questions, suggested tools, population; the
questionnaire generated), and the fieldwork (the survey's waves and their progress by
stratum, a new wave, an imported survey and its mapping).

Every change is one POST that calls one service, then goes back to the page with a message;
a refusal is shown as the service worded it, naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.positioning import mapping as mappings
from phare.positioning import policy, queries
from phare.positioning.forms.design import (
    AlternativeForm,
    AttributeForm,
    FieldworkForm,
    ImportForm,
    MappingForm,
    NewStudyForm,
    PopulationForm,
    ProfileForm,
    RowActionForm,
    StudyForm,
    ToolsForm,
)
from phare.positioning.models import Study
from phare.positioning.services import studies as services


def _study(slug: str) -> Study:
    study = queries.study(slug)
    if study is None:
        raise Http404
    return study


def _refused(request: SignedInRequest, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, found in exc.message_dict.items():
            messages.error(request, f"{field}: {' '.join(found)}")
    else:
        messages.error(request, " ".join(exc.messages))


def _form_refused(request: SignedInRequest, form: forms.Form) -> None:
    for field, found in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(message) for message in found)
        messages.error(request, f"{label}: {text}" if label else text)


def _post(request: SignedInRequest, slug: str, form_class: type[forms.Form],
          call: Callable[[Study, Any], object], done: str, page: str = "positioning:study",
          shown_as: str = "") -> HttpResponse:
    """Check the form, call the service, go back to the page with what happened. A form
    the design page shows (``shown_as``, its name there) comes back on the page with its
    errors, the service's refusals on its fields; the others' errors are messages."""
    study = _study(slug)
    form = form_class(request.POST, auto_id=AUTO_IDS.get(shown_as, "id_%s"))
    if form.is_valid():
        try:
            call(study, form)
        except ValidationError as exc:
            if not shown_as:
                _refused(request, exc)
                return redirect(page, study.slug)
            for field, found in (exc.message_dict.items() if hasattr(exc, "error_dict")
                                 else [(None, exc.messages)]):
                form.add_error(field if field in form.fields else None, found)
        else:
            messages.success(request, done)
            return redirect(page, study.slug)
    if shown_as:
        show = _fieldwork_page if page == "positioning:fieldwork" else _study_page
        return show(request, study, **{shown_as: form})
    _form_refused(request, form)
    return redirect(page, study.slug)


#: The ids of the design page's forms that are not the page's only form of their fields.
AUTO_IDS = {"alternative_form": "alternative_%s", "attribute_form": "attribute_%s"}


# --- the list and a new study ------------------------------------------------------------------

@allow(policy.READERS)
def home(request: SignedInRequest) -> HttpResponse:
    return render(request, "positioning/design/home.html", {
        "rows": queries.study_list(), "can_manage": policy.can_manage(request.user)})


@allow(policy.MANAGERS)
def study_new(request: SignedInRequest) -> HttpResponse:
    form = NewStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            study = services.study_create(
                user=request.user, slug=data["slug"], title_fr=data["title_fr"],
                title_en=data["title_en"], family=data["family"], scale_min=data["scale_min"],
                scale_max=data["scale_max"], method=data["method"])
        except ValidationError as exc:
            for field, found in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, found)
        else:
            messages.success(request, _("Study created with the usual alternatives and "
                                        "attributes: edit them below."))
            return redirect("positioning:study", study.slug)
    return render(request, "positioning/design/new.html", {"form": form})


# --- the design --------------------------------------------------------------------------------

@allow(policy.READERS)
def study(request: SignedInRequest, slug: str) -> HttpResponse:
    return _study_page(request, _study(slug))


def _study_page(request: SignedInRequest, found: Study,
                **sent_back: forms.Form) -> HttpResponse:
    """The design page; ``sent_back`` are its forms posted with errors, by their names."""
    shown = queries.study_design(found)
    can_manage = policy.can_manage(request.user)
    return render(request, "positioning/design/study.html", {
        "study": found, "design": shown, "tab": "design", "can_manage": can_manage,
        "can_edit": policy.can_edit_design(request.user, found, answered=shown.answered),
        "settings_form": StudyForm(initial=StudyForm.initial_for(found)),
        "alternative_form": AlternativeForm(auto_id="alternative_%s"),
        "attribute_form": AttributeForm(auto_id="attribute_%s"),
        "profile_form": ProfileForm(initial={"profile_questions": found.profile_questions}),
        "tools_form": ToolsForm(initial={"names": "\n".join(shown.suggested_tools)}),
        "population_form": PopulationForm(initial=found.population or {}),
        "row_actions": [("up", _("Up")), ("down", _("Down")), ("delete", _("Delete"))],
        "questionnaire": queries.questionnaire(found) if found.source == Study.Source.GENERATED
        else [],
        **sent_back,
    })


@allow(policy.MANAGERS)
@require_POST
def study_settings(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, StudyForm,
                 lambda study, form: services.study_update(study=study, **form.cleaned_data),
                 _("Study saved."), shown_as="settings_form")


ROW_FORMS: dict[str, type[forms.Form]] = {"alternatives": AlternativeForm,
                                          "attributes": AttributeForm}


@allow(policy.MANAGERS)
@require_POST
def study_row(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    """Add or change an alternative or attribute (its form), or delete or move one."""
    if kind not in ROW_FORMS:
        raise Http404
    if "action" in request.POST:
        def act(study: Study, form: Any) -> None:
            code, action = form.cleaned_data["code"], form.cleaned_data["action"]
            if action == "delete":
                (services.alternative_delete if kind == "alternatives"
                 else services.attribute_delete)(study=study, code=code)
            else:
                (services.alternative_move if kind == "alternatives"
                 else services.attribute_move)(study=study, code=code, direction=action)
        return _post(request, slug, RowActionForm, act, _("Saved."))
    if kind == "alternatives":
        return _post(request, slug, AlternativeForm,
                     lambda study, form: services.alternative_save(study=study,
                                                                   **form.cleaned_data),
                     _("Alternative saved."), shown_as="alternative_form")
    return _post(request, slug, AttributeForm,
                 lambda study, form: services.attribute_save(study=study, **form.cleaned_data),
                 _("Attribute saved."), shown_as="attribute_form")


@allow(policy.MANAGERS)
@require_POST
def study_profile(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, ProfileForm, lambda study, form: services.profile_questions_set(
        study=study, codes=form.cleaned_data["profile_questions"]),
        _("Profile questions saved."), shown_as="profile_form")


@allow(policy.MANAGERS)
@require_POST
def study_tools(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, ToolsForm, lambda study, form: services.tool_suggest_save(
        study=study, names=form.tool_names()), _("Suggested tools saved."),
        shown_as="tools_form")


@allow(policy.MANAGERS)
@require_POST
def study_population(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, PopulationForm, lambda study, form: services.population_set(
        study=study, population=form.population()), _("Population saved."),
        shown_as="population_form")


class _Empty(forms.Form):
    pass


@allow(policy.MANAGERS)
@require_POST
def study_generate(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, _Empty, lambda study, form: services.questionnaire_generate(
        study=study, user=request.user), _("Questionnaire generated."))


@allow(policy.MANAGERS)
@require_POST
def study_close(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, _Empty, lambda study, form: services.study_close(
        study=study, user=request.user), _("Study closed."))


# --- fieldwork ---------------------------------------------------------------------------------

STRATA = (("business_unit", gettext_lazy("Business unit")), ("site", gettext_lazy("Site")),
          ("job_family", gettext_lazy("Job family")))


@allow(policy.MANAGERS)
def fieldwork(request: SignedInRequest, slug: str) -> HttpResponse:
    return _fieldwork_page(request, _study(slug))


def _fieldwork_page(request: SignedInRequest, found: Study,
                    **sent_back: forms.Form) -> HttpResponse:
    """The fieldwork page; ``sent_back`` are its forms posted with errors, by their names."""
    waves = queries.waves(found)
    imported = found.source == Study.Source.IMPORTED and found.survey is not None
    current = found.mapping or (mappings.suggest_mapping(found, found.survey)
                                if imported and found.survey else {})
    return render(request, "positioning/design/fieldwork.html", {
        "study": found, "tab": "fieldwork", "can_manage": True,
        "waves": [(wave, rates, [(label, rates["segments"][key]) for key, label in STRATA])
                  for wave, rates in ((w, queries.wave_rates(w)) for w in waves)],
        "respondents": queries.released_respondents(found),
        "wave_form": FieldworkForm(),
        "import_form": ImportForm(study=found),
        "mapping_form": MappingForm(initial={"mapping": json.dumps(current, indent=2,
                                                                   ensure_ascii=False)}),
        "imported": imported, "mapping_rows": queries.mapping_rows(found) if imported else [],
        **sent_back,
    })


@allow(policy.MANAGERS)
@require_POST
def fieldwork_start(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, FieldworkForm, lambda study, form: services.fieldwork_start(
        study=study, user=request.user, **form.cleaned_data), _("Wave planned: launch it from "
                                                               "its page."),
        page="positioning:fieldwork", shown_as="wave_form")


@allow(policy.MANAGERS)
@require_POST
def import_attach(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    form = ImportForm(request.POST, study=study)
    if not form.is_valid():
        _form_refused(request, form)
    else:
        try:
            services.import_attach(study=study, survey=form.cleaned_data["survey"])
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Survey attached: check the mapping below."))
    return redirect("positioning:fieldwork", study.slug)


@allow(policy.MANAGERS)
@require_POST
def mapping_save(request: SignedInRequest, slug: str) -> HttpResponse:
    return _post(request, slug, MappingForm, lambda study, form: services.mapping_set(
        study=study, mapping=form.cleaned_data["mapping"]), _("Mapping saved."),
        page="positioning:fieldwork", shown_as="mapping_form")
