"""Usage and adoption: what the database keeps beside the Parquet events.

The events themselves (who used which service on which day) are never in the database: they
go to the usage store (``store.py``) under a pseudonym. The database keeps the imports' reports,
the mapping of a source's products to catalogue services, licences and seats, tenant-level
counts from reports whose names are concealed, and the deployments whose adoption is followed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.directory.models import Person


class UsageImport(models.Model):
    """One usage file imported (or refused): its source, what it held and what became of it."""

    class Source(models.TextChoices):
        M365_ACTIVE_USERS = "m365-active-users", _("Microsoft 365 active users")
        M365_TEAMS = "m365-teams", _("Microsoft Teams activity")
        M365_EMAIL = "m365-email", _("Email activity")
        M365_ONEDRIVE = "m365-onedrive", _("OneDrive usage")
        M365_SHAREPOINT = "m365-sharepoint", _("SharePoint site usage")
        EVENTS = "events", _("Events")
        LICENCES = "licences", _("Licences and seats")

    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    report_date = models.DateField(_("report date"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("report period (days)"), null=True,
                                                   blank=True)
    concealed = models.BooleanField(_("concealed names"), default=False)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    imported = models.PositiveIntegerField(_("records imported"), default=0)
    unchanged = models.PositiveIntegerField(_("records unchanged"), default=0)
    unmatched = models.PositiveIntegerField(_("rows unmatched"), default=0)
    skipped = models.JSONField(default=dict, blank=True)
    #: The first unmatched rows: ``[{"line", "identifier", "reason"}]`` (at most 100).
    unmatched_rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("usage import")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d}"


class ProductLink(models.Model):
    """A product as a usage source names it (``m365:teams``) and the catalogue service it is."""

    product = models.CharField(_("product"), max_length=100, unique=True)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="usage_products", verbose_name=_("service"))

    class Meta:
        ordering = ["product"]

    def __str__(self) -> str:
        return self.product


class Licence(models.Model):
    """A person holds a seat of a service (from a licence file or an M365 report)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="licences")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="licences")
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    #: The last import that saw this licence: licences it no longer lists are removed.
    seen_on = models.DateField(_("seen on"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "service"],
                                               name="usage_licence_once")]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.person_id}"


class Seats(models.Model):
    """What a service's seats cost: how many were bought, and the price of one per month."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="seats")
    seats = models.PositiveIntegerField(_("seats bought"), null=True, blank=True)
    cost_per_seat = models.DecimalField(_("cost per seat and month"), max_digits=10,
                                        decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.seats} × {self.cost_per_seat} {self.currency}"


class TenantCount(models.Model):
    """A tenant-wide count from a report with concealed names (no breakdown is possible)."""

    product = models.CharField(max_length=100)
    day = models.DateField()
    metric = models.CharField(max_length=40)
    period_days = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "day", "metric", "period_days"],
                                               name="usage_tenant_count_once")]
        ordering = ["-day", "product", "metric"]

    def __str__(self) -> str:
        return f"{self.product} {self.metric} {self.day}: {self.value}"


class Deployment(models.Model):
    """A service's roll-out: its launch date and the adoption it should reach, and by when."""

    class Shape(models.TextChoices):
        S = "s", _("S-curve")
        LINEAR = "linear", _("Straight line")

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="deployment")
    launched_on = models.DateField(_("launched on"))
    target_rate = models.FloatField(_("target adoption"), validators=[
        MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_("Share of the audience, between 0.01 and 1."))
    target_weeks = models.PositiveSmallIntegerField(_("weeks to reach it"), validators=[
        MinValueValidator(1), MaxValueValidator(260)])
    shape = models.CharField(_("curve"), max_length=10, choices=Shape.choices, default=Shape.S)

    def __str__(self) -> str:
        return f"{self.service_id} {self.launched_on}"
