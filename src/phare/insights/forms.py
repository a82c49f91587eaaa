"""The filters of the insights pages (they apply to every figure of a page).

Each form offers bounded choices only, and turns what the reader chose into the filters of
its dashboard module (:class:`~phare.insights.barometer.Filters`,
:class:`~phare.insights.tickets.TicketFilters`,
:class:`~phare.insights.verbatims.VerbatimFilters`).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from phare.insights import access, dashboards, queries, value
from phare.insights.barometer import Filters
from phare.insights.queries import unit_and_descendants
from phare.insights.tickets import TicketFilters
from phare.insights.verbatims import VerbatimFilters
from phare.lib.widgets import SearchSelect, SearchSelectMultiple


class BarometerFilterForm(forms.Form):
    """A bad value is shown as the field's error, and the page shows every answer."""

    # Searchable pickers (lib/widgets.py) where the list is long; the query string stays
    # the selects' (``?wave=3&wave=4&unit=DSI``).
    wave = forms.MultipleChoiceField(label=_("Waves"), required=False,
                                     widget=SearchSelectMultiple)
    unit = forms.ChoiceField(label=_("Business unit"), required=False, widget=SearchSelect)
    site = forms.ChoiceField(label=_("Site"), required=False, widget=SearchSelect)
    job_family = forms.ChoiceField(label=_("Job family"), required=False, widget=SearchSelect)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["wave"]).choices = choices["waves"]
        for name in ("unit", "site", "job_family"):
            cast(forms.ChoiceField, self.fields[name]).choices = [*everyone, *choices[name]]

    def filters(self) -> Filters:
        """The chosen filters; none when one is not valid."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            waves=tuple(int(w) for w in data["wave"]),
            units=unit_and_descendants(data["unit"]) if data["unit"] else (),
            sites=(data["site"],) if data["site"] else (),
            job_families=(data["job_family"],) if data["job_family"] else (),
        )


class TicketFilterForm(forms.Form):
    """The ticket experience's filters, within the reader's scope
    (:func:`phare.insights.access.ticket_scope`), which every figure keeps to whatever the
    filters say; ``services`` are the choices the reader is offered (an owner: their own).

    A value not offered (another owner's service, a month without released ratings…) is the
    field's error, and the page shows nothing: a filter never widens what a reader sees."""

    month = forms.MultipleChoiceField(label=_("Months"), required=False,
                                      widget=SearchSelectMultiple)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False, widget=SearchSelect)
    unit = forms.ChoiceField(label=_("Business unit"), required=False, widget=SearchSelect)

    def __init__(self, *args: Any, scope: tuple[str, ...] | None, months: list[str],
                 channels: list[tuple[str, str]], services: list[tuple[str, str]],
                 units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        everyone = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["month"]).choices = [(month, month) for month in months]
        cast(forms.ChoiceField, self.fields["channel"]).choices = [*everyone, *channels]
        cast(forms.ChoiceField, self.fields["service"]).choices = [*everyone, *services]
        cast(forms.ChoiceField, self.fields["unit"]).choices = [*everyone, *units]

    @classmethod
    def for_reader(cls, data: Any, user: Any) -> TicketFilterForm:
        """The form with the choices this reader is offered, within their scope."""
        scope = access.ticket_scope(user)
        return cls(data, scope=scope, months=dashboards.ticket_months(scope),
                   channels=queries.channel_choices(),
                   services=queries.service_choices(access.visible_services(user)),
                   units=queries.unit_choices())

    def filters(self) -> TicketFilters:
        """The chosen filters within the reader's scope; nothing when one is not valid."""
        if not self.is_valid():
            return TicketFilters(scope=())
        data = self.cleaned_data
        return TicketFilters(services=(data["service"],) if data["service"] else None,
                             scope=self.scope, months=tuple(data["month"]),
                             channel=data["channel"],
                             units=unit_and_descendants(data["unit"]) if data["unit"] else ())


MONTH_RE = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


