from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.directory.forms import PersonChoiceField


class PersonForm(forms.Form):
    """The person whose data is exported or erased, picked by name."""

    person = PersonChoiceField(label=_("Person"))


class EraseForm(PersonForm):
    """The erasure's confirmation: the person's employee id typed again."""

    confirm = forms.CharField(
        label=_("Type the employee id to confirm"), max_length=40,
        help_text=_("The erasure cannot be undone."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person = data.get("person")
        typed = str(data.get("confirm") or "").strip()
        if person is not None and typed and typed != person.employee_id:
            self.add_error("confirm", _("This is not the employee id of the person chosen."))
        return data
