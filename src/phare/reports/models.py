"""Executive reports as stored files (PDF, slides, workbook), and their delivery schedules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phare.jobs.models import Job

#: The three files of a report: field name → (extension, content type).
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "pptx": ("pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class Language(models.TextChoices):
    FR = "fr", "Français"
    EN = "en", "English"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Schedule(models.Model):
    """A report sent by email to a list of people after each month or quarter."""

    name = models.CharField(_("name"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    #: A business unit's code: its figures beside the company's; empty for the company.
    unit_code = models.CharField(_("business unit"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.FR)
    #: The email addresses the report goes to.
    recipients = models.JSONField(_("recipients"), default=list)
    active = models.BooleanField(_("active"), default=True)
    #: When the last period's report was requested: nothing more until the next period ends.
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """One report of a period (for the company or a business unit), made by a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    unit_code = models.CharField(_("business unit"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.FR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    #: Why it failed, in words for the person who asked.
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m", blank=True)
    pptx = models.FileField(_("slides"), upload_to="reports/%Y/%m", blank=True)
    xlsx = models.FileField(_("workbook"), upload_to="reports/%Y/%m", blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    #: The schedule that asked for it: its recipients get it by email once ready.
    schedule = models.ForeignKey(Schedule, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    def file(self, fmt: str) -> models.fields.files.FieldFile:
        if fmt not in FORMATS:
            raise KeyError(fmt)
        return getattr(self, fmt)

    def filename(self, fmt: str) -> str:
        """The download's name: ``phare-report-2026-07-01-2026-09-30[-unit]-fr.pdf``."""
        unit = f"-{self.unit_code}" if self.unit_code else ""
        return (f"phare-report-{self.starts_on.isoformat()}-{self.ends_on.isoformat()}"
                f"{unit}-{self.language}.{FORMATS[fmt][0]}")
