"""Forms of the catalogue: the service editor works on the content dict (see content.py)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.catalog.content import CHILD_FIELDS, Content
from phare.catalog.models import Commitment, OfferFamily, Service
from phare.directory.forms import PersonIdField
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.lib.uploads import ImportFileField
from phare.lib.widgets import SearchSelect, SearchSelectMultiple

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “-”, links as [text](https://…).")


def _codes(model) -> list[tuple[str, str]]:
    return list(model.objects.order_by("name").values_list("code", "name"))


class ServiceForm(forms.Form):
    """The scalar part of a service's content; children come in formsets beside it."""

    name_fr = forms.CharField(label=_("Name (French)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    promise_fr = forms.CharField(label=_("Promise (French)"), max_length=200,
                                 help_text=_("One line, in the words of the people who use it."))
    promise_en = forms.CharField(label=_("Promise (English)"), max_length=200, required=False)
    family = forms.ChoiceField(label=_("Offer family"))
    description_fr = forms.CharField(label=_("Description (French)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 6}),
                                     help_text=MARKDOWN_HELP)
    description_en = forms.CharField(label=_("Description (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 6}))
    how_to_get_fr = forms.CharField(label=_("How to get it (French)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    how_to_get_en = forms.CharField(label=_("How to get it (English)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    request_url = forms.CharField(label=_("Request link"), required=False, max_length=500)
    keywords = forms.CharField(label=_("Keywords and synonyms"), required=False,
                               help_text=_("Words people type, separated by commas: "
                                           "vpn, teletravail, remote."))
    audience_everyone = forms.BooleanField(label=_("For everyone"), required=False)
    audience_units = forms.MultipleChoiceField(label=_("Business units"), required=False,
        widget=SearchSelectMultiple)
    audience_sites = forms.MultipleChoiceField(label=_("Sites"), required=False,
        widget=SearchSelectMultiple)
    audience_job_families = forms.MultipleChoiceField(label=_("Job families"), required=False,
        widget=SearchSelectMultiple)
    cost_unit = forms.ChoiceField(label=_("Cost unit"), choices=Service.CostUnit.choices)
    unit_cost = forms.CharField(label=_("Unit cost (€)"), required=False, max_length=20)
    charging = forms.ChoiceField(label=_("Charging"), choices=Service.Charging.choices)
    annual_run_cost = forms.CharField(label=_("Annual run cost (€)"), required=False,
                                      max_length=20)
    owner = PersonIdField(label=_("Owner"), required=False)
    deputy = PersonIdField(label=_("Deputy"), required=False)
    related = forms.MultipleChoiceField(label=_("Related services"), required=False,
        widget=SearchSelectMultiple)
    replacement = forms.ChoiceField(label=_("Replaced by"), required=False, widget=SearchSelect)

    def __init__(self, *args: Any, service_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        families = [(f.code, f.name) for f in OfferFamily.objects.all()]
        cast(forms.ChoiceField, self.fields["family"]).choices = families
        cast(forms.ChoiceField, self.fields["audience_units"]).choices = _codes(BusinessUnit)
        cast(forms.ChoiceField, self.fields["audience_sites"]).choices = _codes(Site)
        cast(forms.ChoiceField, self.fields["audience_job_families"]).choices = _codes(JobFamily)
        cast(forms.ChoiceField, self.fields["related"]).choices = service_choices
        cast(forms.ChoiceField, self.fields["replacement"]).choices = [("", "—"), *service_choices]


class CommitmentForm(forms.Form):
    text_fr = forms.CharField(label=_("Commitment (French)"), max_length=200)
    text_en = forms.CharField(label=_("Commitment (English)"), max_length=200, required=False)
    target = forms.CharField(label=_("Target"), max_length=20)
    # Blank first, so the empty row offered for a new commitment counts as untouched.
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Commitment.Unit.choices],
                             required=False)


class FaqForm(forms.Form):
    question_fr = forms.CharField(label=_("Question (French)"), max_length=300)
    question_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    answer_fr = forms.CharField(label=_("Answer (French)"),
                                widget=forms.Textarea(attrs={"rows": 3}))
    answer_en = forms.CharField(label=_("Answer (English)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class NewsForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_fr = forms.CharField(label=_("Text (French)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body_en = forms.CharField(label=_("Text (English)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


CHILD_FORMS = {"commitments": CommitmentForm, "faqs": FaqForm, "news": NewsForm}


class ServiceEditor:
    """The service form and its three formsets, read from and turned into a content dict."""

    def __init__(self, data: Any = None, *, initial: Content | None,
                 service_choices: list[tuple[str, str]]) -> None:
        initial = initial or {"audience_everyone": True, "cost_unit": "none",
                              "charging": "included"}
        self.form = ServiceForm(data, initial=initial, service_choices=service_choices)
        self.formsets = {
            name: forms.formset_factory(form_class, extra=1, can_delete=True)(
                data, initial=initial.get(name, []), prefix=name)
            for name, form_class in CHILD_FORMS.items()
        }

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    #: How the error summary names a repeated row ("Commitment 2 — Target: …").
    ROW_NAMES = {"commitments": _("Commitment %(n)s"), "faqs": _("Question %(n)s"),
                 "news": _("News %(n)s")}

    @property
    def invalid_rows(self) -> list[tuple[str, forms.Form]]:
        """The repeated rows sent back with errors, each with its name, for the summary."""
        return [(str(self.ROW_NAMES[name] % {"n": number}), form)
                for name, formset in self.formsets.items() if formset.is_bound
                for number, form in enumerate(formset.forms, 1) if form.errors]

    def content(self) -> Content:
        data = dict(self.form.cleaned_data)
        for name, formset in self.formsets.items():
            data[name] = [
                {key: (value.isoformat() if hasattr(value, "isoformat") else value)
                 for key, value in form.cleaned_data.items() if key in CHILD_FIELDS[name]}
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        return data

    def add_errors(self, errors: dict[str, str]) -> None:
        """Put the content check's errors next to the fields they concern."""
        for key, reason in errors.items():
            if "[" in key:
                name, rest = key.split("[", 1)
                index, field = rest.split("].", 1)
                forms_ = [f for f in self.formsets[name].forms
                          if f.cleaned_data and not f.cleaned_data.get("DELETE")]
                position = int(index) - 1
                if position < len(forms_) and field in forms_[position].fields:
                    forms_[position].add_error(field, reason)
                    continue
            if key in self.form.fields:
                self.form.add_error(key, reason)
            else:
                self.form.add_error(None, f"{key}: {reason}")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class LifecycleForm(forms.Form):
    to = forms.ChoiceField(label=_("New lifecycle stage"), choices=Service.Lifecycle.choices)
    replacement = forms.ChoiceField(label=_("Replaced by"), required=False, widget=SearchSelect)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, service_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["replacement"]).choices = [("", "—"), *service_choices]


class ManageFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    family = forms.ChoiceField(label=_("Offer family"), required=False)
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), required=False,
                                  choices=[("", _("All")), *Service.Lifecycle.choices])
    publication = forms.ChoiceField(label=_("Publication"), required=False,
                                    choices=[("", _("All")), *Service.Publication.choices])
    owner = PersonIdField(label=_("Owner or deputy"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["family"]).choices = [("", _("All"))] + [
            (f.code, f.name) for f in OfferFamily.objects.all()]


class CatalogImportForm(forms.Form):
    """The catalogue file to import (the import itself runs as a job)."""

    file = ImportFileField(
        extensions=(".xlsx", ".zip", ".csv"),
        wrong_type=_("Expected an .xlsx, .zip or .csv file, got “%(name)s”."),
        label=_("Catalogue file"),
        help_text=_("An Excel workbook (.xlsx) or a .zip of CSV files as exported here, or a "
                    "single services.csv."))
