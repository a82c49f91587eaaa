"""The audit page's filters (its query string), shared by the page and the CSV export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.audit.actions import Action
from phare.audit.queries import EntryFilter


class EntryFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All")), *Action.choices])
    actor = forms.CharField(label=_("Who"), required=False, max_length=150,
                            help_text=_("Part of a user name"))
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    target = forms.CharField(label=_("Target"), required=False, max_length=200,
                             help_text=_("Part of its name, or type:id such as "
                                         "catalog.service:12"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def to_filter(self) -> EntryFilter:
        """The valid filters; a field with an error filters nothing (the page says why)."""
        if not self.is_bound:
            return EntryFilter()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in self.errors}
        return EntryFilter(action=data.get("action") or "", actor=data.get("actor") or "",
                           since=data.get("since"), until=data.get("until"),
                           target=data.get("target") or "")
