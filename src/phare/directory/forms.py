from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from phare.directory.models import Person
from phare.directory.queries import PeopleFilter, filter_choices
from phare.lib.uploads import ImportFileField
from phare.lib.widgets import SearchSelect, SearchSelectMultiple

PEOPLE_SEARCH = reverse_lazy("directory:people_pick")
TYPE_A_NAME = _("Type a name")


def person_label(person: Person) -> str:
    """How a picker shows a person: their name and unit, never their employee id."""
    unit = person.business_unit.name if person.business_unit else ""
    return f"{person.full_name} ({unit})" if unit else person.full_name


class PersonChoiceField(forms.ModelChoiceField):
    """A person picked by name (searched on the server among active people); the cleaned value
    is the Person, submitted as their employee id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SearchSelect(search_url=PEOPLE_SEARCH,
                                                 placeholder=TYPE_A_NAME))
        super().__init__(queryset=Person.objects.select_related("business_unit"),
                         to_field_name="employee_id", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PersonIdField(PersonChoiceField):
    """A person picked by name, cleaned to the employee id as submitted ("" when none), for
    forms whose service checks the id itself (the catalogue's content: an active person)."""

    def clean(self, value: Any) -> str:
        employee_id = str(value or "").strip()[:40]
        if not employee_id and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return employee_id


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """People picked by name; cleaned to a queryset of Person."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SearchSelectMultiple(search_url=PEOPLE_SEARCH,
                                                         placeholder=TYPE_A_NAME))
        super().__init__(queryset=Person.objects.select_related("business_unit"),
                         to_field_name="employee_id", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    business_unit = forms.ChoiceField(label=_("Business unit"), required=False,
                                      widget=SearchSelect)
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
