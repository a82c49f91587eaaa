from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.directory.queries import PeopleFilter, filter_choices
from phare.lib.uploads import ImportFileField


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    business_unit = forms.ChoiceField(label=_("Business unit"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    job_family = forms.ChoiceField(label=_("Job family"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        any_choice = [("", _("All"))]
        for name, key in (("business_unit", "units"), ("site", "sites"),
                          ("job_family", "job_families")):
            # ``fields`` is typed as plain Fields; these are the ChoiceFields declared above.
            cast(forms.ChoiceField, self.fields[name]).choices = [*any_choice, *choices[key]]

    def to_filter(self) -> PeopleFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return PeopleFilter(
            q=data.get("q", ""), business_unit=data.get("business_unit", ""),
            site=data.get("site", ""), job_family=data.get("job_family", ""),
            status=data.get("status") or "active",
        )


class DirectoryImportForm(forms.Form):
    file = ImportFileField(
        extensions=(".csv", ".txt"), wrong_type=_("Expected a .csv file, got “%(name)s”."),
        label=_("Directory file (CSV)"),
        help_text=_("UTF-8 or Windows-1252, separated by commas or semicolons; "
                    "the first line names the columns."),
    )
    keep_missing = forms.BooleanField(
        label=_("Keep people who are absent from the file active"), required=False,
    )
