"""The Reports page's forms: generate a report (a quarter, a unit, a language), a schedule."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from phare.lib.widgets import SearchSelect
from phare.reports import periods, queries
from phare.reports.models import Frequency, Language, Schedule


def _unit_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Business unit"), required=False,
        help_text=_("Its figures beside the company's; leave empty for the whole company."),
        choices=[("", _("The whole company")), *queries.unit_choices()], widget=SearchSelect)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Quarter"))
    unit_code = forms.ChoiceField(label=_("Business unit"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarters = periods.last_quarters(today or timezone.localdate())
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(q.key, q.label) for q in quarters]
        period.initial = quarters[0].key  # the quarter just ended
        self.fields["unit_code"] = _unit_field()
        self.fields["language"].initial = translation.get_language()

    def values(self) -> dict[str, Any]:
        period = periods.parse(self.cleaned_data["period"])
        return {"starts_on": period.starts_on, "ends_on": period.ends_on,
                "unit_code": self.cleaned_data["unit_code"] or None,
                "language": self.cleaned_data["language"]}


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices,
                                  initial=Frequency.QUARTERLY)
    unit_code = forms.ChoiceField(label=_("Business unit"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    recipients = forms.CharField(
        label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Email addresses, one per line or separated by commas."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, schedule: Schedule | None = None, **kwargs: Any) -> None:
        if schedule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": schedule.name, "frequency": schedule.frequency,
                "unit_code": schedule.unit_code, "language": schedule.language,
                "recipients": "\n".join(schedule.recipients), "active": schedule.active}
        super().__init__(*args, **kwargs)
        self.fields["unit_code"] = _unit_field()
        if schedule is None:
            self.fields["language"].initial = translation.get_language()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "frequency": data["frequency"],
                "unit_code": data["unit_code"] or None, "language": data["language"],
                "recipients": [part for part in re.split(r"[\s,;]+", data["recipients"])
                               if part],
                "active": data["active"]}
