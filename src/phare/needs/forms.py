"""Forms of the needs app: they parse; the rules live in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from phare.catalog import access
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit
from phare.lib.i18n import ordered_by
from phare.lib.uploads import ImportFileField
from phare.lib.widgets import SearchSelect, SearchSelectMultiple
from phare.needs.models import Campaign, Criterion, DeliveryTeam, Need, Rule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _units() -> list[tuple[int, str]]:
    return list(BusinessUnit.objects.order_by("name").values_list("pk", "name"))


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("Your need in a few words."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("What you would like, and what happens today."))
    expected_benefit = forms.CharField(
        label=_("Expected benefit"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Time saved, risks avoided, people helped…"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Need.Urgency.choices,
                                initial=Need.Urgency.MEDIUM)
    business_unit = forms.TypedChoiceField(label=_("Business unit"), coerce=int,
                                           widget=SearchSelect)
    concerned_units = forms.TypedMultipleChoiceField(
        label=_("Units concerned"), coerce=int, required=False,
        help_text=_("Whose people would benefit; leave empty for your unit only."),
        widget=SearchSelectMultiple)
    services = forms.TypedMultipleChoiceField(
        label=_("Related catalogue services"), coerce=int, required=False,
        widget=SearchSelectMultiple)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = _units()
        cast(forms.ChoiceField, self.fields["business_unit"]).choices = units
        cast(forms.ChoiceField, self.fields["concerned_units"]).choices = units
        services = access.services_visible_to(user).order_by(ordered_by("name"))
        cast(forms.ChoiceField, self.fields["services"]).choices = [
            (s.pk, s.name) for s in services]
        for name in ("title", "description"):
            # The form asks for similar needs while the person types (see new.html).
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def objects(self) -> dict[str, Any]:
        """The cleaned data with model instances, as :func:`need_submit` takes them."""

        data = dict(self.cleaned_data)
        data["business_unit"] = BusinessUnit.objects.get(pk=data["business_unit"])
        data["concerned_units"] = list(BusinessUnit.objects.filter(pk__in=data["concerned_units"]))
        data["services"] = list(Service.objects.filter(pk__in=data["services"]))
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(Need.Status.choices))
    unit = forms.TypedChoiceField(label=_("Business unit"), required=False, coerce=int,
                                  empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("votes", _("Most votes")), ("recent", _("Most recent")), ("updated", _("Last updated"))])
    mine = forms.BooleanField(label=_("Only mine (raised, voted or followed)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("Every unit")), *_units()]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Shown on the need's page and sent to its followers; "
                                         "required to decline."))

    def __init__(self, *args: Any, transitions: list[tuple[str, StrOrPromise]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = transitions


def _merge_targets() -> list[tuple[int | str, str]]:
    """The needs one may merge into (not merged themselves), by number and title."""
    needs = Need.objects.filter(merged_into__isnull=True).order_by("-pk")
    return [("", "—"), *((pk, f"#{pk} {title}") for pk, title in needs.values_list("pk", "title"))]


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Need to merge into"), coerce=int,
                                  choices=_merge_targets, widget=SearchSelect)
    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=4000)


class CampaignForm(forms.ModelForm):
    needs = forms.TypedMultipleChoiceField(label=_("Needs"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Campaign
        fields = ["name_fr", "name_en", "description", "method", "budget_one_off",
                  "budget_recurring", "vote_cap"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, need_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["needs"]).choices = need_choices
        self.fields["name_en"].help_text = _("Empty: the French name is shown, marked as "
                                             "French.")
        self.fields["vote_cap"].help_text = _("While the campaign is open, each person may vote "
                                              "for at most this many of its needs; empty: no cap.")
        self.teams = list(DeliveryTeam.objects.all())
        capacities = {}
        if self.instance.pk:
            capacities = {c.team_id: c.days for c in self.instance.capacities.all()}
        for team in self.teams:
            self.fields[f"capacity_{team.code}"] = forms.DecimalField(
                label=_("Team %(team)s (person-days)") % {"team": team.name}, required=False,
                min_value=0, max_digits=8, decimal_places=1, initial=capacities.get(team.pk),
                help_text=_("Empty: not limited."))

    def capacity_fields(self) -> list[Any]:
        return [self[f"capacity_{team.code}"] for team in self.teams]

    def capacities(self) -> dict[str, Any]:
        return {team.code: self.cleaned_data.get(f"capacity_{team.code}") for team in self.teams}


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule"), choices=Rule.Kind.choices)
    need = forms.TypedChoiceField(label=_("Need"), coerce=int)
    other = forms.TypedChoiceField(label=_("Other need"), coerce=int, required=False,
                                   empty_value=None,
                                   help_text=_("For “requires” and “excludes”."))

    def __init__(self, *args: Any, need_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["need"]).choices = need_choices
        cast(forms.ChoiceField, self.fields["other"]).choices = [("", "—"), *need_choices]


class ShareForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Top-level business unit"), coerce=int)
    percent = forms.DecimalField(label=_("Minimum share of the value (%)"), required=False,
                                 min_value=0, max_value=100, max_digits=5, decimal_places=1,
                                 help_text=_("Empty or 0 removes the share."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = list(
            BusinessUnit.objects.filter(parent__isnull=True).values_list("pk", "name"))


class DecisionForm(forms.Form):
    arbitration = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why this decision"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Sent to everyone who raised or voted for a need of "
                                         "the campaign, with the explanation of their need."))


class WeightsForm(forms.Form):
    """The weight of each criterion as typed, one field ``w_<code>`` each: the service reads
    the numbers, and its refusals come back on the fields (:meth:`add_service_errors`)."""

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"w_{criterion.code}"] = forms.CharField(
                label=_("Weight of %(name)s") % {"name": criterion.name}, required=False,
                max_length=20, initial=floatformat(criterion.weight, "-2"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}))

    def rows(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(criterion, self[f"w_{criterion.code}"]) for criterion in self.criteria]

    def weights(self) -> dict[str, str]:
        """Criterion code → the weight typed (call after is_valid)."""
        return {c.code: self.cleaned_data.get(f"w_{c.code}") or "" for c in self.criteria}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for code, messages in errors.items():
            self.add_error(f"w_{code}" if f"w_{code}" in self.fields else None, messages)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name_fr", "name_en", "higher_is_better", "weight"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = DeliveryTeam
        fields = ["code", "name"]


class NeedImportForm(forms.Form):
    file = ImportFileField(
        extensions=(".csv",), label=_("Needs file (CSV)"),
        wrong_type=_("Expected a .csv file, got “%(name)s”."),
        help_text=_("As exported here: one need a line; a line with a number updates that need, "
                    "a line without creates one."))
