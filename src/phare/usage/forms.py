"""The usage pages' forms: a service's filters, the import, product links and deployments.

Each form offers bounded choices only: a month is one of those with released usage, a unit one
of the directory's, a service one of the catalogue's. A value not offered is the field's error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.lib.uploads import ImportFileField
from phare.lib.widgets import SearchSelect
from phare.usage.models import Deployment, UsageImport
from phare.usage.queries import DIMENSIONS
from phare.usage.records import SOURCES

#: How a breakdown is named in the filter (the keys are :data:`queries.DIMENSIONS`).
BY_LABELS = {"unit": _("Business unit"), "site": _("Site"), "job_family": _("Job family")}
#: The report periods Microsoft 365 offers.
PERIODS = (7, 30, 90, 180)


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


class AdoptionFilterForm(forms.Form):
    """A service's adoption: by unit (within a unit, for its sub-units), site or job family, in
    one of the months with released usage. A value not offered is the field's error, and the
    page shows the default breakdown (by top unit, the latest month)."""

    by = forms.ChoiceField(label=_("Breakdown"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)
    within = forms.ChoiceField(label=_("Within the unit"), required=False,
                               help_text=_("For a breakdown by business unit: its sub-units."))

    def __init__(self, data: Any, *, months: Sequence[dt.date],
                 units: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.months = {month_key(m): m for m in months}
        cast(forms.ChoiceField, self.fields["by"]).choices = [
            (key, BY_LABELS[key]) for key in DIMENSIONS]
        cast(forms.ChoiceField, self.fields["month"]).choices = [
            (key, formats.date_format(month, "YEAR_MONTH_FORMAT"))
            for key, month in self.months.items()]
        cast(forms.ChoiceField, self.fields["within"]).choices = [
            ("", _("Top units")), *units]

    def filters(self) -> tuple[str, dt.date | None, str | None]:
        """(by, month, within): the chosen ones, or the defaults when one is not valid."""
        if not self.is_valid():
            return "unit", None, None
        data = self.cleaned_data
        by = data["by"] or "unit"
        month = self.months.get(data["month"]) if data["month"] else None
        within = (data["within"] or None) if by == "unit" else None
        return by, month, within


class UsageImportForm(forms.Form):
    """A usage file to import as a background job: its source (or detected from its header)
    and, for a Microsoft 365 report without a Report Period column, its period."""

    file = ImportFileField(
        extensions=(".csv", ".txt", ".parquet"),
        wrong_type=_("Expected a .csv or .parquet file, got “%(name)s”."),
        label=_("Usage file"),
        help_text=_("A Microsoft 365 usage report (CSV), an events file (CSV or Parquet) or a "
                    "licences file (CSV)."))
    source = forms.ChoiceField(label=_("Source"), initial="auto")
    period_days = forms.TypedChoiceField(
        label=_("Report period"), required=False, coerce=int, empty_value=None,
        choices=[("", _("As the file says (30 days if it does not)")),
                 *[(str(days), _("%(days)d days") % {"days": days}) for days in PERIODS]])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(UsageImport.Source.choices)
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("auto", _("Detect from the file's header")),
            *[(source, labels.get(source, source)) for source in SOURCES]]


class ProductLinkForm(forms.Form):
    """Which catalogue service a source's product is (none: not one of ours)."""

    product = forms.CharField(max_length=100, widget=forms.HiddenInput)
    service = forms.ChoiceField(label=_("Catalogue service"), required=False,
                                widget=SearchSelect)

    def __init__(self, *args: Any, products: Sequence[str],
                 services: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = set(products)
        cast(forms.ChoiceField, self.fields["service"]).choices = [
            ("", _("Not one of our services")), *services]

    @staticmethod
    def service_choices() -> list[tuple[str, str]]:
        """Every catalogue service as a choice, by name in the reader's language."""
        return sorted(((s.slug, s.name) for s in Service.objects.all()),
                      key=lambda item: item[1].casefold())

    def clean_product(self) -> str:
        product = self.cleaned_data["product"]
        if product not in self.products:
            raise forms.ValidationError(_("This product has not been seen in any import."))
        return product


class DeploymentForm(forms.Form):
    """A service's roll-out: its launch day and the adoption it should reach, and by when."""

    launched_on = forms.DateField(label=_("Launched on"),
                                  widget=forms.DateInput(attrs={"type": "date"},
                                                         format="%Y-%m-%d"))
    target_percent = forms.IntegerField(
        label=_("Target adoption (%)"), min_value=1, max_value=100,
        help_text=_("The share of the service's audience that should use it."))
    target_weeks = forms.IntegerField(label=_("Weeks to reach it"), min_value=1, max_value=260)
    shape = forms.ChoiceField(label=_("Expected curve"), choices=Deployment.Shape.choices,
                              initial=Deployment.Shape.S)

    @classmethod
    def for_deployment(cls, deployment: Deployment | None) -> DeploymentForm:
        """The form showing the service's current deployment (empty without one)."""
        if deployment is None:
            return cls()
        return cls(initial={"launched_on": deployment.launched_on,
                            "target_percent": round(deployment.target_rate * 100),
                            "target_weeks": deployment.target_weeks,
                            "shape": deployment.shape})

    def values(self) -> dict[str, Any]:
        """The keyword arguments of :func:`phare.usage.services.deployment_set`."""
        data = self.cleaned_data
        return {"launched_on": data["launched_on"], "target_rate": data["target_percent"] / 100,
                "target_weeks": data["target_weeks"], "shape": data["shape"]}