class VerbatimForm(forms.Form):
    """The verbatim explorer's filters: a bad value is the field's error, and no comment is
    shown. The survey defaults to the first offered."""

    survey = forms.ChoiceField(label=_("Survey"))
    words = forms.CharField(label=_("Words"), required=False, max_length=200,
                            widget=forms.TextInput(attrs={"type": "search"}))
    theme = forms.IntegerField(label=_("Theme"), required=False, min_value=0,
                               widget=forms.Select)
    band = forms.ChoiceField(label=_("Score"), required=False, choices=[
        ("", _("All")), ("low", _("0–6 (detractors)")), ("mid", _("7–8 (passives)")),
        ("high", _("9–10 (promoters)"))])
    unit = forms.ChoiceField(label=_("Business unit"), required=False, widget=SearchSelect)
    site = forms.ChoiceField(label=_("Site"), required=False, widget=SearchSelect)
    job_family = forms.ChoiceField(label=_("Job family"), required=False, widget=SearchSelect)
    service = forms.ChoiceField(label=_("Service (ticket comments)"), required=False,
                                widget=SearchSelect)
    # Months, not days: answers are never dated more finely than their month here.
    since = forms.RegexField(label=_("From (month)"), required=False, regex=MONTH_RE,
                             error_messages={"invalid": _("Give a month as YYYY-MM.")},
                             widget=forms.TextInput(attrs={"type": "month",
                                                           "placeholder": "YYYY-MM"}))
    until = forms.RegexField(label=_("To (month)"), required=False, regex=MONTH_RE,
                             error_messages={"invalid": _("Give a month as YYYY-MM.")},
                             widget=forms.TextInput(attrs={"type": "month",
                                                           "placeholder": "YYYY-MM"}))
    #: Set by the pager's links, not by the filters (which start again at the first page).
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, surveys: list[tuple[str, str]],
                 segments: dict[str, list[tuple[str, str]]], **kwargs: Any) -> None:
        if data is not None and not data.get("survey") and surveys:
            data = data.copy()
            data["survey"] = surveys[0][0]
        super().__init__(data, **kwargs)
        everyone = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["survey"]).choices = surveys
        self.offer_themes([])
        for name in ("unit", "site", "job_family"):
            cast(forms.ChoiceField, self.fields[name]).choices = [*everyone, *segments[name]]
        cast(forms.ChoiceField, self.fields["service"]).choices = [
            *everyone, *segments.get("service", [])]

    def offer_themes(self, themes: list[tuple[int, str]]) -> None:
        """The themes found in the chosen survey's comments (known once they are read)."""
        self.fields["theme"].widget.choices = [("", _("All")), *themes]

    def clean_page(self) -> int:
        """The page asked for; anything but a number gives the first page (a damaged link
        still shows the comments)."""
        page = self.cleaned_data.get("page") or ""
        return int(page) if page.isdigit() else 1

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


class CardSortForm(forms.Form):
    """The order of the list of value cards (``?sort=``); an unknown order is the default."""

    SORT_LABELS = {
        "service": _("Service"), "cost": _("Annual run cost"),
        "satisfaction": _("Survey NPS"), "happiness": _("Ticket happiness"),
        "lost": _("Work time lost after tickets"), "adoption": _("Adoption"),
        "cost_per_user": _("Cost per person served"),
    }

    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("service", _("Service, A to Z")),
                                          ("-service", _("Service, Z to A"))]
        for key, label in list(self.SORT_LABELS.items())[1:]:
            choices.append((f"-{key}", _("%(figure)s, highest first") % {"figure": label}))
            choices.append((key, _("%(figure)s, lowest first") % {"figure": label}))
        cast(forms.ChoiceField, self.fields["sort"]).choices = choices

    def order(self) -> str:
        """The order chosen (a key of :data:`phare.insights.value.SORTS`, ``-``: descending)."""
        if self.is_valid() and self.cleaned_data["sort"]:
            return str(self.cleaned_data["sort"])
        return value.DEFAULT_SORT
