"""Forms of the survey pages: the builder, waves, imports and exports. They only read input:
the rules are in the services (and the builder's helpers), whose refusals are put back on the
field they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.lib.i18n import in_language
from phare.lib.uploads import ImportFileField
from phare.listening.errors import ListeningError
from phare.listening.imports import EXTENSIONS, IMPORT_KINDS, RESPONSE_EXTENSIONS
from phare.listening.models import MIN_GROUP_SIZE, MIN_VERBATIM_GROUP_SIZE, Question, Survey

#: What each anonymity mode means for the people who answer (shown beside the choice).
ANONYMITY_HELP = {
    Survey.Anonymity.ANONYMOUS: _(
        "Nothing links an answer to a person: no name, no invitation, only the day it was "
        "given. Results are shown by business unit, site or job family, and only for groups "
        "large enough."),
    Survey.Anonymity.CONFIDENTIAL: _(
        "Phare knows who answered (to remind the others, to follow a ticket up), but results "
        "are only shown as totals of groups large enough: no one reads a person's answers."),
    Survey.Anonymity.NAMED: _(
        "Respondents are told their name goes with their answers; those who run the survey "
        "can read each person's answers."),
}

TEXTAREA = {"rows": 2}


def _service_choices() -> list[tuple[str, str]]:
    """Catalogue services, each named in the reader's language (the other when it is empty)."""
    rows = Service.objects.order_by("name_fr").only("slug", "name_fr", "name_en")
    return [("", "—"), *((service.slug, in_language(service, "name")) for service in rows)]


class SurveyFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *Survey.Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Survey.Status.choices])


