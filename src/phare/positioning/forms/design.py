"""Forms of the design and fieldwork pages: the study's settings, one alternative or attribute,
profile questions, suggested tools, the population, a fieldwork wave, an imported survey and
its mapping (JSON, its syntax errors by line and column)."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.catalog.models import OfferFamily
from phare.lib.widgets import SearchSelectMultiple
from phare.listening.forms import STRATIFY_CHOICES, ReminderDaysField
from phare.listening.models import Survey
from phare.positioning import queries
from phare.positioning.models import Alternative, Study
from phare.positioning.questionnaire import profile_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StudyForm(forms.Form):
    """A study's title, domain, scale, map method and number of segments."""

    title_fr = forms.CharField(label=gettext_lazy("Title (French)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200,
                               required=False)
    family = forms.ModelChoiceField(
        label=gettext_lazy("Domain"), queryset=OfferFamily.objects.all(), required=False,
        empty_label=gettext_lazy("IT in general (the whole department)"))
    scale_min = forms.IntegerField(label=gettext_lazy("Lowest rating"), initial=1)
    scale_max = forms.IntegerField(label=gettext_lazy("Highest rating"), initial=5)
    method = forms.ChoiceField(label=gettext_lazy("Map"), choices=Study.Method.choices,
                               initial=Study.Method.CA)
    segments_k = forms.IntegerField(
        label=gettext_lazy("Number of segments"), required=False, min_value=2, max_value=8,
        help_text=gettext_lazy("Empty: chosen by silhouette between 2 and 6."))

    @classmethod
    def initial_for(cls, study: Study) -> dict[str, Any]:
        return {name: getattr(study, name) for name in cls.base_fields}


class NewStudyForm(StudyForm):
    slug = forms.SlugField(label=gettext_lazy("Identifier"), max_length=80,
                           help_text=gettext_lazy("Letters, digits and “-”: it appears in "
                                                  "the study's address."))
    field_order = ["slug", "title_fr", "title_en", "family", "scale_min", "scale_max", "method"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["segments_k"]


class AlternativeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Alternative.Kind.choices,
                             initial=Alternative.Kind.OTHER)
    label_fr = forms.CharField(label=gettext_lazy("Label (French)"), max_length=120)
    label_en = forms.CharField(label=gettext_lazy("Label (English)"), max_length=120,
                               required=False)


class AttributeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    label_fr = forms.CharField(label=gettext_lazy("Label (French)"), max_length=120)
    label_en = forms.CharField(label=gettext_lazy("Label (English)"), max_length=120,
                               required=False)


class RowActionForm(forms.Form):
    """Delete, or move up or down, one alternative or attribute."""

    code = forms.SlugField(max_length=40)
    action = forms.ChoiceField(choices=[("delete", "delete"), ("up", "up"), ("down", "down")])


class ProfileForm(forms.Form):
    profile_questions = forms.MultipleChoiceField(
        label=gettext_lazy("Profile questions"), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profile_questions"]).choices = profile_choices()


class ToolsForm(forms.Form):
    names = forms.CharField(
        label=gettext_lazy("Suggested tools"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line: offered as choices in the questionnaire, "
                               "beside a free “other” answer."))

    def tool_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["names"].splitlines()
                if line.strip()]


class PopulationForm(forms.Form):
    """Who the fieldwork asks, as listening's wave form says it."""

    units = forms.MultipleChoiceField(
        label=gettext_lazy("Business units"), required=False, widget=SearchSelectMultiple,
        help_text=gettext_lazy("Sub-units are included. None selected: every unit."))
    sites = forms.MultipleChoiceField(label=gettext_lazy("Sites"), required=False,
                                      widget=SearchSelectMultiple,
                                      help_text=gettext_lazy("None selected: every site."))
    job_families = forms.MultipleChoiceField(
        label=gettext_lazy("Job families"), required=False, widget=SearchSelectMultiple,
        help_text=gettext_lazy("None selected: every job family."))
    sample = forms.IntegerField(label=gettext_lazy("Sample size"), required=False, min_value=1,
                                help_text=gettext_lazy("Empty: everyone is invited."))
    stratify_by = forms.ChoiceField(label=gettext_lazy("Stratify the sample by"),
                                    choices=STRATIFY_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in queries.directory_choices().items():
            cast(forms.ChoiceField, self.fields[name]).choices = choices

    def population(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"units": data["units"], "sites": data["sites"],
                "job_families": data["job_families"], "sample": data["sample"],
                "stratify_by": data["stratify_by"] or None}


class FieldworkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Wave name (French)"), max_length=120)
    name_en = forms.CharField(label=gettext_lazy("Wave name (English)"), max_length=120,
                              required=False,
                              help_text=gettext_lazy("Empty: the French name is shown."))
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=DATE)
    reminder_days = ReminderDaysField(initial=[7, 14])


class ImportForm(forms.Form):
    survey = forms.ModelChoiceField(label=gettext_lazy("Imported survey"),
                                    queryset=Survey.objects.none())

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["survey"]).queryset = (
            queries.importable_surveys(study))


class MappingForm(forms.Form):
    mapping = forms.CharField(label=gettext_lazy("Mapping (JSON)"), max_length=50_000,
                              widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}))

    def clean_mapping(self) -> Any:
        text = self.cleaned_data["mapping"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON at line %(line)d, column %(col)d: %(msg)s.")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The mapping is a JSON object."))
        return value
