"""The filters of the insights pages (they apply to every figure of a page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.insights.barometer import Filters
from phare.insights.queries import unit_and_descendants
from phare.insights.verbatims import VerbatimFilters


class BarometerFilters(forms.Form):
    wave = forms.MultipleChoiceField(label=_("Waves"), required=False,
                                     widget=forms.SelectMultiple(attrs={"size": 4}))
    unit = forms.ChoiceField(label=_("Business unit"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    job_family = forms.ChoiceField(label=_("Job family"), required=False)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["wave"].choices = choices["waves"]
        for name in ("unit", "site", "job_family"):
            self.fields[name].choices = everyone + choices[name]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            waves=tuple(int(w) for w in data["wave"]),
            units=unit_and_descendants(data["unit"]) if data["unit"] else (),
            sites=(data["site"],) if data["site"] else (),
            job_families=(data["job_family"],) if data["job_family"] else (),
        )


MONTH_RE = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


class VerbatimForm(forms.Form):
    survey = forms.ChoiceField(label=_("Survey"))
    words = forms.CharField(label=_("Words"), required=False, max_length=200,
                            widget=forms.TextInput(attrs={"type": "search"}))
    theme = forms.IntegerField(label=_("Theme"), required=False, min_value=0,
                               widget=forms.Select)
    band = forms.ChoiceField(label=_("Score"), required=False, choices=[
        ("", _("All")), ("low", _("0–6 (detractors)")), ("mid", _("7–8 (passives)")),
        ("high", _("9–10 (promoters)"))])
    unit = forms.ChoiceField(label=_("Business unit"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    job_family = forms.ChoiceField(label=_("Job family"), required=False)
    service = forms.ChoiceField(label=_("Service (ticket comments)"), required=False)
    # Months, not days: answers are never dated more finely than their month here.
    since = forms.RegexField(label=_("From (month)"), required=False, regex=MONTH_RE,
                             error_messages={"invalid": _("Give a month as YYYY-MM.")},
                             widget=forms.TextInput(attrs={"type": "month",
                                                           "placeholder": "YYYY-MM"}))
    until = forms.RegexField(label=_("To (month)"), required=False, regex=MONTH_RE,
                             error_messages={"invalid": _("Give a month as YYYY-MM.")},
                             widget=forms.TextInput(attrs={"type": "month",
                                                           "placeholder": "YYYY-MM"}))

    def __init__(self, *args, surveys: list[tuple[str, str]],
                 segments: dict[str, list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["survey"].choices = surveys
        self.offer_themes([])
        for name in ("unit", "site", "job_family"):
            self.fields[name].choices = everyone + segments[name]
        self.fields["service"].choices = everyone + segments.get("service", [])

    def offer_themes(self, themes: list[tuple[int, str]]) -> None:
        """The themes found in the chosen survey's comments (known once they are read)."""
        self.fields["theme"].widget.choices = [("", _("All")), *themes]

    def filters(self) -> VerbatimFilters:
        data = self.cleaned_data
        return VerbatimFilters(
            band=data.get("band") or "", words=data.get("words") or "",
            units=unit_and_descendants(data["unit"]) if data.get("unit") else (),
            sites=(data["site"],) if data.get("site") else (),
            job_families=(data["job_family"],) if data.get("job_family") else (),
            since=data.get("since") or "", until=data.get("until") or "",
            theme=data.get("theme"),
            service=data.get("service") or "")