class _ThresholdFields(forms.Form):
    min_group_size = forms.IntegerField(label=_("Minimum group size"), initial=MIN_GROUP_SIZE)
    min_verbatim_group_size = forms.IntegerField(label=_("Minimum group size for verbatims"),
                                                 initial=MIN_VERBATIM_GROUP_SIZE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Interpolated per request, in the reader's language.
        self.fields["min_group_size"].help_text = gettext(
            "Results of smaller groups are never shown. At least %(n)d; once the survey has "
            "answers it can only be raised.") % {"n": MIN_GROUP_SIZE}
        self.fields["min_verbatim_group_size"].help_text = gettext(
            "Free-text answers of smaller groups are never shown. At least %(n)d; once the "
            "survey has answers it can only be raised.") % {"n": MIN_VERBATIM_GROUP_SIZE}


class SurveyCreateForm(_ThresholdFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=Survey.Kind.choices,
                             help_text=_("A barometer is run in waves of the same questions, "
                                         "so that results compare from one wave to the next."))
    slug = forms.CharField(
        label=_("Identifier"), max_length=80,
        help_text=_("Lower-case letters, digits and hyphens, e.g. barometre-2026. It appears "
                    "in addresses and exports and cannot change."))
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    anonymity = forms.ChoiceField(label=_("Anonymity"), choices=Survey.Anonymity.choices,
                                  initial=Survey.Anonymity.ANONYMOUS, widget=forms.RadioSelect)
    service = forms.ChoiceField(label=_("Catalogue service"), required=False,
                                help_text=_("Required for a service survey."))

    field_order = ["kind", "slug", "title_fr", "title_en", "anonymity", "service"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service"]).choices = _service_choices()


class SurveySettingsForm(_ThresholdFields):
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    intro_fr = forms.CharField(label=_("Introduction (French)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    intro_en = forms.CharField(label=_("Introduction (English)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    thanks_fr = forms.CharField(label=_("Thank-you message (French)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    thanks_en = forms.CharField(label=_("Thank-you message (English)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    anonymity = forms.ChoiceField(label=_("Anonymity"), choices=Survey.Anonymity.choices,
                                  widget=forms.RadioSelect)
    service = forms.ChoiceField(label=_("Catalogue service"), required=False)
    open_link = forms.BooleanField(
        label=_("Open link"), required=False,
        help_text=_("While the survey is open, anyone with the link may answer it, without "
                    "an invitation."))

    field_order = ["title_fr", "title_en", "intro_fr", "intro_en", "thanks_fr", "thanks_en",
                   "anonymity", "service", "min_group_size", "min_verbatim_group_size",
                   "open_link"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service"]).choices = _service_choices()

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        names = [n for n in SurveySettingsForm.base_fields if n != "service"]
        return {**{n: getattr(survey, n) for n in names},
                "service": survey.service.slug if survey.service else ""}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Survey.Status.choices)


class SectionForm(forms.Form):
    title_fr = forms.CharField(label=_("Section title (French)"), max_length=200,
                               required=False)
    title_en = forms.CharField(label=_("Section title (English)"), max_length=200,
                               required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


CONDITION_OPS = [("in", _("is one of")), ("between", _("is between")),
                 ("answered", _("is answered"))]


class QuestionForm(forms.Form):
    """A question as the builder edits it: options as lines, the condition as four fields."""

    section = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False,
                                     empty_value=None)
    type = forms.ChoiceField(label=_("Type"), choices=Question.Type.choices)
    code = forms.CharField(
        label=_("Code"), max_length=64,
        help_text=_("Letters, digits, “-” and “_”, e.g. nps or why_low. It stays the same in "
                    "every version and wave, so results compare; it cannot change later."))
    text_fr = forms.CharField(label=_("Question (French)"), widget=forms.Textarea(TEXTAREA))
    text_en = forms.CharField(label=_("Question (English)"), required=False,
                              widget=forms.Textarea(TEXTAREA))
    help_fr = forms.CharField(label=_("Help (French)"), max_length=300, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    scale_min = forms.IntegerField(label=_("Lowest value"), required=False,
                                   help_text=_("Grid: 1 when left empty."))
    scale_max = forms.IntegerField(label=_("Highest value"), required=False,
                                   help_text=_("Grid: 5 when left empty."))
    label_min_fr = forms.CharField(label=_("Lowest label (French)"), max_length=80,
                                   required=False)
    label_min_en = forms.CharField(label=_("Lowest label (English)"), max_length=80,
                                   required=False)
    label_max_fr = forms.CharField(label=_("Highest label (French)"), max_length=80,
                                   required=False)
    label_max_en = forms.CharField(label=_("Highest label (English)"), max_length=80,
                                   required=False)
    options = forms.CharField(
        label=_("One per line: code | label FR | label EN"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("For example “reactivite | Réactivité | Responsiveness”. A line with a "
                    "label alone gets a code made from it."))
    allow_other = forms.BooleanField(label=_("Offer “other” with a text to fill in"),
                                     required=False)
    condition_question = forms.ChoiceField(label=_("Show this question"), required=False)
    condition_op = forms.ChoiceField(label=_("when the answer"), required=False,
                                     choices=CONDITION_OPS)
    condition_values = forms.CharField(
        label=_("Answers (for “is one of”)"), required=False, max_length=500,
        help_text=_("Separated by commas: scores (0, 1, 2) or option codes."))
    condition_min = forms.CharField(label=_("From (for “is between”)"), required=False,
                                    max_length=12)
    condition_max = forms.CharField(label=_("To"), required=False, max_length=12)

    def __init__(self, *args: Any, sections: Sequence[Any] = (),
                 earlier: Sequence[Question] = (), editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            # The code is what answers are stored under: it never changes.
            del self.fields["section"]
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        else:
            cast(forms.ChoiceField, self.fields["section"]).choices = [
                (s.position, s.title or gettext("Section %(n)d") % {"n": s.position})
                for s in sections]
        cast(forms.ChoiceField, self.fields["condition_question"]).choices = [
            ("", gettext("always")),
            *[(q.code, f"{q.code} — {_short(q.text)}") for q in earlier]]

    def add_refusal(self, field: str, message: str) -> None:
        """Put a service's refusal next to the field it names (else on top of the form)."""
        name = {"condition": "condition_question", "position": None}.get(field, field)
        self.add_error(name if name in self.fields else None, message)

    def fieldsets(self) -> list[tuple[str, str | Promise, list[forms.BoundField]]]:
        """Groups of fields with a class telling which question types use them."""
        groups = [
            ("", _("Question"), ["section", "type", "code", "text_fr", "text_en", "help_fr",
                                 "help_en", "required"]),
            ("for-scale", _("Scale"), ["scale_min", "scale_max"]),
            ("for-labels", _("End labels"), ["label_min_fr", "label_max_fr", "label_min_en",
                                             "label_max_en"]),
            ("for-options", _("Options or attributes"), ["options", "allow_other"]),
            ("", _("Display condition"), ["condition_question", "condition_op",
                                          "condition_values", "condition_min",
                                          "condition_max"]),
        ]
        return [(css, legend, [self[n] for n in names if n in self.fields])
                for css, legend, names in groups]


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


# --- waves --------------------------------------------------------------------------------------

STRATIFY_CHOICES = [("", _("No stratification")), ("business_unit", _("Business unit")),
                    ("site", _("Site")), ("job_family", _("Job family"))]


class WaveForm(forms.Form):
    """A wave as planned on its page: name, dates, audience (lists, sample) and reminders."""

    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("For instance “Spring 2025”."))
    opens_on = forms.DateField(label=_("Opens on"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Closes on"),
                                widget=forms.DateInput(attrs={"type": "date"},
                                                       format="%Y-%m-%d"))
    units = forms.MultipleChoiceField(
        label=_("Business units"), required=False,
        help_text=_("Sub-units are included. None selected: every unit."))
    sites = forms.MultipleChoiceField(label=_("Sites"), required=False,
                                      help_text=_("None selected: every site."))
    job_families = forms.MultipleChoiceField(
        label=_("Job families"), required=False,
        help_text=_("None selected: every job family."))
    sample = forms.IntegerField(
        label=_("Sample size"), required=False, min_value=1,
        help_text=_("Empty: everyone in the audience is invited."))
    stratify_by = forms.ChoiceField(label=_("Stratify the sample by"),
                                    choices=STRATIFY_CHOICES, required=False)
    seed = forms.IntegerField(
        label=_("Random seed"), required=False, min_value=0,
        help_text=_("The same seed draws the same sample; empty: drawn at random."))
    reminder_days = forms.CharField(
        label=_("Reminders (days after the invitation)"), required=False,
        max_length=60, help_text=_("Separated by commas, for instance “7, 14”. "
                                   "Only those who have not answered are reminded."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("units", BusinessUnit), ("sites", Site),
                            ("job_families", JobFamily)):
            cast(forms.ChoiceField, self.fields[name]).choices = list(
                model._default_manager.order_by("name").values_list("code", "name"))
            self.fields[name].widget.attrs["size"] = 6

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"].replace(";", ",")
        days = []
        for part in (p.strip() for p in text.split(",")):
            if part:
                if not part.isdigit():
                    raise forms.ValidationError(gettext("“%s” is not a number of days.") % part)
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


# --- imports and exports ------------------------------------------------------------------------

class SurveyImportForm(forms.Form):
    file = ImportFileField(
        extensions=EXTENSIONS, label=_("Survey file"),
        wrong_type=_("Expected a LimeSurvey archive (.lsa) or structure (.lss), or a Qualtrics "
                     "survey (.qsf), got “%(name)s”."),
        help_text=_("LimeSurvey: export the survey archive (.lsa), which holds the responses. "
                    "Qualtrics: export the survey (.qsf)."))
    responses = ImportFileField(
        extensions=RESPONSE_EXTENSIONS, required=False, label=_("Qualtrics responses (optional)"),
        wrong_type=_("Expected Qualtrics' legacy XML export (.xml), got “%(name)s”."),
        help_text=_("With a .qsf only: the responses in Qualtrics' legacy XML export."))
    kind = forms.ChoiceField(label=_("Kind of survey"), initial=Survey.Kind.PULSE,
                             choices=[(kind, Survey.Kind(kind).label) for kind in IMPORT_KINDS])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        survey_file, responses = data.get("file"), data.get("responses")
        if survey_file and responses and not survey_file.name.lower().endswith(".qsf"):
            self.add_error("responses", _("A responses file only goes with a Qualtrics .qsf: "
                                          "a LimeSurvey archive holds its responses."))
        return data


FORMAT_CHOICES = [
    ("xlsx", _("Excel workbook (.xlsx): codes, labels and the list of variables")),
    ("sav", _("SPSS (.sav): variable labels, value labels and missing values")),
    ("csv", _("CSV with codes")),
    ("labels.csv", _("CSV with labels")),
]


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="xlsx",
                               widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language of the labels"),
                                 choices=[("fr", "Français"), ("en", "English")],
                                 widget=forms.RadioSelect)
    wave = forms.TypedChoiceField(label=_("Wave"), coerce=int, empty_value=None, required=False)
    version = forms.TypedChoiceField(label=_("Questionnaire version"), coerce=int,
                                     empty_value=None, required=False)

    def __init__(self, data: Any, *, survey: Survey) -> None:
        super().__init__(data)
        self.fields["language"].initial = (get_language() or "fr")[:2]
        cast(forms.ChoiceField, self.fields["wave"]).choices = [("", _("All waves"))] + [
            (w.number, f"{w.number} — {w.name}") for w in survey.waves.order_by("number")]
        cast(forms.ChoiceField, self.fields["version"]).choices = [("", _("All versions"))] + [
            (v.number, str(v.number)) for v in survey.versions.order_by("number")]

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"language": data["language"], "wave": data["wave"], "version": data["version"]}
