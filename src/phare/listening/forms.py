"""Forms of the survey builder. They only read input: the rules are in the services (and the
builder helpers), whose refusals are put back on the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
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
    rows = Service.objects.order_by("name_fr").values_list("slug", "name_fr")
    return [("", "—"), *rows]


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
        self.fields["service"].choices = _service_choices()


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
        self.fields["service"].choices = _service_choices()

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        names = [n for n in SurveySettingsForm.base_fields if n != "service"]
        return {**{n: getattr(survey, n) for n in names},
                "service": survey.service.slug if survey.service_id else ""}


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
            self.fields["section"].choices = [
                (s.position, s.title or gettext("Section %(n)d") % {"n": s.position})
                for s in sections]
        self.fields["condition_question"].choices = [
            ("", gettext("always")),
            *[(q.code, f"{q.code} — {_short(q.text)}") for q in earlier]]

    def add_refusal(self, field: str, message: str) -> None:
        """Put a service's refusal next to the field it names (else on top of the form)."""
        name = {"condition": "condition_question", "position": None}.get(field, field)
        self.add_error(name if name in self.fields else None, message)

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
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
