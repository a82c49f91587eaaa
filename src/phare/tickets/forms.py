"""Forms of the ticket feedback management pages: the survey's rules, an ITSM export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from phare.lib.uploads import ImportFileField


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
        extensions=(".csv", ".txt"),
        wrong_type=gettext_lazy("Expected a .csv file, got “%(name)s”."),
        label=gettext_lazy("Ticket export (CSV)"),
        help_text=gettext_lazy("A ServiceNow or GLPI export, UTF-8 or Windows-1252, separated "
                               "by commas or semicolons."))
