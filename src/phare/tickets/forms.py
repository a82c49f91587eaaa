"""Forms of the ticket feedback management pages: the survey's rules, an ITSM export, its
column mapping, and a label of the ITSM read as a catalogue service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from phare.catalog.models import Service
from phare.lib.uploads import ImportFileField
from phare.tickets.imports import FIELDS, ORDERS, SYSTEM_NAMES, SYSTEMS, Proposal
from phare.tickets.models import TicketMapping


class TicketRulesForm(forms.Form):
    sample_percent = forms.IntegerField(
        label=gettext_lazy("Tickets surveyed (%)"), min_value=0, max_value=100,
        help_text=gettext_lazy("Chosen by the ticket id, so the same ticket always gets the "
                               "same answer."))
    send_delay_minutes = forms.IntegerField(
        label=gettext_lazy("Delay after resolution (minutes)"), min_value=0,
        max_value=60 * 24 * 30,
        help_text=gettext_lazy("Leaves time to reopen a ticket that was not really solved."))
    fatigue_days = forms.IntegerField(
        label=gettext_lazy("At most one ticket survey per person every (days)"), min_value=0,
        max_value=365, help_text=gettext_lazy("0: no limit besides the contact limit."))


class TicketImportForm(forms.Form):
    file = ImportFileField(
        extensions=(".csv", ".txt", ".xlsx"),
        wrong_type=gettext_lazy("Expected a .csv or .xlsx file, got “%(name)s”."),
        label=gettext_lazy("Ticket export (CSV or Excel)"),
        help_text=gettext_lazy("A ServiceNow or GLPI export, or an event log: CSV (any "
                               "encoding, separated by commas, semicolons or tabs) or .xlsx."))
    system = forms.ChoiceField(
        label=gettext_lazy("System"), initial="auto", required=False,
        choices=[("auto", gettext_lazy("Recognise it from the columns"))]
        + [(name, SYSTEM_NAMES[name]) for name in SYSTEMS])
    review = forms.BooleanField(
        label=gettext_lazy("Show me the columns before importing"), required=False,
        help_text=gettext_lazy("Otherwise the mapping is shown only when Phare is unsure of "
                               "a column or of the date order."))
    strict = forms.BooleanField(
        label=gettext_lazy("All or nothing"), required=False,
        help_text=gettext_lazy("Import nothing if any line has a problem. By default the "
                               "lines that can be read are imported and the others listed."))


    def clean_system(self) -> str:
        return self.cleaned_data["system"] or "auto"


class TicketMappingForm(forms.Form):
    """Each of Phare's fields with a select of the file's columns; the date order when the
    file's dates do not tell it."""

    date_order = forms.ChoiceField(label=gettext_lazy("Dates are written"), required=False,
                                   choices=[("", gettext_lazy("as the file shows (ISO, or "
                                                              "telling by themselves)"))]
                                   + list(TicketMapping.DateOrder.choices))

    def __init__(self, *args: Any, proposal: Proposal, undecided: str = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        names = proposal.names()
        choices = [("", gettext_lazy("— not in the file —"))] + [
            (name, name) for name in dict.fromkeys(proposal.header) if name]
        for key, label in FIELDS.items():
            self.fields[key] = forms.ChoiceField(label=str(label), choices=choices,
                                                 required=False, initial=names.get(key, ""))
        if undecided:
            order = self.fields["date_order"]
            assert isinstance(order, forms.ChoiceField)
            order.required = True
            order.choices = [("", gettext_lazy("— choose —")),
                             *TicketMapping.DateOrder.choices]
            order.help_text = gettext_lazy(
                "No date of the file tells whether it is day-first or month-first, such as "
                "“%(example)s”.") % {"example": undecided}
        self.order = ["date_order", *FIELDS]

    def field_rows(self) -> Sequence[Any]:
        """The column selects, with whether Phare is unsure of each."""
        return [(self[key], key in self.proposal.unsure) for key in FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(key) for key in FIELDS if data.get(key)]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(gettext_lazy("A column is chosen for two fields."))
        event_log = data.get("updated_at") and data.get("state")
        needed = [("external_id", True), ("opened_at", not event_log),
                  ("resolved_at", not event_log and not data.get("closed_at"))]
        for key, required in needed:
            if required and not data.get(key):
                self.add_error(key, gettext_lazy("Choose the column that holds it."))
        if data.get("date_order") and data["date_order"] not in ORDERS:
            self.add_error("date_order", gettext_lazy("Choose day first or month first."))
        return data

    def columns(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in FIELDS if self.cleaned_data.get(key)}


class LabelMapForm(forms.Form):
    """A label of the ITSM (a service or configuration item) read as a catalogue service."""

    label = forms.CharField(max_length=200, widget=forms.HiddenInput)
    service = forms.ModelChoiceField(
        label=gettext_lazy("Catalogue service"), queryset=Service.objects.order_by("slug"),
        to_field_name="slug")
